"""Parameters of the overview page and of periodic summaries, and the summary's text."""

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import stats, summary
from .models import Summary

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class OverviewParams(forms.Form):
    weeks = forms.IntegerField(
        label=gettext_lazy("Số tuần"),
        min_value=1,
        max_value=stats.MAX_WEEKS,
        required=False,
        widget=forms.NumberInput(attrs={"size": 3, "placeholder": stats.DEFAULT_WEEKS}),
    )
    end = forms.CharField(
        label=gettext_lazy("Đến tuần"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"size": 10, "placeholder": "2026-W47"}),
        help_text=gettext_lazy("Như 2026-W47, hoặc một ngày trong tuần (16/11/2026)."),
    )
    # Every place, even those with nothing in the range (by default they are left out).
    all = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean_weeks(self) -> int:
        return self.cleaned_data.get("weeks") or stats.DEFAULT_WEEKS

    def clean_end(self) -> stats.Week:
        raw = self.cleaned_data.get("end") or ""
        if not raw:
            return stats.Week.current()
        try:
            return stats.Week.parse(raw)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean(self):
        data = super().clean()
        if not self.errors:
            data["week_list"] = stats.Week.ending(data["end"], data["weeks"])
            # Show the values used (defaults made explicit) in the fields.
            self.data = self.data.copy()
            self.data["weeks"], self.data["end"] = str(data["weeks"]), data["end"].id
        return data

    def query(self, **changes) -> str:
        """The query string of these parameters with `changes` (a None value drops a key)."""
        params = QueryDict(mutable=True)
        params["weeks"] = self.cleaned_data["weeks"]
        params["end"] = self.cleaned_data["end"].id
        if self.cleaned_data.get("all"):
            params["all"] = "1"
        for key, value in changes.items():
            if value is None:
                params.pop(key, None)
            else:
                params[key] = value
        return params.urlencode()


def last_week_start():
    return stats.Week.current().previous().start


class SummaryParams(forms.Form):
    """Which summary: its kind and a day of its week or month (the unit comes apart, so that a
    unit outside the scope is a 404, not a form error)."""

    kind = forms.ChoiceField(label=gettext_lazy("Kỳ báo cáo"), choices=Summary.Kind.choices)
    start = forms.DateField(
        label=gettext_lazy("Một ngày trong kỳ"),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("Một ngày bất kỳ trong tuần hoặc tháng cần báo cáo."),
    )

    def clean(self):
        data = super().clean()
        if not self.errors:
            data["span"] = summary.span_of(data["kind"], data["start"])
            data["start"] = data["span"].start
        return data

    def query(self, unit) -> str:
        params = QueryDict(mutable=True)
        params["unit"] = unit.pk
        params["kind"] = self.cleaned_data["kind"]
        params["start"] = self.cleaned_data["start"].isoformat()
        return params.urlencode()


class SummaryCompose(SummaryParams):
    """The "Soạn báo cáo tuần/tháng" form of the summaries page: the unit among the user's."""

    unit = forms.TypedChoiceField(label=gettext_lazy("Đơn vị"), coerce=int)
    field_order = ["unit", "kind", "start"]

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]
        if not self.is_bound:
            self.initial.setdefault("kind", Summary.Kind.WEEK)
            self.initial.setdefault("start", last_week_start())


class SummaryTextForm(forms.Form):
    symbol = forms.CharField(
        label=gettext_lazy("Số, ký hiệu"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"placeholder": "12-BC/BTGDVTU"}),
        help_text=gettext_lazy("Để trống nếu chưa cấp số: file Word để sẵn chỗ ghi số."),
    )
    text = forms.CharField(
        label=gettext_lazy("Nội dung báo cáo"),
        widget=forms.Textarea(attrs={"rows": 24, "class": "summary-text"}),
        help_text=gettext_lazy(
            "Mỗi dòng là một đoạn; dòng bắt đầu bằng số La Mã (I., II., …) là đề mục."
        ),
    )

    def clean_text(self) -> str:
        text = "\n".join(line.rstrip() for line in self.cleaned_data["text"].splitlines())
        if not text.strip():
            raise forms.ValidationError(_("Hãy nhập nội dung báo cáo."))
        return text.strip()
