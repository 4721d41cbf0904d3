from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tuyengiao.backups.archive import BackupRefused
from tuyengiao.backups.restore import restore_backup


class Command(BaseCommand):
    help = (
        "Khôi phục cơ sở dữ liệu và các tệp đã tải lên từ một tệp sao lưu "
        "(kiểm tra mã kiểm tra và phiên bản trước; lỗi thì không thay đổi gì)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="tệp sao lưu do “tuyengiao backup” tạo")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="xoá toàn bộ dữ liệu hiện có và thay bằng bản sao lưu",
        )

    def handle(self, *args, file: Path, replace: bool, **options):
        try:
            manifest = restore_backup(file, replace=replace)
        except BackupRefused as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest.counts.values())
        self.stdout.write(
            f"Đã khôi phục {rows} dòng từ {file} (tạo lúc {manifest.data['created_at']}, "
            f"phiên bản {manifest.data['app_version']})."
        )
