"""The forms of the training pages. They read what was typed; the rules are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tuyengiao.org.forms import VnDateField
from tuyengiao.org.models import Unit

from .models import CentreKind


class UnitsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, unit: Unit) -> str:
        return unit.name


class CentreForm(forms.Form):
    name = forms.CharField(label=_("Tên trung tâm"), max_length=200)
    kind = forms.ChoiceField(label=_("Loại"), choices=CentreKind.choices)
    served = UnitsField(
        label=_("Xã, phường, đặc khu phục vụ"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Trường chính trị tỉnh phục vụ mọi xã, phường, đặc khu của tỉnh."),
    )
    active = forms.BooleanField(label=_("Đang hoạt động"), required=False, initial=True)

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["served"].queryset = communes


class ClassForm(forms.Form):
    centre = forms.ModelChoiceField(label=_("Trung tâm"), queryset=None)
    programme = forms.ModelChoiceField(label=_("Chương trình"), queryset=None)
    title = forms.CharField(label=_("Tên lớp"), max_length=200, required=False)
    communes = UnitsField(label=_("Học viên đến từ"), queryset=Unit.objects.none())
    opened_on = VnDateField(label=_("Ngày khai giảng"))
    closed_on = VnDateField(
        label=_("Ngày bế giảng"), required=False, help_text=_("Bỏ trống khi lớp đang học.")
    )
    enrolled = forms.IntegerField(label=_("Số học viên nhập học"), min_value=1, max_value=1_000_000)
    completed = forms.IntegerField(
        label=_("Số học viên hoàn thành"),
        min_value=0,
        max_value=1_000_000,
        required=False,
        help_text=_("Nhập khi lớp đã bế giảng."),
    )
    confirm_small = forms.BooleanField(
        label=_("Vẫn lưu lớp dưới 25 học viên"), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, centres, programmes, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = centres
        self.fields["programme"].queryset = programmes
        self.fields["communes"].queryset = communes

    def ask_to_confirm(self, minimum: int) -> None:
        """Show the checkbox that confirms a class below the programme's minimum."""
        field = self.fields["confirm_small"]
        field.widget = forms.CheckboxInput()
        field.label = _("Vẫn lưu lớp dưới %(n)d học viên") % {"n": minimum}


class PlanGridForm(forms.Form):
    """Classes and learners planned for each programme of a year (two fields a programme)."""

    def __init__(self, *args, programmes, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for programme in programmes:
            plan = plans.get(programme.pk)
            classes = forms.IntegerField(
                label=_("Số lớp"),
                min_value=0,
                max_value=1_000_000,
                required=False,
                initial=plan.classes_planned if plan else None,
            )
            learners = forms.IntegerField(
                label=_("Số học viên"),
                min_value=0,
                max_value=1_000_000,
                required=False,
                initial=plan.learners_planned if plan else None,
            )
            self.fields[f"classes_planned_{programme.pk}"] = classes
            self.fields[f"learners_planned_{programme.pk}"] = learners
            self.rows.append(programme)

    def grid(self):
        for programme in self.rows:
            yield (
                programme,
                self[f"classes_planned_{programme.pk}"],
                self[f"learners_planned_{programme.pk}"],
            )

    def entries(self) -> dict:
        data = self.cleaned_data
        return {
            p: (
                data.get(f"classes_planned_{p.pk}") or 0,
                data.get(f"learners_planned_{p.pk}") or 0,
            )
            for p in self.rows
        }
