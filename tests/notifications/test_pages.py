"""The notifications page and the top bar's counter: a person sees only their own."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import ObligationFactory
from tuyengiao.notifications.models import Notification, NotificationKind


def notify(user, title, **kwargs):
    return Notification.objects.create(
        recipient=user, kind=kwargs.pop("kind", NotificationKind.DUE_SOON), title=title, **kwargs
    )


def test_the_page_lists_only_ones_own_notifications_newest_first(client, world):
    obligation = ObligationFactory(unit=world.commune)
    older = notify(world.commune_staff, "Thông báo cũ", obligation=obligation, url="/deadlines/1/")
    newer = notify(world.commune_staff, "Thông báo mới")
    Notification.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(days=400))
    notify(world.neighbour, "Việc của tỉnh B")
    client.force_login(world.commune_staff)

    response = client.get("/notifications/")
    page = response.content.decode()
    assert response.status_code == 200
    assert [n.pk for n in response.context["page"]] == [newer.pk, older.pk]
    assert "Thông báo cũ" in page and "Thông báo mới" in page
    assert "Việc của tỉnh B" not in page
    assert page.count('class="unread"') == 2
    assert "Đánh dấu đã đọc" in page and 'href="/deadlines/1/"' in page


def test_a_notification_is_marked_read(client, world):
    note = notify(world.commune_staff, "Báo cáo quý")
    other = notify(world.commune_staff, "Kế hoạch năm")
    client.force_login(world.commune_staff)

    response = client.post("/notifications/read/", {"id": note.pk})
    assert response.status_code == 302 and response["Location"] == "/notifications/"
    note.refresh_from_db()
    other.refresh_from_db()
    assert note.read_at is not None and other.read_at is None
    page = client.get("/notifications/").content.decode()
    assert page.count('class="unread"') == 1 and page.count('class="read"') == 1


def test_all_are_marked_read_but_only_ones_own(client, world):
    mine = [notify(world.commune_staff, f"Việc {i}") for i in range(3)]
    theirs = notify(world.neighbour, "Việc của tỉnh B")
    client.force_login(world.commune_staff)

    assert client.post("/notifications/read-all/", {"page": "2"})["Location"].endswith("?page=2")
    assert all(Notification.objects.get(pk=n.pk).read_at for n in mine)
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_another_persons_notification_does_not_exist(client, world):
    theirs = notify(world.neighbour, "Việc của tỉnh B")
    client.force_login(world.commune_staff)
    assert client.post("/notifications/read/", {"id": theirs.pk}).status_code == 404
    assert client.post("/notifications/read/", {"id": "x"}).status_code == 404
    assert client.post("/notifications/read/", {"id": 999999}).status_code == 404
    assert client.get("/notifications/read/").status_code == 405
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_top_bar_counts_unread_notifications_in_one_query(client, world):
    notify(world.commune_staff, "Một")
    notify(world.commune_staff, "Hai")
    notify(world.commune_staff, "Đã đọc", read_at=timezone.now())
    notify(world.neighbour, "Của người khác")
    client.force_login(world.commune_staff)

    with CaptureQueriesContext(connection) as captured:
        page = client.get("/").content.decode()
    assert 'href="/notifications/">Thông báo (2)</a>' in page
    counts = [q["sql"] for q in captured if "notifications_notification" in q["sql"]]
    assert len(counts) == 1 and "COUNT" in counts[0].upper()

    client.post("/notifications/read-all/")
    assert "Thông báo (0)" in client.get("/notifications/").content.decode()


def test_anonymous_visitors_see_no_counter_and_are_sent_to_log_in(client, world):
    assert client.get("/notifications/")["Location"].startswith("/login/")
    assert "Thông báo (" not in client.get("/login/").content.decode()
