from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "tuyengiao.oversight"
    verbose_name = _("Kiểm tra, giám sát")

    def ready(self) -> None:
        from . import record_sources, restructure  # noqa: F401  (restructure: org signals)

        record_sources.connect()
