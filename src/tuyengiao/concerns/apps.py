from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConcernsConfig(AppConfig):
    name = "tuyengiao.concerns"
    verbose_name = _("Dư luận xã hội")

    def ready(self) -> None:
        from . import restructure  # noqa: F401  (connects the org signals)
