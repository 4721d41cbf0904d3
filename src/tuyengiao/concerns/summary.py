"""The periodic summary of public opinion (weekly, monthly): drafted from the data, exported.

`draft` writes the report's prose from `facts` (totals against the period before, by topic and
by place, rising topics, urgent reports, how concerns were handled, what is overdue at the
responsible bodies, proposals). The office edits the text and saves it
(`services.summary_save`); `summary_docx` lays the saved text (or the draft) out as a Party
document with the topic × place table and the weekly chart (its Excel twin: `workbook.py`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from tuyengiao.org.models import Unit, within
from tuyengiao.periods import Period
from tuyengiao.reports import charts, docx, party
from tuyengiao.text import format_date, format_number, format_percent

from . import stats
from .models import Concern, ConcernReport, State, Summary, Urgency
from .stats import Grid, Locality, Resolution, Rising, Span, Week

WEEK, MONTH = Summary.Kind.WEEK, Summary.Kind.MONTH
CHART_WEEKS = 8  # the chart of a weekly summary shows the eight weeks up to it
TOPICS_NAMED = 5
PLACES_NAMED = 5
URGENT_NAMED = 5
HEADING = re.compile(r"^[IVXLC]+\.\s")


# Periods ------------------------------------------------------------------------------------------


def span_of(kind: str, day: date) -> Span:
    """The week (Monday to Sunday) or the month holding `day`."""
    if kind == WEEK:
        return Week.of(day)
    if kind == MONTH:
        return Period.of("month", day)
    raise ValueError(f"Unknown summary kind: {kind}")


def span_text(kind: str, span: Span) -> str:
    """ "tuần từ 16/11 đến 22/11/2026" or "tháng 11/2026"."""
    if kind == MONTH:
        return _("tháng %(month)s/%(year)s") % {"month": span.start.month, "year": span.start.year}
    first = (
        format_date(span.start)
        if span.start.year != span.end.year
        else (f"{span.start.day:02d}/{span.start.month:02d}")
    )
    return _("tuần từ %(first)s đến %(last)s") % {"first": first, "last": format_date(span.end)}


def title_of(kind: str, span: Span) -> str:
    """ "tình hình dư luận xã hội tuần từ 16/11 đến 22/11/2026"."""
    return _("tình hình dư luận xã hội %(span)s") % {"span": span_text(kind, span)}


def chart_weeks(kind: str, span: Span) -> list[Week]:
    """The weeks a summary's chart and weekly table show: the eight up to a week, or the weeks
    that touch a month."""
    last = Week.of(span.end)
    if kind == WEEK:
        return Week.ending(last, CHART_WEEKS)
    first = Week.of(span.start)
    return Week.ending(last, (last.start - first.start).days // 7 + 1)


# The facts of a period ----------------------------------------------------------------------------


@dataclass
class Facts:
    unit: Unit
    kind: str
    span: Span
    total: int
    previous_total: int
    topics: list[tuple[object, int]]  # (Topic, reports), most first
    places: list[tuple[Locality, int]]  # places with reports, most first
    grid: Grid  # places × topics over the period
    weeks: list[Week]
    by_week: Grid  # topics × weeks (the chart)
    rising: list[Rising]
    urgent: list[ConcernReport]
    urgent_count: int
    opened: int
    forwarded: int
    answered: int
    resolved: int
    resolution: list[Resolution]
    overdue: list[tuple[str, int]]  # responsible body, concerns overdue there

    @property
    def overdue_count(self) -> int:
        return sum(n for _body, n in self.overdue)


def facts(unit: Unit, kind: str, span: Span, today: date | None = None) -> Facts:
    today = today or timezone.localdate()
    first, last = span.start, span.end
    counts = stats.report_counts(unit, first, last)
    previous = span.previous()
    previous_total = sum(stats.report_counts(unit, previous.start, previous.end).values())
    numbers = stats.resolution_numbers(unit, first, last, today)
    places = stats.localities(unit, {key[1] for key in counts} | set(numbers), first)
    topics = stats.topics_in(counts)
    grid = stats.locality_topic_grid(unit, topics, places, counts)

    weeks = chart_weeks(kind, span)
    weekly = stats.report_counts(unit, weeks[0].start, weeks[-1].end, by="week")
    by_week = stats.topic_week_grid(unit, stats.topics_in(weekly), weeks, weekly)

    per_topic = [(t, grid.total.values[i]) for i, t in enumerate(topics)]
    per_topic.sort(key=lambda pair: (-pair[1], pair[0].position, pair[0].name))
    per_place = [
        (place, line.total) for place, line in zip(places, grid.lines, strict=False) if line.total
    ]
    per_place.sort(key=lambda pair: -pair[1])

    urgent = stats.reported_between(unit, first, last).filter(urgency=Urgency.URGENT)
    begin, end = stats.start_of(first), stats.start_of(last + timedelta(days=1))

    def during(column: str) -> Q:
        return Q(**{f"{column}__gte": begin, f"{column}__lt": end})

    handled = Concern.objects.filter(within("unit_path", unit.path)).aggregate(
        opened=Count("pk", filter=during("acknowledged_at")),
        forwarded=Count("pk", filter=during("forwarded_at")),
        answered=Count("pk", filter=during("answered_at")),
        resolved=Count("pk", filter=during("resolved_at")),
    )
    overdue = (
        Concern.objects.filter(
            within("unit_path", unit.path), state=State.FORWARDED, due_on__lt=today
        )
        .values("responsible__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "responsible__name")
    )
    return Facts(
        unit=unit,
        kind=kind,
        span=span,
        total=grid.total.total,
        previous_total=previous_total,
        topics=per_topic,
        places=per_place,
        grid=grid,
        weeks=weeks,
        by_week=by_week,
        rising=stats.rising(unit, span),
        urgent=list(urgent.select_related("unit").order_by("created_at")[:URGENT_NAMED]),
        urgent_count=urgent.count(),
        resolution=stats.resolution_rows(unit, places, numbers),
        overdue=[(o["responsible__name"] or _("chưa rõ"), o["n"]) for o in overdue],
        **handled,
    )


# The draft ----------------------------------------------------------------------------------------


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _n(value) -> str:
    return format_number(value)


def _in_period(kind: str) -> str:
    return _("Trong tuần") if kind == WEEK else _("Trong tháng")


def _per(kind: str) -> str:
    return _("phản ánh mỗi tuần") if kind == WEEK else _("phản ánh mỗi tháng")


def _change(kind: str, total: int, previous: int) -> str:
    """ "tăng 2 phản ánh so với tuần trước (4 phản ánh)", "bằng tuần trước", …"""
    before = _("tuần trước") if kind == WEEK else _("tháng trước")
    values = {"n": _n(abs(total - previous)), "before": before, "previous": _n(previous)}
    if not previous:
        if not total:
            return _("%(before)s cũng không có phản ánh nào") % values
        return _("%(before)s không có phản ánh nào") % values
    if total > previous:
        return _("tăng %(n)s phản ánh so với %(before)s (%(previous)s phản ánh)") % values
    if total < previous:
        return _("giảm %(n)s phản ánh so với %(before)s (%(previous)s phản ánh)") % values
    return _("bằng %(before)s") % values


def _situation(f: Facts) -> list[str]:
    lines = []
    when = _in_period(f.kind)
    if f.kind == WEEK:
        span = _("từ %(first)s đến %(last)s") % _first_last(f.span)
        when += f" ({span})"
    if not f.total:
        lines.append(
            _("%(when)s, cộng tác viên không gửi phản ánh nào; %(change)s.")
            % {"when": when, "change": _change(f.kind, 0, f.previous_total)}
        )
        return lines
    named = [f"{_lower_first(topic.name)} ({_n(n)})" for topic, n in f.topics[:TOPICS_NAMED]]
    rest = sum(n for _t, n in f.topics[TOPICS_NAMED:])
    if rest:
        named.append(_("các lĩnh vực khác (%(n)s)") % {"n": _n(rest)})
    lines.append(
        _(
            "%(when)s, đội ngũ cộng tác viên dư luận xã hội đã gửi %(n)s phản ánh, %(change)s; "
            "tập trung vào các lĩnh vực: %(topics)s."
        )
        % {
            "when": when,
            "n": _n(f.total),
            "change": _change(f.kind, f.total, f.previous_total),
            "topics": "; ".join(named),
        }
    )
    places = _places_sentence(f)
    if places:
        lines.append(places)
    if f.rising:
        before = _("bốn tuần trước") if f.kind == WEEK else _("bốn tháng trước")
        items = "; ".join(_rising_item(r, f.kind) for r in f.rising)
        lines.append(
            _("Lĩnh vực được phản ánh tăng rõ so với trung bình %(before)s: %(items)s.")
            % {"before": before, "items": items}
        )
    if f.urgent_count:
        named = "; ".join(f"“{r.title}” ({r.unit.name})" for r in f.urgent)
        if f.urgent_count > len(f.urgent):
            named += _("; …")
        lines.append(
            _("Có %(n)s phản ánh khẩn: %(items)s.") % {"n": _n(f.urgent_count), "items": named}
        )
    return lines


def _places_sentence(f: Facts) -> str:
    """Where the reports came from: every place when they are few, else the places with most
    (only those with two or more); and what was reported at the unit itself."""
    places = [(place, n) for place, n in f.places if not place.own]
    own = sum(n for place, n in f.places if place.own)
    values = {"count": _n(len(places)), "unit": f.unit.name, "own": _n(own)}
    text = ""
    if places and len(places) <= PLACES_NAMED:
        values["places"] = "; ".join(f"{p.unit.name} ({_n(n)})" for p, n in places)
        text = _("Phản ánh đến từ %(count)s địa bàn: %(places)s") % values
    elif places:
        most = [(p, n) for p, n in places[:PLACES_NAMED] if n > 1]
        values["places"] = "; ".join(f"{p.unit.name} ({_n(n)})" for p, n in most)
        if most:
            text = _("Phản ánh đến từ %(count)s địa bàn, nhiều nhất là: %(places)s") % values
        else:
            text = _("Phản ánh đến từ %(count)s địa bàn, mỗi địa bàn 1 phản ánh") % values
    if own and text:
        text = _("%(text)s; ngoài ra, %(own)s phản ánh ghi nhận chung tại %(unit)s") % {
            **values,
            "text": text,
        }
    elif own:
        text = _("Có %(own)s phản ánh ghi nhận chung tại %(unit)s") % values
    return f"{text}." if text else ""


def _first_last(span: Span) -> dict[str, str]:
    first = f"{span.start.day:02d}/{span.start.month:02d}"
    if span.start.year != span.end.year:
        first = format_date(span.start)
    return {"first": first, "last": format_date(span.end)}


def _rising_item(item: Rising, kind: str = WEEK) -> str:
    """ "môi trường (6 phản ánh, gấp 3 lần mức trung bình 2 phản ánh mỗi tuần)"."""
    values = {
        "topic": _lower_first(item.topic.name),
        "n": _n(item.count),
        "average": stats.format_average(item.average),
        "per": _per(kind),
    }
    if item.change is None:
        before = _("bốn tuần trước") if kind == WEEK else _("bốn tháng trước")
        return _("%(topic)s (%(n)s phản ánh, %(before)s không có)") % {**values, "before": before}
    ratio = Decimal(item.count) / item.average
    if ratio >= 2:
        rounded = ratio.quantize(Decimal("0.1"))
        values["ratio"] = format_number(rounded, 0 if rounded == int(rounded) else 1)
        return (
            _("%(topic)s (%(n)s phản ánh, gấp %(ratio)s lần mức trung bình %(average)s %(per)s)")
            % values
        )
    values["change"] = format_number(item.change)
    return (
        _("%(topic)s (%(n)s phản ánh, tăng %(change)s%% so với mức trung bình %(average)s %(per)s)")
        % values
    )


def _days(value: Decimal) -> str:
    return format_number(value, 0 if value == int(value) else 1)


def _handling(f: Facts) -> list[str]:
    steps = [
        (f.opened, _("đã tiếp nhận, phân loại %(n)s vấn đề")),
        (f.forwarded, _("chuyển %(n)s vấn đề đến cơ quan chịu trách nhiệm")),
        (f.answered, _("%(n)s vấn đề đã có trả lời")),
        (f.resolved, _("%(n)s vấn đề đã được giải quyết")),
    ]
    done = [text % {"n": _n(n)} for n, text in steps if n]
    if done:
        lines = [f"{_in_period(f.kind)}, {'; '.join(done)}."]
    else:
        lines = [
            _("%(when)s, không có vấn đề nào được tiếp nhận, chuyển xử lý, trả lời hay giải quyết.")
            % {"when": _in_period(f.kind)}
        ]
    total = f.resolution[-1]
    in_time = []
    if total.due:
        in_time.append(
            _("%(done)s/%(due)s vấn đề đến hạn được giải quyết đúng hạn (đạt %(share)s)")
            % {
                "done": _n(total.resolved_on_time),
                "due": _n(total.due),
                "share": format_percent(total.resolved_share),
            }
        )
    if total.answer_due:
        in_time.append(
            _("%(done)s/%(due)s vấn đề được trả lời đúng hạn (đạt %(share)s)")
            % {
                "done": _n(total.answered_on_time),
                "due": _n(total.answer_due),
                "share": format_percent(total.answered_share),
            }
        )
    if in_time:
        if f.kind == WEEK:
            period = pgettext("summary period", "tuần")
        else:
            period = pgettext("summary period", "tháng")
        lines.append(
            _("Với các vấn đề có hạn trả lời trong %(period)s: %(items)s.")
            % {"period": period, "items": "; ".join(in_time)}
        )
    medians = []
    if total.answer_median is not None:
        medians.append(
            _("đến khi có trả lời là %(days)s ngày") % {"days": _days(total.answer_median)}
        )
    if total.resolve_median is not None:
        medians.append(
            _("đến khi giải quyết xong là %(days)s ngày") % {"days": _days(total.resolve_median)}
        )
    if medians:
        lines.append(
            _("Thời gian trung vị tính từ phản ánh đầu tiên %(items)s.")
            % {"items": ", ".join(medians)}
        )
    if f.overdue:
        bodies = "; ".join(f"{name} ({_n(n)})" for name, n in f.overdue)
        lines.append(
            _(
                "Hiện còn %(n)s vấn đề đã quá hạn mà cơ quan chịu trách nhiệm chưa trả lời: "
                "%(bodies)s."
            )
            % {"n": _n(f.overdue_count), "bodies": bodies}
        )
    else:
        lines.append(_("Không có vấn đề nào quá hạn trả lời."))
    return lines


def _proposals(f: Facts) -> list[str]:
    lines = []
    for item in f.rising[:3]:
        counted = [
            (line.label, _count_of(f.grid, line, item.topic))
            for line in f.grid.lines
            if not line.is_total and not line.own
        ]
        places = [label for label, n in sorted(counted, key=lambda pair: -pair[1]) if n]
        where = _(" tại %(places)s") % {"places": ", ".join(places[:3])} if places else ""
        lines.append(
            _(
                "- Đề nghị các cơ quan chức năng quan tâm nắm tình hình, giải quyết kịp thời các "
                "vấn đề về %(topic)s%(where)s."
            )
            % {"topic": _lower_first(item.topic.name), "where": where}
        )
    if f.overdue:
        bodies = ", ".join(name for name, _n_ in f.overdue[:5])
        lines.append(
            _("- Đề nghị %(bodies)s khẩn trương trả lời các vấn đề đã quá hạn.")
            % {"bodies": bodies}
        )
    lines.append(
        _(
            "- Tiếp tục phát huy vai trò của đội ngũ cộng tác viên dư luận xã hội, kịp thời nắm "
            "bắt, phản ánh tình hình tư tưởng, dư luận xã hội trong Nhân dân."
        )
    )
    return lines


def _count_of(grid: Grid, line, topic) -> int:
    return line.values[grid.keys.index(topic)] if topic in grid.keys else 0


def draft(f: Facts) -> str:
    """The report's text: three numbered parts, one paragraph a line."""
    parts = [
        _("I. TÌNH HÌNH DƯ LUẬN XÃ HỘI"),
        *_situation(f),
        _("II. KẾT QUẢ TIẾP NHẬN, XỬ LÝ"),
        *_handling(f),
        _("III. ĐỀ XUẤT, KIẾN NGHỊ"),
        *_proposals(f),
    ]
    return "\n".join(parts)


