from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "tuyengiao.backups"
    verbose_name = "Sao lưu"
