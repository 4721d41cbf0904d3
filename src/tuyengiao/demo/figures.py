"""Demo periodic figures: two report forms filled for the demo province's communes."""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from tuyengiao.deadlines.services import (
    obligations_complete_many,
)
from tuyengiao.org.models import Kind, Level, Unit, User
from tuyengiao.periods import Period

from .org import DEMO_COMMUNE

# Periodic figures ------------------------------------------------------------------------------

# code, name, measure, value type, aggregation, planned (code)
INDICATORS = [
    ("SHCD_KH", "Số buổi sinh hoạt chuyên đề theo kế hoạch", "buổi", "integer", "sum", None),
    ("SHCD", "Số buổi sinh hoạt chuyên đề đã tổ chức", "buổi", "integer", "sum", "SHCD_KH"),
    (
        "HTNQ_LUOT",
        "Số lượt người tham gia học tập, quán triệt nghị quyết",
        "lượt",
        "integer",
        "sum",
        None,
    ),
    ("TIN_BAI", "Số tin, bài tuyên truyền", "tin, bài", "integer", "sum", None),
    ("BCV", "Số báo cáo viên", "người", "integer", "last", None),
    ("TL_DV_HT", "Tỷ lệ đảng viên tham gia học tập", "%", "percent", "average", None),
    ("GHI_CHU_TG", "Ghi chú", "", "text", "sum", None),
]
# code, name, numerator, denominator
DERIVED = [
    ("TL_SHCD", "Tỷ lệ buổi sinh hoạt chuyên đề so kế hoạch", "SHCD", "SHCD_KH"),
    ("TL_LLCT_LOP", "Tỷ lệ lớp lý luận chính trị so kế hoạch", "LLCT_LOP", "LLCT_LOP_KH"),
    ("TL_LLCT_HT", "Tỷ lệ học viên hoàn thành khoá học", "LLCT_HV_HT", "LLCT_HV_BG"),
    (
        "VB_TL_DUNG_HAN",
        "Tỷ lệ bước triển khai văn bản hoàn thành đúng hạn",
        "VB_BUOC_DUNG_HAN",
        "VB_BUOC_XONG",
    ),
]
# code, name, period kind, due days, lock days, [(section, [codes])]
FORMS = [
    (
        "TG-THANG",
        "Báo cáo công tác tuyên giáo tháng",
        "month",
        5,
        60,
        [
            ("I. Học tập, quán triệt", ["SHCD_KH", "SHCD", "HTNQ_LUOT", "TL_DV_HT"]),
            ("II. Tuyên truyền", ["TIN_BAI", "BCV"]),
            ("III. Ghi chú", ["GHI_CHU_TG"]),
            (
                "IV. Số liệu đếm từ hồ sơ (không nhập)",
                [
                    "VB_BUOC_XONG",
                    "VB_BUOC_DUNG_HAN",
                    "BCV_BUOI",
                    "BCV_LUOT_NGHE",
                    "DLXH_TIEP_NHAN",
                    "DLXH_GIAI_QUYET",
                    "MH_CONG_NHAN",
                    "MH_NHAN_RONG",
                    "KTGS_KIEN_NGHI",
                    "KTGS_KN_DUNG_HAN",
                ],
            ),
        ],
    ),
    # Political-theory classes: every figure counted from the classes and the centres' plans
    # (training app); nothing to type, the unit checks and sends.
    (
        "LLCT-QUY",
        "Lớp bồi dưỡng lý luận chính trị (quý)",
        "quarter",
        10,
        90,
        [
            ("I. Lớp bồi dưỡng", ["LLCT_LOP", "LLCT_LOP_BG"]),
            ("II. Học viên", ["LLCT_HV", "LLCT_HV_BG", "LLCT_HV_HT"]),
        ],
    ),
    (
        "LLCT-NAM",
        "Lớp bồi dưỡng lý luận chính trị so với kế hoạch (năm)",
        "year",
        15,
        120,
        [
            ("I. Lớp bồi dưỡng", ["LLCT_LOP_KH", "LLCT_LOP"]),
            ("II. Học viên", ["LLCT_HV_KH", "LLCT_HV", "LLCT_HV_BG", "LLCT_HV_HT"]),
        ],
    ),
]
# form code, left, operator, right, missing, message
RULES = [
    (
        "TG-THANG",
        "SHCD",
        "both",
        "SHCD_KH",
        "skip_if_any",
        "Đã có số buổi theo kế hoạch thì phải nhập số buổi đã tổ chức (và ngược lại).",
    ),
]
NOTES = [
    "Tổ chức hội nghị học tập, quán triệt nghị quyết cho cán bộ, đảng viên.",
    "Tuyên truyền phòng, chống lừa đảo qua mạng trên loa truyền thanh các thôn.",
    "Một số chi bộ tổ chức sinh hoạt chuyên đề chưa đúng kế hoạch do mùa vụ.",
    "Phối hợp tuyên truyền bầu cử, chuyển đổi số tại các thôn, tổ dân phố.",
]


