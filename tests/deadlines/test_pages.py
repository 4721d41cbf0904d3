from datetime import date, timedelta

from django.utils import timezone

from tests.clock import on_day
from tests.factories import ObligationFactory
from tuyengiao.deadlines.models import ObligationKind


def test_the_list_shows_a_units_own_obligations_and_filters_by_state(client, world):
    today = timezone.localdate()
    overdue = ObligationFactory(
        unit=world.commune, title="Báo cáo quý", due_on=today - timedelta(1)
    )
    ObligationFactory(unit=world.commune, title="Kế hoạch năm", due_on=today + timedelta(5))
    ObligationFactory(unit=world.cell, title="Việc của chi bộ", due_on=today - timedelta(1))
    client.force_login(world.commune_staff)

    page = client.get(f"/deadlines/?unit={world.commune.pk}").content.decode()
    assert "Báo cáo quý" in page and "Kế hoạch năm" in page
    assert "Việc của chi bộ" not in page

    page = client.get(f"/deadlines/?unit={world.commune.pk}&state=overdue&subtree=1")
    text = page.content.decode()
    assert "Báo cáo quý" in text and "Việc của chi bộ" in text and "Kế hoạch năm" not in text
    assert page.context["page"].paginator.count == 2
    assert overdue.due_on.strftime("%d/%m/%Y") in text


def test_an_unreadable_period_is_explained_not_an_error(client, world):
    client.force_login(world.province_manager)
    response = client.get("/deadlines/dashboard/?period=quy-3")
    assert response.status_code == 200
    assert "không hợp lệ" in response.content.decode().lower() or response.context["period_error"]


@on_day("2026-05-01")
def test_a_task_is_completed_from_its_page_with_a_vietnamese_date(client, world):
    obligation = ObligationFactory(unit=world.commune, due_on=date(2026, 1, 10))
    client.force_login(world.commune_staff)
    response = client.post(
        f"/deadlines/{obligation.pk}/", {"action": "complete", "done_on": "9/1/2026", "note": ""}
    )
    assert response.status_code == 302
    obligation.refresh_from_db()
    assert obligation.done_on == date(2026, 1, 9)


def test_a_bad_date_is_shown_beside_the_field(client, world):
    obligation = ObligationFactory(unit=world.commune)
    client.force_login(world.commune_staff)
    response = client.post(
        f"/deadlines/{obligation.pk}/", {"action": "complete", "done_on": "31/02/2026"}
    )
    assert response.status_code == 200
    assert "không hợp lệ" in response.content.decode()
    obligation.refresh_from_db()
    assert obligation.done_on is None


def test_an_obligation_made_by_a_feature_is_not_closed_by_hand(client, world):
    obligation = ObligationFactory(unit=world.commune, kind=ObligationKind.REPORT)
    client.force_login(world.commune_staff)
    page = client.get(f"/deadlines/{obligation.pk}/").content.decode()
    assert "Ghi nhận hoàn thành" not in page
    response = client.post(
        f"/deadlines/{obligation.pk}/", {"action": "complete", "done_on": "1/1/2026"}
    )
    assert response.status_code == 403


def test_a_unit_with_nothing_of_its_own_opens_on_its_subtree_and_says_so(client, world):
    ObligationFactory(unit=world.cell, title="Việc của chi bộ", due_on=date(2026, 3, 1))
    ObligationFactory(unit=world.commune, title="Việc của xã", due_on=date(2026, 3, 2))
    client.force_login(world.province_manager)

    response = client.get("/deadlines/")
    text = response.content.decode()
    assert response.context["page"].paginator.count == 2
    assert "Việc của chi bộ" in text and "Việc của xã" in text
    notice = "Đơn vị không có việc riêng; đang hiển thị việc của các đơn vị cấp dưới."
    assert notice in text

    # Unticking the box is heard: the province's own list, empty, without the notice.
    response = client.get("/deadlines/", {"subtree": "0"})
    assert response.context["page"].paginator.count == 0
    assert notice not in response.content.decode()


def test_a_unit_with_work_of_its_own_opens_on_it(client, world):
    ObligationFactory(unit=world.cell, title="Việc của chi bộ", due_on=date(2026, 3, 1))
    ObligationFactory(unit=world.commune, title="Việc của xã", due_on=date(2026, 3, 2))
    client.force_login(world.commune_staff)
    response = client.get("/deadlines/")
    text = response.content.decode()
    assert "Việc của xã" in text and "Việc của chi bộ" not in text
    assert "không có việc riêng" not in text
