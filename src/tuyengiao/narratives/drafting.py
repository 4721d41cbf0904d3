"""The first draft of a unit's periodic narrative report, written from the data.

`draft(user, unit, period, today)` returns the report's sections in the structure the offices
use (Hướng dẫn of the Ban Tuyên giáo và Dân vận on periodic reports):

- "Phần thứ nhất – ĐÁNH GIÁ TÌNH HÌNH THỰC HIỆN NHIỆM VỤ …": I. KẾT QUẢ ĐẠT ĐƯỢC by field of work
  (`oversight.WorkArea`, the configurable list), then the indicators against plan and the
  inspections; II. HẠN CHẾ, KHUYẾT ĐIỂM VÀ NGUYÊN NHÂN, found in the data only (units late on
  which steps, other obligations late, indicators below plan, concerns past their due date,
  recurring shortcomings) and, for a unit with children, each child's named shortcomings from
  its SENT report and which children have sent;
- "Phần thứ hai – PHƯƠNG HƯỚNG, NHIỆM VỤ …": what falls due in the next period and the open
  recommendations.

A section is a dict (it is stored as JSON in `NarrativeVersion.sections`):
{"key", "heading", "level" (0 part, 1 roman, 2 numbered), "paragraphs": [{"text", "link",
"facts": {name: number}}], "tables": [{"caption", "headers", "rows"}], "kept": true}.
Every number a paragraph writes is one of its facts (`Para.n`, `Para.ratio`), so each sentence
is traceable to the records it counts (its link) and a number changed by hand is found
(`checking.flags`). Numbers are written the Vietnamese way (`text.numbers`).
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from tuyengiao.deadlines.models import State, state_of
from tuyengiao.org.models import Kind, Unit
from tuyengiao.org.scope import restrict
from tuyengiao.oversight.models import WorkArea
from tuyengiao.periods import Period
from tuyengiao.text import format_date, format_number

from . import facts as F

# Which fact families speak for which field of work (by the field's code); models recognised
# go under their own field. A field with nothing to say is left out of the draft.
AREA_FACTS = {
    "hoc-tap-quan-triet": "documents",
    "tuyen-truyen-mieng": "outreach",
    "du-luan-xa-hoi": "concerns",
    "ly-luan-chinh-tri": "classes",
}
SHORTCOMING_UNITS = 15  # units named one by one; the others are counted
CHILD_LINES = 6  # a child's named shortcomings quoted in its parent's draft


def json_number(value) -> int | float | None:
    if value is None:
        return None
    if isinstance(value, int):
        return value
    value = Decimal(value)
    if value == value.to_integral_value():
        return int(value)
    return float(value.quantize(Decimal("0.0001"), ROUND_HALF_UP))


def percent_text(rate) -> str:
    """104 -> "104%", 98.333 -> "98,3%" (one decimal, none when it is a whole number)."""
    value = Decimal(rate).quantize(Decimal("0.1"), ROUND_HALF_UP)
    decimals = 0 if value == value.to_integral_value() else 1
    return format_number(value, decimals) + "%"


class Para:
    """A paragraph being written: its text and the facts its numbers are."""

    def __init__(self, link: str = ""):
        self.parts: list[str] = []
        self.facts: dict[str, int | float | None] = {}
        self.link = link

    def n(self, name: str, value, decimals: int = 0) -> str:
        self.facts[name] = json_number(value)
        return format_number(value or 0, decimals)

    def pct(self, name: str, part, whole) -> str:
        rate = F.rate(part, whole)
        if rate is None:
            return ""
        self.facts[name] = json_number(rate.quantize(Decimal("0.01"), ROUND_HALF_UP))
        return percent_text(rate)

    def ratio(self, name: str, actual, planned, measure: str = "", decimals: int = 0) -> str:
        """ "52/50 lớp, đạt 104% kế hoạch"."""
        text = f"{self.n(name, actual, decimals)}/{self.n(name + '_planned', planned, decimals)}"
        if measure:
            text += f" {measure}"
        rate = self.pct(name + "_rate", actual, planned)
        if rate:
            text += ", " + _("đạt %(rate)s kế hoạch") % {"rate": rate}
        return text

    def add(self, text: str) -> Para:
        self.parts.append(text)
        return self

    def as_dict(self) -> dict:
        return {
            "text": " ".join(p for p in self.parts if p),
            "link": self.link,
            "facts": self.facts,
        }


def section(key: str, heading: str, level: int, paragraphs=(), tables=()) -> dict:
    return {
        "key": key,
        "heading": heading,
        "level": level,
        "paragraphs": [p.as_dict() if isinstance(p, Para) else p for p in paragraphs],
        "tables": list(tables),
        "kept": True,
    }


def section_text(section: dict) -> str:
    """What the section says now: the user's text once edited, else the drafted paragraphs."""
    if "text" in section:
        return section["text"]
    return "\n".join(p["text"] for p in section.get("paragraphs", []))


