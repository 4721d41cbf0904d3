from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "tuyengiao.outreach"
    verbose_name = _("Báo cáo viên, mô hình")

    def ready(self) -> None:
        from . import record_sources, restructure  # noqa: F401  (restructure: org signals)

        record_sources.connect()
