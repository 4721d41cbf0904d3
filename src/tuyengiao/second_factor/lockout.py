"""Wrong codes count like wrong passwords (django-axes): five for one account from one address
lock the code page for AXES_COOLOFF_MINUTES.

Counted under their own name ("<user name> (2FA)"): axes forgets an account's password failures
at each successful password log-in, which would otherwise let anyone who knows the password try
four codes per log-in for ever.
"""

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.signals import user_login_failed


def _credentials(user) -> dict:
    return {"username": f"{user.get_username()} (2FA)"}


def is_locked(request) -> bool:
    return AxesProxyHandler.is_locked(request, _credentials(request.user))


def count_failure(request) -> None:
    """Record a wrong code; the fifth sets `request.axes_locked_out`, which AxesMiddleware turns
    into the lock-out page."""
    user_login_failed.send(sender=__name__, credentials=_credentials(request.user), request=request)


def forget_failures(request) -> None:
    AxesProxyHandler.reset_attempts(username=_credentials(request.user)["username"])
