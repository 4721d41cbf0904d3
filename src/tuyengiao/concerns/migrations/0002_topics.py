"""The topics offices start with; administrators add, rename or retire them in the admin."""

from django.db import migrations

TOPICS = [
    ("dat-dai", "Đất đai, bồi thường, giải phóng mặt bằng"),
    ("moi-truong", "Môi trường"),
    ("gia-ca-doi-song", "Giá cả, đời sống, việc làm"),
    ("y-te", "Y tế, bảo hiểm"),
    ("giao-duc", "Giáo dục"),
    ("chinh-sach-xa-hoi", "Chính sách xã hội"),
    ("thien-tai", "Thiên tai, dịch bệnh"),
    ("an-ninh-trat-tu", "An ninh, trật tự, an toàn giao thông"),
    ("dich-vu-cong", "Dịch vụ công, thủ tục hành chính"),
    ("to-chuc-bo-may", "Sắp xếp tổ chức bộ máy, cán bộ"),
    ("ton-giao-dan-toc", "Tôn giáo, dân tộc"),
    ("tham-nhung", "Tham nhũng, tiêu cực, lãng phí"),
    ("khac", "Vấn đề khác"),
]


def create(apps, schema_editor):
    Topic = apps.get_model("concerns", "Topic")
    for position, (code, name) in enumerate(TOPICS, start=1):
        Topic.objects.get_or_create(code=code, defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [("concerns", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