def section_facts(section: dict) -> dict:
    found: dict = {}
    for paragraph in section.get("paragraphs", []):
        for name, value in paragraph.get("facts", {}).items():
            found[f"{name}#{len(found)}" if name in found else name] = value
    return found


# Part one, I: results by field of work -----------------------------------------------------------


def _documents(fact: F.Fact) -> list[Para]:
    d = fact.numbers
    if not d["steps"]:
        return []
    p = Para(fact.link)
    p.add(
        _(
            "Các cấp ủy đã triển khai %(docs)s văn bản của Đảng với %(steps)s bước phải thực hiện "
            "trong kỳ; đã hoàn thành %(done)s bước, trong đó %(on_time)s bước đúng hạn"
        )
        % {
            "docs": p.n("documents", d["documents"]),
            "steps": p.n("steps", d["steps"]),
            "done": p.n("done", d["done"]),
            "on_time": p.n("on_time", d["on_time"]),
        }
    )
    rate = p.pct("on_time_rate", d["on_time"], d["due"])
    p.parts[-1] += (
        " " + _("(tỷ lệ đúng hạn %(rate)s trên số bước đã đến hạn).") % {"rate": rate}
        if rate
        else "."
    )
    if d["studied"]:
        text = _("Tổ chức học tập, quán triệt %(n)s văn bản") % {"n": p.n("studied", d["studied"])}
        if d["expected"]:
            text += ", " + _(
                "có %(present)s lượt cán bộ, đảng viên tham dự, đạt %(rate)s số người phải dự"
            ) % {
                "present": p.n("present", d["present"]),
                "rate": p.pct("attendance_rate", d["present"], d["expected"]),
            }
        elif d["present"]:
            text += ", " + _("có %(present)s lượt cán bộ, đảng viên tham dự") % {
                "present": p.n("present", d["present"])
            }
        p.add(text + ".")
    if d["audience"]:
        p.add(_("Tuyên truyền đến %(n)s lượt người dân.") % {"n": p.n("audience", d["audience"])})
    return [p]


def _outreach(fact: F.Fact) -> list[Para]:
    o = fact.numbers
    if not o["sessions"]:
        return []
    p = Para(fact.link)
    p.add(
        _(
            "Đội ngũ báo cáo viên, tuyên truyền viên (%(speakers)s người) đã thực hiện "
            "%(sessions)s buổi nói chuyện, thông tin thời sự với %(audience)s lượt người nghe."
        )
        % {
            "speakers": p.n("speakers", o["speakers"]),
            "sessions": p.n("sessions", o["sessions"]),
            "audience": p.n("audience", o["audience"]),
        }
    )
    return [p]


