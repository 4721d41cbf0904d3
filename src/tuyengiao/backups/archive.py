"""The backup file: one .tar.gz holding a manifest, every table's rows and the uploaded files.

manifest.json          format, app version, database vendor, creation time, the applied
                       migrations of every app (the schema), rows per table, sha256 of
                       every other member
manifest.sha256        the manifest's own sha256
data/<table>.jsonl     line 1: {"table", "model", "columns"}; then one JSON array a row
media/<path>           every file under MEDIA_ROOT
"""

import hashlib
import importlib.metadata
import io
import json
import os
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from . import tables

FORMAT = 1
MANIFEST = "manifest.json"
MANIFEST_SUM = "manifest.sha256"


class BackupRefused(Exception):
    """The archive cannot be restored here; the message says why, for the operator."""


@dataclass
class Manifest:
    data: dict

    @property
    def migrations(self) -> set[tuple[str, str]]:
        return {(app, name) for app, names in self.data["migrations"].items() for name in names}

    @property
    def counts(self) -> dict[str, int]:
        return self.data["counts"]

    @property
    def members(self) -> dict[str, str]:
        return self.data["members"]


def applied_migrations(using: str = "default") -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connections[using]).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def app_version() -> str:
    try:
        return importlib.metadata.version("tuyengiao")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        for chunk in iter(lambda: source.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def media_files(root: Path) -> Iterator[tuple[Path, str]]:
    if not root.is_dir():
        return
    for folder, _dirs, names in sorted(os.walk(root)):
        for name in sorted(names):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                yield path, path.relative_to(root).as_posix()


def write_backup(target: Path, using: str = "default") -> Manifest:
    """Write the archive: rows read in one transaction (a consistent picture), then media."""
    from django.db import transaction

    connection = connections[using]
    counts, members = {}, {}
    with tempfile.TemporaryDirectory(prefix="tuyengiao-backup-") as scratch:
        staged: list[tuple[Path, str]] = []
        outermost = not connection.in_atomic_block
        with transaction.atomic(using=using):
            if connection.vendor == "postgresql" and outermost:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            migrations = applied_migrations(using)
            for model in tables.all_models():
                table = model._meta.db_table
                path = Path(scratch) / f"{table}.jsonl"
                with path.open("w", encoding="utf-8") as out:
                    header = {
                        "table": table,
                        "model": model._meta.label,
                        "columns": [field.attname for field in tables.columns(model)],
                    }
                    out.write(json.dumps(header, ensure_ascii=False) + "\n")
                    count = 0
                    for row in tables.rows(model, using):
                        out.write(json.dumps(row, default=tables.encode, ensure_ascii=False))
                        out.write("\n")
                        count += 1
                counts[table] = count
                staged.append((path, f"data/{table}.jsonl"))
        staged += [(path, f"media/{name}") for path, name in media_files(Path(settings.MEDIA_ROOT))]
        for path, name in staged:
            members[name] = _sha256(path)
        manifest = {
            "format": FORMAT,
            "app_version": app_version(),
            "vendor": connection.vendor,
            "created_at": timezone.now().isoformat(),
            "migrations": migrations,
            "counts": counts,
            "members": members,
        }
        manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
        partial = target.with_name(f".{target.name}.partial")
        with tarfile.open(partial, "w:gz") as archive:
            _add_bytes(archive, MANIFEST, manifest_bytes)
            _add_bytes(archive, MANIFEST_SUM, hashlib.sha256(manifest_bytes).hexdigest().encode())
            for path, name in staged:
                archive.add(path, arcname=name, recursive=False)
        partial.replace(target)  # a half-written file never takes the name of a backup
    return Manifest(manifest)


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(data))


def _broken(detail: str) -> BackupRefused:
    return BackupRefused(
        _("Tệp sao lưu bị hỏng hoặc đã bị sửa (%(detail)s); không khôi phục gì.")
        % {"detail": detail}
    )


def safe_member_name(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name == path.as_posix()


def read_manifest(source: Path) -> Manifest:
    """The manifest, checked against its own sum and every member against it (one pass)."""
    try:
        with tarfile.open(source, "r:gz") as archive:
            manifest_bytes = digest = None
            seen: dict[str, str] = {}
            for info in archive:
                if not info.isfile() or not safe_member_name(info.name):
                    raise _broken(_("mục không hợp lệ: %(name)s") % {"name": info.name})
                data = archive.extractfile(info)
                if info.name == MANIFEST:
                    manifest_bytes = data.read()
                elif info.name == MANIFEST_SUM:
                    digest = data.read().decode("ascii", "replace").strip()
                else:
                    seen[info.name] = hashlib.file_digest(data, "sha256").hexdigest()
    except (OSError, tarfile.TarError, EOFError, zlib.error) as exc:
        if isinstance(exc, FileNotFoundError):
            raise BackupRefused(_("Không tìm thấy tệp %(path)s.") % {"path": source}) from exc
        raise _broken(_("không đọc được tệp nén")) from exc
    if manifest_bytes is None or digest != hashlib.sha256(manifest_bytes).hexdigest():
        raise _broken(_("bản kê khai không khớp mã kiểm tra"))
    try:
        manifest = Manifest(json.loads(manifest_bytes))
        expected = manifest.members
    except (ValueError, KeyError, TypeError) as exc:
        raise _broken(_("bản kê khai không đọc được")) from exc
    if manifest.data.get("format") != FORMAT:
        raise BackupRefused(
            _("Định dạng tệp sao lưu %(format)s không được phiên bản này hỗ trợ.")
            % {"format": manifest.data.get("format")}
        )
    for name in sorted(set(expected) | set(seen)):
        if expected.get(name) != seen.get(name):
            raise _broken(_("mục %(name)s không khớp mã kiểm tra") % {"name": name})
    return manifest
