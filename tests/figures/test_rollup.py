"""The stored roll-up equals live aggregation over the raw values, digit for digit."""

import random
from decimal import Decimal

import pytest

from tests.figures.conftest import enter
from tuyengiao.figures import rollup
from tuyengiao.figures.models import Rollup, Value
from tuyengiao.figures.queries import table
from tuyengiao.org.services import unit_merge, unit_move
from tuyengiao.periods import Period

pytestmark = pytest.mark.django_db
NUMERIC = ["LOP_KH", "LOP_TH", "HV_CHITIEU", "HV_DANGKY", "BCV", "DIEM"]


def stored(unit, indicator_ids, period_ids):
    rows = Rollup.objects.filter(
        unit=unit, indicator_id__in=indicator_ids, period__in=period_ids, count__gt=0
    )
    return {(r.indicator_id, r.period): (r.total, r.count, r.last_total) for r in rows}


def assert_exact(units, forms, periods):
    ids = [forms.indicators[c].pk for c in NUMERIC]
    for unit in units:
        unit.refresh_from_db()  # a restructure changed paths behind these objects
        live = rollup.live(unit, ids, periods)
        have = stored(unit, ids, periods)
        # "last" sums only matter for last-value indicators; compare what each one reads
        for key in live.keys() | have.keys():
            a, b = live.get(key), have.get(key)
            assert a is not None and b is not None, (unit.name, key, a, b)
            assert a[:2] == b[:2], (unit.name, key, a, b)
            if key[0] == forms.indicators["BCV"].pk:
                assert a[2] == b[2], (unit.name, key, a, b)


def cell(t, unit, column):
    row = next(r for r in t.rows if r.unit == unit)
    return row.cells[column].value


def test_hand_computed_sum_average_last_and_derived(world, forms):
    actor = None
    bm = forms.monthly
    enter(actor, bm, world.cell, "2024-01", LOP_KH="2", LOP_TH="3", BCV="5", DIEM="8,5")
    enter(actor, bm, world.cell, "2024-02", LOP_KH="1", LOP_TH="1", BCV="6", DIEM="9")
    enter(actor, bm, world.cell2, "2024-01", LOP_KH="4", LOP_TH="2", BCV="3", DIEM="7")
    enter(actor, bm, world.commune2, "2024-03", LOP_KH="10", LOP_TH="13", BCV="2")
    i = forms.indicators
    q1 = [Period.parse("2024Q1")]
    t = table(world.province, [i["LOP_TH"], i["BCV"], i["DIEM"], i["TL_LOP"]], q1)
    # sum: 3 + 1 + 2 (Hoà An's cells) + 13 (Ngân Sơn) = 19, against a plan of 17
    assert cell(t, world.province, 0) == 19
    assert t.rows[-1].cells[0].text == "19/17, đạt 111,76%"
    assert cell(t, world.commune, 0) == 6
    # last value: Nà Pài's latest 6 + Bản Chang's latest 3 = 9; with Ngân Sơn 11
    assert cell(t, world.commune, 1) == 9
    assert cell(t, world.province, 1) == 11
    # average of every value reported: (8.5 + 9 + 7) / 3
    assert cell(t, world.province, 2) == Decimal("24.5") / 3
    # derived after aggregation: 19 / 17 × 100, not the mean of the units' rates
    assert cell(t, world.province, 3) == Decimal(19) / Decimal(17) * 100
    months = table(
        world.commune, [i["LOP_TH"]], Period.range(*map(Period.parse, ["2024-01", "2024-03"]))
    )
    assert [c.value for c in months.rows[-1].cells] == [5, 1, None]


