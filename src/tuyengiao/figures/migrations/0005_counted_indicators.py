"""The record-backed indicators of the apps that had landed: created once, counted from then on
(`tuyengiao recount_records` counts what was recorded before)."""

from django.db import migrations

# code, name, measure, source
COUNTED = [
    ("BCV_BUOI", "Số buổi nói chuyện của báo cáo viên", "buổi", "outreach.sessions"),
    ("BCV_LUOT_NGHE", "Số lượt người nghe báo cáo viên", "lượt người", "outreach.audience"),
    ("MH_CONG_NHAN", "Số mô hình, gương điển hình được công nhận", "mô hình", "outreach.models_recognised"),
    ("MH_NHAN_RONG", "Số lượt nhân rộng mô hình, gương điển hình", "lượt", "outreach.replications"),
    ("KTGS_CUOC", "Số cuộc kiểm tra, giám sát đã tiến hành", "cuộc", "oversight.inspections"),
    ("KTGS_KIEN_NGHI", "Số kiến nghị sau kiểm tra, giám sát, hội nghị", "kiến nghị", "oversight.recommendations"),
    ("KTGS_KN_DUNG_HAN", "Số kiến nghị hoàn thành đúng hạn", "kiến nghị", "oversight.recommendations_on_time"),
    ("DLXH_TIEP_NHAN", "Số vấn đề dư luận xã hội tiếp nhận", "vấn đề", "concerns.received"),
    ("DLXH_GIAI_QUYET", "Số vấn đề dư luận xã hội đã giải quyết", "vấn đề", "concerns.resolved"),
    ("VB_BUOC_XONG", "Số bước triển khai văn bản đã hoàn thành", "bước", "directives.steps_done"),
    ("VB_BUOC_DUNG_HAN", "Số bước triển khai văn bản hoàn thành đúng hạn", "bước", "directives.steps_on_time"),
]


def create(apps, schema_editor):
    Indicator = apps.get_model("figures", "Indicator")
    for code, name, measure, source in COUNTED:
        if not Indicator.objects.filter(source=source).exists():
            Indicator.objects.get_or_create(
                code=code,
                defaults={
                    "name": name,
                    "measure": measure,
                    "source": source,
                    "value_type": "integer",
                    "aggregation": "sum",
                    "description": "Đếm từ hồ sơ, không nhập tay.",
                },
            )


def remove(apps, schema_editor):
    Indicator = apps.get_model("figures", "Indicator")
    Indicator.objects.filter(source__in=[row[3] for row in COUNTED]).delete()


class Migration(migrations.Migration):
    dependencies = [("figures", "0004_indicator_source")]
    operations = [migrations.RunPython(create, remove)]
