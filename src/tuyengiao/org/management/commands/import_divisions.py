from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tuyengiao.audit.services import begin_correlation
from tuyengiao.org.imports import divisions_import


class Command(BaseCommand):
    help = "Nạp đơn vị hành chính hiện hành (34 tỉnh, 3.321 xã) từ gói vietnam-provinces."

    def add_arguments(self, parser):
        parser.add_argument("--province", help="Chỉ nạp một tỉnh, theo mã (ví dụ 19).")

    def handle(self, *args, province=None, **options):
        begin_correlation()
        try:
            result = divisions_import(province=province)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            f"Tạo mới {result.created}, cập nhật tên {result.updated}, "
            f"chuyển {result.moved}, giữ nguyên {result.unchanged}."
        )
