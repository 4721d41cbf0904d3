"""The overview of public concerns on built data (tests/conftest.py's two provinces).

Reports are sent through the service by the collaborator of Xã Hoà An (at the commune and its
cells), a second collaborator in Xã Ngân Sơn, the province manager (at the province itself) and
the neighbour in Tỉnh B, then moved into the past; the neighbour's reports must never count.
"""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from tuyengiao.concerns import stats
from tuyengiao.concerns.models import Concern, ConcernReport, State
from tuyengiao.concerns.services import concern_open
from tuyengiao.concerns.stats import Week

from .conftest import submit, topic

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
W47 = Week(date(2026, 11, 16))


def vn(*args) -> datetime:
    return datetime(*args, tzinfo=VN)


def sent(reporter, when: datetime, *, unit=None, code="moi-truong", title="Khói bụi"):
    """A report sent through the service, then dated `when`."""
    report = submit(reporter, unit=unit, topic=topic(code), title=title)
    ConcernReport.objects.filter(pk=report.pk).update(created_at=when)
    report.refresh_from_db()
    return report


def line(grid, label):
    return next(x for x in grid.lines if x.label == label)


# Weeks ---------------------------------------------------------------------------------------


def test_weeks_are_iso_weeks_with_vietnamese_labels():
    assert W47.label == "Tuần 47 (16/11–22/11/2026)"
    assert W47.id == "2026-W47"
    assert W47.end == date(2026, 11, 22)
    assert Week.of(date(2026, 11, 22)) == W47
    assert Week.of(date(2026, 11, 23)) == W47.next()
    assert Week.parse("2026-W47") == Week.parse("18/11/2026") == Week.parse("2026-11-22") == W47
    assert Week(date(2025, 12, 29)).label == "Tuần 1 (29/12/2025–04/01/2026)"
    assert [w.number for w in Week.ending(W47, 3)] == [45, 46, 47]
    with pytest.raises(ValueError, match="không hợp lệ"):
        Week.parse("tuần trước")


def test_a_week_is_counted_in_vietnam_time(world):
    ctv = world.collaborator
    # Sunday 22/11 23:59 in Vietnam: week 47
    sent(ctv, datetime(2026, 11, 22, 16, 59, tzinfo=UTC))
    # 17:30 UTC on Sunday is Monday 23/11 00:30 in Vietnam: week 48
    sent(ctv, datetime(2026, 11, 22, 17, 30, tzinfo=UTC))
    weeks = [W47, W47.next()]
    counts = stats.report_counts(world.province, W47.start, weeks[-1].end, by="week")
    grid = stats.topic_week_grid(world.province, stats.topics_in(counts), weeks, counts)
    assert line(grid, "Môi trường").values == [1, 1]
    # and a range that ends on Sunday 22/11 holds only the first
    only = stats.report_counts(world.province, W47.start, W47.end)
    assert sum(only.values()) == 1


# Counts rolled up ------------------------------------------------------------------------------


def build_reports(world, collaborator2):
    """Week 46 and 47 in Tỉnh A and in Tỉnh B."""
    ctv = world.collaborator
    sent(ctv, vn(2026, 11, 10, 9), unit=world.cell, code="dat-dai")  # a cell of Hoà An
    sent(ctv, vn(2026, 11, 17, 9), unit=world.cell2, code="dat-dai")
    sent(ctv, vn(2026, 11, 18, 9), code="dat-dai")  # Hoà An itself
    sent(ctv, vn(2026, 11, 18, 10))  # môi trường, Hoà An
    sent(collaborator2, vn(2026, 11, 19, 9))  # môi trường, Ngân Sơn
    sent(world.province_manager, vn(2026, 11, 20, 9), unit=world.province, code="y-te")
    sent(world.neighbour, vn(2026, 11, 18, 9), code="dat-dai")  # Tỉnh B
    sent(world.neighbour, vn(2026, 11, 18, 9), unit=world.other_cell, code="dat-dai")


@pytest.fixture
def reports(world, collaborator2):
    build_reports(world, collaborator2)


def test_counts_roll_up_to_the_children_and_never_include_a_neighbour(world, reports):
    overview = stats.overview(world.province, Week.ending(W47, 2), today=date(2026, 11, 23))
    by_place = overview.by_place
    assert by_place.columns == ["Đất đai", "Môi trường", "Y tế"]
    assert line(by_place, "Xã Hoà An").values == [3, 1, 0]  # the cells count for the commune
    assert line(by_place, "Xã Ngân Sơn").values == [0, 1, 0]
    assert line(by_place, "Chính đơn vị (Tỉnh A)").values == [0, 0, 1]
    total = by_place.total
    assert total.is_total and total.label == "Tổng cộng: Tỉnh A"
    assert total.values == [3, 2, 1] and total.total == 6
    # the province's agency is no place: no row unless something is recorded there
    assert [p.unit.name for p in overview.places] == ["Xã Hoà An", "Xã Ngân Sơn", "Tỉnh A"]

    by_week = overview.by_week
    assert by_week.columns == ["Tuần 46 (09/11–15/11/2026)", "Tuần 47 (16/11–22/11/2026)"]
    assert line(by_week, "Đất đai, bồi thường, giải phóng mặt bằng").values == [1, 2]
    assert line(by_week, "Môi trường").values == [0, 2]
    assert by_week.total.values == [1, 5]


