"""The record-backed indicators of the classes and plans (figures/sources.py): actual against
plan, "52/50 lớp, đạt 104% kế hoạch"."""

from django.db import migrations

# code, name, measure, source, planned (code)
COUNTED = [
    ("LLCT_LOP_KH", "Số lớp bồi dưỡng lý luận chính trị theo kế hoạch", "lớp", "training.classes_planned", None),
    ("LLCT_LOP", "Số lớp bồi dưỡng lý luận chính trị đã khai giảng", "lớp", "training.classes", "LLCT_LOP_KH"),
    ("LLCT_HV_KH", "Số học viên theo kế hoạch", "học viên", "training.learners_planned", None),
    ("LLCT_HV", "Số học viên nhập học", "học viên", "training.enrolled", "LLCT_HV_KH"),
    ("LLCT_HV_HT", "Số học viên hoàn thành khoá học", "học viên", "training.completed", None),
    ("LLCT_LOP_BG", "Số lớp đã bế giảng", "lớp", "training.classes_closed", None),
    ("LLCT_HV_BG", "Số học viên của các lớp đã bế giảng", "học viên", "training.closed_enrolled", None),
]


def create(apps, schema_editor):
    Indicator = apps.get_model("figures", "Indicator")
    made = {}
    for code, name, measure, source, planned in COUNTED:
        made[code] = Indicator.objects.filter(source=source).first() or Indicator.objects.create(
            code=code,
            name=name,
            measure=measure,
            source=source,
            value_type="integer",
            aggregation="sum",
            planned=made.get(planned),
            description="Đếm từ hồ sơ lớp bồi dưỡng và kế hoạch mở lớp, không nhập tay.",
        )


def remove(apps, schema_editor):
    Indicator = apps.get_model("figures", "Indicator")
    codes = [row[0] for row in COUNTED]
    Indicator.objects.filter(code__in=codes).update(planned=None)
    Indicator.objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("training", "0002_programmes"), ("figures", "0005_counted_indicators")]
    operations = [migrations.RunPython(create, remove)]
