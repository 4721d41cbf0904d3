"""The Django admin, where staff configure topics, indicators and forms, speaks Vietnamese."""

from tests.factories import UserFactory


def test_the_admin_index_names_every_app_and_model_in_vietnamese(client, db):
    client.force_login(UserFactory(username="sieu", is_staff=True, is_superuser=True))
    page = client.get("/admin/").content.decode()
    for english in (
        "Access attempts",
        "Access logs",
        "Access failures",
        "Task Results",
        "Tokens",
        "TOTP devices",
        "Static devices",
        "Axes",
        "Auth Token",
        "Tasks Database Backend",
        "Django administration",
        "Values",
        "Rollups",
    ):
        assert english not in page, english
    for vietnamese in (
        "Chặn đăng nhập sai",
        "Lần đăng nhập sai",
        "Khóa truy cập",
        "Kết quả tác vụ",
        "Lĩnh vực",
        "Chỉ tiêu",
        "Biểu mẫu báo cáo",
        "Quản trị hệ thống tuyên giáo",
    ):
        assert vietnamese in page, vietnamese
