from dataclasses import FrozenInstanceError
from datetime import date, datetime

import pytest

from tuyengiao.periods import Period

P = Period.parse


@pytest.mark.parametrize(
    ("pid", "kind", "start", "end", "label"),
    [
        ("2024", "year", date(2024, 1, 1), date(2024, 12, 31), "Năm 2024"),
        ("2024S1", "half", date(2024, 1, 1), date(2024, 6, 30), "6 tháng đầu năm 2024"),
        ("2024S2", "half", date(2024, 7, 1), date(2024, 12, 31), "6 tháng cuối năm 2024"),
        ("2024Q1", "quarter", date(2024, 1, 1), date(2024, 3, 31), "Quý I/2024"),
        ("2024Q2", "quarter", date(2024, 4, 1), date(2024, 6, 30), "Quý II/2024"),
        ("2024Q3", "quarter", date(2024, 7, 1), date(2024, 9, 30), "Quý III/2024"),
        ("2024Q4", "quarter", date(2024, 10, 1), date(2024, 12, 31), "Quý IV/2024"),
        ("2024-01", "month", date(2024, 1, 1), date(2024, 1, 31), "Tháng 1/2024"),
        ("2024-02", "month", date(2024, 2, 1), date(2024, 2, 29), "Tháng 2/2024"),
        ("2023-02", "month", date(2023, 2, 1), date(2023, 2, 28), "Tháng 2/2023"),
        ("2024-11", "month", date(2024, 11, 1), date(2024, 11, 30), "Tháng 11/2024"),
        ("2024-12", "month", date(2024, 12, 1), date(2024, 12, 31), "Tháng 12/2024"),
        ("9999-12", "month", date(9999, 12, 1), date(9999, 12, 31), "Tháng 12/9999"),
    ],
)
def test_it_parses_period_ids(pid: str, kind: str, start: date, end: date, label: str) -> None:
    period = P(pid)
    assert (period.id, period.kind, period.start, period.end) == (pid, kind, start, end)
    assert period.label == label
    assert str(period) == pid


@pytest.mark.parametrize(("raw", "pid"), [(" 2024q3 ", "2024Q3"), ("2024s2", "2024S2")])
def test_it_canonicalises_ids(raw: str, pid: str) -> None:
    assert P(raw).id == pid
    assert P(raw) == P(pid)


@pytest.mark.parametrize(
    "pid",
    [
        "",
        "24",
        "20240",
        "0000",
        "2024S0",
        "2024S3",
        "2024Q0",
        "2024Q5",
        "2024-00",
        "2024-13",
        "2024-1",
        "2024-001",
        "2024/11",
        "2024H1",
        "11/2024",
        "Quý III/2024",
        "2024 Q1",
    ],
)
def test_it_rejects_bad_ids(pid: str) -> None:
    with pytest.raises(ValueError, match="Kỳ báo cáo .* không hợp lệ"):
        P(pid)


def test_it_rejects_inconsistent_construction() -> None:
    with pytest.raises(ValueError):
        Period("2024", "month", date(2024, 1, 1), date(2024, 12, 31))
    assert Period("2024", "year", date(2024, 1, 1), date(2024, 12, 31)) == P("2024")


def test_periods_are_frozen_and_hashable() -> None:
    period = P("2024Q1")
    with pytest.raises(FrozenInstanceError):
        period.id = "2024Q2"  # type: ignore[misc]
    assert len({P("2024Q1"), P("2024q1"), P("2024Q2")}) == 2


@pytest.mark.parametrize(
    ("outer", "inner", "expected"),
    [
        ("2024", "2024Q3", True),
        ("2024", "2024-12", True),
        ("2024", "2024", True),
        ("2024S1", "2024Q2", True),
        ("2024S1", "2024Q3", False),
        ("2024Q3", "2024-09", True),
        ("2024Q3", "2024-10", False),
        ("2024Q3", "2024S2", False),
        ("2024-01", "2024", False),
        ("2023", "2024-01", False),
    ],
)
def test_contains(outer: str, inner: str, expected: bool) -> None:
    assert P(outer).contains(P(inner)) is expected


@pytest.mark.parametrize(
    ("pid", "d", "expected"),
    [
        ("2024Q1", date(2024, 1, 1), True),
        ("2024Q1", date(2024, 3, 31), True),
        ("2024Q1", date(2024, 4, 1), False),
        ("2024Q1", date(2023, 12, 31), False),
        ("2024-02", date(2024, 2, 29), True),
        ("2024S2", datetime(2024, 12, 31, 23, 59), True),
    ],
)
def test_contains_date(pid: str, d: date, expected: bool) -> None:
    assert P(pid).contains_date(d) is expected


@pytest.mark.parametrize(
    ("pid", "kind", "expected"),
    [
        ("2024", "quarter", ["2024Q1", "2024Q2", "2024Q3", "2024Q4"]),
        ("2024", "half", ["2024S1", "2024S2"]),
        ("2024S2", "quarter", ["2024Q3", "2024Q4"]),
        ("2024Q3", "month", ["2024-07", "2024-08", "2024-09"]),
        ("2024Q3", "quarter", ["2024Q3"]),
    ],
)
def test_children(pid: str, kind: str, expected: list[str]) -> None:
    assert [str(p) for p in P(pid).children(kind)] == expected