def _concerns(fact: F.Fact) -> list[Para]:
    c = fact.numbers
    if not (c["received"] or c["due"] or c["answer_due"]):
        return []
    p = Para(fact.link)
    p.add(
        _(
            "Tiếp nhận %(received)s vấn đề dư luận xã hội; trong kỳ đã trả lời %(answered)s và "
            "giải quyết xong %(resolved)s vấn đề."
        )
        % {
            "received": p.n("received", c["received"]),
            "answered": p.n("answered", c["answered"]),
            "resolved": p.n("resolved", c["resolved"]),
        }
    )
    if c["answer_due"]:
        p.add(
            _(
                "Trong số vấn đề đến hạn trả lời, %(n)s/%(due)s vấn đề được trả lời đúng hạn "
                "(%(rate)s)."
            )
            % {
                "n": p.n("answered_on_time", c["answered_on_time"]),
                "due": p.n("answer_due", c["answer_due"]),
                "rate": p.pct("answered_rate", c["answered_on_time"], c["answer_due"]),
            }
        )
    if c["due"]:
        p.add(
            _("Giải quyết đúng hạn %(n)s/%(due)s vấn đề (%(rate)s).")
            % {
                "n": p.n("resolved_on_time", c["resolved_on_time"]),
                "due": p.n("resolve_due", c["due"]),
                "rate": p.pct("resolved_rate", c["resolved_on_time"], c["due"]),
            }
        )
    return [p]


def _classes(fact: F.Fact | None) -> list[Para]:
    if fact is None or not fact.numbers.get("classes"):
        return []
    k = fact.numbers
    p = Para(fact.link)
    text = _("Mở %(classes)s lớp bồi dưỡng lý luận chính trị") % {
        "classes": p.ratio("classes", k["classes"], k["classes_planned"], _("lớp"))
        if k.get("classes_planned")
        else p.n("classes", k["classes"])
    }
    if k.get("enrolled"):
        if k.get("learners_planned"):
            text += "; " + p.ratio("enrolled", k["enrolled"], k["learners_planned"], _("học viên"))
        else:
            text += "; " + _("%(enrolled)s học viên") % {"enrolled": p.n("enrolled", k["enrolled"])}
    if k.get("completed") is not None and k.get("closed_enrolled"):
        text += "; " + _("%(completed)s học viên hoàn thành chương trình (%(rate)s)") % {
            "completed": p.n("completed", k["completed"]),
            "rate": p.pct("completed_rate", k["completed"], k["closed_enrolled"]),
        }
    p.add(text + ".")
    return [p]


def _exemplars(fact: F.Fact, area: WorkArea) -> list[Para]:
    n = next((r["n"] for r in fact.rows if r["area_id"] == area.pk), 0)
    if not n:
        return []
    p = Para(fact.link)
    p.add(
        _("Công nhận %(n)s mô hình, điển hình trong lĩnh vực này.")
        % {"n": p.n(f"models_{area.code}", n)}
    )
    return [p]


def _figures(fact: F.Fact) -> tuple[list[Para], list[dict]]:
    if not fact.rows:
        return [], []
    paragraphs, rows = [], []
    for row in fact.rows:
        p = Para(fact.link)
        p.add(
            f"{row['name']}: "
            + p.ratio(row["code"], row["value"], row["planned"], row["measure"], row["decimals"])
            + "."
        )
        paragraphs.append(p)
        rows.append(
            [
                row["name"],
                row["measure"],
                format_number(row["value"], row["decimals"]),
                format_number(row["planned"], row["decimals"]),
                percent_text(row["rate"]) if row["rate"] is not None else "",
            ]
        )
    table = {
        "caption": _("Kết quả thực hiện các chỉ tiêu so với kế hoạch"),
        "headers": [_("Chỉ tiêu"), _("Đơn vị tính"), _("Thực hiện"), _("Kế hoạch"), _("Tỷ lệ")],
        "rows": rows,
        "chart": [
            [r["name"], json_number(r["value"]), json_number(r["planned"])] for r in fact.rows
        ],
    }
    return paragraphs, [table]


