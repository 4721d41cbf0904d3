"""The conference pages: the list by kind, year and unit; recording one with the documents
presented (by number-symbol, from the register in scope) and tasks; correcting it; assigning
more tasks, followed as recommendations; errors in Vietnamese on the page."""

from datetime import date

import pytest
from django.urls import reverse

from tests.clock import on_day
from tests.factories import UserFactory
from tuyengiao.deadlines.models import Obligation, ObligationKind
from tuyengiao.directives.services import directive_register
from tuyengiao.notifications.models import Notification
from tuyengiao.org.models import Role
from tuyengiao.oversight import services
from tuyengiao.oversight.models import Conference, Recommendation
from tuyengiao.oversight.services import RecommendationInput

pytestmark = on_day("2026-11-20")


@pytest.fixture
def office(client, world):
    client.force_login(world.province_manager)
    return client


@pytest.fixture
def documents(world):
    return [
        directive_register(
            actor=None,
            unit=world.province,
            symbol="01-KL/TW",
            issued_on=date(2021, 5, 18),
            title="Kết luận về tiếp tục thực hiện Chỉ thị 05-CT/TW",
        ),
        directive_register(
            actor=None,
            unit=world.other_province,
            symbol="07-NQ/TU",
            issued_on=date(2026, 1, 5),
            title="Nghị quyết của tỉnh khác",
        ),
    ]


def rows(prefix: str = "tasks", n: int = 4, **filled) -> dict:
    data = {f"{prefix}-TOTAL_FORMS": str(n), f"{prefix}-INITIAL_FORMS": "0"}
    for key, value in filled.items():
        data[f"{prefix}-{key}"] = value
    return data


def test_a_conference_is_recorded_with_its_documents_and_tasks(office, world, documents):
    url = reverse("oversight:conference_new") + f"?unit={world.province.pk}"
    page = office.get(url).content.decode()
    assert "01-KL/TW" in page  # the register's newest, as a hint
    data = {
        "unit": world.province.pk,
        "kind": "speakers",
        "title": "Hội nghị báo cáo viên tháng 11/2026",
        "held_on": "18/11/2026",
        "participants": "350",
        "connected_points": "93",
        "documents": "01-KL/TW\n07-NQ/TU",
        "conclusions": "Tiếp tục tuyên truyền Nghị quyết Đại hội XIV.",
        **rows(
            **{
                "0-unit": world.commune.pk,
                "0-text": "Tổ chức hội nghị báo cáo viên cấp xã",
                "0-due_on": "31/12/2026",
                "1-unit": world.commune.pk,
                "1-text": "",
            }
        ),
    }
    refused = office.post(url, data)
    assert refused.status_code == 400
    assert (
        "Không có trong sổ văn bản (trong phạm vi của bạn): 07-NQ/TU." in refused.content.decode()
    )
    future = office.post(url, {**data, "documents": "01-KL/TW", "held_on": "25/11/2026"})
    assert "ngày không thể ở tương lai" in future.content.decode()
    no_due = office.post(url, {**data, "documents": "01-KL/TW", "tasks-0-due_on": ""})
    assert "Hãy nhập hạn thực hiện kiến nghị." in no_due.content.decode()
    assert not Conference.objects.exists()
    done = office.post(url, {**data, "documents": " 01-kl/tw \n01-KL/TW"})
    conference = Conference.objects.get()
    assert done.status_code == 302 and done["Location"] == conference.get_absolute_url()
    assert list(conference.documents.all()) == [documents[0]]
    assert conference.level == world.province.level and conference.connected_points == 93
    task = conference.tasks.get()
    assert (task.unit, task.number, task.due_on) == (world.commune, 1, date(2026, 12, 31))
    assert Obligation.objects.get(kind=ObligationKind.FOLLOW_UP).unit == world.commune
    assert Notification.objects.filter(recipient=world.commune_staff).exists()
    detail = office.get(conference.get_absolute_url()).content.decode()
    assert "Tổ chức hội nghị báo cáo viên cấp xã" in detail and "01-KL/TW" in detail
    assert reverse("oversight:conference_tasks", args=[conference.pk]) in detail


