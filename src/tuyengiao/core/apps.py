from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tuyengiao.core"
    verbose_name = "Core"

    def ready(self):
        from django.core import checks

        from .storage import uploads_are_not_public

        checks.register(uploads_are_not_public, checks.Tags.security)
