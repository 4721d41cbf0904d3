"""The reads of outreach: the roll-ups by unit and period against a plain count of the records,
the flags (no session in N months, term ending soon) on a fixed day, search without
diacritics, and scope (a neighbouring commune sees nothing)."""

import random
from datetime import date, timedelta

import pytest
from django.http import Http404

from tests.clock import on_day
from tuyengiao.org.models import within
from tuyengiao.outreach import queries, services
from tuyengiao.outreach.models import Exemplar, OutreachSession
from tuyengiao.periods import Period

from .conftest import TODAY, area, model, session, speaker

pytestmark = on_day("2026-12-06")


def test_sessions_roll_up_the_tree_as_a_plain_count_says(world):
    boss = world.province_manager
    rng = random.Random(15)
    people = [
        speaker(boss, world.province, name="Tỉnh"),
        speaker(boss, world.commune, name="Xã một"),
        speaker(boss, world.commune2, name="Xã hai"),
    ]
    places = [world.province, world.commune, world.cell, world.cell2, world.commune2]
    for _ in range(60):
        person = rng.choice(people)
        where = rng.choice([u for u in places if u.is_within(person.unit)])
        day = date(2026, 1, 1) + timedelta(days=rng.randrange(339))
        session(boss, person, where, held_on=day, audience=rng.randint(1, 200))
    for period in (Period.parse("2026"), Period.parse("2026Q3"), Period.parse("2026-11"), None):
        rollup = queries.session_rollup(boss, world.province, period)
        for row in rollup.rows:
            raw = OutreachSession.objects.all()
            if period is not None:
                raw = raw.filter(held_on__gte=period.start, held_on__lte=period.end)
            raw = (
                raw.filter(unit_path=row.unit.path)
                if row.own
                else raw.filter(within("unit_path", row.unit.path))
            )
            assert row.counts.sessions == raw.count()
            assert row.counts.audience == sum(raw.values_list("audience", flat=True))
        everything = OutreachSession.objects.all()
        if period is not None:
            everything = everything.filter(held_on__gte=period.start, held_on__lte=period.end)
        assert rollup.total.sessions == everything.count()
        by_speaker = queries.sessions_by_speaker(boss, world.province, period)
        assert sum(r["sessions"] for r in by_speaker) == everything.count()
        for row in by_speaker:
            assert row["sessions"] == everything.filter(speaker_id=row["speaker_id"]).count()
    # the commune's own table: its cells and its own row
    rollup = queries.session_rollup(boss, world.commune, Period.parse("2026"))
    assert {r.unit for r in rollup.rows} <= {world.commune, world.cell, world.cell2}


def test_speakers_with_no_session_in_the_last_months_are_flagged(world):
    boss = world.commune_staff
    busy, idle, never = (speaker(boss, name=n) for n in ("Bận", "Nghỉ", "Chưa nói"))
    session(boss, busy, held_on=date(2026, 6, 7))  # within 6 months of 06/12/2026
    session(boss, idle, held_on=date(2026, 6, 6))  # just outside
    ended = speaker(boss, name="Hết hạn", starts_on=date(2025, 10, 1), ends_on=date(2026, 1, 31))
    flagged = set(queries.idle_speakers(boss, world.commune, today=TODAY))
    assert flagged == {idle, never}  # not the one whose term has ended
    assert ended not in flagged
    assert set(queries.idle_speakers(boss, world.commune, months=7, today=TODAY)) == {never}
    roster = {s.pk: s for s in queries.roster(boss, world.commune, today=TODAY)}
    assert queries.is_idle(roster[idle.pk], TODAY)
    assert not queries.is_idle(roster[busy.pk], TODAY)
    assert roster[busy.pk].last_session == date(2026, 6, 7)


def test_terms_ending_soon_are_listed(world):
    boss = world.commune_staff
    soon = speaker(boss, name="Sắp hết", ends_on=date(2027, 1, 4))
    later = speaker(boss, name="Còn lâu", ends_on=date(2027, 6, 1))
    speaker(boss, name="Đã hết", starts_on=date(2025, 10, 1), ends_on=date(2026, 12, 5))
    assert list(queries.terms_ending(boss, world.commune, days=30, today=TODAY)) == [soon]
    found = list(queries.terms_ending(boss, world.commune, days=180, today=TODAY))
    assert found == [soon, later]


def test_the_roster_filters_by_level_term_and_name_without_diacritics(world):
    boss = world.province_manager
    province = speaker(boss, name="Nguyễn Thị Hoà")
    commune = speaker(boss, world.commune, name="Đỗ Văn Đức", term="2020-2025",
                      starts_on=date(2021, 1, 1), ends_on=date(2025, 12, 31),
                      decision_issued_on=date(2021, 1, 1))  # fmt: skip
    assert list(queries.roster(boss, world.province, level="commune")) == [commune]
    assert list(queries.roster(boss, world.province, term="2025-2030")) == [province]
    assert list(queries.roster(boss, world.province, q="hòa")) == [province]
    assert list(queries.roster(boss, world.province, q="do van duc")) == [commune]
    assert queries.terms(boss, world.province) == ["2025-2030", "2020-2025"]


def test_models_are_found_without_diacritics_and_counted_by_field_and_unit(world):
    boss = world.province_manager
    rng = random.Random(7)
    codes = ["dan-van", "tuyen-truyen-mieng"]
    units = [world.province, world.commune, world.cell, world.commune2]
    for i in range(20):
        model(boss, rng.choice(units), name=f"Mô hình số {i}", area_code=rng.choice(codes))
    found = model(boss, world.cell, name="Chi bộ bốn tốt, đảng viên gương mẫu")
    services.replication_add(
        actor=boss, model=found, unit=world.commune2, replicated_on=date(2026, 6, 1), today=TODAY
    )
    assert list(queries.models_in(boss, world.province, q="bon tot dang vien")) == [found]
    assert list(queries.models_in(boss, world.province, q="BỐN TỐT")) == [found]
    counts = queries.model_counts(boss, world.province)
    for row in counts.rows:
        raw = (
            Exemplar.objects.filter(unit_path=row.unit.path)
            if row.own
            else Exemplar.objects.filter(within("unit_path", row.unit.path))
        )
        for code in codes:
            assert row.by_area.get(area(code).pk, 0) == raw.filter(area__code=code).count()
        assert row.total == raw.count()
    assert counts.total == Exemplar.objects.count()
    assert counts.replications == 1
    by_unit = {r.unit: r for r in counts.rows}
    assert by_unit[world.commune2].replications == 1


def test_a_neighbouring_commune_sees_nothing(world):
    from tests.factories import UserFactory
    from tuyengiao.org.models import Role

    staff2 = UserFactory(username="xa2", unit=world.commune2, role=Role.STAFF)
    person = speaker(world.commune_staff)
    heard = session(world.commune_staff, person, world.cell)
    found = model(world.commune_staff)
    for read in (queries.speaker_for, queries.session_for, queries.model_for):
        obj = {queries.speaker_for: person, queries.session_for: heard}.get(read, found)
        with pytest.raises(Http404):
            read(staff2, obj.pk)
        assert read(world.province_manager, obj.pk) == obj
    assert not queries.roster(staff2, world.commune2).exists()
    assert queries.session_rollup(staff2, world.commune2).total.sessions == 0
    assert queries.model_counts(staff2, world.commune2).total == 0
    with pytest.raises(Http404):
        queries.photo_for(staff2, 1)
