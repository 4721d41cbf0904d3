"""Defining indicators, report forms and validation rules on the pages (administrators only)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from tests.factories import UserFactory
from tuyengiao.audit.models import AuditAction, AuditEntry
from tuyengiao.figures.models import DataSet, Indicator, Report, ValidationRule
from tuyengiao.periods import Period

pytestmark = pytest.mark.django_db


def audit(obj, action):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk), action=action
    )


def form_data(**changes):
    last_month = Period.of("month", timezone.localdate()).previous()
    data = {
        "code": "BM02",
        "name": "Báo cáo kết quả học tập nghị quyết",
        "period_kind": "month",
        "levels": ["commune"],
        "kinds": ["committee"],
        "first_period": last_month.id,
        "due_days": "5",
        "lock_days": "30",
        "active": "on",
        "indicators": (
            "# I. Lớp học\nLOP_KH — Số lớp theo kế hoạch\nlop_th\n\n# II. Học viên\nHV_CHITIEU"
        ),
    }
    data.update(changes)
    return data


# Indicators -------------------------------------------------------------------------------------


def test_an_administrator_creates_an_indicator_and_it_is_audited(client, world):
    client.force_login(world.province_admin)
    response = client.post(
        "/figures/indicators/new/",
        {
            "code": "tin_bai",
            "name": "Số tin, bài tuyên truyền",
            "measure": "tin, bài",
            "value_type": "integer",
            "aggregation": "sum",
            "factor": "100",
        },
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get(code="TIN_BAI")
    assert indicator.measure == "tin, bài"
    [entry] = audit(indicator, AuditAction.CREATE)
    assert entry.actor == world.province_admin


def test_a_bad_code_is_explained_beside_the_field(client, world):
    client.force_login(world.province_admin)
    response = client.post(
        "/figures/indicators/new/",
        {"code": "Tin bài", "name": "x", "value_type": "integer", "aggregation": "sum"},
    )
    assert response.status_code == 200
    assert "chữ in hoa không dấu" in response.context["form"].errors["code"][0]
    assert "chữ in hoa không dấu" in response.content.decode()
    assert not Indicator.objects.filter(source="").exists()  # only those counted from records


def test_a_derived_indicator_needs_both_parts_and_a_vietnamese_factor(client, world, forms):
    client.force_login(world.province_admin)
    data = {
        "code": "TL_HV",
        "name": "Tỷ lệ học viên đăng ký so chỉ tiêu",
        "value_type": "percent",
        "aggregation": "sum",
        "numerator": forms.indicators["HV_DANGKY"].pk,
        "factor": "1,5",
    }
    response = client.post("/figures/indicators/new/", data)
    assert response.status_code == 200
    assert "cả tử số và mẫu số" in response.context["form"].errors["denominator"][0]
    assert response.content.decode().count("cả tử số và mẫu số") == 1

    data["denominator"] = forms.indicators["HV_CHITIEU"].pk
    assert client.post("/figures/indicators/new/", data).status_code == 302
    derived = Indicator.objects.get(code="TL_HV")
    assert str(derived.factor) == "1.5000"
    assert derived.is_derived


def test_editing_an_indicator_audits_what_it_was(client, world, forms):
    indicator = forms.indicators["BCV"]
    client.force_login(world.province_admin)
    response = client.get(f"/figures/indicators/{indicator.pk}/")
    assert response.status_code == 200
    assert 'value="BCV"' in response.content.decode()
    data = {
        "code": "BCV",
        "name": "Số báo cáo viên cấp xã",
        "measure": "người",
        "value_type": "integer",
        "aggregation": "last",
        "factor": "100",
    }
    assert client.post(f"/figures/indicators/{indicator.pk}/", data).status_code == 302
    [entry] = audit(indicator, AuditAction.UPDATE)
    assert entry.before["name"] == "Số báo cáo viên"
    assert entry.after["name"] == "Số báo cáo viên cấp xã"


def test_everyone_reads_the_definitions_but_only_administrators_change_them(client, world, forms):
    for user in (world.province_manager, world.commune_staff, world.cell_viewer):
        client.force_login(user)
        assert client.get("/figures/indicators/").status_code == 200
        assert client.get("/figures/data-sets/").status_code == 200
        page = client.get(f"/figures/data-sets/{forms.monthly.pk}/")
        assert page.status_code == 200
        assert "Lập lịch báo cáo" not in page.content.decode()
        for url in (
            "/figures/indicators/new/",
            f"/figures/indicators/{forms.indicators['BCV'].pk}/",
            "/figures/data-sets/new/",
            f"/figures/data-sets/{forms.monthly.pk}/edit/",
            f"/figures/data-sets/{forms.monthly.pk}/rules/new/",
            f"/figures/rules/{forms.monthly.rules.first().pk}/",
        ):
            assert client.get(url).status_code == 403, url
        assert client.post("/figures/data-sets/new/", form_data()).status_code == 403
        assert client.post(f"/figures/data-sets/{forms.monthly.pk}/schedule/").status_code == 403
    assert not DataSet.objects.filter(code="BM02").exists()
    assert not Report.objects.exists()


def test_the_list_shows_formulas_and_plans(client, world, forms):
    client.force_login(world.cell_viewer)
    page = client.get("/figures/indicators/").content.decode()
    assert "LOP_TH ÷ LOP_KH × 100" in page
    assert "Số lớp đã mở" in page


# Report forms -----------------------------------------------------------------------------------


def test_an_administrator_creates_a_form_with_sections_and_its_reports_are_scheduled(
    client, world, forms
):
    client.force_login(world.province_admin)
    response = client.post("/figures/data-sets/new/", form_data())
    data_set = DataSet.objects.get(code="BM02")
    assert response.status_code == 302
    assert response["Location"] == f"/figures/data-sets/{data_set.pk}/"
    rows = [(r.indicator.code, r.section) for r in data_set.rows.select_related("indicator")]
    assert rows == [
        ("LOP_KH", "I. Lớp học"),
        ("LOP_TH", "I. Lớp học"),
        ("HV_CHITIEU", "II. Học viên"),
    ]
    assert data_set.created_by == world.province_admin
    # Two months have begun (last month and this one); three communes in the world owe it.
    assert Report.objects.filter(data_set=data_set).count() == 6
    assert audit(data_set, AuditAction.CREATE).get().actor == world.province_admin

    page = client.get(f"/figures/data-sets/{data_set.pk}/").content.decode()
    assert "I. Lớp học" in page and "Lập lịch báo cáo" in page
    assert "Đã lập lịch 6 báo cáo" in page  # the message after the redirect


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"first_period": "2026-13"}, "first_period", "không hợp lệ"),
        ({"first_period": "2026Q1"}, "first_period", "cùng loại"),
        ({"levels": []}, "levels", "bắt buộc"),
        ({"indicators": "LOP_KH\nKHONG_CO"}, "indicators", "Chưa có chỉ tiêu mã: KHONG_CO"),
        ({"indicators": "LOP_KH\nLOP_KH"}, "indicators", "hai lần"),
        ({"indicators": "LOP_KH\nTL_LOP"}, "indicators", "Chỉ tiêu tính toán không nhập"),
        ({"indicators": "# Chỉ có tiêu đề"}, "indicators", "ít nhất một chỉ tiêu"),
        ({"due_days": "40", "lock_days": "10"}, "lock_days", "trước hạn nộp"),
        ({"code": "BM01"}, "code", "đã tồn tại"),
    ],
)
def test_bad_form_input_is_explained_beside_the_field(
    client, world, forms, changes, field, message
):
    client.force_login(world.province_admin)
    response = client.post("/figures/data-sets/new/", form_data(**changes))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message in e for e in errors.get(field, [])), errors
    assert message in response.content.decode()
    assert not DataSet.objects.filter(name="Báo cáo kết quả học tập nghị quyết").exists()


def test_editing_a_form_keeps_its_rows_in_the_new_order_and_audits(client, world, forms):
    data_set = forms.monthly
    client.force_login(world.province_admin)
    page = client.get(f"/figures/data-sets/{data_set.pk}/edit/").content.decode()
    assert "LOP_KH — Số lớp theo kế hoạch" in page
    data = form_data(
        code="BM01",
        name="Báo cáo công tác giáo dục chính trị (sửa)",
        levels=["commune", "cell"],
        kinds=[],
        first_period="2024-01",
        lock_days="3000",
        indicators="HV_DANGKY\nHV_CHITIEU\n# Lớp\nLOP_TH\nLOP_KH",
    )
    response = client.post(f"/figures/data-sets/{data_set.pk}/edit/", data)
    assert response.status_code == 302
    data_set.refresh_from_db()
    assert data_set.name.endswith("(sửa)")
    assert [(r.indicator.code, r.section) for r in data_set.rows.select_related("indicator")] == [
        ("HV_DANGKY", ""),
        ("HV_CHITIEU", ""),
        ("LOP_TH", "Lớp"),
        ("LOP_KH", "Lớp"),
    ]
    entry = audit(data_set, AuditAction.UPDATE).exclude(verb="schedule").get()
    assert entry.before["name"] == "Báo cáo công tác giáo dục chính trị"


def test_the_schedule_button_creates_what_is_missing_and_the_summary_counts_it(
    client, world, forms, today
):
    client.force_login(world.province_admin)
    assert client.get(f"/figures/data-sets/{forms.monthly.pk}/schedule/").status_code == 405
    response = client.post(f"/figures/data-sets/{forms.monthly.pk}/schedule/", follow=True)
    created = Report.objects.filter(data_set=forms.monthly).count()
    assert created > 0
    page = response.content.decode()
    assert f"Đã lập lịch {created} báo cáo" in page
    summary = response.context["summary"]
    # BM01 is owed by communes and cells: 3 communes and 3 cells in the world.
    assert summary[0]["period"] == Period.of("month", today)
    assert all(row["expected"] == row["scheduled"] == 6 for row in summary)
    assert response.context["missing"] == 0

    again = client.post(f"/figures/data-sets/{forms.monthly.pk}/schedule/", follow=True)
    assert "Lịch báo cáo đã đủ" in again.content.decode()
    assert Report.objects.filter(data_set=forms.monthly).count() == created


# Validation rules -------------------------------------------------------------------------------


def test_an_administrator_adds_a_rule(client, world, forms):
    client.force_login(world.province_admin)
    response = client.post(
        f"/figures/data-sets/{forms.monthly.pk}/rules/new/",
        {
            "left": "HV_DANGKY",
            "operator": "<=",
            "right": "HV_CHITIEU * 2",
            "missing": "never_skip",
            "message": "Đăng ký không quá 2 lần chỉ tiêu.",
        },
    )
    assert response.status_code == 302
    rule = ValidationRule.objects.get(message="Đăng ký không quá 2 lần chỉ tiêu.")
    assert rule.data_set == forms.monthly
    assert audit(rule, AuditAction.CREATE).get().actor == world.province_admin
    page = client.get(f"/figures/data-sets/{forms.monthly.pk}/").content.decode()
    assert "HV_DANGKY ≤ HV_CHITIEU * 2" in page


@pytest.mark.parametrize(
    ("left", "right", "field", "message"),
    [
        ("HV_DANGKY", "HV_XYZ * 2", "right", "Biểu mẫu không có chỉ tiêu: HV_XYZ"),
        ("HV_DANGKY +", "HV_CHITIEU", "left", "không đúng cú pháp"),
        ("HV_DANGKY", "__import__('os')", "right", "chỉ được dùng mã chỉ tiêu"),
    ],
)
def test_a_bad_rule_is_explained_beside_its_side(client, world, forms, left, right, field, message):
    client.force_login(world.province_admin)
    response = client.post(
        f"/figures/data-sets/{forms.monthly.pk}/rules/new/",
        {"left": left, "operator": "<=", "right": right, "missing": "skip_if_any", "message": "x"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message in e for e in errors.get(field, [])), errors
    assert not ValidationRule.objects.filter(message="x").exists()


def test_editing_a_rule_audits_what_it_was(client, world, forms):
    rule = forms.monthly.rules.get(operator="<=")
    client.force_login(world.province_admin)
    response = client.post(
        f"/figures/rules/{rule.pk}/",
        {
            "left": "HV_DANGKY",
            "operator": "<=",
            "right": "HV_CHITIEU * 1,2",
            "missing": "skip_if_any",
            "message": "Học viên đăng ký không được vượt quá 1,2 lần chỉ tiêu.",
        },
    )
    assert response.status_code == 302
    entry = audit(rule, AuditAction.UPDATE).get()
    assert entry.before["right"] == "HV_CHITIEU * 1,5"
    assert entry.after["right"] == "HV_CHITIEU * 1,2"


# Admin ------------------------------------------------------------------------------------------


@pytest.fixture
def superuser(world):
    return UserFactory(username="root", unit=None, is_staff=True, is_superuser=True)


def test_the_admin_shows_definitions_and_keeps_values_read_only(client, superuser, forms):
    client.force_login(superuser)
    for name in ("indicator", "dataset", "report", "value", "rollup"):
        assert client.get(f"/admin/figures/{name}/").status_code == 200, name
    assert client.get(f"/admin/figures/dataset/{forms.monthly.pk}/change/").status_code == 200
    assert client.get("/admin/figures/indicator/add/").status_code == 200
    for name in ("report", "value", "rollup"):
        assert client.get(f"/admin/figures/{name}/add/").status_code == 403, name


def test_a_form_changed_in_the_admin_is_audited_and_scheduled(client, superuser, forms):
    data_set = forms.monthly
    client.force_login(superuser)
    rows = list(data_set.rows.all())
    rules = list(data_set.rules.all())
    data = {
        "code": "BM01",
        "name": "Đổi tên trong trang quản trị",
        "period_kind": "month",
        "levels": ["commune"],
        "kinds": ["committee"],
        "first_period": Period.of("month", timezone.localdate()).id,
        "due_days": "5",
        "lock_days": "30",
        "active": "on",
        "rows-TOTAL_FORMS": str(len(rows)),
        "rows-INITIAL_FORMS": str(len(rows)),
        "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": "1000",
        "rules-TOTAL_FORMS": str(len(rules)),
        "rules-INITIAL_FORMS": str(len(rules)),
        "rules-MIN_NUM_FORMS": "0",
        "rules-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data |= {
            f"rows-{i}-id": row.pk,
            f"rows-{i}-data_set": data_set.pk,
            f"rows-{i}-position": row.position,
            f"rows-{i}-indicator": row.indicator_id,
            f"rows-{i}-section": "Mục mới" if i == 0 else row.section,
        }
    for i, rule in enumerate(rules):
        data |= {
            f"rules-{i}-id": rule.pk,
            f"rules-{i}-data_set": data_set.pk,
            f"rules-{i}-left": rule.left,
            f"rules-{i}-operator": rule.operator,
            f"rules-{i}-right": rule.right if i else "HV_CHITIEU *",
            f"rules-{i}-missing": rule.missing,
            f"rules-{i}-message": rule.message,
        }
    response = client.post(f"/admin/figures/dataset/{data_set.pk}/change/", data)
    assert response.status_code == 200  # the broken expression is refused
    assert "không đúng cú pháp" in response.content.decode()

    data["rules-0-right"] = rules[0].right
    response = client.post(f"/admin/figures/dataset/{data_set.pk}/change/", data)
    assert response.status_code == 302
    data_set.refresh_from_db()
    assert data_set.name == "Đổi tên trong trang quản trị"
    assert audit(data_set, AuditAction.UPDATE).filter(verb="admin").exists()
    assert audit(rows[0], AuditAction.UPDATE).get().after["section"] == "Mục mới"
    # Scheduled at once: this month, for the world's three communes.
    assert Report.objects.filter(data_set=data_set).count() == 3


def test_an_administrator_deletes_a_rule_and_the_log_keeps_it(client, world, forms):
    rule = forms.monthly.rules.get(operator="<=")
    client.force_login(world.commune_staff)
    assert client.post(f"/figures/rules/{rule.pk}/delete/").status_code == 403
    client.force_login(world.province_admin)
    assert client.get(f"/figures/rules/{rule.pk}/delete/").status_code == 405
    page = client.get(f"/figures/rules/{rule.pk}/").content.decode()
    assert "Xoá quy tắc này" in page
    response = client.post(f"/figures/rules/{rule.pk}/delete/", follow=True)
    assert "Đã xoá quy tắc kiểm tra" in response.content.decode()
    assert not ValidationRule.objects.filter(pk=rule.pk).exists()
    entry = audit(rule, AuditAction.DELETE).get()
    assert entry.actor == world.province_admin
    assert entry.before["right"] == "HV_CHITIEU * 1,5"
    assert client.post(f"/figures/rules/{rule.pk}/delete/").status_code == 404


def test_the_indicators_are_listed_in_vietnamese_order_of_their_names(client, world):
    from tuyengiao.figures.queries import enterable_indicators, indicator_choices, indicator_list

    names = ["Cẩm Giàng", "Cường Lợi", "Đại Phúc", "Đức Lương", "Yên Thế"]
    # Codes in the opposite order, created in character-code order of the names.
    for name in sorted(names):
        Indicator.objects.create(code=f"Z{9 - names.index(name)}", name=f"Số lớp {name}")
    expected = [f"Số lớp {n}" for n in names]
    for listed in (
        indicator_list(world.province_admin),
        enterable_indicators(),
        indicator_choices(None),
    ):
        assert [i.name for i in listed if not i.is_counted] == expected
    client.force_login(world.province_admin)
    page = client.get("/figures/indicators/").content.decode()
    positions = [page.index(name) for name in expected]
    assert positions == sorted(positions)