def test_the_list_filters_by_kind_year_and_unit(office, client, world):
    for unit, kind, day, title in (
        (world.province, "speakers", date(2026, 11, 18), "Báo cáo viên tỉnh"),
        (world.province, "final_review", date(2025, 12, 20), "Tổng kết năm 2025"),
        (world.commune, "collaborators", date(2026, 10, 2), "Cộng tác viên xã"),
        (world.other_province, "speakers", date(2026, 11, 1), "Tỉnh bạn"),
    ):
        services.conference_create(
            actor=None, unit=unit, kind=kind, held_on=day, title=title, participants=10
        )
    url = reverse("oversight:conferences")
    page = office.get(url).content.decode()
    assert "Báo cáo viên tỉnh" in page and "Cộng tác viên xã" in page and "Tỉnh bạn" not in page
    speakers = office.get(url, {"kind": "speakers"}).content.decode()
    assert "Báo cáo viên tỉnh" in speakers and "Tổng kết năm 2025" not in speakers
    last_year = office.get(url, {"year": "2025"}).content.decode()
    assert "Tổng kết năm 2025" in last_year and "Báo cáo viên tỉnh" not in last_year
    commune = office.get(url, {"unit": world.commune.pk}).content.decode()
    assert "Cộng tác viên xã" in commune and "Báo cáo viên tỉnh" not in commune
    assert office.get(url, {"unit": world.other_province.pk}).status_code == 404
    assert office.get(url, {"kind": "x", "year": "abc"}).status_code == 200
    client.force_login(world.cell_viewer)
    assert "Ghi nhận hội nghị" not in client.get(url).content.decode()


def test_a_conference_is_corrected_keeping_documents_the_editor_does_not_see(
    client, world, documents
):
    own = directive_register(
        actor=None,
        unit=world.commune,
        symbol="12-NQ/ĐU",
        issued_on=date(2026, 1, 10),
        title="Nghị quyết của Đảng ủy xã",
    )
    conference = services.conference_create(
        actor=None,
        unit=world.commune,
        kind="interim_review",
        held_on=date(2026, 7, 1),
        title="Sơ kết 6 tháng",
        documents=[own, documents[1]],
    )
    client.force_login(world.commune_staff)
    url = reverse("oversight:conference_edit", args=[conference.pk])
    form = client.get(url).content.decode()
    assert "12-NQ/ĐU" in form and "07-NQ/TU" not in form
    response = client.post(
        url,
        {
            "kind": "interim_review",
            "title": "Sơ kết 6 tháng đầu năm 2026",
            "held_on": "02/07/2026",
            "participants": "80",
            "documents": "",
            "conclusions": "Đạt kế hoạch.",
        },
    )
    assert response.status_code == 302
    conference.refresh_from_db()
    assert conference.title == "Sơ kết 6 tháng đầu năm 2026"
    assert conference.held_on == date(2026, 7, 2) and conference.participants == 80
    assert list(conference.documents.all()) == [documents[1]]  # another province's, kept
    client.force_login(UserFactory(username="xemxa", unit=world.commune, role=Role.VIEWER))
    assert client.post(url, {"title": "x"}).status_code == 403
    assert client.get(url).status_code == 403
    client.force_login(world.cell_viewer)  # below the commune: its conference does not exist
    assert client.get(url).status_code == 404


def test_tasks_assigned_later_are_followed_as_recommendations(office, client, world):
    conference = services.conference_create(
        actor=None,
        unit=world.province,
        kind="final_review",
        held_on=date(2026, 11, 10),
        title="Tổng kết công tác tuyên giáo",
        tasks=[RecommendationInput(world.commune, "Báo cáo kết quả", date(2026, 12, 1))],
    )
    url = reverse("oversight:conference_tasks", args=[conference.pk])
    empty = office.post(url, rows())
    assert empty.status_code == 400 and "ít nhất một nhiệm vụ" in empty.content.decode()
    past = office.post(
        url, rows(**{"0-unit": world.commune2.pk, "0-text": "Việc", "0-due_on": "01/11/2026"})
    )
    assert "không thể ở quá khứ" in past.content.decode()
    done = office.post(
        url,
        rows(**{"0-unit": world.commune2.pk, "0-text": "Tuyên truyền", "0-due_on": "15/12/2026"}),
    )
    assert done.status_code == 302
    task = Recommendation.objects.get(conference=conference, number=2)
    assert task.unit == world.commune2
    client.force_login(world.commune_staff)
    assert client.get(url).status_code == 404  # the province's conference: not the commune's
    own = Recommendation.objects.get(conference=conference, number=1)
    page = client.get(reverse("oversight:recommendation", args=[own.pk])).content.decode()
    assert "Tổng kết công tác tuyên giáo" in page  # the unit follows its task on its page
