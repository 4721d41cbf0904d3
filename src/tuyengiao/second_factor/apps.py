from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecondFactorConfig(AppConfig):
    name = "tuyengiao.second_factor"
    label = "second_factor"
    verbose_name = _("Xác thực hai bước")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import schema  # noqa: F401  registers the API schema's name for the session
        from .gate import on_login

        user_logged_in.connect(on_login, dispatch_uid="second_factor_on_login")
