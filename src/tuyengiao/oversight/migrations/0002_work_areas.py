"""The fields of work offices start with; administrators add, rename or retire them in the
admin."""

from django.db import migrations

from tuyengiao.text.collation import sort_key

WORK_AREAS = [
    ("hoc-tap-quan-triet", "Học tập, quán triệt, triển khai nghị quyết, chỉ thị"),
    ("tuyen-truyen-mieng", "Tuyên truyền miệng, báo cáo viên"),
    ("du-luan-xa-hoi", "Dư luận xã hội"),
    ("ly-luan-chinh-tri", "Lý luận chính trị, bồi dưỡng chính trị"),
    ("bao-ve-nen-tang", "Bảo vệ nền tảng tư tưởng của Đảng, đấu tranh phản bác quan điểm sai trái"),
    ("bao-chi-xuat-ban", "Báo chí, xuất bản"),
    ("thong-tin-doi-ngoai", "Thông tin đối ngoại"),
    ("van-hoa-van-nghe", "Văn hoá, văn nghệ"),
    ("khoa-giao", "Khoa giáo"),
    ("lich-su-dang", "Lịch sử Đảng"),
    ("dan-van", "Dân vận"),
    ("thong-tin-bao-cao", "Chế độ thông tin, báo cáo"),
    ("khac", "Lĩnh vực khác"),
]


def create(apps, schema_editor):
    WorkArea = apps.get_model("oversight", "WorkArea")
    for position, (code, name) in enumerate(WORK_AREAS, start=1):
        WorkArea.objects.get_or_create(
            code=code, defaults={"name": name, "position": position, "sort_key": sort_key(name)}
        )


class Migration(migrations.Migration):
    dependencies = [("oversight", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
