from django import forms
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from tuyengiao.org.forms import VnDateField

from .models import AuditAction


def kinds() -> list[tuple[str, str]]:
    """The kinds of object of our own apps, by their Vietnamese names."""
    ours = [m for m in apps.get_models() if m.__module__.startswith("tuyengiao.")]
    types = ContentType.objects.get_for_models(*ours).values()
    named = sorted((str(ct.name).capitalize(), str(ct.pk)) for ct in types)
    return [(pk, name) for name, pk in named]


class AuditFilter(forms.Form):
    who = forms.CharField(
        label=_("Người thực hiện"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Họ tên hoặc tên đăng nhập")}),
    )
    kind = forms.ChoiceField(label=_("Loại đối tượng"), required=False)
    action = forms.ChoiceField(
        label=_("Thao tác"), required=False, choices=[("", _("Tất cả")), *AuditAction.choices]
    )
    start = VnDateField(label=_("Từ ngày"), required=False)
    end = VnDateField(label=_("Đến ngày"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Tất cả")), *kinds()]

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("Đến ngày phải sau hoặc bằng từ ngày."))
        return data
