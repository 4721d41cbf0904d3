"""The Django admin for public concerns: topics are configured here (audited); reports and
concerns are read here and changed only through the pages, whose services keep the state
machine, the obligations and the tell-back."""

from django.contrib import admin

from tuyengiao.audit.admin import AuditedAdmin, ReadOnlyAdmin

from .models import Concern, ConcernReport, Topic


@admin.register(Topic)
class TopicAdmin(AuditedAdmin):
    list_display = ["name", "code", "position", "active"]
    list_editable = ["position", "active"]
    search_fields = ["name", "code"]

    def has_delete_permission(self, request, obj=None):
        # A topic in use is retired (active off), never deleted: reports keep their topic.
        return obj is None or not obj.reports.exists() and not obj.concerns.exists()


@admin.register(ConcernReport)
class ConcernReportAdmin(ReadOnlyAdmin):
    list_display = ["title", "topic", "unit", "urgency", "created_at", "concern"]
    list_filter = ["topic", "urgency", "source"]
    search_fields = ["title"]


@admin.register(Concern)
class ConcernAdmin(ReadOnlyAdmin):
    list_display = ["title", "topic", "unit", "state", "report_count", "due_on"]
    list_filter = ["state", "topic"]
    search_fields = ["title"]
