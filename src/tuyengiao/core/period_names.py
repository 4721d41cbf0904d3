"""A period's name in the reader's language: "Quý III/2024" on the Vietnamese pages, "Q3 2024"
on the English ones.

`periods.py` stays free of Django, so `Period.label` is the Vietnamese name, the one stored in
titles and written in documents; a page, a list or a message shows `period_label(period)`
(templates: `{{ period|period_label }}`, a Period or its id), which gives the same text in
Vietnamese and the English name in English. A name joined with a period goes through
`titled_label` / `report_title_label`, the display side of `periods.titled` /
`periods.report_title` (in Vietnamese: exactly those).
"""

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from tuyengiao.periods import Period, report_title, titled

# One msgid per quarter and month: the English names are not the Vietnamese ones with their
# numbers in other places ("Quý III/2024" is "Q3 2024", "Tháng 11/2024" is "November 2024").
_QUARTERS = (
    gettext_lazy("Quý I/%(year)s"),
    gettext_lazy("Quý II/%(year)s"),
    gettext_lazy("Quý III/%(year)s"),
    gettext_lazy("Quý IV/%(year)s"),
)
_MONTHS = (
    gettext_lazy("Tháng 1/%(year)s"),
    gettext_lazy("Tháng 2/%(year)s"),
    gettext_lazy("Tháng 3/%(year)s"),
    gettext_lazy("Tháng 4/%(year)s"),
    gettext_lazy("Tháng 5/%(year)s"),
    gettext_lazy("Tháng 6/%(year)s"),
    gettext_lazy("Tháng 7/%(year)s"),
    gettext_lazy("Tháng 8/%(year)s"),
    gettext_lazy("Tháng 9/%(year)s"),
    gettext_lazy("Tháng 10/%(year)s"),
    gettext_lazy("Tháng 11/%(year)s"),
    gettext_lazy("Tháng 12/%(year)s"),
)


def as_period(period: Period | str) -> Period:
    return period if isinstance(period, Period) else Period.parse(str(period))


def period_label(period: Period | str) -> str:
    """The period's name in the active language (`Period.label` in Vietnamese)."""
    period = as_period(period)
    year = {"year": period.start.year}
    if period.kind == "year":
        return _("Năm %(year)s") % year
    if period.kind == "half":
        if period.start.month == 1:
            return _("6 tháng đầu năm %(year)s") % year
        return _("6 tháng cuối năm %(year)s") % year
    if period.kind == "quarter":
        return str(_QUARTERS[(period.start.month - 1) // 3]) % year
    return str(_MONTHS[period.start.month - 1]) % year


def _vietnamese() -> bool:
    """Whether the active language is the one the periods' own names are written in."""
    language = translation.get_language()
    return language is None or language.split("-")[0] == "vi"


def titled_label(name: str, period: Period | str) -> str:
    """A name (typed in Vietnamese: a form's, a task's) with its period: `periods.titled` in
    Vietnamese ("… tháng 9/2026"); in another language the name as typed and the period's
    name ("… – September 2026"), since its kind word cannot be found in a name in Vietnamese."""
    period = as_period(period)
    if _vietnamese():
        return titled(name, period)
    return _("%(name)s – %(period)s") % {"name": name.strip(), "period": period_label(period)}


def report_title_label(name: str, period: Period | str) -> str:
    """The title of a unit's report of a form: `periods.report_title` in Vietnamese."""
    period = as_period(period)
    if _vietnamese():
        return report_title(name, period)
    title = titled_label(name, period)
    if name.strip().casefold().startswith("báo cáo"):
        return title
    return pgettext("report title", "Báo cáo %(title)s") % {"title": title}
