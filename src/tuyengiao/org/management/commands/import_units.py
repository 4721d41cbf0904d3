from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tuyengiao.audit.services import begin_correlation
from tuyengiao.org.imports import CsvImportError, units_import_csv


class Command(BaseCommand):
    help = "Nhập chi bộ, cơ quan từ tệp CSV (cột cap_tren, ten, loai, ma, ten_viet_tat)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        begin_correlation()
        try:
            result = units_import_csv(actor=None, data=file.read_bytes())
        except CsvImportError as exc:
            for error in exc.errors:
                self.stderr.write(f"Dòng {error.line}: {error.message}")
            raise CommandError("Tệp có lỗi; chưa nhập dòng nào.") from exc
        self.stdout.write(f"Tạo mới {result.created}, đã có {result.unchanged}.")
