"""The forms of the Excel pages: which template to download, which file to upload."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from tuyengiao.org import queries as org_queries
from tuyengiao.org.forms import UnitChoiceField
from tuyengiao.periods import Period

from . import excel
from .queries import active_data_sets


class TemplateForm(forms.Form):
    data_set = forms.ModelChoiceField(label=gettext_lazy("Biểu mẫu"), queryset=None)
    unit = UnitChoiceField(
        label=gettext_lazy("Đơn vị"),
        help_text=gettext_lazy("Mẫu gồm các đơn vị phải báo cáo trong đơn vị này."),
    )
    first = forms.CharField(
        label=gettext_lazy("Từ kỳ"),
        max_length=7,
        help_text=gettext_lazy("Mã kỳ như 2026-10 (tháng), 2026Q3 (quý), 2026S1, 2026."),
    )
    last = forms.CharField(
        label=gettext_lazy("Đến kỳ"),
        max_length=7,
        required=False,
        help_text=gettext_lazy("Để trống nếu chỉ một kỳ."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["data_set"].queryset = active_data_sets()
        units = org_queries.without_cells(org_queries.units_for(user), keep=user.unit)
        self.fields["unit"].set_units(units, top=org_queries.home_unit(user))
        self.periods: list[Period] = []

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            self.periods = excel.template_periods(
                data["data_set"], data["first"], data.get("last") or data["first"]
            )
        except ValidationError as exc:
            self.add_error("first", exc)
        return data


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp Excel đã điền (.xlsx, tối đa 5 MB)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
