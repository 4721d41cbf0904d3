from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tuyengiao.core.files import FileRefused

from .reading import MAX_CHARS, upload_text


class ReadForm(forms.Form):
    """Pasted text or a Word document (the document wins when both are given)."""

    content = forms.CharField(
        label=_("Dán văn bản"),
        required=False,
        max_length=MAX_CHARS,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Báo cáo của đơn vị, bản tin… (tối đa 200.000 ký tự)."),
    )
    document = forms.FileField(
        label=_("Hoặc chọn tệp Word (.docx, tối đa 5 MB)"),
        required=False,
    )

    def clean_document(self):
        file = self.cleaned_data.get("document")
        if not file:
            return ""
        try:
            return upload_text(file)
        except FileRefused as exc:
            raise ValidationError(str(exc), code="file") from None

    def clean(self):
        data = super().clean()
        text = data.get("document") or data.get("content") or ""
        if not self.errors and not text.strip():
            raise ValidationError(_("Hãy dán văn bản hoặc chọn tệp Word để đọc."), code="empty")
        data["text"] = text
        return data