def _inspections(fact: F.Fact) -> tuple[list[Para], list[dict]]:
    i = fact.numbers
    if not (
        i["inspections"]
        or i["recommendations"]
        or any(i[k] for k in ("done_on_time", "done_late", "pending", "overdue"))
    ):
        return [], []
    p = Para(fact.link)
    p.add(
        _("Tiến hành %(n)s cuộc kiểm tra, giám sát; ban hành %(recs)s kiến nghị.")
        % {"n": p.n("inspections", i["inspections"]), "recs": p.n("issued", i["recommendations"])}
    )
    done = i["done_on_time"] + i["done_late"]
    p.add(
        _(
            "Các đơn vị đã hoàn thành %(done)s kiến nghị (đúng hạn %(on_time)s), còn %(open)s kiến "
            "nghị đang thực hiện, trong đó %(overdue)s kiến nghị quá hạn."
        )
        % {
            "done": p.n("recs_done", done),
            "on_time": p.n("recs_on_time", i["done_on_time"]),
            "open": p.n("recs_open", i["pending"] + i["overdue"]),
            "overdue": p.n("recs_overdue", i["overdue"]),
        }
    )
    table = {
        "caption": _("Tình hình thực hiện kiến nghị sau kiểm tra, giám sát"),
        "headers": [_("Hoàn thành đúng hạn"), _("Hoàn thành trễ hạn"), _("Còn hạn"), _("Quá hạn")],
        "rows": [[i["done_on_time"], i["done_late"], i["pending"], i["overdue"]]],
    }
    return [p], [table]


# Part one, II: shortcomings found in the data ---------------------------------------------


def _named(rows: list[dict], describe) -> list[Para]:
    paragraphs = []
    for row in rows[:SHORTCOMING_UNITS]:
        paragraphs.append(describe(row))
    if len(rows) > SHORTCOMING_UNITS:
        p = Para()
        p.add(_("- Và %(n)s đơn vị khác.") % {"n": p.n("others", len(rows) - SHORTCOMING_UNITS)})
        paragraphs.append(p)
    return paragraphs


def _shortcomings(
    steps: F.Fact,
    obligations: F.Fact,
    figures: F.Fact,
    overdue: F.Fact,
    recurring: F.Fact,
) -> list[Para]:
    out: list[Para] = []
    if steps.rows:
        p = Para(steps.link)
        p.add(
            _("Còn %(units)s đơn vị chậm thực hiện %(steps)s bước triển khai văn bản:")
            % {
                "units": p.n("late_units", steps.numbers["units"]),
                "steps": p.n("late_steps", steps.numbers["steps"]),
            }
        )
        out.append(p)

        def step_line(row):
            q = Para(steps.link)
            shown = "; ".join(dict.fromkeys(row["steps"]))
            return q.add(f"- {row['unit']}: {shown}.")

        out += _named(steps.rows, step_line)
    if obligations.rows:
        p = Para(obligations.link)
        p.add(
            _(
                "%(units)s đơn vị thực hiện trễ hạn hoặc chưa thực hiện %(n)s việc phải làm khác "
                "đến hạn trong kỳ:"
            )
            % {
                "units": p.n("late_units_other", obligations.numbers["units"]),
                "n": p.n("late_other", obligations.numbers["late"]),
            }
        )
        out.append(p)

        def obligation_line(row):
            q = Para(obligations.link)
            kinds = "; ".join(
                f"{label} ({q.n(f'{i}', n)})" for i, (label, n) in enumerate(row["kinds"])
            )
            return q.add(f"- {row['unit']}: {kinds}.")

        out += _named(obligations.rows, obligation_line)
    below = [r for r in figures.rows if r["rate"] is not None and r["rate"] < 100]
    for row in below:
        p = Para(figures.link)
        p.add(
            _("Chỉ tiêu “%(name)s” chưa đạt kế hoạch: %(ratio)s.")
            % {
                "name": row["name"],
                "ratio": p.ratio(
                    row["code"], row["value"], row["planned"], row["measure"], row["decimals"]
                ),
            }
        )
        out.append(p)
    children_below: dict[str, list[str]] = {}
    for row in figures.rows:
        for name in row["below"]:
            children_below.setdefault(name, []).append(row["name"])
    if children_below:
        p = Para(figures.link)
        p.add(_("Đơn vị chưa đạt kế hoạch chỉ tiêu:"))
        out.append(p)
        rows = [{"unit": k, "names": v} for k, v in children_below.items()]
        out += _named(
            rows, lambda r: Para(figures.link).add(f"- {r['unit']}: {'; '.join(r['names'])}.")
        )
    if overdue.numbers["overdue"]:
        p = Para(overdue.link)
        p.add(
            _("Còn %(n)s vấn đề dư luận xã hội đã quá hạn mà chưa được giải quyết xong:")
            % {"n": p.n("concerns_overdue", overdue.numbers["overdue"])}
        )
        out.append(p)
        for title, unit_name, due in overdue.rows:
            out.append(
                Para(overdue.link).add(
                    f"- {title} ({unit_name}, "
                    + _("hạn %(day)s") % {"day": format_date(due)}
                    + ")."
                )
            )
    if recurring.rows:
        p = Para(recurring.link)
        p.add(
            _("Có %(n)s hạn chế lặp lại qua nhiều cuộc kiểm tra, giám sát:")
            % {"n": p.n("recurring", recurring.numbers["recurring"])}
        )
        out.append(p)
        for row in recurring.rows:
            q = Para(recurring.link)
            out.append(
                q.add(
                    f"- {row['unit']}: {row['area']} "
                    + _("(%(n)s kết luận)") % {"n": q.n("conclusions", row["n"])}
                )
            )
    return out


