"""The Django admin for training: the programmes are kept here (administrators add, rename,
retire a programme and set its minimum of learners); centres, plans and classes are read here
and changed only through the pages, whose services keep the rules and the audit log."""

from django.contrib import admin

from tuyengiao.audit.admin import ReadOnlyAdmin

from .models import PoliticalCentre, Programme, TrainingClass, TrainingPlan


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "position", "min_learners", "active"]
    list_editable = ["position", "min_learners", "active"]
    search_fields = ["name", "code"]

    def has_delete_permission(self, request, obj=None):
        return obj is None or not (obj.plans.exists() or obj.classes.exists())


@admin.register(PoliticalCentre)
class PoliticalCentreAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "unit", "active"]
    list_filter = ["kind", "active"]


@admin.register(TrainingPlan)
class TrainingPlanAdmin(ReadOnlyAdmin):
    list_display = ["centre", "programme", "year", "classes_planned", "learners_planned"]
    list_filter = ["year", "programme"]


@admin.register(TrainingClass)
class TrainingClassAdmin(ReadOnlyAdmin):
    list_display = ["centre", "programme", "opened_on", "closed_on", "enrolled", "completed"]
    list_filter = ["programme"]
    date_hierarchy = "opened_on"
