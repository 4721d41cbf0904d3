"""The audit log as people read it: labels and displayed values, pages of 50, filters, and the
history of an object that has no changes yet."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType

from tuyengiao.audit.models import AuditAction, AuditEntry
from tuyengiao.deadlines.models import ObligationKind
from tuyengiao.deadlines.services import obligation_create
from tuyengiao.org.models import Kind
from tuyengiao.org.services import unit_create, user_update


def history_url(obj) -> str:
    return f"/audit/{ContentType.objects.get_for_model(obj).pk}/{obj.pk}/"


def test_a_change_shows_labels_and_displayed_values_not_raw_columns(client, world):
    unit = unit_create(
        actor=world.province_admin, parent=world.commune, name="Chi bộ Khuổi Khon", kind=Kind.CELL
    )
    client.force_login(world.province_manager)
    page = client.get(history_url(unit)).content.decode()
    assert "Đơn vị cấp trên</span>: <ins>Xã Hoà An</ins>" in page
    assert "Loại</span>: <ins>Chi bộ</ins>" in page
    for raw in ("parent_id", "kind", "search_key", unit.path, "<code>"):
        assert raw not in page
    assert "Đường dẫn" not in page


def test_dates_read_dd_mm_yyyy_and_times_local(client, world):
    obligation = obligation_create(
        actor=world.province_admin,
        unit=world.commune,
        kind=ObligationKind.choices[0][0],
        title="Báo cáo quý",
        due_on=date(2026, 9, 30),
    )
    entry = AuditEntry.objects.get(
        content_type=ContentType.objects.get_for_model(obligation),
        object_id=str(obligation.pk),
        action=AuditAction.CREATE,
    )
    # 17:30 UTC is half past midnight the next day in Vietnam.
    AuditEntry.objects.filter(pk=entry.pk).update(
        at=datetime(2026, 9, 1, 17, 30, tzinfo=ZoneInfo("UTC"))
    )
    client.force_login(world.province_manager)
    page = client.get(history_url(obligation)).content.decode()
    assert "<ins>30/09/2026</ins>" in page
    assert "2026-09-30" not in page
    assert "02/09/2026 00:30" in page


def test_an_account_change_shows_the_role_label(client, world):
    user_update(actor=world.province_manager, user=world.commune_staff, role="manager")
    client.force_login(world.province_manager)
    page = client.get(history_url(world.commune_staff)).content.decode()
    assert "Vai trò</span>: <del>Chuyên viên</del> → <ins>Lãnh đạo, quản lý</ins>" in page


def test_an_object_in_scope_without_entries_says_so(client, world):
    for cell in (world.cell, world.other_cell):
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(cell), object_id=str(cell.pk)
        ).delete()
    client.force_login(world.province_manager)
    response = client.get(history_url(world.cell))
    assert response.status_code == 200
    assert "Chưa có thay đổi nào được ghi lại" in response.content.decode()
    assert "Chi bộ thôn Nà Pài" in response.content.decode()
    # Outside the scope it still does not exist, entries or not.
    assert client.get(history_url(world.other_cell)).status_code == 404


@pytest.fixture
def many_entries(world):
    AuditEntry.objects.all().delete()  # only these 120, whatever the factories recorded
    ct = ContentType.objects.get_for_model(world.cell)
    AuditEntry.objects.bulk_create(
        AuditEntry(
            actor=world.province_admin if i % 2 else world.province_manager,
            action=AuditAction.UPDATE if i % 3 else AuditAction.CREATE,
            content_type=ct,
            object_id=str(world.cell.pk),
            object_repr=world.cell.name,
            unit_path=world.cell.path,
            before={"name": f"Tên {i}"},
            after={"name": f"Tên {i + 1}"},
        )
        for i in range(120)
    )
    moments = [datetime(2026, 5, day, 3, 0, tzinfo=ZoneInfo("UTC")) for day in (1, 10, 20)]
    for n, entry in enumerate(AuditEntry.objects.order_by("id")):
        AuditEntry.objects.filter(pk=entry.pk).update(at=moments[n % 3])


def test_the_log_is_paged_by_fifty(client, world, many_entries):
    client.force_login(world.province_manager)
    response = client.get("/audit/")
    assert len(response.context["page"]) == 50
    assert response.context["page"].paginator.num_pages == 3
    assert "Trang 1/3" in response.content.decode()
    assert len(client.get("/audit/?page=3").context["page"]) == 20


def test_the_log_filters_by_who_kind_action_and_dates(client, world, many_entries):
    client.force_login(world.province_manager)

    def count(query):
        response = client.get("/audit/?" + query)
        assert response.status_code == 200
        return response.context["page"].paginator.count

    assert count("who=quantri") == 60
    assert count("action=create") == 40
    ct = ContentType.objects.get_for_model(world.cell).pk
    assert count(f"kind={ct}&action=update") == 80
    assert count("start=05/05/2026&end=15/05/2026") == 40
    assert count("start=10/05/2026") == 80
    assert count("who=nobody") == 0
    # A range the wrong way round is an error by the field, not a 500.
    response = client.get("/audit/?start=20/05/2026&end=01/05/2026")
    assert response.status_code == 200
    assert "Đến ngày phải sau" in response.content.decode()
