from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FiguresConfig(AppConfig):
    name = "tuyengiao.figures"
    verbose_name = _("Số liệu định kỳ")

    def ready(self) -> None:
        from . import restructure  # noqa: F401  (connects the org signals)
