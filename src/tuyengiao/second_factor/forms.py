from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Mã xác thực"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class LoginCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Mã xác thực hoặc mã khôi phục"),
        max_length=32,
        help_text=_(
            "Mã 6 chữ số trong ứng dụng xác thực, hoặc một mã khôi phục (dùng được một lần)."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


class DisableForm(forms.Form):
    code = forms.CharField(label=_("Mã xác thực hiện tại"), max_length=32, required=False)
    password = forms.CharField(
        label=_("hoặc mật khẩu"),
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