def build_figures(province: Unit, today: date, now: datetime | None = None) -> None:
    """The communes' report forms (the classes' figures counted from their records), scheduled
    from January, with most past reports sent (some late, some never), the older ones approved,
    and a few drafts of the current period."""
    from tuyengiao.figures import services as figures
    from tuyengiao.figures.models import DataSet, Indicator, ValidationRule

    if DataSet.objects.filter(code=FORMS[0][0]).exists():
        return
    indicators = {}
    for code, name, measure, value_type, aggregation, planned in INDICATORS:
        indicators[code] = figures.indicator_save(
            actor=None,
            indicator=Indicator(
                code=code,
                name=name,
                measure=measure,
                value_type=value_type,
                aggregation=aggregation,
                planned=indicators.get(planned),
            ),
        )
    # the record-backed indicators (figures migrations) take part in the forms as they are
    indicators |= {i.code: i for i in Indicator.objects.exclude(source="")}
    for code, name, numerator, denominator in DERIVED:
        if numerator not in indicators or denominator not in indicators:
            continue
        figures.indicator_save(
            actor=None,
            indicator=Indicator(
                code=code,
                name=name,
                measure="%",
                value_type="percent",
                numerator=indicators[numerator],
                denominator=indicators[denominator],
            ),
        )
    forms = {}
    for code, name, period_kind, due_days, lock_days, sections in FORMS:
        first = Period.of(period_kind, date(today.year, 1, 1))
        forms[code] = figures.data_set_save(
            actor=None,
            data_set=DataSet(
                code=code,
                name=name,
                period_kind=period_kind,
                levels=[Level.COMMUNE],
                kinds=[Kind.COMMITTEE],
                first_period=first.id,
                due_days=due_days,
                lock_days=lock_days,
            ),
            indicators=[indicators[c] for _s, codes in sections for c in codes if c in indicators],
            sections={c: section for section, codes in sections for c in codes},
        )
    for form, left, operator, right, missing, message in RULES:
        figures.rule_save(
            actor=None,
            rule=ValidationRule(
                data_set=forms[form],
                left=left,
                operator=operator,
                right=right,
                missing=missing,
                message=message,
            ),
        )
    for data_set in forms.values():
        figures.reports_schedule(data_set=data_set, today=today)
    _fill_figures(province, forms, indicators, today, now or timezone.now())


def _monthly_values(rng: random.Random, period: Period, base: dict) -> dict:
    plan = base["plan"]
    held = plan if rng.random() < 0.8 else max(0, plan + rng.choice([-1, -1, 1]))
    study_month = period.start.month in (1, 2, 3, 8, 9)
    share = rng.uniform(0.6, 1.3) if study_month else rng.uniform(0.1, 0.45)
    if rng.random() < 0.15:
        base["speakers"] = max(2, base["speakers"] + rng.choice([-1, 1]))
    values = {
        "SHCD_KH": plan,
        "SHCD": held,
        "HTNQ_LUOT": int(base["members"] * share),
        "TIN_BAI": rng.randint(6, 32),
        "BCV": base["speakers"],
        "TL_DV_HT": Decimal(str(round(rng.uniform(86, 99.8), 2))),
    }
    if rng.random() < 0.2:
        values["GHI_CHU_TG"] = rng.choice(NOTES)
    return values


def _counted_only(rng: random.Random, period: Period, base: dict) -> dict:
    return {}  # every figure of the form is counted from the records


FILLERS = {"TG-THANG": _monthly_values, "LLCT-QUY": _counted_only, "LLCT-NAM": _counted_only}


