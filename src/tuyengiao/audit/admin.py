from django.contrib import admin

from .models import AuditAction, AuditEntry
from .services import record, snapshot


class AuditedAdmin(admin.ModelAdmin):
    """Changes made in the Django admin are audited like any other."""

    def save_model(self, request, obj, form, change):
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        record(
            request.user,
            AuditAction.UPDATE if change else AuditAction.CREATE,
            obj,
            before=before,
            verb="admin",
        )

    def delete_model(self, request, obj):
        before = snapshot(obj)
        record(request.user, AuditAction.DELETE, obj, before=before, verb="admin")
        super().delete_model(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # bulk delete would bypass the audit
        return actions


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never changed here: the domain's services keep their rules and the audit."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "verb", "content_type", "object_repr"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "object_id"]
