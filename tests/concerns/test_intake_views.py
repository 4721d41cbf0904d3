"""The collaborator's pages (concerns/views/intake.py): send a report, see what became of it.

world.collaborator reports from Xã Hoà An (world.commune), whose two cells are in their scope;
Xã Ngân Sơn (world.commune2) is a neighbour of the same province, outside it.
"""

import io
import re
import uuid
from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone
from PIL import Image

from tuyengiao.concerns import forms as concern_forms
from tuyengiao.concerns.models import ConcernReport, Mood, Source, Spread, State, Urgency
from tuyengiao.concerns.services import concern_answer, concern_forward, concern_open
from tuyengiao.notifications.models import Notification

from .conftest import submit, topic

NEW, MINE = "/concerns/new/", "/concerns/mine/"
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def ctv(client, world):
    client.force_login(world.collaborator)
    return client


def data(world, **changes):
    fields = {
        "unit": world.commune.pk,
        "topic": topic("dat-dai").pk,
        "title": "Lo lắng về giá đền bù đường tránh",
        "content": "Nhiều hộ ở thôn Nà Pài cho rằng giá đền bù thấp hơn giá thị trường.",
        "spread": Spread.SEVERAL,
        "mood": Mood.WORRIED,
        "source": Source.MEETING,
        "urgency": Urgency.HIGH,
        "client_id": str(uuid.uuid4()),
    }
    fields.update(changes)
    return fields


def html(response) -> str:
    return unescape(response.content.decode())


