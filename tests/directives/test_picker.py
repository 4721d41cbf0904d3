"""Picking receivers by hand: the sender's subtree as a tree, each row with its parent, never
the sender's own level; the ticked units, and only they, receive the document."""

import re
from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import send
from tuyengiao.deadlines.models import Obligation
from tuyengiao.directives.models import Assignment, StepKind
from tuyengiao.directives.services import StepPlan, directive_register
from tuyengiao.org.models import Kind, Level, Unit
from tuyengiao.org.services import NewUnit, units_create_many


def register(world):
    return directive_register(
        actor=None, unit=world.province, symbol="05-CT/TW", issued_on=date(2016, 5, 15), title="x"
    )


def offered(html: str) -> set[int]:
    return {int(v) for v in re.findall(r'name="receivers" value="(\d+)"', html)}


def post(client, directive, sender, receivers):
    return client.post(
        f"/directives/{directive.pk}/send/",
        {
            "sender": sender.pk,
            "receivers": [u.pk for u in receivers],
            "sent_on": "2/3/2026",
            "step_plan": "on",
            "after_plan": "15",
            "unit_plan": "days",
        },
    )


def test_the_province_picks_from_its_communes_with_their_cells_named_with_their_commune(
    client, world
):
    directive = register(world)
    client.force_login(world.province_manager)
    html = client.get(f"/directives/{directive.pk}/send/").content.decode()
    assert offered(html) == {
        world.commune.pk,
        world.commune2.pk,
        world.office.pk,
        world.cell.pk,
        world.cell2.pk,
    }
    assert "Chi bộ thôn Nà Pài <small>— Xã Hoà An</small>" in html
    assert "Chọn tất cả chi bộ của xã này" in html
    # the levels offered are those below the province only
    assert 'name="levels" value="commune"' in html and 'name="levels" value="cell"' in html
    assert 'name="levels" value="province"' not in html


def test_a_commune_is_offered_its_cells_only(client, world):
    directive = register(world)
    send(
        directive,
        world.province,
        [world.commune],
        [StepPlan(StepKind.PLAN, days_after=30)],
        date(2026, 3, 2),
    )
    client.force_login(world.commune_staff)
    response = client.get(f"/directives/{directive.pk}/send/")
    html = response.content.decode()
    assert offered(html) == {world.cell.pk, world.cell2.pk}
    assert 'name="levels" value="cell"' in html and 'name="levels" value="commune"' not in html


def test_the_ticked_units_and_only_they_receive_the_document(client, world):
    directive = register(world)
    client.force_login(world.province_manager)
    response = post(client, directive, world.province, [world.cell, world.commune2])
    assert response.status_code == 302
    assert set(Assignment.objects.values_list("unit_id", flat=True)) == {
        world.cell.pk,
        world.commune2.pk,
    }
    assert set(Obligation.objects.values_list("unit_id", flat=True)) == {
        world.cell.pk,
        world.commune2.pk,
    }


def test_a_unit_outside_the_senders_subtree_is_refused_on_the_page(client, world):
    directive = register(world)
    send(
        directive,
        world.province,
        [world.commune],
        [StepPlan(StepKind.PLAN, days_after=30)],
        date(2026, 3, 2),
    )
    client.force_login(world.province_manager)
    # Xã Hoà An sending to its sibling: refused by field, the ticked box ticked again
    response = post(client, directive, world.commune, [world.commune2, world.cell])
    assert response.status_code == 200
    assert "receivers" in response.context["form"].errors
    assert response.context["picked"] == {world.commune2.pk, world.cell.pk}
    assert not Assignment.objects.filter(dispatch__sender=world.commune).exists()
    # a sender the user may not send from answers 404
    assert post(client, directive, world.other_province, [world.other_commune]).status_code == 404


def page_queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).content.decode()
    return len(queries), html


def test_the_tree_costs_the_same_queries_for_a_province_of_1400_cells(client, world):
    directive = register(world)
    client.force_login(world.province_manager)
    url = f"/directives/{directive.pk}/send/"
    client.get(url)
    few, _html = page_queries(client, url)
    communes = units_create_many(
        actor=None,
        rows=[NewUnit(parent=world.province, name=f"Phường {i}") for i in range(100)],
    )
    units_create_many(
        actor=None,
        rows=[
            NewUnit(parent=c, name=f"Chi bộ Tổ dân phố số {j}", kind=Kind.CELL)
            for c in communes
            for j in range(1, 15)
        ],
    )
    assert Unit.objects.filter(level=Level.CELL).count() >= 1400
    many, html = page_queries(client, url)
    assert len(offered(html)) == 100 * 15 + 5
    assert many == few
    assert html.count("Chi bộ Tổ dân phố số 7 <small>— Phường 42</small>") == 1
