"""The parameters of the roll-up table and completeness pages (and their charts and exports):
which report form, indicators and periods, read from the query string and made explicit."""

from __future__ import annotations

from datetime import date

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tuyengiao.core.params import parse_id
from tuyengiao.core.period_names import period_label
from tuyengiao.periods import KINDS, Period

from .models import DataSet, Indicator, PeriodKind, ValueType
from .queries import indicator_choices

MAX_COLUMNS = 60  # indicators × periods on one table
MAX_PERIODS = 120  # periods of one completeness page (ten years of months)
LISTED_YEARS = 10  # the period lists reach back at most this many years
LAYOUT_PERIODS, LAYOUT_INDICATORS = "periods", "indicators"


# Parameters ------------------------------------------------------------------------------------


def default_range(kind: str, today: date) -> tuple[Period, Period]:
    """From the start of this year (five years back for years) to the current period."""
    first_day = date(today.year - 4 if kind == "year" else today.year, 1, 1)
    return Period.of(kind, first_day), Period.of(kind, today)


def _as_kind(period: Period, kind: str, at_end: bool) -> Period:
    """A period turned into the one of `kind` holding its start (or its end)."""
    if period.kind == kind:
        return period
    return Period.of(kind, period.end if at_end else period.start)


def period_range(form: forms.Form, kind: str, limit: int, today: date) -> list[Period] | None:
    """The periods first..last of `kind` from the form's fields, or None with the errors added.

    Ids of another kind are read as the periods of `kind` that hold them (2024-01..2024-12 as
    quarters is Quý I/2024..Quý IV/2024), so changing the kind keeps the span.
    """
    first_default, last_default = default_range(kind, today)
    bounds = {}
    for name, default, at_end in (("first", first_default, False), ("last", last_default, True)):
        raw = form.cleaned_data.get(name) or ""
        try:
            bounds[name] = _as_kind(Period.parse(raw), kind, at_end) if raw else default
        except ValueError as exc:
            form.add_error(name, str(exc))
    if len(bounds) < 2:
        return None
    first, last = bounds["first"], bounds["last"]
    count = first.count_to(last)
    if count < 1:
        form.add_error(
            "last",
            _("Kỳ đầu (%(first)s) phải trước kỳ cuối (%(last)s).")
            % {"first": period_label(first), "last": period_label(last)},
        )
        return None
    if count > limit:
        form.add_error(
            "last",
            _("Khoảng thời gian có %(n)s kỳ; hãy chọn tối đa %(max)s kỳ.")
            % {"n": count, "max": limit},
        )
        return None
    form.cleaned_data["first"], form.cleaned_data["last"] = first.id, last.id
    return Period.range(first, last)


def period_choices(kind: str, since: date | None, today: date, *current: str):
    """The periods of `kind` a user may pick, by name: from `since` (a form's first period;
    else the default range's start) up to the current one, and the ids in `current` that
    are of that kind (an old link's period outside the list)."""
    first = Period.of(kind, max(since or default_range(kind, today)[0].start, _years_back(today)))
    last = Period.of(kind, today)
    listed = Period.range(first, last) if first <= last else [last]
    for raw in current:
        try:
            period = Period.parse(raw)
        except ValueError:
            continue
        if period.kind == kind and period not in listed:
            listed.append(period)
    return [(p.id, period_label(p)) for p in sorted(listed)]


def _years_back(today: date) -> date:
    return date(today.year - LISTED_YEARS, 1, 1)


def _refresh(url: str) -> dict[str, str]:
    """A field whose change redraws the form (htmx): the indicators of the form chosen, the
    periods of the kind chosen."""
    return {"hx-get": url, "hx-trigger": "change", "hx-include": "closest form"} if url else {}


def _period_select(form: forms.Form, names, kind: str, since: date | None) -> None:
    current = [form.data.get(name, "") for name in names]
    choices = period_choices(kind, since, form.today, *current)
    for name in names:
        form.fields[name].widget = forms.Select(choices=choices)