def test_a_commune_sees_its_cells_and_the_root_sees_both_provinces(world, reports):
    commune = stats.overview(world.commune, [W47])
    assert [x.label for x in commune.by_place.lines] == [
        "Chi bộ thôn Bản Chang",
        "Chi bộ thôn Nà Pài",
        "Chính đơn vị (Xã Hoà An)",
        "Tổng cộng: Xã Hoà An",
    ]
    assert [x.total for x in commune.by_place.lines] == [1, 0, 2, 3]
    root = stats.overview(world.root, Week.ending(W47, 2))
    assert line(root.by_place, "Tỉnh B").values == [2, 0, 0]
    assert root.by_place.total.total == 8


def test_an_empty_range_gives_an_empty_grid(world):
    overview = stats.overview(world.province, [W47])
    assert overview.by_week.is_empty and overview.by_place.is_empty
    assert overview.topics == [] and overview.rising == []


# Rising topics ---------------------------------------------------------------------------------


def test_rising_topics_against_the_average_of_the_four_weeks_before(world):
    ctv = world.collaborator
    before = [3, 4, 3, 4]  # đất đai, weeks 43..46: average 3,5
    for weeks_back, n in zip([4, 3, 2, 1], before, strict=True):
        for _i in range(n):
            sent(ctv, vn(2026, 11, 17, 8) - timedelta(weeks=weeks_back), code="dat-dai")
    for _i in range(9):  # 9 this week: rising, +157%
        sent(ctv, vn(2026, 11, 18, 8), code="dat-dai")
    for _i in range(4):  # môi trường: 4 a week before, 5 now: 5 < 1,5 × 4, not rising
        for weeks_back in (1, 2, 3, 4):
            sent(ctv, vn(2026, 11, 17, 8) - timedelta(weeks=weeks_back))
    for _i in range(5):
        sent(ctv, vn(2026, 11, 19, 8))
    sent(ctv, vn(2026, 11, 18, 8), code="y-te")  # one report is never a trend
    sent(ctv, vn(2026, 11, 18, 8), code="giao-duc")  # two, never heard before: rising
    sent(ctv, vn(2026, 11, 19, 8), code="giao-duc")
    sent(world.neighbour, vn(2026, 11, 18, 8), code="y-te")  # Tỉnh B: not counted
    sent(world.neighbour, vn(2026, 11, 18, 8), code="y-te")

    found = stats.rising(world.province, W47)
    assert [r.topic.code for r in found] == ["dat-dai", "giao-duc"]
    land, school = found
    assert (land.count, land.average, land.change) == (9, Decimal("3.5"), Decimal("157"))
    assert land.difference == Decimal("5.5")
    assert stats.rising_text(land) == (
        "Đất đai, bồi thường, giải phóng mặt bằng: 9 phản ánh tuần này, trung bình 3,5 phản ánh "
        "mỗi tuần trong bốn tuần trước, ↑ 157%"
    )
    assert school.change is None
    assert stats.rising_text(school, "month") == (
        "Giáo dục: 2 phản ánh tháng này, trung bình 0 phản ánh mỗi tháng trong bốn "
        "tháng trước, mới xuất hiện"
    )
    assert [stats.format_average(Decimal(x) / 4) for x in (1, 2, 14, 0)] == [
        "0,25",
        "0,5",
        "3,5",
        "0",
    ]


def test_the_rising_rule():
    assert stats.is_rising(2, Decimal(0))
    assert not stats.is_rising(1, Decimal(0))
    assert stats.is_rising(6, Decimal(4))
    assert not stats.is_rising(5, Decimal(4))
    assert stats.is_rising(3, Decimal(2))


# Timeliness and medians --------------------------------------------------------------------------


def _concern(actor, report, *, due, reported, answered=None, resolved=None, state=None):
    """A concern opened through the service, then forwarded, answered and resolved on the
    dates the test needs (the services stamp the current time)."""
    concern = concern_open(actor=actor, reports=[report], title=report.title, topic=report.topic)
    if state is None:
        state = State.RESOLVED if resolved else State.ANSWERED if answered else State.FORWARDED
    Concern.objects.filter(pk=concern.pk).update(
        state=state,
        responsible=report.unit,
        due_on=due,
        first_reported_at=reported,
        forwarded_at=reported + timedelta(days=1),
        answered_at=answered,
        resolved_at=resolved,
    )
    return concern


