"""Forms of the periodic-figures pages. Parsing figures and every rule stay in services.py."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from tuyengiao.core.period_names import period_label
from tuyengiao.deadlines.models import State
from tuyengiao.periods import Period

from .models import DataSet, ReportState, ValueType

_MONTH_YEAR = re.compile(r"\s*(\d{1,2})\s*/\s*(\d{4})\s*")


class EntryForm(forms.Form):
    """One input per entered indicator of a report form, named by the indicator's code.

    The figures are kept as typed; services.report_save reads them ("24.193", "98,32") and
    answers per code. `version` is the report's version when the page was drawn and `loaded`
    the figures shown then, so a refused save can point at what someone else changed.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    loaded = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, indicators, editable: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = {}
        for indicator in indicators:
            if indicator.is_derived or indicator.is_counted:
                continue
            if indicator.value_type == ValueType.TEXT:
                widget = forms.Textarea(attrs={"rows": 2, "maxlength": 4000})
            else:
                widget = forms.TextInput(
                    attrs={"inputmode": "decimal", "autocomplete": "off", "class": "num"}
                )
            widget.attrs.update({"aria-label": indicator.name, "data-entry-field": "1"})
            self.fields[indicator.code] = forms.CharField(
                label=indicator.name,
                required=False,
                strip=False,
                disabled=not editable,
                widget=widget,
            )
            self.indicators[indicator.code] = indicator

    def entries(self) -> dict[str, str]:
        """What was typed, per indicator code; a field not posted at all is left unchanged."""
        return {code: self.data[code] for code in self.indicators if code in self.data}


class OpenReportForm(forms.Form):
    """Open (and on first use create) the report of a unit for a form and a period."""

    unit = forms.IntegerField(label=_("Đơn vị"), widget=forms.Select)
    # Not "data_set": that name filters the list shown on the same page.
    open_data_set = forms.ModelChoiceField(label=_("Biểu mẫu"), queryset=DataSet.objects.none())
    period = forms.CharField(
        label=_("Kỳ báo cáo"),
        max_length=16,
        help_text=_("Ví dụ: 2026-11 hoặc 11/2026, 2026Q3, 2026S1, 2026."),
        widget=forms.TextInput(attrs={"placeholder": "2026-11", "size": 9}),
    )

    def __init__(self, *args, units, choices, data_sets, **kwargs):
        """`units`: every unit the user may open a report for; `choices`: the few to list."""
        super().__init__(*args, **kwargs)
        self.units = units
        self.fields["unit"].widget.choices = [(u.pk, u.name) for u in choices]
        self.fields["open_data_set"].queryset = data_sets

    def clean_unit(self):
        unit = self.units.filter(pk=self.cleaned_data["unit"]).first()
        if unit is None:
            raise forms.ValidationError(_("Không tìm thấy đơn vị này trong phạm vi của bạn."))
        return unit

    def clean_period(self):
        text = self.cleaned_data["period"].strip()
        month = _MONTH_YEAR.fullmatch(text)
        if month:
            text = f"{month[2]}-{int(month[1]):02d}"
        try:
            return Period.parse(text)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


class ReportFilterForm(forms.Form):
    """Filters of the list of reports a unit owes."""

    DUE_STATES = [
        (State.OVERDUE.value, _("Quá hạn")),
        (State.PENDING.value, _("Còn hạn")),
        (State.DONE_ON_TIME.value, _("Đã gửi đúng hạn")),
        (State.DONE_LATE.value, _("Đã gửi quá hạn")),
    ]

    data_set = forms.ModelChoiceField(
        label=_("Biểu mẫu"),
        queryset=DataSet.objects.none(),
        required=False,
        empty_label=_("Tất cả"),
    )
    state = forms.ChoiceField(
        label=_("Trạng thái"),
        choices=[("", _("Tất cả")), *ReportState.choices],
        required=False,
    )
    due = forms.ChoiceField(
        label=_("Hạn nộp"), choices=[("", _("Tất cả")), *DUE_STATES], required=False
    )

    def __init__(self, *args, data_sets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["data_set"].queryset = data_sets


class UnlockForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do mở khoá"),
        max_length=500,
        error_messages={"required": _("Hãy ghi lý do mở khoá.")},
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReturnForm(forms.Form):
    """Send a sent report back to its unit for correction, saying what to correct."""

    comment = forms.CharField(
        label=_("Ý kiến: đơn vị cần sửa gì"),
        max_length=2000,
        error_messages={
            "required": _("Hãy ghi ý kiến: đơn vị cần sửa gì."),
            "max_length": _("Ý kiến dài quá 2.000 ký tự."),
        },
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)


class ApprovalFilterForm(forms.Form):
    """Filters of the approval list: the unit (and below), the report form, period and state."""

    STATES = [
        ("waiting", _("Chờ duyệt")),
        ("returned", _("Đã trả lại, chờ gửi lại")),
        ("approved", _("Đã duyệt")),
        ("all", _("Tất cả đã gửi")),
    ]

    unit = forms.TypedChoiceField(label=_("Đơn vị"), coerce=int, required=False)
    data_set = forms.ModelChoiceField(
        label=_("Biểu mẫu"),
        queryset=DataSet.objects.none(),
        required=False,
        empty_label=_("Tất cả"),
    )
    period = forms.ChoiceField(label=_("Kỳ"), required=False)
    state = forms.ChoiceField(label=_("Trạng thái"), choices=STATES, required=False)

    def __init__(self, *args, units, data_sets, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]
        self.fields["data_set"].queryset = data_sets
        self.fields["period"].choices = [
            ("", _("Tất cả")),
            *((p.id, period_label(p)) for p in periods),
        ]
