"""The browser's session in the API, once its second factor has passed. Its own module, importing
nothing at load: DRF imports it while `rest_framework.views` loads.

API tokens are another matter: an administrator issues them in the Django admin (itself behind
the second factor) for a script, so a token keeps working for an account with a second factor.
"""

from rest_framework import authentication


class SessionAuthentication(authentication.SessionAuthentication):
    """DRF's session authentication; a session still at the code or set-up page is anonymous."""

    def authenticate(self, request):
        from .gate import pending

        result = super().authenticate(request)
        if result is not None and pending(request._request):
            return None
        return result
