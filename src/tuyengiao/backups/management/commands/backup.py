from pathlib import Path

from django.core.management.base import BaseCommand

from tuyengiao.backups.archive import write_backup


class Command(BaseCommand):
    help = "Sao lưu toàn bộ cơ sở dữ liệu và các tệp đã tải lên vào một tệp .tar.gz."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="tệp sao lưu sẽ tạo (ví dụ tuyengiao.tar.gz)")

    def handle(self, *args, file: Path, **options):
        manifest = write_backup(file)
        rows = sum(manifest.counts.values())
        files = sum(1 for name in manifest.members if name.startswith("media/"))
        self.stdout.write(
            f"Đã sao lưu {rows} dòng ({len(manifest.counts)} bảng) và {files} tệp vào {file}."
        )