def _children(user, unit: Unit, period: Period, today: date) -> tuple[list[Para], list[dict]]:
    """Which children have sent their report of the period, and the shortcomings each named
    (the section II of its sent report's latest version) — nobody re-types them."""
    from .models import NarrativeReport

    children = list(
        Unit.objects.filter(parent=unit, kind=Kind.COMMITTEE).active().order_by("sort_key", "name")
    )
    if not children:
        return [], []
    reports = {
        r.unit_id: r
        for r in restrict(
            NarrativeReport.objects.filter(unit__in=children, period=period.id), user
        ).select_related("obligation")
    }
    sent = [reports[c.pk] for c in children if c.pk in reports and reports[c.pk].is_sent]
    latest = _latest_versions(sent)
    rows, on_time, late = [], 0, 0
    for child in children:
        report = reports.get(child.pk)
        state = _("Chưa gửi")
        sent_on = ""
        if report is not None and report.is_sent:
            sent_on = format_date(report.sent_on)
            if (
                report.obligation_id
                and state_of(report.obligation.due_on, report.sent_on, today) == State.DONE_LATE
            ):
                state, late = str(State.DONE_LATE.label), late + 1
            else:
                state, on_time = str(State.DONE_ON_TIME.label), on_time + 1
        rows.append([child.name, state, sent_on, report.number if report else ""])
    p = Para()
    p.add(
        _(
            "%(sent)s/%(total)s đơn vị cấp dưới đã gửi báo cáo (%(on_time)s đúng hạn, %(late)s "
            "trễ hạn); %(missing)s đơn vị chưa gửi."
        )
        % {
            "sent": p.n("children_sent", on_time + late),
            "total": p.n("children", len(children)),
            "on_time": p.n("children_on_time", on_time),
            "late": p.n("children_late", late),
            "missing": p.n("children_missing", len(children) - on_time - late),
        }
    )
    paragraphs = [p]
    for report in sent:
        version = latest.get(report.pk)
        lines = shortcomings_of(version.sections if version else [])
        if lines:
            # The child's words and numbers, quoted: its numbers are facts of the quote.
            quoted = Para(report.get_absolute_url()).add(
                f"- {report.unit.name}:\n" + "\n".join(f"+ {line}" for line in lines)
            )
            quoted.facts.update(quoted_facts("\n".join(lines)))
            paragraphs.append(quoted)
    table = {
        "caption": _("Tình hình gửi báo cáo của các đơn vị cấp dưới"),
        "headers": [_("Đơn vị"), _("Tình trạng"), _("Ngày gửi"), _("Số báo cáo")],
        "rows": rows,
    }
    return paragraphs, [table]


