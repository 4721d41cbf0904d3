from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tuyengiao.concerns.retention import purge_old_text
from tuyengiao.concerns.tasks import schedule_purge


class Command(BaseCommand):
    help = (
        "Xoá nội dung (tiêu đề, nội dung, ảnh) của các phản ánh nhận quá "
        "CONCERN_TEXT_RETENTION_YEARS năm; số liệu, lĩnh vực, địa bàn, trạng thái được giữ."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", type=date.fromisoformat, help="ngày tính (YYYY-MM-DD)")
        parser.add_argument("--years", type=int, help="thay cho CONCERN_TEXT_RETENTION_YEARS")
        parser.add_argument(
            "--schedule", action="store_true", help="xếp lượt xoá hằng ngày vào hàng đợi"
        )

    def handle(self, *args, today, years, schedule, **options):
        if schedule:
            result = schedule_purge()
            self.stdout.write("Đã xếp lượt xoá nội dung hết hạn lưu trữ." if result else
                              "Đã có lượt xoá nội dung đang chờ.")  # fmt: skip
            return
        years = years if years is not None else settings.CONCERN_TEXT_RETENTION_YEARS
        if not years or years < 1:
            raise CommandError("Chưa đặt thời hạn lưu trữ (CONCERN_TEXT_RETENTION_YEARS).")
        count = purge_old_text(today=today or timezone.localdate(), years=years)
        self.stdout.write(f"Đã xoá nội dung của {count} phản ánh nhận quá {years} năm.")
