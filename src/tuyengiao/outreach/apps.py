from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "tuyengiao.outreach"
    verbose_name = _("Báo cáo viên, mô hình")

    def ready(self) -> None:
        from . import restructure  # noqa: F401  (connects the org signals)
