"""The forms of the conference pages. They read what was typed; the rules are the services'.

The documents presented are named by their number-symbol, one a line, and looked up in the
register of documents the user sees: a province's register holds thousands, too many for a
list to tick."""

from contextlib import suppress

from django import forms
from django.utils.translation import gettext_lazy as _

from tuyengiao.directives.queries import directives_for
from tuyengiao.org.forms import VnDateField
from tuyengiao.text import nfc, parse_symbol

from .models import ConferenceKind

MAX_DOCUMENTS = 30


class ConferenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại hội nghị"), choices=ConferenceKind.choices)
    title = forms.CharField(label=_("Tên hội nghị"), max_length=300)
    held_on = VnDateField(label=_("Ngày tổ chức"))
    participants = forms.IntegerField(
        label=_("Số đại biểu dự"), min_value=0, max_value=10_000_000, required=False
    )
    connected_points = forms.IntegerField(
        label=_("Số điểm cầu trực tuyến"),
        min_value=0,
        max_value=100_000,
        required=False,
        help_text=_("Bỏ trống hoặc 0 nếu hội nghị không tổ chức trực tuyến."),
    )
    documents = forms.CharField(
        label=_("Văn bản được quán triệt, giới thiệu"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Số, ký hiệu của văn bản đã vào sổ, mỗi dòng một văn bản (ví dụ 01-KL/TW)."),
    )
    conclusions = forms.CharField(
        label=_("Kết luận hội nghị"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_documents(self):
        """The documents named, each found in the register the user sees (the newest of that
        symbol), in the order typed."""
        lines = [nfc(line).strip() for line in self.cleaned_data["documents"].splitlines()]
        lines = list(dict.fromkeys(line for line in lines if line))
        if len(lines) > MAX_DOCUMENTS:
            raise forms.ValidationError(
                _("Tối đa %(n)s văn bản.") % {"n": MAX_DOCUMENTS}, code="too_many"
            )
        seen = directives_for(self.user)
        found, missing = [], []
        for line in lines:
            symbols = {line}
            with suppress(ValueError):
                symbols.add(str(parse_symbol(line)))
            document = (
                seen.filter(symbol__in=symbols).order_by("-issued_on", "-id").first()
                or seen.filter(symbol__iexact=line).order_by("-issued_on", "-id").first()
            )
            if document is None:
                missing.append(line)
            elif document not in found:
                found.append(document)
        if missing:
            raise forms.ValidationError(
                _("Không có trong sổ văn bản (trong phạm vi của bạn): %(symbols)s.")
                % {"symbols": "; ".join(missing)},
                code="unknown",
            )
        return found


def documents_text(conference, user) -> str:
    """The documents presented that the user sees, one symbol a line (to edit them)."""
    shown = directives_for(user).filter(pk__in=conference.documents.values("pk"))
    return "\n".join(shown.order_by("-issued_on", "id").values_list("symbol", flat=True))
