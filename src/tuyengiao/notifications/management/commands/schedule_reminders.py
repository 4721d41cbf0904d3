from django.core.management.base import BaseCommand

from tuyengiao.notifications.tasks import schedule_first_scan


class Command(BaseCommand):
    help = "Xếp lượt quét nhắc việc đầu tiên vào hàng đợi (không làm gì nếu đã có lượt đang chờ)."

    def handle(self, *args, **options):
        result = schedule_first_scan()
        if result is None:
            self.stdout.write("Đã có lượt quét nhắc việc đang chờ.")
        else:
            self.stdout.write(f"Đã xếp lượt quét nhắc việc {result.id}.")