def test_a_year_has_twelve_months() -> None:
    months = P("2024").children("month")
    assert [p.id for p in months] == [f"2024-{m:02d}" for m in range(1, 13)]


@pytest.mark.parametrize(
    ("pid", "kind"), [("2024Q1", "year"), ("2024-01", "quarter"), ("2024", "week")]
)
def test_children_rejects_coarser_or_unknown_kinds(pid: str, kind: str) -> None:
    with pytest.raises(ValueError):
        P(pid).children(kind)


@pytest.mark.parametrize(
    ("pid", "following"),
    [
        ("2024", "2025"),
        ("2024S1", "2024S2"),
        ("2024S2", "2025S1"),
        ("2024Q3", "2024Q4"),
        ("2024Q4", "2025Q1"),
        ("2024-01", "2024-02"),
        ("2024-12", "2025-01"),
    ],
)
def test_next_and_previous(pid: str, following: str) -> None:
    assert P(pid).next() == P(following)
    assert P(following).previous() == P(pid)


@pytest.mark.parametrize(
    ("pid", "step"), [("9999", "next"), ("9999Q4", "next"), ("0001-01", "previous")]
)
def test_next_and_previous_at_the_edge_of_the_calendar(pid: str, step: str) -> None:
    with pytest.raises(ValueError):
        getattr(P(pid), step)()


@pytest.mark.parametrize(
    ("kind", "d", "expected"),
    [
        ("year", date(2024, 7, 15), "2024"),
        ("half", date(2024, 6, 30), "2024S1"),
        ("half", date(2024, 7, 1), "2024S2"),
        ("quarter", date(2024, 3, 31), "2024Q1"),
        ("quarter", date(2024, 11, 5), "2024Q4"),
        ("month", date(2024, 2, 29), "2024-02"),
        ("month", datetime(2024, 5, 18, 8, 30), "2024-05"),
    ],
)
def test_of(kind: str, d: date, expected: str) -> None:
    assert Period.of(kind, d) == P(expected)


def test_of_rejects_unknown_kind() -> None:
    with pytest.raises(ValueError, match="Loại kỳ"):
        Period.of("week", date(2024, 1, 1))


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("2024Q3", "2025Q2", ["2024Q3", "2024Q4", "2025Q1", "2025Q2"]),
        ("2024-11", "2025-02", ["2024-11", "2024-12", "2025-01", "2025-02"]),
        ("2024S2", "2024S2", ["2024S2"]),
        ("2022", "2024", ["2022", "2023", "2024"]),
    ],
)
def test_range(first: str, last: str, expected: list[str]) -> None:
    assert [p.id for p in Period.range(P(first), P(last))] == expected


@pytest.mark.parametrize(("first", "last"), [("2024Q1", "2024-03"), ("2024", "2024S1")])
def test_range_rejects_mixed_kinds(first: str, last: str) -> None:
    with pytest.raises(ValueError, match="cùng loại"):
        Period.range(P(first), P(last))


def test_range_rejects_reversed_bounds() -> None:
    with pytest.raises(ValueError, match="phải trước"):
        Period.range(P("2025Q1"), P("2024Q4"))


def test_ordering_is_by_start_then_end() -> None:
    ids = ["2024", "2023-12", "2024S1", "2024-01", "2024Q1", "2024Q2", "2023"]
    assert [p.id for p in sorted(P(i) for i in ids)] == [
        "2023",
        "2023-12",
        "2024-01",
        "2024Q1",
        "2024S1",
        "2024",
        "2024Q2",
    ]
    assert P("2024Q1") < P("2024Q2") <= P("2024Q2") < P("2024S2")
    assert P("2024") > P("2024S1") >= P("2024Q1")
    assert max(P("2024-01"), P("2024Q1")) == P("2024Q1")
    assert min(P("2024-03"), P("2024Q1")) == P("2024Q1")


def test_ordering_against_other_types_is_an_error() -> None:
    with pytest.raises(TypeError):
        _ = P("2024") < "2025"  # type: ignore[operator]


def test_a_period_knows_the_longer_periods_that_contain_it():
    ids = [p.id for p in Period.parse("2024-08").containing()]
    assert ids == ["2024", "2024S2", "2024Q3", "2024-08"]
    assert [p.id for p in Period.parse("2024").containing()] == ["2024"]


def test_a_period_knows_every_period_inside_it():
    ids = [p.id for p in Period.parse("2024S1").within()]
    assert ids == ["2024S1", "2024Q1", "2024Q2", *(f"2024-{m:02d}" for m in range(1, 7))]


def test_counting_periods_of_one_kind_over_a_range():
    assert Period.parse("2024-11").count_to(Period.parse("2025-02")) == 4
    assert Period.parse("2024Q1").count_to(Period.parse("2024Q1")) == 1
    assert Period.parse("2020").count_to(Period.parse("2024")) == 5
