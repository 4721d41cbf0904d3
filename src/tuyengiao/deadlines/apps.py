from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeadlinesConfig(AppConfig):
    name = "tuyengiao.deadlines"
    verbose_name = _("Thời hạn, việc phải làm")

    def ready(self) -> None:
        # Connects the org signals. Receivers run in the order they were connected, and this
        # app is ready before the apps listed after it in INSTALLED_APPS: a merged unit's
        # obligations are with its successor before concerns.restructure looks for them there.
        from . import restructure  # noqa: F401