def _raw_kind(form: forms.Form, data_set) -> str:
    raw = form.data.get("kind", "")
    return raw if raw in KINDS else (data_set.period_kind if data_set else "month")


def _since(data_set, data_sets) -> date | None:
    """When the chosen form (else the earliest form) began."""
    firsts = (
        [data_set.first_period] if data_set else data_sets.values_list("first_period", flat=True)
    )
    starts = []
    for raw in firsts:
        try:
            starts.append(Period.parse(raw).start)
        except ValueError:
            continue
    return min(starts, default=None)


def _show(form: forms.Form, **values) -> None:
    """Show the values actually used (defaults, normalised ids) in the form's fields."""
    form.data = form.data.copy()
    for key, value in values.items():
        if isinstance(value, list):
            form.data.setlist(key, [str(v) for v in value])
        else:
            form.data[key] = str(value)  # replaces (QueryDict.update would append)


class TableParams(forms.Form):
    layout = forms.ChoiceField(
        label=gettext_lazy("Trình bày"),
        choices=[
            (LAYOUT_PERIODS, gettext_lazy("Đơn vị × kỳ")),
            (LAYOUT_INDICATORS, gettext_lazy("Đơn vị × chỉ tiêu (một kỳ)")),
        ],
    )
    data_set = forms.ModelChoiceField(
        label=gettext_lazy("Biểu mẫu"),
        queryset=DataSet.objects.none(),
        required=False,
        empty_label=gettext_lazy("Mọi chỉ tiêu"),
    )
    indicator = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Chỉ tiêu"),
        queryset=Indicator.objects.exclude(value_type=ValueType.TEXT),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Loại kỳ"), choices=PeriodKind.choices, required=False
    )
    first = forms.CharField(
        label=gettext_lazy("Từ kỳ"),
        required=False,
        max_length=16,
        widget=forms.TextInput(attrs={"placeholder": "2024-01", "size": 8}),
    )
    last = forms.CharField(
        label=gettext_lazy("Đến kỳ"),
        required=False,
        max_length=16,
        widget=forms.TextInput(attrs={"placeholder": "2024-12", "size": 8}),
    )
    period = forms.CharField(
        label=gettext_lazy("Kỳ (bảng theo chỉ tiêu)"), required=False, max_length=16
    )

    def __init__(self, data, *, data_sets, today: date, refresh: str = ""):
        """`refresh`: the URL that redraws the form when the report form, the layout or the
        kind of period changes (the page's own)."""
        super().__init__(data)
        self.today = today
        self.fields["data_set"].queryset = data_sets
        self.data_set = self._raw_data_set(data_sets)
        self.choices = indicator_choices(self.data_set)
        shown = {i.pk for i in self.choices}
        picked = [v for v in self.data.getlist("indicator") if parse_id(v) and int(v) not in shown]
        extra = list(Indicator.objects.filter(pk__in=picked).exclude(value_type=ValueType.TEXT))
        self.fields["indicator"].widget.choices = [(i.pk, str(i)) for i in self.choices + extra]
        for name in ("data_set", "layout", "kind"):
            self.fields[name].widget.attrs.update(_refresh(refresh))
        kind = _raw_kind(self, self.data_set)
        _period_select(self, ("first", "last", "period"), kind, _since(self.data_set, data_sets))

    def clean(self):
        data = self._clean()
        if "periods" in data:  # the lists follow the kind the table was made for
            since = _since(self.data_set, self.fields["data_set"].queryset)
            _period_select(self, ("first", "last", "period"), data["kind"], since)
        return data

    def _raw_data_set(self, data_sets):
        raw = self.data.get("data_set", "")
        pk = parse_id(raw)
        return data_sets.filter(pk=pk).first() if pk else None

    def _clean(self):
        data = super().clean()
        if self.errors:
            return data
        data_set = data.get("data_set")
        order = {i.pk: n for n, i in enumerate(self.choices)}
        indicators = sorted(data.get("indicator") or [], key=lambda i: order.get(i.pk, 10**6))
        layout = data["layout"]
        if not indicators:
            indicators = self._default_indicators(layout)
        if not indicators:
            raise forms.ValidationError(_("Chưa có chỉ tiêu nào để tổng hợp."))
        kind = data.get("kind") or (data_set.period_kind if data_set else "month")
        if layout == LAYOUT_INDICATORS:
            periods = self._one_period(kind)
        else:
            periods = period_range(self, kind, MAX_COLUMNS, self.today)
        if periods is None:
            return data
        if len(indicators) * len(periods) > MAX_COLUMNS:
            raise forms.ValidationError(
                _("Bảng có %(n)s cột; hãy chọn ít chỉ tiêu hoặc ít kỳ hơn (tối đa %(max)s cột).")
                % {"n": len(indicators) * len(periods), "max": MAX_COLUMNS}
            )
        data.update(indicators=indicators, periods=periods, kind=periods[0].kind)
        _show(self, indicator=[i.pk for i in indicators])
        if layout == LAYOUT_INDICATORS:
            _show(self, period=periods[0].id)
        else:
            _show(self, kind=data["kind"], first=periods[0].id, last=periods[-1].id)
        return data

    def _default_indicators(self, layout: str) -> list[Indicator]:
        if layout == LAYOUT_INDICATORS:
            return self.choices[:MAX_COLUMNS]
        planned = [i for i in self.choices if i.planned_id]
        return (planned or self.choices)[:1]

    def _one_period(self, kind: str) -> list[Period] | None:
        raw = self.cleaned_data.get("period") or ""
        if not raw:
            return [Period.of(kind, self.today).previous()]
        try:
            period = Period.parse(raw)
        except ValueError as exc:
            self.add_error("period", str(exc))
            return None
        self.cleaned_data["period"] = period.id
        return [period]

    def query(self, **changes) -> str:
        """The normalised query string of these parameters (defaults made explicit)."""
        data = self.cleaned_data
        params = QueryDict(mutable=True)
        params["layout"] = data["layout"]
        params["data_set"] = data["data_set"].pk if data.get("data_set") else ""
        params.setlist("indicator", [str(i.pk) for i in data["indicators"]])
        if data["layout"] == LAYOUT_INDICATORS:
            params["period"] = data["periods"][0].id
        else:
            params["kind"] = data["kind"]
            params["first"], params["last"] = data["periods"][0].id, data["periods"][-1].id
        for key, value in changes.items():
            params[key] = value
        return params.urlencode()


