"""The programmes of political-theory training (Quy định 360-QĐ/TW; the list is kept in the
Django admin afterwards)."""

from django.db import migrations

PROGRAMMES = [
    ("so-cap-llct", "Sơ cấp lý luận chính trị"),
    ("dang-vien-moi", "Bồi dưỡng lý luận chính trị cho đảng viên mới"),
    ("nhan-thuc-ve-dang", "Bồi dưỡng nhận thức về Đảng"),
    ("nghiep-vu-cong-tac-dang", "Nghiệp vụ công tác đảng"),
    ("cap-nhat-kien-thuc", "Cập nhật kiến thức"),
    ("chuyen-de", "Chuyên đề"),
]


def add(apps, schema_editor):
    Programme = apps.get_model("training", "Programme")
    for position, (code, name) in enumerate(PROGRAMMES, start=1):
        Programme.objects.get_or_create(
            code=code, defaults={"name": name, "position": position * 10}
        )


def remove(apps, schema_editor):
    apps.get_model("training", "Programme").objects.filter(
        code__in=[code for code, _name in PROGRAMMES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("training", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