def text_for(unit: Unit, kind: str, span: Span) -> tuple[str, Summary | None]:
    """The saved text of the summary, or a fresh draft when none is saved; and the summary."""
    saved = Summary.objects.filter(unit=unit, kind=kind, start=span.start).first()
    if saved is not None:
        return saved.text, saved
    return draft(facts(unit, kind, span)), None


# Chart --------------------------------------------------------------------------------------------


def weekly_chart(
    grid: Grid,
    weeks: list[Week],
    fmt: str = "svg",
    title="",
    dpi: int = 110,
    legend: str = "right",
) -> bytes:
    """Weekly counts of the topics most reported, a line each (the toolkit's chart: SVG or
    PNG)."""
    lines = stats.top_topics(grid)
    series = [charts.Series(stats.short_name(line.topic), line.values) for line in lines]
    labels = [w.short_label for w in weeks]
    return charts.draw(labels, series, fmt, title=title, kind="lines", dpi=dpi, legend=legend)


def chart_title(unit: Unit) -> str:
    return _("Số phản ánh theo tuần, các lĩnh vực nhiều nhất – %(unit)s") % {"unit": unit.name}


# DOCX ---------------------------------------------------------------------------------------------


def sections_of(text: str) -> list[docx.Section]:
    """A paragraph per line; a line opening with a Roman numeral ("I. ...") heads a section."""
    sections = [docx.Section("")]
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if HEADING.match(line):
            sections.append(docx.Section(line))
        else:
            sections[-1].paragraphs.append(line)
    return [s for s in sections if s.heading or s.paragraphs]