def _latest_versions(reports) -> dict:
    from .models import NarrativeVersion

    found: dict = {}
    for version in NarrativeVersion.objects.filter(report__in=reports).order_by("report", "n"):
        found[version.report_id] = version
    return found


def quoted_facts(text: str) -> dict:
    """The numbers of a quoted text (a child's report), as facts: its ratios' numbers and
    rates, its percentages and its plain numbers."""
    from .checking import numbers_in

    return {f"q{i}": json_number(v) for i, v in enumerate(sorted(set(numbers_in(text))))}


def shortcomings_of(sections: list[dict]) -> list[str]:
    """The named shortcomings of a report: the lines of its section II (its own, not those it
    listed of its children), as they stand in its latest version."""
    lines = []
    for s in sections:
        if s.get("key") == "p1-ii-data":
            lines += [line.strip() for line in section_text(s).split("\n") if line.strip()]
    # The headlines ("Còn 3 đơn vị chậm …"), not the items under them ("- Chi bộ …"), unless
    # the report has only items.
    named = [line for line in lines if not line.startswith(("-", "+", "*"))] or lines
    return [line.lstrip("-+* ").strip() for line in named][:CHILD_LINES]


# Part two ----------------------------------------------------------------------------------


def low(period: Period) -> str:
    """ "quý III/2026", "năm 2026": the period's name inside a sentence."""
    return period.label[:1].lower() + period.label[1:]


def _next_tasks(due: F.Fact, next_period: Period) -> list[Para]:
    info = due.rows[0]
    if not info["kinds"]:
        p = Para(due.link)
        return [
            p.add(
                _("Chưa có việc phải làm đến hạn trong %(period)s.") % {"period": next_period.label}
            )
        ]
    p = Para(due.link)
    kinds = "; ".join(f"{label}: {p.n(f'k{i}', n)}" for i, (label, n) in enumerate(info["kinds"]))
    p.add(
        _("Trong %(period)s, toàn đơn vị có %(n)s việc phải làm đến hạn (%(kinds)s).")
        % {"period": low(next_period), "n": p.n("owed", due.numbers["owed"]), "kinds": kinds}
    )
    out = [p]
    for title, due_on in info["own"]:
        out.append(
            Para(due.link).add(
                f"- {title} (" + _("hạn %(day)s") % {"day": format_date(due_on)} + ")."
            )
        )
    return out


def _open_recommendations(fact: F.Fact) -> list[Para]:
    if not fact.numbers["open"]:
        return []
    p = Para(fact.link)
    p.add(
        _("Tiếp tục thực hiện %(n)s kiến nghị sau kiểm tra, giám sát chưa hoàn thành:")
        % {"n": p.n("open", fact.numbers["open"])}
    )
    out = [p]
    for unit_name, text, due_on in fact.rows:
        out.append(
            Para(fact.link).add(
                f"- {unit_name}: {text.strip().rstrip('.')} ("
                + _("hạn %(day)s") % {"day": format_date(due_on)}
                + ")."
            )
        )
    return out


# The whole draft ---------------------------------------------------------------------------