def _fill_figures(
    province: Unit, forms: dict, indicators: dict, today: date, now: datetime
) -> None:
    """Values written in bulk, then the roll-up rebuilt once (exact, and much faster than a
    service call per report); the demo commune's latest reports go through the services."""
    from tuyengiao.figures import rollup
    from tuyengiao.figures.models import Report, ReportState, Value, to_stored

    rng = random.Random(today.year + 4)
    manager = User.objects.filter(username="tinh.quanly").first()
    last_month = Period.of("month", today).previous()
    bases: dict[int, dict] = {}
    values, reports, obligations, by_services = [], [], [], []
    for code, data_set in forms.items():
        scheduled = (
            Report.objects.filter(data_set=data_set, unit__parent=province)
            .select_related("obligation", "unit")
            .order_by("unit__code", "period")
        )
        for report in scheduled:
            base = bases.setdefault(
                report.unit_id,
                {
                    "diligence": rng.uniform(0.55, 0.97),
                    "plan": rng.choice([1, 2, 2, 3]),
                    "speakers": rng.randint(3, 9),
                    "members": rng.randint(250, 900),
                },
            )
            period = Period.parse(report.period)
            entries = FILLERS[code](rng, period, base)
            if report.unit.code == DEMO_COMMUNE and (period.end >= today or period == last_month):
                by_services.append((report, entries))
                continue
            due, roll = report.obligation.due_on, rng.random()
            if due >= today:  # still in time: a few drafts begun, none sent yet
                if roll >= 0.3 or not entries:
                    continue
                entries = dict(list(entries.items())[: rng.randint(2, len(entries))])
            elif roll < base["diligence"]:
                report.submitted_on = period.end + timedelta(
                    days=rng.randint(1, max(1, (due - period.end).days))
                )
            elif roll < base["diligence"] + (1 - base["diligence"]) * 0.6:
                report.submitted_on = min(today, due + timedelta(days=rng.randint(1, 20)))
            elif rng.random() < 0.5:
                entries = dict(list(entries.items())[: rng.randint(1, 3)])  # begun, never sent
            else:
                continue  # nothing at all: the report is missing
            for indicator_code, value in entries.items():
                text = value if isinstance(value, str) else ""
                number = None if text else to_stored(Decimal(value))
                values.append(
                    Value(
                        unit_id=report.unit_id,
                        indicator=indicators[indicator_code],
                        period=period.id,
                        number=number,
                        text=text,
                    )
                )
            report.version, report.saved_at = 1, now
            if report.submitted_on:
                report.state, report.version = ReportState.SUBMITTED, 2
                obligations.append((report.obligation, report.submitted_on))
                if (today - report.submitted_on).days > 40 and rng.random() < 0.85:
                    report.state, report.version = ReportState.APPROVED, 3
                    report.approved_by = manager
                    approved_on = report.submitted_on + timedelta(days=rng.randint(1, 10))
                    report.approved_at = min(
                        now,
                        timezone.make_aware(datetime.combine(min(today, approved_on), time(9, 30))),
                    )
            reports.append(report)
    Value.objects.bulk_create(values, batch_size=2000)
    _update_many(
        Report,
        ["state", "version", "saved_at", "submitted_on", "approved_at", "approved_by_id"],
        reports,
    )
    obligations_complete_many(actor=None, done=obligations, verb="demo")
    rollup.rebuild()
    _demo_commune_reports(by_services, today)


def _update_many(model, columns: list[str], objs: list) -> None:
    """One UPDATE per row, sent as a batch (bulk_update's CASE expressions are slow here)."""
    from django.db import connection

    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(c)} = %s" for c in columns)
    sql = f"UPDATE {quote(model._meta.db_table)} SET {sets} WHERE {quote('id')} = %s"
    fields = [model._meta.get_field(c.removesuffix("_id")) for c in columns]
    rows = [
        [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields] + [obj.pk]
        for obj in objs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _demo_commune_reports(reports: list, today: date) -> None:
    """The demo commune's latest reports, entered by its staff through the services (so they
    carry versions and audit history): last month's sent, the current periods' begun."""
    from tuyengiao.figures import services as figures
    from tuyengiao.text.numbers import format_number

    staff = User.objects.filter(username="xa.nganson").first()
    for report, entries in reports:
        if staff is None or figures.editing_problem(report) is not None:
            continue
        ended = Period.parse(report.period).end < today
        if not ended:
            entries = dict(list(entries.items())[: len(entries) // 2 + 1])
        typed = {
            code: value
            if isinstance(value, str)
            else format_number(value, 2 if code == "TL_DV_HT" else 0)
            for code, value in entries.items()
        }
        figures.report_save(actor=staff, report=report, entries=typed, version=report.version)
        if ended:
            figures.report_submit(actor=staff, report=report)