def test_changing_and_clearing_a_value_moves_every_total(world, forms):
    actor = None
    i = forms.indicators
    enter(actor, forms.monthly, world.cell, "2024-05", LOP_TH="7", LOP_KH="7", BCV="4")
    enter(actor, forms.monthly, world.cell, "2024-05", LOP_TH="2", LOP_KH="2", BCV="")
    t = table(world.root, [i["LOP_TH"], i["BCV"]], [Period.parse("2024")])
    assert cell(t, world.root, 0) == 2
    assert cell(t, world.root, 1) is None
    assert_exact([world.root, world.province, world.commune, world.cell], forms, ["2024", "2024S1"])


def test_random_writes_match_live_aggregation(world, forms):
    rng = random.Random(2026)
    actor = None
    units = [world.cell, world.cell2, world.commune, world.commune2, world.other_cell]
    months = [f"2024-{m:02d}" for m in range(1, 13)] + ["2025-01", "2025-02"]
    for _step in range(60):
        entries = {}
        for code in rng.sample(NUMERIC, 3):
            choice = rng.random()
            entries[code] = "" if choice < 0.2 else str(rng.randint(0, 500))
            if code == "DIEM" and entries[code]:
                entries[code] = f"{rng.randint(0, 10)},{rng.randint(0, 99):02d}"
        entries.setdefault("LOP_KH", entries.get("LOP_TH", ""))
        entries["LOP_TH"] = entries["LOP_KH"]
        enter(actor, forms.monthly, rng.choice(units), rng.choice(months), **entries)
    periods = [
        *months,
        "2024Q1",
        "2024Q2",
        "2024Q3",
        "2024Q4",
        "2025Q1",
        "2024S1",
        "2024S2",
        "2024",
        "2025",
    ]
    all_units = [
        world.root,
        world.province,
        world.commune,
        world.commune2,
        world.cell,
        world.cell2,
        world.other_province,
        world.other_commune,
        world.other_cell,
    ]
    assert_exact(all_units, forms, periods)
    assert Value.objects.count() > 20


def test_move_and_merge_carry_the_history(world, forms):
    actor = None
    admin = None
    enter(actor, forms.monthly, world.cell, "2024-04", LOP_KH="5", LOP_TH="5", BCV="2")
    enter(actor, forms.monthly, world.commune2, "2024-04", LOP_KH="1", LOP_TH="1", BCV="1")
    unit_move(actor=admin, unit=world.cell, new_parent=world.commune2)
    periods = ["2024-04", "2024Q2", "2024"]
    units = [world.root, world.province, world.commune, world.commune2, world.cell]
    assert_exact(units, forms, periods)
    unit_merge(
        actor=admin,
        sources=[world.commune],
        target=world.commune2,
        on=Period.parse("2025-01").start,
    )
    assert_exact(units + [world.cell2], forms, periods)
    unit_move(actor=admin, unit=world.commune2, new_parent=world.other_province)
    assert_exact(units + [world.other_province], forms, periods)
    i = forms.indicators
    t = table(world.root, [i["LOP_TH"]], [Period.parse("2024")])
    assert cell(t, world.other_province, 0) == 6
    assert cell(t, world.province, 0) is None


def test_rebuild_gives_the_same_tables(world, forms):
    actor = None
    enter(actor, forms.monthly, world.cell, "2024-01", LOP_KH="2", LOP_TH="3", BCV="5", DIEM="8,5")
    enter(actor, forms.monthly, world.cell, "2024-02", BCV="6")
    enter(actor, forms.monthly, world.commune2, "2024-12", LOP_TH="4", LOP_KH="4", BCV="1")
    before = set(
        Rollup.objects.filter(count__gt=0).values_list(
            "unit_id", "indicator_id", "period", "total", "count", "last_total"
        )
    )
    rollup.rebuild()
    after = set(
        Rollup.objects.values_list(
            "unit_id", "indicator_id", "period", "total", "count", "last_total"
        )
    )
    bcv = forms.indicators["BCV"].pk

    def norm(rows):
        return {r if r[1] == bcv else (*r[:5], 0) for r in rows}

    assert norm(before) == norm(after)
