"""The narrative reports' schedule is edited in the admin (audited); the reports themselves
are written on their pages."""

from django.contrib import admin

from tuyengiao.audit.admin import AuditedAdmin

from .models import NarrativeSchedule


@admin.register(NarrativeSchedule)
class NarrativeScheduleAdmin(AuditedAdmin):
    list_display = ["period_kind", "levels", "due_days", "first_period", "active"]
    list_filter = ["period_kind", "active"]
