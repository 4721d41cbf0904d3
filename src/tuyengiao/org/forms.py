from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from tuyengiao.core.params import parse_id
from tuyengiao.text import parse_date

from .models import Kind, Level, Role, Unit, User
from .queries import tree_ordered

PICK_LIMIT = 300  # past this many units a list is searched, not scrolled


class UnitSearchSelect(forms.Select):
    """A select of units that lists only the chosen one, beside a search box that fills it with
    the units matching what is typed (htmx, `org:unit_options`, the user's scope)."""

    template_name = "org/widgets/unit_search_select.html"

    def __init__(self, *args, units, cells: bool, empty_label: str = "—", **kwargs):
        super().__init__(*args, **kwargs)
        self.units, self.cells, self.empty_label = units, cells, empty_label

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["cells"] = self.cells
        return context

    def optgroups(self, name, value, attrs=None):
        ids = [pk for v in value if (pk := parse_id(v))]
        chosen = self.units.filter(pk__in=ids).select_related("parent") if ids else []
        self.choices = [("", self.empty_label), *((u.pk, unit_with_parent(u)) for u in chosen)]
        return super().optgroups(name, value, attrs)


def unit_with_parent(unit: Unit) -> str:
    """A unit's name with its parent's: a national list has many "Xã Tân Hòa"."""
    return f"{unit.name} – {unit.parent.name}" if unit.parent_id else unit.name


class TreeChoiceIterator(forms.models.ModelChoiceIterator):
    """The units of the field's query in tree order, sisters in Vietnamese order."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for unit in tree_ordered(self.queryset):
            yield self.choice(unit)


class UnitChoiceField(forms.ModelChoiceField):
    """A unit of `units`, indented by its depth below the first, sister units in Vietnamese
    alphabetical order. Past PICK_LIMIT units (a national account's communes) the select is
    searched instead (`UnitSearchSelect`); what is sent is checked against `units` either way."""

    iterator = TreeChoiceIterator

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", Unit.objects.none())
        super().__init__(*args, **kwargs)
        self.top = 0

    def set_units(self, units, *, top: Unit | None = None) -> None:
        """List `units` (in path order), indented below `top` (by default, the first)."""
        units = units.order_by("path")
        self.queryset = units
        first = top or units.first()
        self.top = first.depth if first else 0
        if units.count() > PICK_LIMIT:
            cells = units.filter(kind=Kind.CELL).exists()
            self.widget = UnitSearchSelect(
                units=units,
                cells=cells,
                empty_label=self.empty_label or "—",
                attrs=self.widget.attrs,
            )
            self.widget.is_required = self.required

    def label_from_instance(self, unit: Unit) -> str:
        return "\u2003" * max(unit.depth - self.top, 0) + unit.name


class VnDateField(forms.DateField):
    """A date typed as dd/mm/yyyy (or the other spellings people use)."""

    widget = forms.DateInput(
        format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}
    )

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if hasattr(value, "year"):
            return value
        try:
            return parse_date(str(value))
        except ValueError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from exc


class UnitForm(forms.Form):
    name = forms.CharField(label=_("Tên đơn vị"), max_length=255)
    short_name = forms.CharField(label=_("Tên viết tắt"), max_length=32, required=False)
    kind = forms.ChoiceField(label=_("Loại"), choices=Kind.choices)
    level = forms.ChoiceField(
        label=_("Cấp"), choices=[("", _("(theo đơn vị cấp trên)")), *Level.choices], required=False
    )
    code = forms.CharField(label=_("Mã"), max_length=32, required=False)
    valid_from = VnDateField(label=_("Hiệu lực từ"), required=False)
    second_factor_required = forms.BooleanField(
        label=_("Bắt buộc xác thực hai bước cho lãnh đạo, quản lý và quản trị"),
        help_text=_("Áp dụng cho đơn vị này và mọi đơn vị cấp dưới, từ lần đăng nhập sau."),
        required=False,
    )


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(label=_("Sáp nhập vào đơn vị"), queryset=Unit.objects.none())
    on = VnDateField(label=_("Từ ngày"))

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = targets


class DissolveForm(forms.Form):
    on = VnDateField(label=_("Giải thể từ ngày"))


class CsvUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp CSV"),
        help_text=_("Các cột: cap_tren, ten, loai (chi bộ / cơ quan / cấp ủy), ma, ten_viet_tat."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("Tệp quá lớn (tối đa 5 MB)."))
        return upload


class UserForm(forms.Form):
    username = forms.RegexField(
        label=_("Tên đăng nhập"),
        regex=r"^[\w.@+-]+$",
        max_length=150,
        error_messages={"invalid": _("Chỉ dùng chữ không dấu, số và các ký tự . @ + - _")},
    )
    first_name = forms.CharField(label=_("Họ và tên đệm"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Tên"), max_length=150, required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    position = forms.CharField(label=_("Chức vụ"), max_length=128, required=False)
    unit = UnitChoiceField(label=_("Đơn vị"))
    role = forms.ChoiceField(label=_("Vai trò"), choices=Role.choices)
    password = forms.CharField(
        label=_("Mật khẩu ban đầu"), widget=forms.PasswordInput, strip=False, required=False
    )

    def __init__(self, *args, units, roles, creating: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.creating = creating
        self.fields["unit"].set_units(units)
        self.fields["role"].choices = [(r, label) for r, label in Role.choices if r in roles]
        if creating:
            self.fields["password"].required = True
        else:
            del self.fields["password"]
            self.fields["username"].disabled = True

    def clean_username(self):
        username = self.cleaned_data["username"]
        if self.creating and User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("Tên đăng nhập này đã có người dùng."))
        return username

    def clean(self):
        data = super().clean()
        if self.creating and data.get("password"):
            try:
                validate_password(data["password"], User(username=data.get("username", "")))
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data
