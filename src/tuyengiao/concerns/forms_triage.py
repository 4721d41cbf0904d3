"""Forms of the office's triage and follow-up pages. Every rule stays in services.py: these only
read what was typed, and the choices they list are already limited to the user's scope."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuyengiao.org.forms import UnitChoiceField, VnDateField
from tuyengiao.org.queries import without_cells

from .models import Concern, ConcernReport, ResponsibleBody, State, Topic, Urgency
from .queries import CLOSED, OPEN

FORWARD_DAYS = 15  # the default time a responsible body has to answer

TEXT = {"rows": 3, "maxlength": 4000}


def _topics():
    return Topic.objects.filter(active=True)


# --- filters --------------------------------------------------------------------------------


class TriageFilterForm(forms.Form):
    topic = forms.ModelChoiceField(
        label=_("Lĩnh vực"), queryset=Topic.objects.all(), required=False, empty_label=_("Tất cả")
    )
    unit = UnitChoiceField(label=_("Địa bàn"), required=False, empty_label=_("Tất cả"))
    urgency = forms.TypedChoiceField(
        label=_("Mức độ khẩn"),
        choices=[("", _("Tất cả")), *reversed(Urgency.choices)],
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].set_units(without_cells(units))


class ConcernFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Trạng thái"),
        choices=[
            ("", _("Tất cả")),
            (OPEN, _("Đang xử lý")),
            (CLOSED, _("Đã đóng")),
            *State.choices,
        ],
        required=False,
    )
    topic = forms.ModelChoiceField(
        label=_("Lĩnh vực"), queryset=Topic.objects.all(), required=False, empty_label=_("Tất cả")
    )
    unit = UnitChoiceField(label=_("Địa bàn"), required=False, empty_label=_("Tất cả"))
    overdue = forms.BooleanField(label=_("Quá hạn trả lời"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].set_units(without_cells(units))


# --- triage of one report -------------------------------------------------------------------


class OpenConcernForm(forms.Form):
    """Open a new concern for the report (and the similar new reports ticked beside it)."""

    OUTCOMES = [
        (State.ACKNOWLEDGED.value, _("Tiếp nhận để xử lý")),
        (State.NOT_OUR_REMIT.value, _("Đóng ngay: không thuộc thẩm quyền")),
        (State.NO_ACTION.value, _("Đóng ngay: không cần xử lý")),
    ]

    title = forms.CharField(label=_("Tiêu đề vấn đề"), max_length=200)
    topic = forms.ModelChoiceField(label=_("Lĩnh vực"), queryset=Topic.objects.none())
    description = forms.CharField(
        label=_("Tóm tắt"), required=False, widget=forms.Textarea(attrs=TEXT)
    )
    state = forms.ChoiceField(
        label=_("Xử lý ban đầu"),
        choices=OUTCOMES,
        initial=State.ACKNOWLEDGED.value,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Ghi chú (lý do khi đóng ngay)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 4000}),
    )
    also = forms.ModelMultipleChoiceField(
        label=_("Cùng mở cho các phản ánh tương tự"),
        queryset=ConcernReport.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, similar, **kwargs):
        """`similar`: the untriaged reports that may be ticked (already in scope)."""
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = _topics()
        self.fields["also"].queryset = similar


class AttachForm(forms.Form):
    concern = forms.ModelChoiceField(label=_("Vấn đề"), queryset=Concern.objects.none())

    def __init__(self, *args, concerns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["concern"].queryset = concerns
        self.fields["concern"].error_messages["invalid_choice"] = _(
            "Không tìm thấy vấn đề này trong phạm vi của bạn."
        )


# --- actions on a concern -------------------------------------------------------------------


class BodyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} — {obj.unit.name}"


class ForwardForm(forms.Form):
    """To a body of the unit's list (or of a unit above), or to a unit below: one of the two."""

    body = BodyChoiceField(
        label=_("Cơ quan, đoàn thể"), queryset=ResponsibleBody.objects.none(), required=False
    )
    responsible = UnitChoiceField(label=_("hoặc đơn vị cấp dưới"), required=False)
    due_on = VnDateField(label=_("Hạn trả lời"))
    note = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, units, bodies=None, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("due_on", timezone.localdate() + timedelta(days=FORWARD_DAYS))
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = (
            bodies if bodies is not None else ResponsibleBody.objects.none()
        )
        self.fields["responsible"].set_units(without_cells(units))

    def clean(self):
        data = super().clean()
        if not self.errors and (data.get("body") is None) == (data.get("responsible") is None):
            raise forms.ValidationError(_("Chọn một cơ quan hoặc một đơn vị để chuyển."))
        return data


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Nội dung trả lời"), required=False, widget=forms.Textarea(attrs=TEXT)
    )


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("Kết quả giải quyết"), required=False, widget=forms.Textarea(attrs=TEXT)
    )


class CloseForm(forms.Form):
    """Close without action: not our remit, or no action needed (the note says why)."""

    state = forms.ChoiceField(label=_("Đóng vì"), choices=[], widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Lý do"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, states, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [(s.value, s.label) for s in states]
        if states:
            self.fields["state"].initial = states[0].value


class DuplicateForm(forms.Form):
    duplicate_of = forms.ModelChoiceField(label=_("Vấn đề gốc"), queryset=Concern.objects.none())
    note = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, concerns, **kwargs):
        """`concerns`: every concern that may be the original (the page lists a few)."""
        super().__init__(*args, **kwargs)
        field = self.fields["duplicate_of"]
        field.queryset = concerns
        field.error_messages["invalid_choice"] = _(
            "Không tìm thấy vấn đề này trong phạm vi của bạn."
        )
        field.error_messages["required"] = _("Chọn vấn đề gốc.")


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class EditForm(forms.Form):
    title = forms.CharField(label=_("Tiêu đề"), max_length=200)
    topic = forms.ModelChoiceField(label=_("Lĩnh vực"), queryset=Topic.objects.none())
    description = forms.CharField(
        label=_("Tóm tắt"), required=False, widget=forms.Textarea(attrs=TEXT)
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = Topic.objects.all()
