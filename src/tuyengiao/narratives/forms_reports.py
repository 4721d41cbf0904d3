"""Forms of the narrative reports' pages: which period to write, the number to send it with."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tuyengiao.periods import Period

from .models import NarrativeReport


class NewReportForm(forms.Form):
    period = forms.CharField(
        label=_("Kỳ báo cáo"),
        max_length=7,
        help_text=_("Như 2026, 2026S1, 2026Q3 hoặc 2026-11."),
    )

    def clean_period(self):
        try:
            return Period.parse(self.cleaned_data["period"])
        except ValueError as exc:
            raise ValidationError(str(exc), code="period") from None


class SendForm(forms.Form):
    number = forms.CharField(
        label=_("Số báo cáo"),
        max_length=NarrativeReport._meta.get_field("number").max_length,
        help_text=_("Như 12-BC/BTGDVTU, hoặc chỉ số 12."),
    )
