"""The collaborator's report form (phiếu phản ánh). The rules — privacy, scope, photos, sending
once — stay in services.report_submit; the form only reads what was typed.

There is no field for a citizen: the form asks what is being said and where, never by whom.
"""

from django import forms
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _

from tuyengiao.org.models import STEP, Unit
from tuyengiao.org.queries import home_unit, tree_ordered, units_for
from tuyengiao.org.scope import Action

from .models import Mood, Source, Spread, Topic, Urgency

# The place list goes this many levels below the user's unit, fewer when that makes it too long
# for a phone (a province has a hundred communes and thousands of cells under them).
PLACE_LEVELS = 2
PLACE_LIMIT = 250


class MultiplePhotoInput(forms.FileInput):
    allow_multiple_selected = True


class PhotoField(forms.FileField):
    """Several photos in one input; the service re-encodes them and checks their number."""

    def __init__(self, **kwargs):
        # No `capture` attribute: a phone then offers the camera and the gallery both.
        widget = MultiplePhotoInput(attrs={"accept": "image/*", "multiple": True})
        super().__init__(widget=widget, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(PhotoField, self).clean(f, initial) for f in files]


def place_choices(user, base: Unit, chosen: Unit | None = None) -> list[tuple[int, str]]:
    """The user's unit and the units a level or two below it, indented by depth, sister units
    in Vietnamese alphabetical order."""
    below = units_for(user, Action.REPORT_CONCERN).active().subtree(base)
    below = below.alias(path_len=Length("path")).order_by("path")
    for levels in range(PLACE_LEVELS, 0, -1):
        units = list(below.filter(path_len__lte=(base.depth + levels) * STEP)[: PLACE_LIMIT + 1])
        if len(units) <= PLACE_LIMIT:
            break
    units = units[:PLACE_LIMIT]
    if chosen is not None and chosen not in units:
        units.append(chosen)  # a deeper unit sent by hand stays shown when the page is redrawn
    units = tree_ordered(units)
    return [(u.pk, "\u00a0\u00a0\u00a0" * max(u.depth - base.depth, 0) + u.name) for u in units]


class ReportForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Địa bàn"),
        queryset=Unit.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Hãy chọn một địa bàn trong phạm vi của bạn.")},
    )
    topic = forms.ModelChoiceField(
        label=_("Lĩnh vực"),
        queryset=Topic.objects.filter(active=True),
        empty_label=_("— Chọn lĩnh vực —"),
        error_messages={"invalid_choice": _("Hãy chọn một lĩnh vực trong danh sách.")},
    )
    title = forms.CharField(
        label=_("Tiêu đề ngắn"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    content = forms.CharField(
        label=_("Người dân đang nói gì"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    spread = forms.ChoiceField(
        label=_("Mức độ lan rộng"), choices=Spread.choices, widget=forms.RadioSelect
    )
    mood = forms.ChoiceField(
        label=_("Tâm trạng chung"), choices=Mood.choices, widget=forms.RadioSelect
    )
    source = forms.ChoiceField(
        label=_("Nghe được ở đâu"), choices=Source.choices, widget=forms.RadioSelect
    )
    urgency = forms.TypedChoiceField(
        label=_("Mức độ khẩn"),
        choices=Urgency.choices,
        coerce=int,
        initial=Urgency.NORMAL,
        widget=forms.RadioSelect,
    )
    photos = PhotoField(label=_("Ảnh (không bắt buộc)"), required=False)
    client_id = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.base = home_unit(user)
        self.fields["unit"].queryset = units_for(user, Action.REPORT_CONCERN).active()
        if self.base is not None:
            self.fields["unit"].initial = self.base.pk

    def render_places(self) -> None:
        """Draw a short list of places; validation still accepts any unit of the scope."""
        chosen = self.cleaned_data.get("unit") if hasattr(self, "cleaned_data") else None
        choices = place_choices(self.user, self.base, chosen) if self.base else []
        self.fields["unit"].widget.choices = choices

    def submission(self) -> dict:
        """The cleaned fields as services.report_submit takes them."""
        data = dict(self.cleaned_data)
        data["client_id"] = data.get("client_id") or None
        data["photos"] = data.get("photos") or []
        return data