class CompletenessParams(forms.Form):
    data_set = forms.ModelChoiceField(
        label=gettext_lazy("Biểu mẫu"), queryset=DataSet.objects.none(), empty_label=None
    )
    first = TableParams.base_fields["first"]
    last = TableParams.base_fields["last"]

    def __init__(self, data, *, data_sets, today: date, refresh: str = ""):
        super().__init__(data)
        self.today = today
        self.fields["data_set"].queryset = data_sets
        self.fields["data_set"].widget.attrs.update(_refresh(refresh))
        pk = parse_id(self.data.get("data_set", ""))
        data_set = data_sets.filter(pk=pk).first() if pk else None
        if data_set is not None:
            since = _since(data_set, data_sets)
            _period_select(self, ("first", "last"), data_set.period_kind, since)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        periods = period_range(self, data["data_set"].period_kind, MAX_PERIODS, self.today)
        if periods is not None:
            data["periods"] = periods
            _show(self, first=periods[0].id, last=periods[-1].id)
        return data

    def query(self, **changes) -> str:
        data = self.cleaned_data
        params = QueryDict(mutable=True)
        params["data_set"] = data["data_set"].pk
        params["first"], params["last"] = data["periods"][0].id, data["periods"][-1].id
        for key, value in changes.items():
            params[key] = value
        return params.urlencode()