def build_concerns(world, collaborator2):
    """Concerns due in weeks 46 and 47, answered and resolved in and out of time."""
    manager, ctv = world.province_manager, world.collaborator
    # Hoà An: resolved in time (answer 4 days, resolution 5,5 days) ...
    c1 = sent(ctv, vn(2026, 11, 10, 8), unit=world.cell, title="Sạt lở bờ sông")
    _concern(
        manager,
        c1,
        due=date(2026, 11, 16),
        reported=vn(2026, 11, 10, 8),
        answered=vn(2026, 11, 14, 8),
        resolved=vn(2026, 11, 15, 20),
    )
    # ... and answered late (9 days), not resolved
    c2 = sent(ctv, vn(2026, 11, 11, 8), title="Giá điện tăng")
    _concern(
        manager,
        c2,
        due=date(2026, 11, 18),
        reported=vn(2026, 11, 11, 8),
        answered=vn(2026, 11, 20, 8),
    )
    # Ngân Sơn: answered in time (7 days), resolved at 00:30 on 21/11 in Vietnam (17:30 UTC on
    # 20/11) — one day late, though on time by the UTC date
    c3 = sent(collaborator2, vn(2026, 11, 12, 8), title="Nước sinh hoạt")
    _concern(
        manager,
        c3,
        due=date(2026, 11, 20),
        reported=vn(2026, 11, 12, 8),
        answered=vn(2026, 11, 19, 8),
        resolved=datetime(2026, 11, 20, 17, 30, tzinfo=UTC),
    )
    # ... and one forwarded, never answered, due 22/11
    c4 = sent(collaborator2, vn(2026, 11, 13, 8), title="Đường hỏng")
    _concern(manager, c4, due=date(2026, 11, 22), reported=vn(2026, 11, 13, 8))
    # Not counted: due after the range; closed without action; in Tỉnh B
    c5 = sent(ctv, vn(2026, 11, 13, 8), title="Trường học")
    _concern(manager, c5, due=date(2026, 11, 30), reported=vn(2026, 11, 13, 8))
    c6 = sent(ctv, vn(2026, 11, 13, 8), title="Tin đồn")
    _concern(
        manager, c6, due=date(2026, 11, 21), reported=vn(2026, 11, 13, 8), state=State.NO_ACTION
    )
    c7 = sent(world.neighbour, vn(2026, 11, 13, 8), title="Ô nhiễm")
    _concern(
        world.neighbour,
        c7,
        due=date(2026, 11, 20),
        reported=vn(2026, 11, 13, 8),
        answered=vn(2026, 11, 14, 8),
        resolved=vn(2026, 11, 15, 8),
    )


@pytest.fixture
def concerns(world, collaborator2):
    build_concerns(world, collaborator2)


def _rows(world, today):
    overview = stats.overview(world.province, Week.ending(W47, 2), today=today)
    return {row.label: row for row in overview.resolution}


def test_share_resolved_and_answered_within_the_due_date(world, concerns):
    rows = _rows(world, date(2026, 11, 25))
    hoa_an, ngan_son = rows["Xã Hoà An"], rows["Xã Ngân Sơn"]
    total = rows["Tổng cộng: Tỉnh A"]
    assert (hoa_an.due, hoa_an.resolved_on_time, hoa_an.resolved_share) == (2, 1, Decimal(50))
    assert (hoa_an.answer_due, hoa_an.answered_on_time) == (2, 1)
    assert (ngan_son.due, ngan_son.resolved_on_time) == (2, 0)  # 00:30 on 21/11 is late
    assert (ngan_son.answer_due, ngan_son.answered_on_time) == (2, 1)
    assert (total.due, total.resolved_on_time, total.resolved_share) == (4, 1, Decimal(25))
    assert (total.answer_due, total.answered_on_time, total.answered_share) == (4, 2, Decimal(50))


def test_a_concern_still_within_its_due_date_is_left_out_until_resolved(world, concerns):
    rows = _rows(world, date(2026, 11, 19))
    # c2 (due 18) has passed; c3 (due 20) is resolved; c4 (due 22) is pending: left out
    assert (rows["Xã Hoà An"].due, rows["Xã Ngân Sơn"].due) == (2, 1)
    assert rows["Xã Ngân Sơn"].answer_due == 1  # c3, answered; c4 is pending


def test_median_days_to_answer_and_to_resolve(world, concerns):
    rows = _rows(world, date(2026, 11, 25))
    hoa_an, ngan_son = rows["Xã Hoà An"], rows["Xã Ngân Sơn"]
    assert (hoa_an.answer_median, hoa_an.resolve_median) == (Decimal("6.5"), Decimal("5.5"))
    assert (ngan_son.answer_median, ngan_son.resolve_median) == (Decimal("7.0"), Decimal("8.7"))
    total = rows["Tổng cộng: Tỉnh A"]
    assert (total.answer_median, total.resolve_median) == (Decimal("7.0"), Decimal("7.1"))
    assert "Tỉnh B" not in rows and all(r.unit.is_within(world.province) for r in rows.values())