def draft(user, unit: Unit, period: Period, today: date) -> list[dict]:
    """The report's sections drafted from the data of `unit`'s subtree in `period`."""
    documents = F.documents(user, unit, period, today)
    outreach = F.outreach(user, unit, period)
    concerns = F.concerns(user, unit, period, today)
    classes = F.classes(user, unit, period)
    exemplars = F.exemplars(user, unit, period)
    figures = F.figures_plan(user, unit, period)
    inspections = F.inspections(user, unit, period, today)
    by_family = {
        "documents": _documents(documents),
        "outreach": _outreach(outreach),
        "concerns": _concerns(concerns),
        "classes": _classes(classes),
    }
    upper = period.label[:1].lower() + period.label[1:]
    next_period = period.next()
    sections = [
        section(
            "p1",
            _("Phần thứ nhất")
            + "\n"
            + _("ĐÁNH GIÁ TÌNH HÌNH THỰC HIỆN NHIỆM VỤ CÔNG TÁC TUYÊN GIÁO VÀ DÂN VẬN %(period)s")
            % {"period": upper.upper()},
            0,
        ),
        section("p1-i", _("I. KẾT QUẢ ĐẠT ĐƯỢC"), 1),
    ]
    number = 0
    for area in WorkArea.objects.filter(active=True).order_by("position", "sort_key", "id"):
        paragraphs = list(by_family.get(AREA_FACTS.get(area.code, ""), []))
        paragraphs += _exemplars(exemplars, area)
        if not paragraphs:
            continue
        number += 1
        sections.append(section(f"p1-i-{area.code}", f"{number}. {area.name}", 2, paragraphs))
    paragraphs, tables = _figures(figures)
    if paragraphs:
        number += 1
        sections.append(
            section(
                "p1-i-figures", f"{number}. " + _("Thực hiện các chỉ tiêu"), 2, paragraphs, tables
            )
        )
    paragraphs, tables = _inspections(inspections)
    if paragraphs:
        number += 1
        sections.append(
            section(
                "p1-i-inspections",
                f"{number}. " + _("Công tác kiểm tra, giám sát"),
                2,
                paragraphs,
                tables,
            )
        )
    if exemplars.numbers["replications"]:
        p = Para(exemplars.link)
        p.add(
            _("Các mô hình, điển hình được nhân rộng tại %(n)s nơi.")
            % {"n": p.n("replications", exemplars.numbers["replications"])}
        )
        number += 1
        sections.append(
            section("p1-i-replications", f"{number}. " + _("Nhân rộng mô hình, điển hình"), 2, [p])
        )
    if number == 0:
        sections.append(
            section("p1-i-none", "", 2, [Para().add(_("Chưa có số liệu ghi nhận trong kỳ."))])
        )
    sections.append(section("p1-ii", _("II. HẠN CHẾ, KHUYẾT ĐIỂM VÀ NGUYÊN NHÂN"), 1))
    found = _shortcomings(
        F.late_steps(user, unit, period, today),
        F.late_obligations(user, unit, period, today),
        figures,
        F.concerns_overdue(user, unit, today),
        F.recurring(user, unit, today),
    )
    if not found:
        found = [Para().add(_("Số liệu trong kỳ không cho thấy hạn chế nào."))]
    sections.append(section("p1-ii-data", "", 2, found))
    paragraphs, tables = _children(user, unit, period, today)
    if paragraphs:
        sections.append(
            section(
                "p1-ii-children", _("Hạn chế do các đơn vị cấp dưới nêu"), 2, paragraphs, tables
            )
        )
    next_upper = next_period.label[:1].lower() + next_period.label[1:]
    sections += [
        section(
            "p2",
            _("Phần thứ hai")
            + "\n"
            + _("PHƯƠNG HƯỚNG, NHIỆM VỤ %(period)s") % {"period": next_upper.upper()},
            0,
        ),
        section(
            "p2-due",
            "1. " + _("Các nhiệm vụ đến hạn"),
            2,
            _next_tasks(F.due_next(user, unit, next_period), next_period),
        ),
    ]
    recs = _open_recommendations(F.open_recommendations(user, unit, today))
    if recs:
        sections.append(
            section(
                "p2-recommendations",
                "2. " + _("Thực hiện kiến nghị sau kiểm tra, giám sát"),
                2,
                recs,
            )
        )
    return sections


def subject(period: Period) -> str:
    """The report's summary title: "Kết quả công tác tuyên giáo và dân vận quý III/2026 và
    phương hướng, nhiệm vụ quý IV/2026"."""

    return _(
        "Kết quả công tác tuyên giáo và dân vận %(period)s và phương hướng, nhiệm vụ %(next)s"
    ) % {"period": low(period), "next": low(period.next())}
