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