def docx_table(grid: Grid, topics: int = 4) -> docx.Table:
    """Places with reports × the most reported topics, the others in one column, and the
    total (the places without any are left out: the workbook has them all)."""
    order = sorted(range(len(grid.columns)), key=lambda i: -grid.total.values[i])
    shown = sorted(order[:topics])
    others = order[topics:]
    headers = [grid.corner, *(grid.columns[i] for i in shown)]
    if others:
        headers.append(_("Lĩnh vực khác"))
    headers.append(_("Tổng số"))
    rows = []
    for line in grid.lines:
        if line.is_blank:
            continue
        row = [line.label, *(line.values[i] for i in shown)]
        if others:
            row.append(sum(line.values[i] for i in others))
        rows.append([*row, line.total])
    label = 6.0
    widths = [label] + [(docx.TEXT_WIDTH_CM - label) / (len(headers) - 1)] * (len(headers) - 1)
    return docx.Table(
        headers=headers,
        rows=rows,
        caption=_("Bảng: Số phản ánh theo địa bàn và lĩnh vực"),
        widths_cm=widths,
        total_row=True,
    )


def _appendix(f: Facts) -> list[docx.Section]:
    items: list = [docx_table(f.grid)] if f.total else []
    if not f.by_week.is_empty:
        png = weekly_chart(f.by_week, f.weeks, "png", dpi=200, legend="below")
        weeks = _("từ tuần %(first)s đến tuần %(last)s") % {
            "first": f.weeks[0].number,
            "last": f.weeks[-1].number,
        }
        caption = _(
            "Biểu đồ: Số phản ánh theo tuần của các lĩnh vực được phản ánh nhiều nhất, %(weeks)s"
        ) % {"weeks": weeks}
        items.append(docx.Image(png, width_cm=docx.TEXT_WIDTH_CM, caption=caption))
    return [docx.Section("", items)] if items else []


def summary_docx(
    unit: Unit, kind: str, span: Span, text: str, symbol: str = "", today: date | None = None
) -> bytes:
    """The summary as a Party report: the text, the recipients and the signature, then an
    appendix with the places × topics table and the weekly chart."""
    f = facts(unit, kind, span, today)
    day = today or timezone.localdate()
    head = party.letterhead(unit, symbol=symbol)
    note = _("(Kèm theo Báo cáo số %(number)s, ngày %(day)s của %(issuer)s)") % {
        "number": head.number,
        "day": format_date(day),
        "issuer": head.issuer,
    }
    document = docx.PartyDocument(
        superior=head.superior,
        issuer=head.issuer,
        symbol=head.symbol,
        place=head.place,
        date=day,
        kind="BÁO CÁO",
        title=title_of(kind, span),
        sections=sections_of(text),
        recipients=party.recipients(unit),
        appendix=_appendix(f),
        appendix_title=_("Số liệu %(title)s") % {"title": title_of(kind, span)},
        appendix_note=note,
    )
    return docx.render(document)
