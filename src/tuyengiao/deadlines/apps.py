from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeadlinesConfig(AppConfig):
    name = "tuyengiao.deadlines"
    verbose_name = _("Thời hạn, việc phải làm")
