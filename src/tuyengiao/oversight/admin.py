"""The Django admin for oversight: the fields of work are configured here (audited);
inspections, conclusions, recommendations and conferences are read here and changed only
through the pages, whose services keep the procedure, the obligations and the notices."""

from django.contrib import admin

from tuyengiao.audit.admin import AuditedAdmin, ReadOnlyAdmin

from .models import (
    Conference,
    Inspection,
    InspectionPlan,
    OversightSettings,
    Recommendation,
    WorkArea,
)


@admin.register(WorkArea)
class WorkAreaAdmin(AuditedAdmin):
    list_display = ["name", "code", "position", "active"]
    list_editable = ["position", "active"]
    search_fields = ["name", "code"]

    def has_delete_permission(self, request, obj=None):
        # A field in use is retired (active off), never deleted: findings keep their field.
        return obj is None or not (obj.findings.exists() or obj.recommendations.exists())


@admin.register(OversightSettings)
class OversightSettingsAdmin(ReadOnlyAdmin):
    list_display = ["unit", "recurrence_years"]


@admin.register(InspectionPlan)
class InspectionPlanAdmin(ReadOnlyAdmin):
    list_display = ["title", "unit", "year"]
    list_filter = ["year"]


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ["title", "unit", "kind", "state", "starts_on", "ends_on"]
    list_filter = ["kind", "state"]
    search_fields = ["title"]


@admin.register(Recommendation)
class RecommendationAdmin(ReadOnlyAdmin):
    list_display = ["text", "unit", "state", "due_on", "done_on"]
    list_filter = ["state"]
    search_fields = ["text"]


@admin.register(Conference)
class ConferenceAdmin(ReadOnlyAdmin):
    list_display = ["title", "unit", "kind", "held_on", "participants", "connected_points"]
    list_filter = ["kind", "level"]
    search_fields = ["title"]
