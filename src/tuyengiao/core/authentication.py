"""How API clients sign in. Its own module: DRF imports it while `rest_framework.views` loads."""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication, loading the user's unit in the same query: every API call
    reads it (the scope), and a second round trip per request is what a busy intake feels."""

    def authenticate_credentials(self, key):
        model = self.get_model()
        try:
            token = model.objects.select_related("user__unit").get(key=key)
        except model.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("Token không hợp lệ.")) from None
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Tài khoản đã bị khoá hoặc không còn."))
        return (token.user, token)
