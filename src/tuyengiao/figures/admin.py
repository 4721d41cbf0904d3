"""The Django admin for periodic figures: definitions are edited (audited), reports are
read-mostly, and values and roll-up rows are never edited here (the roll-up would break)."""

from django import forms
from django.contrib import admin

from tuyengiao.audit.admin import AuditedAdmin, ReadOnlyAdmin
from tuyengiao.audit.models import AuditAction
from tuyengiao.audit.services import record, snapshot
from tuyengiao.org.models import Kind, Level

from . import rules, services
from .models import DataSet, DataSetIndicator, Indicator, Report, Rollup, ValidationRule, Value


@admin.register(Indicator)
class IndicatorAdmin(AuditedAdmin):
    list_display = ["code", "name", "measure", "value_type", "aggregation", "planned"]
    list_filter = ["value_type", "aggregation"]
    search_fields = ["code", "name"]
    raw_id_fields = ["planned", "numerator", "denominator"]


class DataSetIndicatorInline(admin.TabularInline):
    model = DataSetIndicator
    extra = 0
    raw_id_fields = ["indicator"]
    fields = ["position", "indicator", "section"]


class ValidationRuleForm(forms.ModelForm):
    class Meta:
        model = ValidationRule
        fields = ["left", "operator", "right", "missing", "message"]

    def _expression(self, name):
        value = self.cleaned_data.get(name, "")
        try:
            rules.codes(value)
        except rules.ExpressionError as exc:
            raise forms.ValidationError(str(exc)) from None
        return value

    def clean_left(self):
        return self._expression("left")

    def clean_right(self):
        return self._expression("right")


class ValidationRuleInline(admin.TabularInline):
    model = ValidationRule
    form = ValidationRuleForm
    extra = 0
    fields = ["left", "operator", "right", "missing", "message"]


class DataSetAdminForm(forms.ModelForm):
    levels = forms.MultipleChoiceField(
        label=DataSet._meta.get_field("levels").verbose_name,
        choices=Level.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    kinds = forms.MultipleChoiceField(
        label=DataSet._meta.get_field("kinds").verbose_name,
        choices=Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = DataSet
        fields = [
            "code",
            "name",
            "period_kind",
            "levels",
            "kinds",
            "first_period",
            "due_days",
            "lock_days",
            "active",
        ]


@admin.register(DataSet)
class DataSetAdmin(AuditedAdmin):
    form = DataSetAdminForm
    list_display = ["code", "name", "period_kind", "first_period", "due_days", "active"]
    list_filter = ["period_kind", "active"]
    search_fields = ["code", "name"]
    readonly_fields = ["created_by"]
    inlines = [DataSetIndicatorInline, ValidationRuleInline]

    def save_formset(self, request, form, formset, change):
        """The form's rows and rules are audited one by one, like the form itself."""
        before = {
            obj.pk: snapshot(type(obj).objects.get(pk=obj.pk)) for obj in formset.queryset if obj.pk
        }
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            record(request.user, AuditAction.CREATE, obj, verb="admin")
        for obj, _fields in formset.changed_objects:
            record(request.user, AuditAction.UPDATE, obj, before=before.get(obj.pk), verb="admin")
        for obj in formset.deleted_objects:
            record(request.user, AuditAction.DELETE, obj, before=before.get(obj.pk), verb="admin")

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.reports_schedule(data_set=form.instance, actor=request.user)


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    """Reports are saved, sent, approved and unlocked (with a reason) on the figures pages."""

    list_display = ["data_set", "unit", "period", "state", "submitted_on", "approved_at"]
    list_filter = ["state", "data_set"]
    search_fields = ["unit__name", "period"]
    list_select_related = ["data_set", "unit"]
    raw_id_fields = ["unit", "obligation"]


@admin.register(Value)
class ValueAdmin(ReadOnlyAdmin):
    list_display = ["indicator", "unit", "period", "number", "text"]
    list_filter = ["indicator"]
    search_fields = ["unit__name", "period"]
    list_select_related = ["indicator", "unit"]


@admin.register(Rollup)
class RollupAdmin(ReadOnlyAdmin):
    list_display = ["indicator", "unit", "period", "total", "count", "last_total"]
    list_filter = ["indicator"]
    search_fields = ["unit__name", "period"]
    list_select_related = ["indicator", "unit"]
