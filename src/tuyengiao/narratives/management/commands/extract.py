"""`tuyengiao extract FILE`: the references, figures and percentages of a UTF-8 text or a Word
document (DOCX), printed as one JSON object (text/extract.py). Exit code 2, with the reason in
Vietnamese, for a file that cannot be read."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tuyengiao.core.files import FileRefused
from tuyengiao.narratives.reading import text_of
from tuyengiao.text.extract import extract


class Command(BaseCommand):
    help = "Đọc trích dẫn văn bản, số liệu và tỷ lệ phần trăm trong một văn bản (UTF-8 hoặc DOCX)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp văn bản UTF-8 hoặc Word (.docx); - là đầu vào chuẩn.")

    def handle(self, *args, **options):
        name = options["file"]
        try:
            data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Không đọc được tệp “%(name)s”: %(reason)s")
                % {"name": name, "reason": exc.strerror or exc},
                returncode=2,
            ) from None
        try:
            text = text_of(data)
        except FileRefused as exc:
            raise CommandError(f"{name}: {exc}", returncode=2) from None
        self.stdout.write(json.dumps(extract(text).as_json(), ensure_ascii=False))
