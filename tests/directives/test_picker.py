"""Picking receivers by hand: the sender's subtree as a tree, each row with its parent, never
the sender's own level; the ticked units, and only they, receive the document.

The page draws the sender's children; the units below them come as JSON from
`directives:send_receivers` (receiver-picker.js puts them in the tree), or, without JavaScript,
with the page itself asked for the whole tree (`?all=1`)."""

import re
from datetime import date

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


def boxes(html: str) -> set[int]:
    return {int(v) for v in re.findall(r'name="receivers" value="(\d+)"', html)}


def members(client, directive, sender=None) -> dict[int, list[list]]:
    """What receiver-picker.js fetches: the units below each child, by the child's id."""
    sender = f"?sender={sender.pk}" if sender else ""
    response = client.get(f"/directives/{directive.pk}/send/receivers/{sender}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return {int(pk): rows for pk, rows in response.json()["groups"].items()}


def offered(client, directive, sender=None) -> set[int]:
    """Every unit one may tick: the page's children and the units fetched below them; the
    page without JavaScript (`?all=1`) offers the same."""
    query = f"?sender={sender.pk}" if sender else ""
    html = client.get(f"/directives/{directive.pk}/send/{query}").content.decode()
    fetched = {row[0] for rows in members(client, directive, sender).values() for row in rows}
    separator = "&" if query else "?"
    whole = client.get(f"/directives/{directive.pk}/send/{query}{separator}all=1")
    assert boxes(whole.content.decode()) == boxes(html) | fetched
    return boxes(html) | fetched


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
    assert offered(client, directive) == {
        world.commune.pk,
        world.commune2.pk,
        world.office.pk,
        world.cell.pk,
        world.cell2.pk,
    }
    # the page: the children, each with the number of units below it
    assert boxes(html) == {world.commune.pk, world.commune2.pk, world.office.pk}
    assert "2 đơn vị trực thuộc" in html
    assert "Chọn tất cả chi bộ của xã này" in html
    # below them, each cell with its commune (key: the name's and the commune's, unaccented)
    assert members(client, directive)[world.commune.pk] == [
        [world.cell.pk, "Chi bộ thôn Nà Pài", "cell", "Xã Hoà An", "chi bo thon na pai xa hoa an"],
        [
            world.cell2.pk,
            "Chi bộ thôn Bản Chang",
            "cell",
            "Xã Hoà An",
            "chi bo thon ban chang xa hoa an",
        ],
    ]
    assert members(client, directive)[world.commune2.pk] == []
    whole = client.get(f"/directives/{directive.pk}/send/?all=1").content.decode()
    assert "Chi bộ thôn Nà Pài <small>— Xã Hoà An</small>" in whole
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
    assert offered(client, directive) == {world.cell.pk, world.cell2.pk}
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


def test_a_ticked_cell_comes_back_ticked_when_the_form_is_refused(client, world):
    """The page does not draw the cells, but those ticked already stay in the form."""
    directive = register(world)
    client.force_login(world.province_manager)
    response = client.post(
        f"/directives/{directive.pk}/send/",
        {"sender": world.province.pk, "receivers": [world.cell.pk], "sent_on": "2/3/2026"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    html = response.content.decode()
    assert f'name="receivers" value="{world.cell.pk}" checked' in html
    assert "Chi bộ thôn Nà Pài <small>— Xã Hoà An</small>" in html
    assert f'value="{world.cell2.pk}"' not in html


def test_the_units_below_are_fetched_for_a_sender_in_scope_only(client, world):
    directive = register(world)
    url = f"/directives/{directive.pk}/send/receivers/"
    client.force_login(world.neighbour)  # another province's manager: no such document
    assert client.get(url).status_code == 404
    client.force_login(world.province_manager)
    assert client.get(f"{url}?sender={world.other_province.pk}").status_code == 404
    assert client.get(f"{url}?sender=x").status_code == 404
    assert client.post(url).status_code == 405
    # a commune that never received the document sends nothing
    assert client.get(f"{url}?sender={world.commune.pk}").status_code == 404


def sender_select(html: str) -> str:
    start = html.index('<select name="sender"')
    return html[start : html.index("</select>", start)]


def test_a_cell_is_not_offered_as_a_sender(client, world):
    """A cell that received the document has no unit below to send it to: the sender picker
    lists the units that have one (and the sender shown)."""
    directive = register(world)
    send(
        directive,
        world.province,
        [world.commune, world.cell],
        [StepPlan(StepKind.PLAN, days_after=30)],
        date(2026, 3, 2),
    )
    client.force_login(world.province_manager)
    html = client.get(f"/directives/{directive.pk}/send/").content.decode()
    picker = sender_select(html)
    assert set(map(int, re.findall(r'value="(\d+)"', picker))) == {
        world.province.pk,
        world.commune.pk,
    }
    # asked for by hand, the cell is still the sender shown (with its empty tree)
    html = client.get(f"/directives/{directive.pk}/send/?sender={world.cell.pk}").content.decode()
    picker = sender_select(html)
    assert f'value="{world.cell.pk}" selected' in picker
    assert "Không có đơn vị nào dưới đơn vị gửi." in html


def test_the_page_costs_the_same_queries_for_a_province_of_1400_cells(
    client, world, django_assert_max_num_queries
):
    """The page draws the province's children and counts what is below them; the 1,400 cells
    come in one fetch of a fixed number of queries."""
    directive = register(world)
    client.force_login(world.province_manager)
    url = f"/directives/{directive.pk}/send/"
    client.get(url)
    with django_assert_max_num_queries(SEND_PAGE_QUERIES) as few:
        small = client.get(url).content.decode()
    with django_assert_max_num_queries(RECEIVERS_QUERIES) as few_fetched:
        client.get(f"{url}receivers/")
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
    with django_assert_max_num_queries(len(few)):
        html = client.get(url).content.decode()
    with django_assert_max_num_queries(len(few_fetched)):
        fetched = members(client, directive)
    assert len(boxes(html)) == 100 + 3  # the children only
    assert len(html) < len(small) + 100 * 1000  # about a line of HTML per child
    assert sum(len(rows) for rows in fetched.values()) == 100 * 14 + 2
    phuong = communes[42]
    assert [row[1] for row in fetched[phuong.pk]][6:8] == [
        "Chi bộ Tổ dân phố số 7",
        "Chi bộ Tổ dân phố số 8",
    ]
    assert {row[3] for row in fetched[phuong.pk]} == {"Phường 42"}
    # without JavaScript, the whole tree in one page, of the same queries
    with django_assert_max_num_queries(len(few)):
        whole = client.get(f"{url}?all=1").content.decode()
    assert len(boxes(whole)) == 100 * 15 + 5
    assert whole.count("Chi bộ Tổ dân phố số 7 <small>— Phường 42</small>") == 1


# The send page's SQL: session, user, unit, document, senders (first and select), the
# children, the counts below them, notifications; and what the fetch of the units below makes.
SEND_PAGE_QUERIES = 10
RECEIVERS_QUERIES = 6
