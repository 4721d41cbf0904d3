from django.core.management.base import BaseCommand

from tuyengiao.audit.services import begin_correlation
from tuyengiao.narratives.services import narratives_schedule


class Command(BaseCommand):
    help = (
        "Lập lịch báo cáo bằng văn bản: mỗi cấp ủy thuộc các cấp đã cấu hình có một báo cáo và "
        "một việc phải làm cho mỗi kỳ đã bắt đầu (chạy lại không tạo trùng)."
    )

    def handle(self, *args, **options):
        begin_correlation()
        created = narratives_schedule()
        self.stdout.write(f"Đã lập lịch {created} báo cáo bằng văn bản phải gửi.")
