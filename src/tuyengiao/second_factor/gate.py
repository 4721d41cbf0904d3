"""Holding a signed-in session at the second factor.

After the password, a session is in one of three states, decided at log-in and kept in the
session: "code" (the account has an authenticator: the code page until a code is accepted),
"enrol" (its unit requires a second factor and it has none: the set-up page until done) or
"passed". Until it has passed, every page sends it to its page, except the views marked
`open_before_second_factor` (log-in, log-out, the language switch, the second factor's own
pages); the API does not take such a session (authentication.SessionAuthentication).
"""

from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from tuyengiao.org.access import is_api_view

from .queries import authenticator, required_for

SESSION_KEY = "second_factor"
CODE, ENROL, PASSED = "code", "enrol", "passed"


def state_of(user) -> str:
    if authenticator(user) is not None:
        return CODE
    if required_for(user):
        return ENROL
    return PASSED


def on_login(sender, request, user, **kwargs):
    """Decide at each log-in (user_logged_in), so that a requirement set on a unit, or a device
    set up elsewhere, applies from the account's next log-in."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = state_of(user)


def pending(request) -> str | None:
    """What the session still owes (CODE or ENROL), or None."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    state = request.session.get(SESSION_KEY)
    if state is None:  # a session from before this was deployed: decide once
        state = request.session[SESSION_KEY] = state_of(user)
    return None if state == PASSED else state


def mark_passed(request) -> None:
    request.session[SESSION_KEY] = PASSED


def open_before_second_factor(view):
    """Let a session that still owes its second factor reach this view."""
    view.before_second_factor = True
    return view


class SecondFactorMiddleware:
    """Sends a session that owes its second factor to the code or the set-up page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if is_api_view(view_func) or getattr(view_func, "before_second_factor", False):
            return None
        state = pending(request)
        if state is None:
            return None
        page = "second_factor:verify" if state == CODE else "second_factor:setup"
        return redirect_to_login(request.get_full_path(), reverse(page))