def options(response, name: str) -> list[tuple[str, str, bool]]:
    """(value, label, selected) of the options of the select named `name`."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html(response), re.S)
    assert select, f"no select {name}"
    return [
        (value, label, "selected" in attrs)
        for value, attrs, label in re.findall(
            r'<option value="([^"]*)"([^>]*)>([^<]*)</option>', select[1]
        )
    ]


def textarea(response, name: str) -> str:
    found = re.search(rf'<textarea name="{name}"[^>]*>(.*?)</textarea>', html(response), re.S)
    return found[1].strip("\n") if found else ""


def photo(name="anh.png") -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, "PNG")
    out.seek(0)
    out.name = name
    return out


# --- the form -------------------------------------------------------------------------------


def test_the_form_opens_on_the_users_unit_with_the_places_below_it(ctv, world):
    response = ctv.get(NEW)
    assert response.status_code == 200
    places = options(response, "unit")
    assert [(label.strip("\xa0"), selected) for _, label, selected in places] == [
        ("Xã Hoà An", True),
        ("Chi bộ thôn Bản Chang", False),  # in Vietnamese order
        ("Chi bộ thôn Nà Pài", False),
    ]
    assert places[0][0] == str(world.commune.pk) and places[0][2]
    assert places[1][1].startswith("\xa0")  # a cell is indented under its commune
    page = html(response)
    assert "Không ghi tên, số điện thoại, số giấy tờ của người dân." in page
    assert "htmx" not in page  # a light page: no htmx, one small script
    assert "Tối đa 4 ảnh." in page
    assert 'type="file" name="photos"' in page and 'accept="image/*"' in page
    assert 'name="client_id"' in page
    for name in ("spread", "mood", "source", "urgency"):
        assert f'type="radio" name="{name}"' in page
    assert ">Lo lắng</span>" in page  # the choices read as words


def test_places_are_in_tree_and_vietnamese_order_and_shrink_to_one_level_when_too_many(
    client, world, monkeypatch
):
    client.force_login(world.province_manager)
    places = [label.strip("\xa0") for _, label, _ in options(client.get(NEW), "unit")]
    assert places[0] == "Tỉnh A" and "Chi bộ thôn Nà Pài" in places
    assert "Tỉnh B" not in places and "Xã Hòa Bình" not in places

    monkeypatch.setattr(concern_forms, "PLACE_LIMIT", 4)
    places = [label.strip("\xa0") for _, label, _ in options(client.get(NEW), "unit")]
    assert places == ["Tỉnh A", "Ban Tuyên giáo và Dân vận Tỉnh ủy A", "Xã Hoà An", "Xã Ngân Sơn"]


def test_the_places_come_in_vietnamese_order(client, world):
    from tests.factories import UnitFactory

    # Created in character-code order ("Cường" before "Cẩm", "Yên" before "Đại").
    names = ["Xã Cẩm Giàng", "Xã Cường Lợi", "Xã Đại Phúc", "Xã Đức Lương", "Xã Yên Thế"]
    for name in sorted(names):
        UnitFactory(parent=world.province, name=name)
    client.force_login(world.province_manager)
    places = [label.strip("\xa0") for _, label, _ in options(client.get(NEW), "unit")]
    assert [p for p in places if p in names] == names


def test_a_valid_report_is_stored_as_chosen_and_the_reporter_sees_it_in_mine(ctv, world):
    fields = data(world, unit=world.cell.pk)
    response = ctv.post(NEW, fields)
    assert response.status_code == 302 and response.url == MINE
    report = ConcernReport.objects.get()
    assert report.reporter == world.collaborator
    assert (report.unit, report.unit_path) == (world.cell, world.cell.path)
    assert report.topic.code == "dat-dai"
    assert report.title == "Lo lắng về giá đền bù đường tránh"
    assert report.content == fields["content"]
    assert (report.spread, report.mood, report.source) == ("several", "worried", "meeting")
    assert report.urgency == Urgency.HIGH
    assert str(report.client_id) == fields["client_id"]

    page = html(ctv.get(MINE))
    assert "Đã gửi phản ánh “Lo lắng về giá đền bù đường tránh”." in page


def test_photos_are_stored_with_the_report(ctv, world):
    fields = data(world, photos=[photo("a.png"), photo("b.png")])
    assert ctv.post(NEW, fields).status_code == 302
    assert ConcernReport.objects.get().photos.count() == 2


@pytest.mark.parametrize(
    "field, text, shown",
    [
        ("content", "Bà con nói cứ gọi 0912 345 678 để hỏi thêm.", "số điện thoại"),
        ("content", "Người có CCCD 001204012345 đã khiếu nại.", "số căn cước/CMND"),
        ("title", "Thư gửi tới hoa.nguyen@gmail.com", "địa chỉ e-mail"),
    ],
)
def test_personal_data_is_refused_beside_its_field_and_what_was_typed_is_kept(
    ctv, world, field, text, shown
):
    fields = data(world, **{field: text})
    response = ctv.post(NEW, fields)
    assert response.status_code == 200
    assert not ConcernReport.objects.exists()
    page = html(response)
    error = re.search(
        rf'data-field="{field}">.*?<div class="field-errors"[^>]*><p class="error" role="alert">'
        r"([^<]*)</p>",
        page,
        re.S,
    )
    assert error and shown in error[1] and "Hãy xoá thông tin cá nhân" in error[1]
    # Nothing typed is lost: the text, the choices and the draft's id come back.
    assert textarea(response, "content") == fields["content"]
    assert f'value="{fields["title"]}"' in page
    assert re.search(r'name="mood" value="worried"[^>]*checked', page)
    assert f'value="{fields["client_id"]}"' in page


def test_a_place_outside_the_scope_is_refused_as_a_form_error(ctv, world):
    for unit in (world.commune2.pk, world.other_cell.pk, 999999, "abc"):
        response = ctv.post(NEW, data(world, unit=unit))
        assert response.status_code == 200
        assert "Hãy chọn một địa bàn trong phạm vi của bạn." in html(response)
    assert not ConcernReport.objects.exists()


def test_missing_choices_are_asked_for_not_a_crash(ctv, world):
    response = ctv.post(NEW, data(world, spread="", mood="angry", topic=""))
    assert response.status_code == 200
    assert html(response).count('class="error"') >= 3
    assert not ConcernReport.objects.exists()


def test_a_viewer_may_not_report(client, world):
    client.force_login(world.cell_viewer)
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, data(world, unit=world.cell.pk)).status_code == 403
    assert client.post(NEW, data(world, unit=world.cell.pk), **JSON).status_code == 403
    assert not ConcernReport.objects.exists()
    # Their "mine" page is empty and offers no form.
    response = client.get(MINE)
    assert response.status_code == 200 and "Gửi phản ánh mới" not in html(response)


def test_office_staff_may_report_too(client, world):
    client.force_login(world.commune_staff)
    assert client.post(NEW, data(world)).status_code == 302
    assert ConcernReport.objects.get().reporter == world.commune_staff


# --- the script's JSON mode and sending once ------------------------------------------------


def test_json_mode_answers_created_then_already_stored_for_the_same_client_id(ctv, world):
    fields = data(world)
    first = ctv.post(NEW, fields, **JSON)
    assert first.status_code == 201
    body = first.json()
    report = ConcernReport.objects.get()
    assert body["ok"] is True and body["id"] == report.pk and body["next"] == MINE

    again = ctv.post(NEW, fields, HTTP_X_REQUESTED_WITH="fetch", HTTP_X_CONCERN_OUTBOX="1")
    assert again.status_code == 200
    assert again.json()["id"] == report.pk and again.json()["created"] is False
    assert ConcernReport.objects.count() == 1


def test_json_mode_answers_400_with_the_errors_by_field(ctv, world):
    response = ctv.post(
        NEW, data(world, content="Liên hệ 0987.654.321", unit=world.commune2.pk), **JSON
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"unit"}  # the form refuses the place before the service reads text
    response = ctv.post(NEW, data(world, content="Liên hệ 0987.654.321"), **JSON)
    assert response.status_code == 400
    assert "số điện thoại" in response.json()["errors"]["content"][0]
    empty = ctv.post(NEW, {}, **JSON)
    assert empty.status_code == 400 and {"title", "content", "topic"} <= set(empty.json()["errors"])
    assert not ConcernReport.objects.exists()


def test_the_same_page_sent_twice_stores_one_report(ctv, world):
    fields = data(world)
    ctv.post(NEW, fields)
    second = ctv.post(NEW, fields, follow=True)
    assert ConcernReport.objects.count() == 1
    assert "đã được gửi trước đó" in html(second)


def test_each_fresh_form_carries_its_own_client_id(ctv):
    ids = {re.search(r'name="client_id" value="([^"]+)"', html(ctv.get(NEW)))[1] for _ in "ab"}
    assert len(ids) == 2


# --- mine -----------------------------------------------------------------------------------


def test_mine_lists_only_ones_own_reports_with_their_concern_state_and_answer(
    ctv, world, collaborator2
):
    waiting = submit(world.collaborator, title="Thiếu nước sạch mùa khô")
    answered = submit(world.collaborator, unit=world.cell, title="Giá đền bù đất làm đường")
    submit(collaborator2, title="Phản ánh của người khác")
    submit(world.commune_staff, title="Phản ánh của chuyên viên xã")

    concern = concern_open(
        actor=world.commune_staff,
        reports=[answered],
        title="Giá đền bù dự án đường tránh",
        topic=topic("dat-dai"),
    )
    due = timezone.localdate() + timedelta(days=10)
    concern_forward(actor=world.commune_staff, concern=concern, responsible=world.cell, due_on=due)
    concern_answer(
        actor=world.commune_staff, concern=concern, answer="Hội đồng bồi thường sẽ tính lại giá."
    )

    response = ctv.get(MINE)
    assert response.status_code == 200
    page = html(response)
    assert "Phản ánh của người khác" not in page
    assert "Phản ánh của chuyên viên xã" not in page
    titles = re.findall(r'<strong class="my-report-title">([^<]*)</strong>', page)
    assert titles == ["Giá đền bù đất làm đường", "Thiếu nước sạch mùa khô"]  # newest first
    states = re.findall(r'<span class="concern-state [a-z_]+">([^<]*)</span>', page)
    assert states == [State.ANSWERED.label, State.NEW.label] == ["Đã có trả lời", "Mới"]

    anchor = rf'<div class="concern-part" id="concern-{concern.pk}">(.*?)</div>'
    part = re.search(anchor, page, re.S)
    assert part, "notifications link to the concern's anchor"
    assert "Giá đền bù dự án đường tránh" in part[1]
    assert "Chi bộ thôn Nà Pài" in part[1]  # the responsible body
    assert due.strftime("%d/%m/%Y") in part[1]
    assert "Hội đồng bồi thường sẽ tính lại giá." in part[1]
    sent = timezone.localtime(waiting.created_at).strftime("%d/%m/%Y %H:%M")
    assert sent in page
    assert 'href="/concerns/new/"' in page and "Gửi phản ánh mới" in page
    assert "htmx" not in page


def test_mine_anchors_a_concern_once_when_two_reports_joined_it(ctv, world):
    first = submit(world.collaborator, title="Khói bụi nhà máy gạch")
    second = submit(world.collaborator, title="Khói bụi lò gạch lại tăng")
    concern = concern_open(
        actor=world.commune_staff, reports=[first, second], title="Khói bụi", topic=topic()
    )
    page = html(ctv.get(MINE))
    assert page.count(f'id="concern-{concern.pk}"') == 1
    assert page.count("Đã tiếp nhận") == 2


def test_mine_is_paginated_by_twenty(ctv, world):
    for n in range(21):
        submit(world.collaborator, title=f"Phản ánh số {n}")
    first = html(ctv.get(MINE))
    assert first.count('class="my-report"') == 20 and "Trang 1/2" in first
    assert html(ctv.get(MINE + "?page=2")).count('class="my-report"') == 1


def test_the_link_of_a_tell_back_notification_shows_that_concerns_reports(ctv, world):
    older = submit(world.collaborator, title="Khói bụi nhà máy gạch")
    for n in range(25):
        submit(world.collaborator, title=f"Phản ánh số {n}")
    concern = concern_open(
        actor=world.commune_staff, reports=[older], title="Khói bụi", topic=topic()
    )
    note = Notification.objects.get(recipient=world.collaborator)

    page = html(ctv.get(note.url))
    assert f'id="concern-{concern.pk}"' in page
    assert page.count('class="my-report"') == 1
