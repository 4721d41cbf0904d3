from django.core.management.base import BaseCommand

from tuyengiao.audit.services import begin_correlation
from tuyengiao.figures.tasks import schedule_all, schedule_next_run


class Command(BaseCommand):
    help = (
        "Lập lịch báo cáo định kỳ ngay cho mọi biểu mẫu đang áp dụng (chạy lại không tạo trùng), "
        "rồi xếp lượt lập lịch hằng ngày vào hàng đợi."
    )

    def handle(self, *args, **options):
        begin_correlation()
        created = schedule_all()
        for code, count in created.items():
            self.stdout.write(f"  {code:<16} {count} báo cáo mới")
        self.stdout.write(f"Đã lập lịch {sum(created.values())} báo cáo phải nộp.")
        if schedule_next_run() is not None:
            self.stdout.write("Đã xếp lượt lập lịch hằng ngày vào hàng đợi.")
