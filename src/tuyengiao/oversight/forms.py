"""The forms of the oversight pages. They read what was typed; the rules are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tuyengiao.org.forms import VnDateField
from tuyengiao.org.models import Unit

from .models import DelegationRole, FindingKind, InspectionKind, WorkArea

MONTHS = [(m, _("Tháng %(m)s") % {"m": m}) for m in range(1, 13)]


def _textarea(rows: int = 3):
    return forms.Textarea(attrs={"rows": rows})


class UnitsField(forms.ModelMultipleChoiceField):
    """Units ticked from a short list (the children of the inspecting unit)."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, unit: Unit) -> str:
        return unit.name


class PlanForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    title = forms.CharField(
        label=_("Tên kế hoạch"),
        max_length=300,
        required=False,
        help_text=_("Bỏ trống: “Kế hoạch kiểm tra, giám sát năm …”."),
    )


class PlanItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Hình thức"), choices=InspectionKind.choices)
    units = UnitsField(label=_("Đơn vị được kiểm tra, giám sát"), queryset=Unit.objects.none())
    content = forms.CharField(label=_("Nội dung"), widget=_textarea())
    planned_month = forms.TypedChoiceField(label=_("Tháng dự kiến"), choices=MONTHS, coerce=int)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units


class InspectionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Hình thức"), choices=InspectionKind.choices)
    plan_item = forms.ModelChoiceField(
        label=_("Theo kế hoạch"),
        queryset=None,
        required=False,
        empty_label=_("— Ngoài kế hoạch —"),
    )
    title = forms.CharField(label=_("Tên cuộc kiểm tra, giám sát"), max_length=300)
    content = forms.CharField(label=_("Nội dung"), widget=_textarea(4))
    units = UnitsField(label=_("Đơn vị được kiểm tra, giám sát"), queryset=Unit.objects.none())
    starts_on = VnDateField(label=_("Ngày bắt đầu"))
    ends_on = VnDateField(label=_("Ngày kết thúc"))
    extended = forms.BooleanField(
        label=_("Kéo dài thời gian (thêm không quá một phần ba)"), required=False
    )
    extension_reason = forms.CharField(
        label=_("Lý do kéo dài"), widget=_textarea(2), required=False
    )
    period_from = VnDateField(
        label=_("Thời kỳ được kiểm tra: từ ngày"),
        required=False,
        help_text=_("Tối đa 5 năm đã qua."),
    )
    period_to = VnDateField(label=_("đến ngày"), required=False)
    decision = forms.CharField(
        label=_("Số, ký hiệu quyết định thành lập đoàn"),
        max_length=64,
        required=False,
        help_text=_("Ví dụ: 15-QĐ/BTGDVTU. Có thể nhập khi công bố."),
    )
    decision_issued_on = VnDateField(label=_("Ngày ký quyết định"), required=False)
    members = forms.CharField(
        label=_("Thành phần đoàn"),
        widget=_textarea(4),
        required=False,
        help_text=_(
            "Mỗi dòng một người: họ và tên; chức vụ; nhiệm vụ trong đoàn (Trưởng đoàn, Phó "
            "Trưởng đoàn, Thành viên, Thư ký). Chỉ ghi họ tên và chức vụ."
        ),
    )

    def __init__(self, *args, units, plan_items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units
        self.fields["plan_item"].queryset = plan_items

    def clean_members(self):
        """ "Nguyễn Văn An; Phó Trưởng Ban; Trưởng đoàn" lines, as MemberInputs."""
        from .services import MemberInput

        duties = {label.lower(): value for value, label in DelegationRole.choices}
        members = []
        for number, line in enumerate(self.cleaned_data["members"].splitlines(), start=1):
            parts = [p.strip() for p in line.split(";")]
            if not parts[0]:
                continue
            duty = DelegationRole.MEMBER
            if len(parts) > 2 and parts[2]:
                duty = duties.get(parts[2].lower())
                if duty is None:
                    raise forms.ValidationError(
                        _("Dòng %(n)s: nhiệm vụ “%(duty)s” không có; hãy ghi một trong: %(all)s.")
                        % {
                            "n": number,
                            "duty": parts[2],
                            "all": ", ".join(str(label) for _v, label in DelegationRole.choices),
                        }
                    )
            members.append(MemberInput(parts[0], parts[1] if len(parts) > 1 else "", duty))
        return members


def members_text(inspection) -> str:
    """The delegation as the form's lines (to edit it)."""
    return "\n".join(
        f"{m.full_name}; {m.position}; {m.get_duty_display()}" for m in inspection.members.all()
    )


class InspectionEditForm(InspectionForm):
    """Dates (an extension), period, texts and delegation of an inspection under way."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, units=Unit.objects.none(), plan_items=None, **kwargs)
        for name in ("kind", "plan_item", "units", "decision", "decision_issued_on"):
            del self.fields[name]


class AnnounceForm(forms.Form):
    self_report_due_on = VnDateField(label=_("Hạn nộp báo cáo tự kiểm tra"))
    decision = forms.CharField(
        label=_("Số, ký hiệu quyết định thành lập đoàn"), max_length=64, required=False
    )
    decision_issued_on = VnDateField(label=_("Ngày ký quyết định"), required=False)


class SelfReportForm(forms.Form):
    self_report = forms.FileField(label=_("Báo cáo tự kiểm tra (PDF, Word; tối đa 20 MB)"))


class RecordForm(forms.Form):
    conducted_on = VnDateField(label=_("Ngày làm việc"))
    record_text = forms.CharField(label=_("Biên bản làm việc"), widget=_textarea(6), required=False)
    record_file = forms.FileField(label=_("Tệp biên bản (PDF, Word; tối đa 20 MB)"), required=False)


class ConclusionForm(forms.Form):
    notice = forms.CharField(
        label=_("Số, ký hiệu thông báo kết luận"),
        max_length=64,
        help_text=_("Ví dụ: 20-TB/BTGDVTU."),
    )
    notice_issued_on = VnDateField(label=_("Ngày ban hành"))
    results = forms.CharField(label=_("Đánh giá chung"), widget=_textarea(4), required=False)


class FindingForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Đơn vị"), queryset=Unit.objects.none(), empty_label=None)
    kind = forms.ChoiceField(
        label=_("Loại"), choices=FindingKind.choices, initial=FindingKind.SHORTCOMING
    )
    area = forms.ModelChoiceField(
        label=_("Lĩnh vực công tác"), queryset=WorkArea.objects.none(), required=False
    )
    text = forms.CharField(label=_("Nội dung"), widget=_textarea(2), required=False)

    def __init__(self, *args, units, areas, area_labels=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["area"].queryset = areas
        if area_labels:
            self.fields["area"].label_from_instance = lambda a: area_labels.get(a.pk, a.name)

    def has_changed(self) -> bool:
        # A row counts only when its text is written: the unit and the kind are preselected.
        return bool((self.data.get(self.add_prefix("text")) or "").strip())


class RecommendationForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Đơn vị thực hiện"), queryset=Unit.objects.none(), empty_label=None
    )
    area = forms.ModelChoiceField(
        label=_("Lĩnh vực công tác"), queryset=WorkArea.objects.none(), required=False
    )
    text = forms.CharField(label=_("Nội dung kiến nghị"), widget=_textarea(2), required=False)
    due_on = VnDateField(label=_("Hạn thực hiện"), required=False)

    def __init__(self, *args, units, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["area"].queryset = areas

    def has_changed(self) -> bool:
        return bool((self.data.get(self.add_prefix("text")) or "").strip())

    def clean(self):
        data = super().clean()
        if (data.get("text") or "").strip() and not data.get("due_on"):
            self.add_error("due_on", _("Hãy nhập hạn thực hiện kiến nghị."))
        return data


class BaseRows(forms.BaseFormSet):
    """Rows of a conclusion: blank ones (no text) are left out."""

    def __init__(self, *args, row_kwargs, **kwargs):
        self.row_kwargs = row_kwargs
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return dict(self.row_kwargs)

    def filled(self) -> list[dict]:
        return [f.cleaned_data for f in self.forms if f.has_changed() and f.cleaned_data]


FindingRows = forms.formset_factory(
    FindingForm, formset=BaseRows, extra=0, max_num=60, absolute_max=60, validate_max=True
)
RecommendationRows = forms.formset_factory(
    RecommendationForm, formset=BaseRows, extra=0, max_num=40, absolute_max=40, validate_max=True
)


class ReportForm(forms.Form):
    report_text = forms.CharField(label=_("Kết quả thực hiện"), widget=_textarea(5))
    evidence = forms.FileField(
        label=_("Tài liệu chứng minh (PDF, Word; tối đa 20 MB)"),
        required=False,
        help_text=_("Bắt buộc; khi báo cáo lại có thể giữ tài liệu đã gửi."),
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Lý do trả lại"), widget=_textarea(3))


class SettingsForm(forms.Form):
    recurrence_years = forms.IntegerField(
        label=_("Số năm xét hạn chế lặp lại"), min_value=1, max_value=10
    )
