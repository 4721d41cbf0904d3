"""Forms of the page of a unit's responsible bodies; the rules stay in bodies.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tuyengiao.org.forms import UnitChoiceField
from tuyengiao.org.queries import without_cells


class BodyAddForm(forms.Form):
    name = forms.CharField(label=_("Tên cơ quan, đoàn thể"), max_length=200)


class BodyEditForm(forms.Form):
    name = forms.CharField(
        label=_("Tên"), max_length=200, widget=forms.TextInput(attrs={"aria-label": _("Tên")})
    )
    active = forms.BooleanField(label=_("Đang dùng"), required=False)


class BodyUnitForm(forms.Form):
    """Which unit's list to open: the user's subtree, but the party cells (they forward none)."""

    unit = UnitChoiceField(label=_("Đơn vị"))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].set_units(without_cells(units))
        self.fields["unit"].widget.attrs["data-autosubmit"] = ""
