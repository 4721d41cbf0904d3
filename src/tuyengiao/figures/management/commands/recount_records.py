"""Count every record-backed indicator afresh from the records, and rebuild the roll-up."""

from django.core.management.base import BaseCommand

from tuyengiao.figures import sources


class Command(BaseCommand):
    help = (
        "Đếm lại mọi chỉ tiêu đếm từ hồ sơ và tính lại bảng tổng hợp "
        "(sau khi nạp dữ liệu hàng loạt hoặc để sửa chữa)."
    )

    def handle(self, *args, **options):
        written = sources.rebuild()
        self.stdout.write(f"Đã đếm lại {written} giá trị từ hồ sơ.")
