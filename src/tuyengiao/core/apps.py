from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tuyengiao.core"
    verbose_name = "Core"

    def ready(self):
        from django.contrib import admin
        from django.core import checks
        from django.utils.translation import gettext_lazy as _

        from .admin_names import name_in_vietnamese
        from .storage import uploads_are_not_public

        checks.register(uploads_are_not_public, checks.Tags.security)
        name_in_vietnamese()
        admin.site.site_header = _("Quản trị hệ thống tuyên giáo")
        admin.site.site_title = _("Quản trị")
        admin.site.index_title = _("Cấu hình")
