"""The API schema names the held-back session as the plain session it is (cookieAuth)."""

from drf_spectacular.authentication import SessionScheme


class SecondFactorSessionScheme(SessionScheme):
    target_class = "tuyengiao.second_factor.authentication.SessionAuthentication"
