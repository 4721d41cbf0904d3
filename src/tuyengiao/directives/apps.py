from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectivesConfig(AppConfig):
    name = "tuyengiao.directives"
    verbose_name = _("Văn bản chỉ đạo")

    def ready(self) -> None:
        from . import record_sources

        record_sources.connect()
