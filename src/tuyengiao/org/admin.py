from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from tuyengiao.audit.admin import AuditedAdmin

from .models import Unit, User


@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    list_display = ["name", "code", "level", "kind", "valid_to", "path"]
    list_filter = ["level", "kind"]
    search_fields = ["name", "code", "search_key"]
    readonly_fields = ["path", "parent"]
    raw_id_fields = ["successor"]

    def has_add_permission(self, request):
        return False  # units are added in the app, where the tree paths are allocated


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "unit", "role", "is_active"]
    list_filter = ["role", "is_active", "is_superuser"]
    raw_id_fields = ["unit"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        ("Đơn vị và vai trò", {"fields": ["unit", "role", "position", "phone"]}),
    ]
