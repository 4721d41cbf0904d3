from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "tuyengiao.training"
    verbose_name = _("Bồi dưỡng lý luận chính trị")

    def ready(self) -> None:
        from . import record_sources, restructure  # noqa: F401  (restructure: org signals)

        record_sources.connect()
