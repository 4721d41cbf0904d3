"""The office's pages, through the test client: the queue, one report, the concerns, the
actions — and who may see or do what."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import UserFactory
from tuyengiao.concerns import services
from tuyengiao.concerns.models import Concern, ConcernReport, State, Urgency
from tuyengiao.deadlines.models import Obligation
from tuyengiao.org.models import Role

from .conftest import png, submit, topic

SMOKE = "Ô nhiễm khói bụi nhà máy gạch"


def page(response) -> str:
    return response.content.decode()


def open_concern(actor, reports, title=SMOKE, **kw):
    kw.setdefault("topic", topic())
    return services.concern_open(actor=actor, reports=reports, title=title, **kw)


def forward(actor, concern, unit, days=15):
    due = timezone.localdate() + timedelta(days=days)
    return services.concern_forward(actor=actor, concern=concern, responsible=unit, due_on=due)


def act(client, concern, action, **data):
    return client.post(f"/concerns/{concern.pk}/{action}/", data)


# --- the queue ------------------------------------------------------------------------------


def test_the_queue_puts_the_most_urgent_on_top_then_the_newest(client, world, collaborator2):
    oldest = submit(world.collaborator, title="Giá phân bón tăng")
    urgent = submit(collaborator2, title="Sạt lở đất", urgency=Urgency.URGENT)
    newer = submit(world.collaborator, title="Đường xuống cấp")
    high = submit(world.collaborator, title="Dịch sốt xuất huyết", urgency=Urgency.HIGH)
    open_concern(world.province_manager, [submit(world.collaborator, title="Đã phân loại")])
    client.force_login(world.province_manager)
    response = client.get("/concerns/triage/")
    assert response.status_code == 200
    assert list(response.context["page"]) == [urgent, high, newer, oldest]
    text = page(response)
    assert "4 phản ánh chờ phân loại" in text
    assert "1 khẩn cấp" in text
    assert "Đã phân loại" not in text
    assert text.index("Sạt lở đất") < text.index("Dịch sốt xuất huyết") < text.index("Giá phân")
    assert (
        urgent.created_at.astimezone(timezone.get_current_timezone()).strftime("%d/%m/%Y %H:%M")
        in text
    )


def test_the_queue_filters_by_topic_unit_and_urgency(client, world, collaborator2):
    here = submit(world.collaborator, title="Khói bụi ở Hoà An", urgency=Urgency.URGENT)
    there = submit(collaborator2, title="Khói bụi ở Ngân Sơn")
    land = submit(world.collaborator, title="Tranh chấp đất", topic=topic("dat-dai"))
    client.force_login(world.province_manager)

    def shown(query):
        return set(client.get("/concerns/triage/" + query).context["page"])

    assert shown(f"?unit={world.commune2.pk}") == {there}
    assert shown(f"?unit={world.commune.pk}") == {here, land}
    assert shown(f"?topic={topic('dat-dai').pk}") == {land}
    assert shown(f"?urgency={Urgency.URGENT}") == {here}
    assert shown(f"?unit={world.other_commune.pk}") == {here, there, land}  # not a choice: ignored


def test_the_queue_is_scoped(client, world, collaborator2):
    here = submit(world.collaborator)
    submit(collaborator2)
    client.force_login(world.commune_staff)
    assert list(client.get("/concerns/triage/").context["page"]) == [here]
    client.force_login(world.neighbour)
    response = client.get("/concerns/triage/")
    assert list(response.context["page"]) == []
    assert "Khói bụi" not in page(response)


def test_a_htmx_filter_gets_only_the_table(client, world):
    submit(world.collaborator)
    client.force_login(world.province_manager)
    response = client.get("/concerns/triage/", HTTP_HX_REQUEST="true")
    assert "<html" not in page(response)
    assert "Khói bụi từ nhà máy gạch" in page(response)


@pytest.mark.parametrize("who, status", [("collaborator", 404), ("cell_viewer", 403)])
def test_who_cannot_triage_is_refused_the_queue(client, world, who, status):
    client.force_login(getattr(world, who))
    assert client.get("/concerns/triage/").status_code == status


# --- one report -----------------------------------------------------------------------------


def test_the_report_page_suggests_the_concern_with_a_similar_title(client, world):
    concern = open_concern(
        world.province_manager, [submit(world.collaborator, title="Khói từ lò gạch")]
    )
    report = submit(world.collaborator, title="Người dân bức xúc vì khói bụi của nhà máy gạch")
    client.force_login(world.province_manager)
    response = client.get(f"/concerns/reports/{report.pk}/")
    assert response.status_code == 200
    suggestions = response.context["suggestions"]
    assert [c for c, _score in suggestions] == [concern]
    text = page(response)
    assert f"{round(suggestions[0][1] * 100)}%" in text
    assert "Gộp vào vấn đề này" in text
    assert "Mở vấn đề mới" in text
    assert 'value="Người dân bức xúc vì khói bụi của nhà máy gạch"' in text  # title prefilled


def test_the_search_ignores_diacritics_and_answers_htmx_with_the_results_only(client, world):
    concern = open_concern(world.province_manager, [submit(world.collaborator)])
    report = submit(world.collaborator, title="Giá điện tăng")
    client.force_login(world.province_manager)
    response = client.get(f"/concerns/reports/{report.pk}/?q=O NHIEM khoi")
    assert response.context["results"] == [concern]
    fragment = client.get(f"/concerns/reports/{report.pk}/?q=nha may gach", HTTP_HX_REQUEST="true")
    assert "<html" not in page(fragment)
    assert SMOKE in page(fragment)
    assert "Gộp vào vấn đề này" in page(fragment)
    nothing = client.get(f"/concerns/reports/{report.pk}/?q=lu lut", HTTP_HX_REQUEST="true")
    assert "Không tìm thấy vấn đề nào" in page(nothing)
    cleared = client.get(f"/concerns/reports/{report.pk}/?q=", HTTP_HX_REQUEST="true")
    assert page(cleared).strip() == ""


def test_grouping_a_report_into_a_concern(client, world, collaborator2):
    concern = open_concern(world.province_manager, [submit(world.collaborator)])
    report = submit(collaborator2, title="Khói nhà máy gạch bay sang Ngân Sơn")
    client.force_login(world.province_manager)
    response = client.post(f"/concerns/reports/{report.pk}/attach/", {"concern": concern.pk})
    assert response.status_code == 302
    assert response["Location"] == f"/concerns/{concern.pk}/"
    concern.refresh_from_db()
    assert concern.report_count == 2
    assert concern.unit == world.province
    report.refresh_from_db()
    assert report.concern == concern
    again = client.post(f"/concerns/reports/{report.pk}/attach/", {"concern": concern.pk})
    assert again.status_code == 200
    assert "đã được phân loại" in page(again)


def test_opening_one_concern_for_the_report_and_the_similar_ones(client, world, collaborator2):
    report = submit(world.collaborator, title="Khói bụi nhà máy gạch gây ô nhiễm")
    similar = submit(collaborator2, title="Khói bụi từ nhà máy gạch làm ô nhiễm không khí")
    unrelated = submit(world.collaborator, title="Học phí tăng", topic=topic("giao-duc"))
    client.force_login(world.province_manager)
    response = client.get(f"/concerns/reports/{report.pk}/")
    assert [r for r, _score in response.context["similar"]] == [similar]
    response = client.post(
        f"/concerns/reports/{report.pk}/open/",
        {
            "title": SMOKE,
            "topic": topic().pk,
            "description": "Hai xã phản ánh",
            "state": State.ACKNOWLEDGED,
            "also": [similar.pk],
        },
    )
    concern = Concern.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/concerns/{concern.pk}/"
    assert concern.state == State.ACKNOWLEDGED
    assert set(concern.reports.all()) == {report, similar}
    assert concern.unit == world.province
    assert ConcernReport.objects.get(pk=unrelated.pk).concern is None


def test_closing_at_once_needs_a_note_shown_beside_it(client, world):
    report = submit(world.collaborator)
    client.force_login(world.province_manager)
    url = f"/concerns/reports/{report.pk}/open/"
    data = {"title": SMOKE, "topic": topic().pk, "state": State.NO_ACTION, "note": ""}
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["open_form"].errors["note"] == ["Hãy ghi lý do."]
    assert "Hãy ghi lý do." in page(response)
    assert not Concern.objects.exists()
    client.post(url, {**data, "note": "Tin đồn, đã đính chính"})
    assert Concern.objects.get().state == State.NO_ACTION


def test_personal_data_in_the_title_is_refused_on_the_page(client, world):
    report = submit(world.collaborator)
    client.force_login(world.province_manager)
    response = client.post(
        f"/concerns/reports/{report.pk}/open/",
        {"title": "Gọi 0912 345 678 để biết", "topic": topic().pk, "state": State.ACKNOWLEDGED},
    )
    assert response.status_code == 200
    assert response.context["open_form"].errors["title"]
    assert not Concern.objects.exists()


def test_the_reporter_reads_what_became_of_it_on_their_page_not_the_offices(
    client, world, collaborator2
):
    report = submit(world.collaborator)
    concern = forward(
        world.province_manager, open_concern(world.province_manager, [report]), world.commune
    )
    services.concern_answer(
        actor=world.province_manager, concern=concern, answer="Nhà máy sẽ lắp lọc bụi"
    )
    client.force_login(world.collaborator)
    text = page(client.get("/concerns/mine/"))
    assert "Đã có trả lời" in text
    assert "Nhà máy sẽ lắp lọc bụi" in text
    assert "Gộp vào" not in text and "Mở vấn đề" not in text
    assert f"/concerns/{concern.pk}/" not in text  # the concern page is the office's
    # The triage's pages do not exist for a collaborator, not even for their own report.
    assert client.get(f"/concerns/reports/{report.pk}/").status_code == 404
    assert client.get(f"/concerns/{concern.pk}/").status_code == 404
    assert client.post(f"/concerns/reports/{report.pk}/attach/").status_code == 404
    other = submit(collaborator2)
    assert client.get(f"/concerns/reports/{other.pk}/").status_code == 404
    assert client.get("/concerns/list/").status_code == 404


def test_a_viewer_reads_reports_in_scope_but_changes_nothing(client, world):
    report = submit(world.collaborator, unit=world.cell)
    concern = open_concern(world.province_manager, [submit(world.collaborator, unit=world.cell)])
    client.force_login(world.cell_viewer)
    response = client.get(f"/concerns/reports/{report.pk}/")
    assert response.status_code == 200
    assert "Gộp vào" not in page(response)
    assert client.post(f"/concerns/reports/{report.pk}/open/", {"title": "x"}).status_code == 403
    attach = client.post(f"/concerns/reports/{report.pk}/attach/", {"concern": concern.pk})
    assert attach.status_code == 403
    assert client.get(f"/concerns/{concern.pk}/").status_code == 200
    assert act(client, concern, "resolve", resolution="x").status_code == 403
    assert ConcernReport.objects.get(pk=report.pk).concern is None
    assert Concern.objects.get().state == State.ACKNOWLEDGED


def test_a_neighbour_finds_nothing_of_the_province(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = submit(world.collaborator, photos=[png()])
    concern = open_concern(world.province_manager, [report])
    photo = report.photos.get()
    client.force_login(world.neighbour)
    for url in (
        f"/concerns/reports/{report.pk}/",
        f"/concerns/{concern.pk}/",
        f"/concerns/photos/{photo.pk}/",
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url
    for url in (
        f"/concerns/reports/{report.pk}/attach/",
        f"/concerns/reports/{report.pk}/open/",
        f"/concerns/{concern.pk}/resolve/",
        f"/concerns/{concern.pk}/forward/",
    ):
        assert client.post(url, {"concern": concern.pk, "resolution": "x"}).status_code == 404
    assert list(client.get("/concerns/list/").context["page"]) == []
    assert Concern.objects.get().state == State.ACKNOWLEDGED


# --- photos ---------------------------------------------------------------------------------


def test_photos_are_served_only_to_who_may_see_the_report(
    client, world, collaborator2, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    report = submit(world.collaborator, photos=[png()])
    photo = report.photos.get()
    url = f"/concerns/photos/{photo.pk}/"
    client.force_login(world.province_manager)
    text = page(client.get(f"/concerns/reports/{report.pk}/"))
    assert f'src="{url}"' in text
    assert "/media/" not in text
    for user in (world.province_manager, world.commune_staff):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, user
        assert response["Content-Type"] == "image/jpeg"
        assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    # The office's photo address is not the reporter's (they have theirs through the API).
    for user in (world.collaborator, collaborator2, world.neighbour):
        client.force_login(user)
        assert client.get(url).status_code == 404, user


# --- the list of concerns -------------------------------------------------------------------


def test_the_list_filters_by_state_topic_unit_and_overdue(client, world, collaborator2, today):
    boss = world.province_manager
    late = forward(boss, open_concern(boss, [submit(world.collaborator)]), world.commune)
    Concern.objects.filter(pk=late.pk).update(due_on=today - timedelta(days=2))
    on_time = forward(
        boss, open_concern(boss, [submit(collaborator2)], title="Khói ở Ngân Sơn"), world.commune2
    )
    closed = open_concern(
        boss,
        [submit(world.collaborator, title="Đất", topic=topic("dat-dai"))],
        title="Tranh chấp đất",
        topic=topic("dat-dai"),
        state=State.NOT_OUR_REMIT,
        note="Toà án",
    )
    client.force_login(boss)

    def shown(query=""):
        return set(client.get("/concerns/list/" + query).context["page"])

    assert shown() == {late, on_time, closed}
    assert shown("?state=open") == {late, on_time}
    assert shown("?state=closed") == {closed}
    assert shown("?state=not_our_remit") == {closed}
    assert shown(f"?topic={topic('dat-dai').pk}") == {closed}
    assert shown(f"?unit={world.commune2.pk}") == {on_time}
    assert shown("?overdue=on") == {late}
    text = page(client.get("/concerns/list/"))
    overdue_date = (today - timedelta(days=2)).strftime("%d/%m/%Y")
    assert f'<span class="badge overdue" title="Quá hạn trả lời">{overdue_date}</span>' in text


def test_to_answer_lists_what_was_forwarded_to_my_units(client, world, today):
    boss = world.province_manager
    concern = open_concern(boss, [submit(world.collaborator)])
    services.reports_attach(
        actor=boss, concern=concern, reports=[submit(boss, unit=world.commune2, title="Khói")]
    )
    to_commune = forward(boss, Concern.objects.get(pk=concern.pk), world.commune)
    elsewhere = forward(
        boss, open_concern(boss, [submit(boss, unit=world.commune2)]), world.commune2
    )
    client.force_login(world.commune_staff)
    assert set(client.get("/concerns/list/?tab=answer").context["page"]) == {to_commune}
    assert elsewhere not in set(client.get("/concerns/list/").context["page"])
    # the body answers; the rest stays with the province office
    response = client.get(f"/concerns/{to_commune.pk}/")
    assert response.status_code == 200
    assert list(response.context["forms"]) == ["answer"]
    assert act(client, to_commune, "resolve", resolution="x").status_code == 403
    response = act(client, to_commune, "answer", answer="Xã đã kiểm tra, nhà máy cam kết")
    assert response.status_code == 302
    to_commune.refresh_from_db()
    assert to_commune.state == State.ANSWERED
    assert Obligation.objects.get(pk=to_commune.obligation_id).done_on == today
    assert set(client.get("/concerns/list/?tab=answer").context["page"]) == set()


# --- one concern ----------------------------------------------------------------------------


def test_the_concern_page_offers_only_the_actions_of_its_state(client, world):
    boss = world.province_manager
    concern = open_concern(boss, [submit(world.collaborator)])
    client.force_login(boss)

    def offered():
        return list(client.get(f"/concerns/{concern.pk}/").context["forms"])

    assert offered() == ["forward", "resolve", "duplicate", "close", "edit"]
    forward(boss, concern, world.commune)
    assert offered() == ["forward", "answer", "edit"]
    services.concern_answer(actor=boss, concern=concern, answer="Đã trả lời")
    assert offered() == ["forward", "resolve", "edit"]
    services.concern_resolve(actor=boss, concern=concern, resolution="Xong")
    assert offered() == ["reopen", "edit"]


def test_actions_posted_move_the_concern_along_and_show_on_the_timeline(client, world):
    boss = world.province_manager
    report = submit(world.collaborator)
    concern = open_concern(boss, [report])
    client.force_login(boss)
    due = timezone.localdate() + timedelta(days=10)
    response = act(
        client,
        concern,
        "forward",
        responsible=world.commune.pk,
        due_on=due.strftime("%d/%m/%Y"),
        note="Đề nghị xã kiểm tra",
    )
    assert response.status_code == 302
    concern.refresh_from_db()
    assert (concern.state, concern.responsible, concern.due_on) == (
        State.FORWARDED,
        world.commune,
        due,
    )
    act(client, concern, "answer", answer="Nhà máy đã lắp lọc bụi")
    act(client, concern, "resolve", resolution="Khói bụi đã giảm")
    concern.refresh_from_db()
    assert concern.state == State.RESOLVED
    response = client.get(f"/concerns/{concern.pk}/")
    text = page(response)
    assert [(e.from_state, e.to_state) for e in response.context["events"]] == [
        (State.NEW, State.ACKNOWLEDGED),
        (State.ACKNOWLEDGED, State.FORWARDED),
        (State.FORWARDED, State.ANSWERED),
        (State.ANSWERED, State.RESOLVED),
    ]
    assert "Đề nghị xã kiểm tra" in text
    assert "Đã có trả lời → <b>Đã giải quyết</b>" in text
    assert "Nhà máy đã lắp lọc bụi" in text
    assert f"/concerns/reports/{report.pk}/" in text
    when = concern.events.last().at.astimezone(timezone.get_current_timezone())
    assert when.strftime("%d/%m/%Y %H:%M") in text


def test_an_illegal_post_shows_the_error_and_changes_nothing(client, world):
    boss = world.province_manager
    concern = forward(boss, open_concern(boss, [submit(world.collaborator)]), world.commune)
    client.force_login(boss)
    response = act(client, concern, "resolve", resolution="Xong rồi")
    assert response.status_code == 200
    assert (
        "Không thể chuyển vấn đề từ “Đã chuyển cơ quan chịu trách nhiệm” sang “Đã giải quyết”."
        in page(response)
    )
    concern.refresh_from_db()
    assert concern.state == State.FORWARDED
    assert concern.resolution == ""
    assert concern.events.count() == 2


def test_errors_are_shown_beside_their_fields(client, world):
    boss = world.province_manager
    concern = open_concern(boss, [submit(world.collaborator)])
    client.force_login(boss)
    yesterday = (timezone.localdate() - timedelta(days=1)).strftime("%d/%m/%Y")
    response = act(client, concern, "forward", responsible=world.commune.pk, due_on=yesterday)
    assert response.context["forms"]["forward"].errors["due_on"] == [
        "Hạn trả lời không thể ở quá khứ."
    ]
    assert response.context["opened"] == "forward"
    response = act(
        client, concern, "forward", responsible=world.other_commune.pk, due_on="1/1/2099"
    )
    assert "responsible" in response.context["forms"]["forward"].errors
    response = act(client, concern, "close", state=State.NO_ACTION, note="")
    assert response.context["forms"]["close"].errors["note"] == ["Hãy ghi lý do."]
    assert not Obligation.objects.exists()
    concern.refresh_from_db()
    assert concern.state == State.ACKNOWLEDGED


def test_closing_as_a_duplicate_from_the_page(client, world, collaborator2):
    boss = world.province_manager
    original = open_concern(boss, [submit(world.collaborator)])
    duplicate = open_concern(boss, [submit(collaborator2)], title="Khói lò gạch Ngân Sơn")
    client.force_login(boss)
    found = client.get(f"/concerns/{duplicate.pk}/?q=o nhiem", HTTP_HX_REQUEST="true")
    assert "<html" not in page(found)
    assert f'value="{original.pk}"' in page(found)
    assert f'value="{duplicate.pk}"' not in page(found)
    missing = act(client, duplicate, "duplicate")
    assert missing.context["forms"]["duplicate"].errors["duplicate_of"] == ["Chọn vấn đề gốc."]
    response = act(client, duplicate, "duplicate", duplicate_of=original.pk, note="Cùng nhà máy")
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert (duplicate.state, duplicate.duplicate_of) == (State.DUPLICATE, original)
    assert Concern.objects.get(pk=original.pk).report_count == 2
    text = page(client.get(f"/concerns/{duplicate.pk}/"))
    assert f'<a href="/concerns/{original.pk}/">{SMOKE}</a>' in text
    assert 'action="/concerns/' not in text.split("Diễn biến")[1]  # no action left


def test_editing_and_reopening_from_the_page(client, world):
    boss = world.province_manager
    concern = open_concern(boss, [submit(world.collaborator)], state=State.NO_ACTION, note="x")
    client.force_login(boss)
    response = act(client, concern, "reopen", reason="")
    assert response.context["forms"]["reopen"].errors["reason"] == ["Hãy ghi lý do mở lại."]
    act(client, concern, "reopen", reason="Lại có khói")
    act(
        client,
        concern,
        "edit",
        title="Khói bụi lò gạch thôn Nà Pài",
        description="Ba lò",
        topic=topic().pk,
    )
    concern.refresh_from_db()
    assert (concern.state, concern.title, concern.description) == (
        State.ACKNOWLEDGED,
        "Khói bụi lò gạch thôn Nà Pài",
        "Ba lò",
    )
    assert act(client, concern, "fly", x="y").status_code == 404


def test_a_commune_is_not_offered_a_concern_forwarded_to_it_from_above(client, world):
    boss = world.province_manager
    concern = open_concern(boss, [submit(world.collaborator)])
    services.reports_attach(
        actor=boss, concern=concern, reports=[submit(boss, unit=world.commune2, title="Khói")]
    )
    forward(boss, Concern.objects.get(pk=concern.pk), world.commune)
    report = submit(world.collaborator, title="Khói bụi nhà máy gạch")
    client.force_login(world.commune_staff)
    response = client.get(f"/concerns/reports/{report.pk}/")
    assert response.context["suggestions"] == []
    assert response.context["results"] is None
    assert client.get(f"/concerns/reports/{report.pk}/?q=khoi").context["results"] == []
    refused = client.post(f"/concerns/reports/{report.pk}/attach/", {"concern": concern.pk})
    assert refused.status_code == 200
    assert "Không tìm thấy vấn đề này trong phạm vi của bạn." in page(refused)


def test_an_office_member_without_a_unit_role_is_refused(client, world):
    client.force_login(UserFactory(unit=world.province, role=Role.VIEWER))
    assert client.get("/concerns/triage/").status_code == 403
    assert client.get("/concerns/list/").status_code == 200


def test_a_concern_page_lists_only_the_reports_of_the_viewers_subtree(client, world):
    """A concern grouping reports of two communes, forwarded to one of them: that commune reads
    its own report and a count of the other, never the other's text, place or time."""
    boss = world.province_manager
    concern = open_concern(boss, [submit(world.collaborator, title="Khói ở Hoà An")])
    services.reports_attach(
        actor=boss,
        concern=concern,
        reports=[submit(boss, unit=world.commune2, title="Bụi ở Ngân Sơn", content="Chợ Ngân Sơn")],
    )
    forward(boss, Concern.objects.get(pk=concern.pk), world.commune)
    client.force_login(world.commune_staff)
    response = client.get(f"/concerns/{concern.pk}/")
    html = page(response)
    assert [r.title for r in response.context["reports"]] == ["Khói ở Hoà An"]
    assert response.context["reports_elsewhere"] == 1
    assert "Bụi ở Ngân Sơn" not in html and "Xã Ngân Sơn" not in html
    assert "Và 1 phản ánh từ địa bàn ngoài phạm vi của bạn" in html
    # the province office reads both
    client.force_login(boss)
    response = client.get(f"/concerns/{concern.pk}/")
    assert len(response.context["reports"]) == 2 and response.context["reports_elsewhere"] == 0
