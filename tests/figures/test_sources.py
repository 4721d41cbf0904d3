"""Record-backed indicators: counted from the records in the same transaction, rolled up like
entered figures, never typed."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tests.outreach.conftest import model, session, speaker
from tuyengiao.figures import rollup, sources
from tuyengiao.figures.models import SCALE, Indicator, Rollup, Value
from tuyengiao.outreach import services as outreach


def _stored(unit, code: str, period: str) -> int:
    row = Rollup.objects.filter(unit=unit, indicator__code=code, period=period).first()
    return (row.total // SCALE) if row else 0


def test_the_counted_indicators_exist_with_their_sources(db):
    codes = dict(Indicator.objects.exclude(source="").values_list("source", "code"))
    assert codes["outreach.sessions"] == "BCV_BUOI"
    assert codes["concerns.received"] == "DLXH_TIEP_NHAN"
    assert {s.code for s in sources.all_sources()} >= set(codes)


def test_a_session_counts_in_its_month_and_rolls_up_at_once(world):
    person = speaker(world.commune_staff)
    heard = session(world.commune_staff, person, world.cell, audience=35, held_on=date(2026, 11, 3))
    for unit in (world.cell, world.commune, world.province, world.root):
        assert _stored(unit, "BCV_BUOI", "2026-11") == 1
        assert _stored(unit, "BCV_LUOT_NGHE", "2026Q4") == 35
        assert _stored(unit, "BCV_LUOT_NGHE", "2026") == 35
    assert _stored(world.other_province, "BCV_BUOI", "2026") == 0

    outreach.session_update(
        actor=world.commune_staff,
        session=heard,
        held_on=date(2026, 10, 30),
        audience=40,
        today=date(2026, 12, 6),
    )
    assert _stored(world.commune, "BCV_BUOI", "2026-11") == 0
    assert _stored(world.commune, "BCV_BUOI", "2026-10") == 1
    assert _stored(world.province, "BCV_LUOT_NGHE", "2026Q4") == 40

    outreach.session_delete(actor=world.commune_staff, session=heard)
    assert _stored(world.province, "BCV_LUOT_NGHE", "2026") == 0
    assert not Value.objects.filter(indicator__source__startswith="outreach.sessions").exists()


def test_models_and_replications_count_where_they_are(world):
    exemplary = model(world.commune_staff)
    assert _stored(world.commune, "MH_CONG_NHAN", "2026-03") == 1
    outreach.replication_add(
        actor=world.commune_staff,
        model=exemplary,
        unit=world.cell,
        replicated_on=date(2026, 9, 1),
        today=date(2026, 12, 6),
    )
    assert _stored(world.cell, "MH_NHAN_RONG", "2026Q3") == 1
    assert _stored(world.province, "MH_NHAN_RONG", "2026") == 1


def test_a_counted_indicator_cannot_be_derived_or_averaged(db):
    indicator = Indicator(code="X_DEM", name="x", source="outreach.sessions", aggregation="average")
    with pytest.raises(ValidationError):
        indicator.clean()
    indicator = Indicator(code="X_DEM", name="x", source="khong.co")
    with pytest.raises(ValidationError):
        indicator.clean()


def test_rebuild_gives_what_the_saves_kept(world):
    person = speaker(world.commune_staff)
    for day, audience in ((date(2026, 1, 5), 10), (date(2026, 6, 7), 20), (date(2026, 6, 9), 5)):
        session(world.commune_staff, person, world.cell, audience=audience, held_on=day)
    kept = sorted(
        Value.objects.exclude(indicator__source="").values_list(
            "unit_id", "indicator_id", "period", "number"
        )
    )
    kept_rollup = rollup.live(
        world.root, list(Indicator.objects.values_list("pk", flat=True)), ["2026"]
    )
    sources.rebuild()
    assert (
        sorted(
            Value.objects.exclude(indicator__source="").values_list(
                "unit_id", "indicator_id", "period", "number"
            )
        )
        == kept
    )
    assert (
        rollup.live(world.root, list(Indicator.objects.values_list("pk", flat=True)), ["2026"])
        == kept_rollup
    )


def _raw(unit, period_id: str) -> tuple[int, int]:
    """Sessions and audience of the unit's subtree in the period, counted by hand."""
    from tuyengiao.org.models import within
    from tuyengiao.outreach.models import OutreachSession
    from tuyengiao.periods import Period

    period = Period.parse(period_id)
    rows = OutreachSession.objects.filter(
        within("unit_path", unit.path), held_on__gte=period.start, held_on__lte=period.end
    )
    return rows.count(), sum(rows.values_list("audience", flat=True))


