from django import forms
from django.utils.translation import gettext_lazy as _

from tuyengiao.org.forms import VnDateField


class CompleteForm(forms.Form):
    done_on = VnDateField(label=_("Ngày hoàn thành"))
    note = forms.CharField(
        label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Lý do mở lại"), widget=forms.Textarea(attrs={"rows": 2}))
