"""Forms of the definition pages: indicators, report forms (data sets) and validation rules.

They read what the administrator typed; every rule about what may be saved lives in
figures/services.py (and the models' clean), whose errors the views show beside the fields.
"""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from tuyengiao.org.models import Kind, Level
from tuyengiao.periods import Period
from tuyengiao.text.numbers import parse_number

from .models import DataSet, Indicator, PeriodKind, ValidationRule, ValueType

SECTION_MARK = "#"


class VnDecimalField(forms.CharField):
    """A number typed the Vietnamese way ("1,5", "100")."""

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return parse_number(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            text = format(value.normalize(), "f")
            return text.replace(".", ",")
        return value


def _numeric():
    return Indicator.objects.exclude(value_type=ValueType.TEXT)


class IndicatorForm(forms.ModelForm):
    factor = VnDecimalField(
        label=_("hệ số"),
        required=False,
        help_text=_("Chỉ tiêu tính toán = tử số ÷ mẫu số × hệ số (thường là 100 để ra %)."),
    )

    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "measure",
            "value_type",
            "aggregation",
            "planned",
            "numerator",
            "denominator",
            "factor",
            "source",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "source": forms.Select}
        help_texts = {
            "code": _("Chữ in hoa không dấu, chữ số và dấu gạch dưới, ví dụ HV_DANGKY."),
            "measure": _("Ví dụ: lớp, người, lượt, buổi, %."),
            "numerator": _("Chỉ điền với chỉ tiêu tính toán (không nhập trực tiếp)."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        others = _numeric()
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["planned"].queryset = others.filter(numerator__isnull=True)
        self.fields["numerator"].queryset = others
        self.fields["denominator"].queryset = others
        if self.instance.pk is None:
            self.initial.setdefault("factor", Decimal(100))
        from .sources import choices

        self.fields["source"].widget.choices = [("", _("— nhập tay —")), *choices()]
        self.fields["source"].help_text = _(
            "Chỉ tiêu đếm từ hồ sơ: giá trị được đếm tự động, đơn vị không nhập."
        )

    def clean_code(self):
        return (self.cleaned_data.get("code") or "").strip().upper()

    def clean_factor(self):
        factor = self.cleaned_data.get("factor")
        return Decimal(100) if factor is None else factor

    def clean(self):
        data = super().clean()
        numerator, denominator = data.get("numerator"), data.get("denominator")
        if numerator and not denominator:
            self.add_error("denominator", _("Chỉ tiêu tính toán cần cả tử số và mẫu số."))
        elif denominator and not numerator:
            self.add_error("numerator", _("Chỉ tiêu tính toán cần cả tử số và mẫu số."))
        return data

    def _post_clean(self):
        if self.has_error("numerator") or self.has_error("denominator"):
            return  # explained beside the fields; the model's check would repeat it above
        super()._post_clean()


class DataSetForm(forms.Form):
    """A report form; its indicators are typed one per line, "# …" lines start a section."""

    code = forms.CharField(label=_("Mã biểu"), max_length=32, help_text=_("Ví dụ: BM01."))
    name = forms.CharField(label=_("Tên biểu mẫu"), max_length=255)
    period_kind = forms.ChoiceField(label=_("Kỳ báo cáo"), choices=PeriodKind.choices)
    levels = forms.MultipleChoiceField(
        label=_("Cấp báo cáo"), choices=Level.choices, widget=forms.CheckboxSelectMultiple
    )
    kinds = forms.MultipleChoiceField(
        label=_("Loại đơn vị báo cáo"),
        choices=Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Để trống: mọi loại đơn vị ở các cấp đã chọn."),
    )
    first_period = forms.CharField(
        label=_("Báo cáo từ kỳ"),
        max_length=16,
        help_text=_("Tháng: 2026-01; quý: 2026Q1; 6 tháng: 2026S1; năm: 2026."),
    )
    due_days = forms.IntegerField(
        label=_("Hạn nộp: số ngày sau khi hết kỳ"), min_value=0, max_value=366, initial=5
    )
    lock_days = forms.IntegerField(
        label=_("Khoá số liệu: số ngày sau khi hết kỳ"),
        min_value=0,
        max_value=3660,
        initial=30,
        help_text=_("Sau ngày này chỉ cấp trên mở khoá (ghi lý do) mới sửa được."),
    )
    active = forms.BooleanField(label=_("Đang áp dụng"), required=False, initial=True)
    indicators = forms.CharField(
        label=_("Chỉ tiêu của biểu, theo thứ tự"),
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false", "class": "codes"}),
        help_text=_(
            "Mỗi dòng một mã chỉ tiêu (phần sau mã chỉ để đọc). "
            "Dòng bắt đầu bằng # là tiêu đề mục, ví dụ: # I. Học tập nghị quyết."
        ),
    )

    @classmethod
    def initial_for(cls, data_set: DataSet) -> dict:
        lines, section = [], ""
        for row in data_set.rows.select_related("indicator"):
            if row.section and row.section != section:
                lines.append(f"{SECTION_MARK} {row.section}")
            section = row.section
            lines.append(f"{row.indicator.code} — {row.indicator.name}")
        return {
            "code": data_set.code,
            "name": data_set.name,
            "period_kind": data_set.period_kind,
            "levels": data_set.levels,
            "kinds": data_set.kinds,
            "first_period": data_set.first_period,
            "due_days": data_set.due_days,
            "lock_days": data_set.lock_days,
            "active": data_set.active,
            "indicators": "\n".join(lines),
        }

    def clean_code(self):
        return self.cleaned_data["code"].strip()

    def clean_first_period(self):
        try:
            return Period.parse(self.cleaned_data["first_period"]).id
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean(self):
        data = super().clean()
        due, lock = data.get("due_days"), data.get("lock_days")
        if due is not None and lock is not None and lock < due:
            self.add_error("lock_days", _("Ngày khoá số liệu không thể trước hạn nộp."))
        first, kind = data.get("first_period"), data.get("period_kind")
        if first and kind and Period.parse(first).kind != kind:
            self.add_error("first_period", _("Kỳ bắt đầu phải cùng loại với kỳ báo cáo của biểu."))
        return data

    def clean_indicators(self):
        """[(indicator, section)] in order; each row belongs to the last heading above it."""
        wanted, section = [], ""
        for line in self.cleaned_data["indicators"].splitlines():
            line = line.strip()
            if not line:
                continue
            if line.startswith(SECTION_MARK):
                section = line.lstrip(SECTION_MARK).strip()[:255]
                continue
            wanted.append((line.split()[0].upper().rstrip(".,;:—–-"), section))
        if not wanted:
            raise forms.ValidationError(_("Biểu mẫu cần ít nhất một chỉ tiêu."))
        codes = [code for code, _section in wanted]
        twice = sorted({code for code in codes if codes.count(code) > 1})
        if twice:
            raise forms.ValidationError(
                _("Chỉ tiêu có mặt hai lần: %(codes)s.") % {"codes": ", ".join(twice)}
            )
        found = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise forms.ValidationError(
                _("Chưa có chỉ tiêu mã: %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        return [(found[code], section) for code, section in wanted]

    def apply_to(self, data_set: DataSet) -> tuple[list[Indicator], dict[str, str]]:
        """Copy the cleaned fields onto the data set; the indicators and their sections."""
        data = self.cleaned_data
        for name in (
            "code",
            "name",
            "period_kind",
            "levels",
            "kinds",
            "first_period",
            "due_days",
            "lock_days",
            "active",
        ):
            setattr(data_set, name, data[name])
        rows = data["indicators"]
        return [i for i, _s in rows], {i.code: section for i, section in rows}


class RuleForm(forms.ModelForm):
    class Meta:
        model = ValidationRule
        fields = ["left", "operator", "right", "missing", "message"]
        help_texts = {
            "left": _("Mã chỉ tiêu, số và + − × ÷ ( ), ví dụ HV_DANGKY."),
            "right": _("Ví dụ: HV_CHITIEU * 1,5."),
            "message": _("Hiện bên cạnh ô nhập khi số liệu vi phạm quy tắc."),
        }