def test_random_records_moves_and_merges_match_a_raw_count(world):
    import random

    from tuyengiao.org.services import unit_merge, unit_move

    rng = random.Random(15)
    units = [world.cell, world.cell2, world.commune, world.commune2, world.other_cell]
    people = {u.pk: speaker(None, u) for u in units}
    held = []
    periods = ["2026-01", "2026-02", "2026-03", "2026Q1", "2026Q2", "2026S1", "2026"]
    every = [world.root, world.province, world.other_province, *units, world.other_commune]

    def check():
        for unit in every:
            unit.refresh_from_db()
            for period in periods:
                sessions, audience = _raw(unit, period)
                assert _stored(unit, "BCV_BUOI", period) == sessions, (unit, period)
                assert _stored(unit, "BCV_LUOT_NGHE", period) == audience, (unit, period)

    for step in range(45):
        roll = rng.random()
        if roll < 0.55 or not held:
            unit = rng.choice(units)
            person = people[unit.pk]
            day = date(2026, rng.randint(1, 6), rng.randint(1, 28))
            held.append(session(None, person, unit, held_on=day, audience=rng.randint(1, 90)))
        elif roll < 0.8:
            one = rng.choice(held)
            outreach.session_update(
                actor=None,
                session=one,
                held_on=date(2026, rng.randint(1, 6), rng.randint(1, 28)),
                audience=rng.randint(1, 90),
                today=date(2026, 12, 6),
            )
        else:
            outreach.session_delete(actor=None, session=held.pop(rng.randrange(len(held))))
        if step == 15:
            unit_move(actor=None, unit=world.cell, new_parent=world.commune2)
            check()
        if step == 30:
            unit_merge(
                actor=None, sources=[world.commune], target=world.commune2, on=date(2026, 7, 1)
            )
            check()
    check()
    unit_move(actor=None, unit=world.commune2, new_parent=world.other_province)
    check()


def _counted_form(world):
    from tuyengiao.figures.models import DataSet

    form = DataSet.objects.create(
        code="KQ-QUY",
        name="Kết quả công tác",
        period_kind="quarter",
        levels=["commune", "cell"],
        first_period="2026Q1",
        due_days=5,
        lock_days=20000,
    )
    for position, code in enumerate(["BCV_BUOI", "BCV_LUOT_NGHE"]):
        form.rows.create(indicator=Indicator.objects.get(code=code), position=position)
    return form


def test_the_report_form_shows_the_count_read_only_and_refuses_a_typed_one(world, client):
    from tuyengiao.figures.services import report_open, report_save
    from tuyengiao.periods import Period

    form = _counted_form(world)
    person = speaker(world.commune_staff)
    session(world.commune_staff, person, world.commune, audience=35, held_on=date(2026, 2, 3))
    session(world.commune_staff, person, world.commune, audience=15, held_on=date(2026, 3, 9))
    session(world.commune_staff, person, world.cell, audience=99, held_on=date(2026, 3, 9))
    report = report_open(
        actor=world.commune_staff, data_set=form, unit=world.commune, period=Period.parse("2026Q1")
    )
    with pytest.raises(ValidationError) as refused:
        report_save(actor=world.commune_staff, report=report, entries={"BCV_BUOI": "7"}, version=0)
    assert "đếm từ hồ sơ" in str(refused.value)

    client.force_login(world.commune_staff)
    page = client.get(f"/figures/reports/{report.pk}/").content.decode()
    assert 'name="BCV_BUOI"' not in page
    assert '<output class="counted" data-counted="1">2</output>' in page
    assert '<output class="counted" data-counted="1">50</output>' in page
    assert "/outreach/sessions/?unit=%d&amp;period=2026Q1" % world.commune.pk in page

    api = client.get(f"/api/reports/{report.pk}/").json()
    assert api["counted"] == {"BCV_BUOI": 2, "BCV_LUOT_NGHE": 50}
    assert api["values"] == {}
    refused = client.patch(
        f"/api/reports/{report.pk}/values/",
        {"version": 0, "values": {"BCV_BUOI": 9}},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert "BCV_BUOI" in refused.json()["errors"]
