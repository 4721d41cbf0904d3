"""The forms of the outreach pages. They read what was typed; the rules are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tuyengiao.concerns.forms import PhotoField
from tuyengiao.org.forms import UnitChoiceField, VnDateField
from tuyengiao.org.models import Unit
from tuyengiao.oversight.models import WorkArea

from .models import OutreachLevel, SessionMode, SpeakerKind


def _textarea(rows: int = 3):
    return forms.Textarea(attrs={"rows": rows})


class UnitsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, unit: Unit) -> str:
        return unit.name


LEVELS = [("", _("— Theo cấp của đơn vị —")), *OutreachLevel.choices]


class SpeakerForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=120)
    position = forms.CharField(
        label=_("Chức vụ"),
        max_length=200,
        required=False,
        help_text=_("Chỉ ghi họ tên và chức vụ; không ghi số điện thoại, số căn cước, e-mail."),
    )
    kind = forms.ChoiceField(label=_("Loại"), choices=SpeakerKind.choices)
    level = forms.ChoiceField(label=_("Cấp"), choices=LEVELS, required=False)
    term = forms.CharField(label=_("Nhiệm kỳ"), max_length=11, help_text=_("Ví dụ: 2025-2030"))
    decision = forms.CharField(
        label=_("Số, ký hiệu quyết định công nhận"),
        max_length=64,
        help_text=_("Ví dụ: 125-QĐ/BTGDVTU"),
    )
    decision_issued_on = VnDateField(label=_("Ngày ban hành quyết định"))
    starts_on = VnDateField(label=_("Ngày bắt đầu"))
    ends_on = VnDateField(label=_("Ngày kết thúc"))
    assigned_units = UnitsField(
        label=_("Địa bàn, chi bộ phụ trách"), queryset=Unit.objects.none(), required=False
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_units"].queryset = units


class SessionForm(forms.Form):
    held_on = VnDateField(label=_("Ngày"))
    unit = UnitChoiceField(label=_("Đơn vị nghe"))
    topic = forms.CharField(label=_("Chủ đề"), max_length=300)
    document = forms.ModelChoiceField(
        label=_("Văn bản được giới thiệu"),
        queryset=None,
        required=False,
        empty_label=_("— Không có —"),
    )
    mode = forms.ChoiceField(label=_("Hình thức"), choices=SessionMode.choices)
    audience = forms.IntegerField(label=_("Số người nghe"), min_value=1)

    def __init__(self, *args, units, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].set_units(units)
        self.fields["document"].queryset = documents
        self.fields["document"].label_from_instance = lambda d: f"{d.symbol} — {d.title[:80]}"


class ModelForm(forms.Form):
    name = forms.CharField(label=_("Tên mô hình, điển hình"), max_length=300)
    area = forms.ModelChoiceField(
        label=_("Lĩnh vực"), queryset=WorkArea.objects.filter(active=True)
    )
    description = forms.CharField(label=_("Mô tả"), widget=_textarea(5), required=False)
    level = forms.ChoiceField(label=_("Cấp công nhận"), choices=LEVELS, required=False)
    decision = forms.CharField(
        label=_("Số, ký hiệu quyết định công nhận"),
        max_length=64,
        help_text=_("Ví dụ: 125-QĐ/BTGDVTU"),
    )
    decision_issued_on = VnDateField(label=_("Ngày công nhận"))
    photos = PhotoField(label=_("Ảnh (không bắt buộc)"), required=False)


class ModelEditForm(forms.Form):
    name = forms.CharField(label=_("Tên mô hình, điển hình"), max_length=300)
    area = forms.ModelChoiceField(label=_("Lĩnh vực"), queryset=WorkArea.objects.all())
    description = forms.CharField(label=_("Mô tả"), widget=_textarea(5), required=False)
    level = forms.ChoiceField(label=_("Cấp công nhận"), choices=OutreachLevel.choices)


class PhotosForm(forms.Form):
    photos = PhotoField(label=_("Ảnh"))


class ReplicationForm(forms.Form):
    unit = UnitChoiceField(label=_("Đơn vị nhân rộng"))
    replicated_on = VnDateField(label=_("Ngày nhân rộng"))
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].set_units(units)


class AttendanceForm(forms.Form):
    speakers = forms.ModelMultipleChoiceField(
        label=_("Báo cáo viên dự hội nghị"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, speakers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["speakers"].queryset = speakers
        self.fields["speakers"].label_from_instance = lambda s: f"{s.full_name} — {s.unit.name}"
