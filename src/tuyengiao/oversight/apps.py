from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "tuyengiao.oversight"
    verbose_name = _("Kiểm tra, giám sát")

    def ready(self) -> None:
        from . import restructure  # noqa: F401  (connects the org signals)
