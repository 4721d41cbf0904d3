from django import forms
from django.utils.translation import gettext_lazy as _

from tuyengiao.core.params import parse_id
from tuyengiao.org.forms import VnDateField
from tuyengiao.org.models import Kind, Level

from .models import StepKind


class DirectiveForm(forms.Form):
    symbol = forms.CharField(
        label=_("Số và ký hiệu"),
        max_length=120,
        help_text=_("Ví dụ: 01-KL/TW, 05 CT/TW, Chỉ thị số 05-CT/TW."),
    )
    issued_on = VnDateField(label=_("Ngày ban hành"))
    title = forms.CharField(label=_("Trích yếu"), max_length=500)
    summary = forms.CharField(
        label=_("Tóm tắt nội dung"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    attachment = forms.FileField(label=_("Tệp văn bản (PDF, Word; tối đa 20 MB)"), required=False)


LEVELS_SENT_TO = [Level.PROVINCE, Level.COMMUNE, Level.CELL]


class SenderForm(forms.Form):
    """Which of the user's units sends (a GET form above the send form: the units offered to
    pick from are that unit's subtree)."""

    sender = forms.ModelChoiceField(
        label=_("Đơn vị gửi"),
        queryset=None,
        empty_label=None,
        widget=forms.Select(attrs={"data-autosubmit": ""}),
    )

    def __init__(self, *args, senders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sender"].queryset = senders


class SendForm(forms.Form):
    sender = forms.ModelChoiceField(queryset=None, widget=forms.HiddenInput)
    levels = forms.MultipleChoiceField(
        label=_("Gửi tới các cấp"),
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    kinds = forms.MultipleChoiceField(
        label=_("Loại đơn vị"),
        choices=Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        initial=[Kind.COMMITTEE, Kind.CELL],
    )
    # Rendered by the page as a tree of checkboxes (directives/_receiver_picker.html).
    receivers = forms.ModelMultipleChoiceField(
        label=_("Hoặc chọn từng đơn vị"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sent_on = VnDateField(label=_("Ngày gửi"))
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=500)

    def __init__(self, *args, senders, sender, receivers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sender"].queryset = senders
        self.fields["receivers"].queryset = receivers
        # Only the levels below the sender's own: a unit never sends to its own level.
        below = Level.values[Level.values.index(sender.level) + 1 :]
        self.fields["levels"].choices = [(lv, lv.label) for lv in LEVELS_SENT_TO if lv in below]
        for kind, label in StepKind.choices:
            self.fields[f"step_{kind}"] = forms.BooleanField(label=label, required=False)
            self.fields[f"due_{kind}"] = VnDateField(label=_("Hạn"), required=False)
            self.fields[f"due_{kind}"].widget.attrs["aria-label"] = _("Hạn: %s") % label
            self.fields[f"after_{kind}"] = forms.IntegerField(
                label=_("hoặc sau (ngày/tháng)"), min_value=0, required=False
            )
            self.fields[f"after_{kind}"].widget.attrs["aria-label"] = (
                _("Số ngày hoặc tháng sau khi nhận: %s") % label
            )
            self.fields[f"unit_{kind}"] = forms.ChoiceField(
                label="",
                choices=[("days", _("ngày")), ("months", _("tháng"))],
                required=False,
            )

    def picked(self) -> set[int]:
        """The ids of the units ticked by hand (to tick them again when the page comes back)."""
        return {pk for pk in map(parse_id, self["receivers"].value() or []) if pk}

    def step_rows(self):
        for kind, label in StepKind.choices:
            yield (
                label,
                self[f"step_{kind}"],
                self[f"due_{kind}"],
                self[f"after_{kind}"],
                self[f"unit_{kind}"],
            )

    def clean(self):
        data = super().clean()
        if not data.get("levels") and not data.get("receivers"):
            raise forms.ValidationError(_("Hãy chọn cấp nhận hoặc từng đơn vị nhận."))
        return data


class StepRecordForm(forms.Form):
    done_on = VnDateField(label=_("Ngày thực hiện"))

    FIELDS = {
        StepKind.PLAN: ["own_symbol", "own_issued_on"],
        StepKind.STUDY: ["attendees_cadres", "attendees_members", "expected"],
        StepKind.OUTREACH: ["channels", "audience"],
        StepKind.INTERIM_REVIEW: ["report_text", "report_file"],
        StepKind.FINAL_REVIEW: ["report_text", "report_file"],
        StepKind.REPORT: ["report_text", "report_file"],
    }

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        all_fields = {
            "own_symbol": forms.CharField(
                label=_("Số, ký hiệu kế hoạch của đơn vị"), max_length=64
            ),
            "own_issued_on": VnDateField(label=_("Ngày ban hành kế hoạch"), required=False),
            "attendees_cadres": forms.IntegerField(
                label=_("Số cán bộ dự"), min_value=0, required=False
            ),
            "attendees_members": forms.IntegerField(
                label=_("Số đảng viên dự"), min_value=0, required=False
            ),
            "expected": forms.IntegerField(label=_("Số người phải dự"), min_value=1),
            "channels": forms.CharField(
                label=_("Hình thức tuyên truyền"),
                max_length=255,
                help_text=_("Ví dụ: loa truyền thanh, hội nghị, Zalo"),
            ),
            "audience": forms.IntegerField(
                label=_("Số người được tuyên truyền"), min_value=0, required=False
            ),
            "report_text": forms.CharField(
                label=_("Nội dung báo cáo"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 6}),
            ),
            "report_file": forms.FileField(
                label=_("Tệp báo cáo (PDF, Word; tối đa 20 MB)"), required=False
            ),
        }
        for name in self.FIELDS[StepKind(kind)]:
            self.fields[name] = all_fields[name]
