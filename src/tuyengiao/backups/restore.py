"""Restoring a backup: checked first, then loaded in one transaction; nothing changes if it fails.

The archive's schema (its applied migrations) must be the code's: a newer archive is refused
(update the software first), and so is an older one (restore it with the version that made it,
then `tuyengiao migrate`): its rows have the columns of another schema.
"""

import json
import shutil
import tarfile
import uuid
from pathlib import Path

from django.conf import settings
from django.core.management.color import no_style
from django.db import connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _

from . import tables
from .archive import BackupRefused, Manifest, applied_migrations, read_manifest

# What `migrate` itself writes into an empty database: a database holding only these rows is
# empty (a database just made by `tuyengiao migrate`).
FILLED_BY_MIGRATE = {
    "django_content_type",
    "auth_permission",
    "concerns_topic",
    "oversight_workarea",
    "training_programme",
}


def _describe(migrations) -> str:
    return ", ".join(f"{app}.{name}" for app, name in sorted(migrations)[:5]) + (
        " …" if len(migrations) > 5 else ""
    )


def check_schema(manifest: Manifest, using: str = "default") -> None:
    connection = connections[using]
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    newer = manifest.migrations - known
    if newer:
        raise BackupRefused(
            _(
                "Tệp sao lưu được tạo từ phiên bản mới hơn của phần mềm (phiên bản %(version)s, "
                "có các bước cập nhật cơ sở dữ liệu mà phiên bản này chưa có: %(missing)s); "
                "hãy cập nhật phần mềm trước rồi khôi phục lại."
            )
            % {"version": manifest.data.get("app_version", "?"), "missing": _describe(newer)}
        )
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise BackupRefused(
            _("Cơ sở dữ liệu đích chưa được cập nhật: hãy chạy “tuyengiao migrate” trước.")
        )
    here = {(app, name) for app, names in applied_migrations(using).items() for name in names}
    older = here - manifest.migrations
    if older:
        raise BackupRefused(
            _(
                "Tệp sao lưu được tạo từ phiên bản cũ hơn (phiên bản %(version)s, thiếu các bước "
                "cập nhật cơ sở dữ liệu: %(missing)s). Hãy khôi phục bằng phiên bản đã tạo ra nó "
                "rồi chạy “tuyengiao migrate”."
            )
            % {"version": manifest.data.get("app_version", "?"), "missing": _describe(older)}
        )


def holds_data(using: str = "default") -> bool:
    return any(
        model._base_manager.using(using).exists()
        for model in tables.all_models()
        if model._meta.db_table not in FILLED_BY_MIGRATE
    )


def _wipe(models, using: str) -> None:
    connection = connections[using]
    names = [model._meta.db_table for model in models]
    # PostgreSQL truncates no table with foreign-key checks still pending in the transaction.
    connection.check_constraints()
    statements = connection.ops.sql_flush(no_style(), names, reset_sequences=True)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _reset_sequences(models, using: str) -> None:
    connection = connections[using]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def _load_tables(archive: tarfile.TarFile, manifest: Manifest, models, staging: Path, using):
    by_table = {model._meta.db_table: model for model in models}
    loaded: dict[str, int] = {}
    for info in archive:
        name = info.name
        if name.startswith("media/"):
            target = staging / name.removeprefix("media/")
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.extractfile(info) as source, target.open("wb") as out:
                shutil.copyfileobj(source, out)
        elif name.startswith("data/"):
            lines = (json.loads(line) for line in archive.extractfile(info))
            header = next(lines)
            model = by_table.get(header["table"])
            expected = [field.attname for field in tables.columns(model)] if model else None
            if header["columns"] != expected:
                raise BackupRefused(
                    _("Bảng %(table)s trong tệp sao lưu không khớp cấu trúc hiện tại.")
                    % {"table": header["table"]}
                )
            loaded[header["table"]] = tables.load(model, lines, using)
    if loaded != manifest.counts or set(loaded) != set(by_table):
        raise BackupRefused(_("Số dòng đã nạp không khớp bản kê khai; không khôi phục gì."))


def restore_backup(source: Path, *, replace: bool = False, using: str = "default") -> Manifest:
    """Restore the archive into the database and MEDIA_ROOT; BackupRefused says why not."""
    manifest = read_manifest(source)
    check_schema(manifest, using)
    if not replace and holds_data(using):
        raise BackupRefused(
            _(
                "Cơ sở dữ liệu đích đã có dữ liệu; dùng --replace để xoá toàn bộ và thay bằng "
                "bản sao lưu."
            )
        )
    media = Path(settings.MEDIA_ROOT)
    staging = media.with_name(f".{media.name}.restoring-{uuid.uuid4().hex}")
    staging.mkdir(parents=True)
    models = tables.all_models()
    try:
        with transaction.atomic(using=using), tarfile.open(source, "r:gz") as archive:
            _wipe(models, using)
            _load_tables(archive, manifest, models, staging, using)
            _reset_sequences(models, using)
            connections[using].check_constraints()
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap(staging, media)
    return manifest


def _swap(staging: Path, media: Path) -> None:
    """The restored files take MEDIA_ROOT's place; the old ones go once the new are in."""
    old = media.with_name(f".{media.name}.replaced-{uuid.uuid4().hex}")
    if media.exists():
        media.rename(old)
    staging.rename(media)
    shutil.rmtree(old, ignore_errors=True)
