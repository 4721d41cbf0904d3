from django.contrib import admin

from tuyengiao.audit.admin import AuditedAdmin

from .models import Obligation


@admin.register(Obligation)
class ObligationAdmin(AuditedAdmin):
    list_display = ["title", "unit", "kind", "due_on", "done_on"]
    list_filter = ["kind"]
    search_fields = ["title"]
    raw_id_fields = ["unit", "done_by"]
    readonly_fields = ["unit_path", "source_type", "source_id"]

    def save_model(self, request, obj, form, change):
        obj.fill_path()  # the unit may have been chosen or changed on the page
        super().save_model(request, obj, form, change)
