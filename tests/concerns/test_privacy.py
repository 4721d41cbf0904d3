"""Issue 12 item 4: no personal data in any text a collaborator writes or reads — the report,
and the office's own texts told back to the reporter (notes, answer, resolution) — whichever
way it is written, through the service, the pages and the API."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tuyengiao.audit.models import AuditEntry
from tuyengiao.concerns import services
from tuyengiao.concerns.models import Concern, ConcernEvent, ConcernReport, State
from tuyengiao.deadlines.models import Obligation
from tuyengiao.notifications.models import Notification

from .conftest import submit, topic
from .test_api import post

pytestmark = pytest.mark.django_db

PHONE_IN_WORDS = "Bà con cứ gọi không chín một hai ba bốn năm sáu bảy tám để hỏi."
SPACED_PHONE = "Số của ông ấy 0 9 1 2 3 4 5 6 7 8, ai cần thì gọi."
EMAIL_IN_WORDS = "Gửi ý kiến về tuan a còng gmail chấm com."
SPACED_ID = "Người có CMND 123 456 789 đã làm đơn."
# What an office writes every day, never refused.
PLAIN = (
    "Theo Kết luận 01-KL/TW ngày 18/5/2021, UBND xã đã đối thoại lúc 14:30 ngày 05/12/2026; "
    "bồi thường 1.500.000 đồng/m2 cho 12, 15, 20 hộ; gọi 1022 khi cần."
)


def _opened(world):
    return services.concern_open(
        actor=world.province_manager,
        reports=[submit(world.collaborator)],
        title="Khói bụi nhà máy gạch",
        topic=topic(),
    )


def _forwarded(world):
    return services.concern_forward(
        actor=world.province_manager,
        concern=_opened(world),
        responsible=world.commune,
        due_on=timezone.localdate() + timedelta(days=10),
    )


def _answered(world):
    return services.concern_answer(
        actor=world.province_manager, concern=_forwarded(world), answer="Đã kiểm tra"
    )


def _forward(world, concern, text):
    due = timezone.localdate() + timedelta(days=10)
    return services.concern_forward(
        actor=world.province_manager,
        concern=concern,
        responsible=world.commune,
        due_on=due,
        note=text,
    )


def _closed(world):
    return services.concern_close(
        actor=world.province_manager, concern=_opened(world), state=State.NO_ACTION, note="Tin đồn"
    )


# (field, set-up, the action with the text) for each text of the office a reporter may read.
OFFICE_TEXTS = {
    "open note": (
        "note",
        lambda world: submit(world.collaborator),
        lambda world, report, text: services.concern_open(
            actor=world.province_manager,
            reports=[report],
            title="Khói bụi",
            topic=topic(),
            state=State.NO_ACTION,
            note=text,
        ),
    ),
    "forward note": ("note", _opened, _forward),
    "answer": (
        "answer",
        _forwarded,
        lambda world, c, text: services.concern_answer(
            actor=world.province_manager, concern=c, answer=text
        ),
    ),
    "resolution": (
        "resolution",
        _answered,
        lambda world, c, text: services.concern_resolve(
            actor=world.province_manager, concern=c, resolution=text
        ),
    ),
    "closing note": (
        "note",
        _opened,
        lambda world, c, text: services.concern_close(
            actor=world.province_manager, concern=c, state=State.NOT_OUR_REMIT, note=text
        ),
    ),
    "duplicate note": (
        "note",
        lambda world: (_opened(world), _opened(world)),
        lambda world, pair, text: services.concern_close(
            actor=world.province_manager,
            concern=pair[0],
            state=State.DUPLICATE,
            duplicate_of=pair[1],
            note=text,
        ),
    ),
    "reopen reason": (
        "reason",
        _closed,
        lambda world, c, text: services.concern_reopen(
            actor=world.province_manager, concern=c, reason=text
        ),
    ),
    "summary": (
        "description",
        _opened,
        lambda world, c, text: services.concern_update(
            actor=world.province_manager, concern=c, title=c.title, description=text, topic=topic()
        ),
    ),
}


def _written():
    """Everything an action may write: to compare before and after a refusal."""
    return (
        list(Concern.objects.values_list("pk", "state", "answer", "resolution", "closing_note")),
        ConcernEvent.objects.count(),
        Obligation.objects.count(),
        Notification.objects.count(),
        AuditEntry.objects.count(),
    )


# --- the service ----------------------------------------------------------------------------


@pytest.mark.parametrize("what", OFFICE_TEXTS)
@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (PHONE_IN_WORDS, "số điện thoại"),
        (SPACED_PHONE, "số điện thoại"),
        (EMAIL_IN_WORDS, "địa chỉ e-mail"),
        (SPACED_ID, "số căn cước/CMND"),
    ],
)
def test_the_offices_texts_that_reporters_read_are_refused_with_personal_data(
    world, what, text, reason
):
    field, set_up, action = OFFICE_TEXTS[what]
    concern = set_up(world)
    before = _written()
    with pytest.raises(ValidationError) as refused:
        action(world, concern, text)
    [message] = refused.value.message_dict[field]
    assert reason in message and "Hãy xoá thông tin cá nhân" in message
    assert _written() == before


@pytest.mark.parametrize("what", OFFICE_TEXTS)
def test_the_offices_ordinary_texts_pass(world, what):
    field, set_up, action = OFFICE_TEXTS[what]
    action(world, set_up(world), PLAIN)
    stored = Concern.objects.order_by("-pk").values_list(
        "description", "answer", "resolution", "closing_note"
    )
    notes = ConcernEvent.objects.values_list("note", flat=True)
    assert any(PLAIN in row for row in stored) or PLAIN in notes


def test_a_reporter_is_never_told_personal_data(world):
    """What the collaborator reads comes from the texts refused above: none of them holds any."""
    concern = _forwarded(world)
    with pytest.raises(ValidationError):
        services.concern_answer(actor=world.province_manager, concern=concern, answer=SPACED_PHONE)
    services.concern_answer(actor=world.province_manager, concern=concern, answer=PLAIN)
    told = Notification.objects.filter(recipient=world.collaborator)
    assert told.exists()
    assert all("0 9 1 2" not in n.body for n in told)


@pytest.mark.parametrize("text", [PHONE_IN_WORDS, SPACED_PHONE, EMAIL_IN_WORDS, SPACED_ID])
def test_a_report_with_personal_data_written_around_the_filter_is_refused(world, text):
    with pytest.raises(ValidationError) as refused:
        submit(world.collaborator, content=text)
    assert "content" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        submit(world.collaborator, title=text[:200])
    assert "title" in refused.value.message_dict
    assert not ConcernReport.objects.exists()


# --- the pages ------------------------------------------------------------------------------

PAGE_ACTIONS = [
    # (action, field, set-up, extra fields)
    ("forward", "note", _opened, lambda w: {"responsible": w.commune.pk, "due_on": "1/1/2099"}),
    ("answer", "answer", _forwarded, lambda w: {}),
    ("resolve", "resolution", _answered, lambda w: {}),
    ("close", "note", _opened, lambda w: {"state": State.NO_ACTION}),
    ("reopen", "reason", _closed, lambda w: {}),
    ("edit", "description", _opened, lambda w: {"title": "Khói bụi", "topic": topic().pk}),
]


@pytest.mark.parametrize(("action", "field", "set_up", "extra"), PAGE_ACTIONS)
def test_the_concern_page_refuses_personal_data_beside_the_field(
    client, world, action, field, set_up, extra
):
    concern = set_up(world)
    before = _written()
    client.force_login(world.province_manager)
    response = client.post(
        f"/concerns/{concern.pk}/{action}/", {**extra(world), field: EMAIL_IN_WORDS}
    )
    assert response.status_code == 200
    [message] = response.context["forms"][action].errors[field]
    assert "địa chỉ e-mail (tuan a còng gmail chấm com)" in message
    assert "địa chỉ e-mail" in response.content.decode()
    assert _written() == before


def test_the_triage_page_refuses_a_note_with_personal_data(client, world):
    report = submit(world.collaborator)
    client.force_login(world.province_manager)
    response = client.post(
        f"/concerns/reports/{report.pk}/open/",
        {
            "title": "Tin đồn thu hồi đất",
            "topic": topic().pk,
            "state": State.NOT_OUR_REMIT,
            "note": PHONE_IN_WORDS,
        },
    )
    assert response.status_code == 200
    [message] = response.context["open_form"].errors["note"]
    assert "số điện thoại (không chín một hai ba bốn năm sáu bảy tám)" in message
    assert not Concern.objects.exists()


def test_the_report_form_refuses_personal_data_written_around_the_filter(client, world):
    client.force_login(world.collaborator)
    response = client.post(
        "/concerns/new/",
        {
            "unit": world.commune.pk,
            "topic": topic().pk,
            "title": "Giá đền bù",
            "content": SPACED_ID,
            "spread": "local",
            "mood": "worried",
            "source": "daily_life",
            "urgency": 1,
        },
    )
    assert response.status_code == 200
    assert "số căn cước/CMND (123 456 789)" in response.content.decode()
    assert not ConcernReport.objects.exists()


# --- the API --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "text", "reason"),
    [
        ("content", PHONE_IN_WORDS, "số điện thoại"),
        ("content", "Gọi 0️⃣9️⃣1️⃣2️⃣3️⃣4️⃣5️⃣6️⃣7️⃣8️⃣ để tham gia.", "số điện thoại"),
        ("title", "Gọi +84 (0) 912 345 678", "số điện thoại"),
        ("title", "Thư về hoa[at]gmail[dot]com", "địa chỉ e-mail"),
        ("content", SPACED_ID, "số căn cước/CMND"),
    ],
)
def test_the_api_answers_400_by_field(world, field, text, reason):
    response = post(world.collaborator, **{field: text})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == [field]
    assert reason in errors[field][0]
    assert not ConcernReport.objects.exists()


def test_the_api_takes_figures_dates_symbols_and_hotlines(world):
    response = post(world.collaborator, content=PLAIN)
    assert response.status_code == 201
    assert ConcernReport.objects.get().content == PLAIN
