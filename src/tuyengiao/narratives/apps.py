from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NarrativesConfig(AppConfig):
    name = "tuyengiao.narratives"
    verbose_name = _("Báo cáo tường thuật")
