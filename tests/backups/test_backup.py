"""`tuyengiao backup FILE` and `tuyengiao restore FILE`: a populated database and its uploads
come back identical, table by table and byte by byte; a newer or a damaged archive is refused
and changes nothing."""

import hashlib
import io
import json
import tarfile
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import connection

from tests.clock import on_day
from tests.concerns.conftest import png, submit
from tests.factories import ObligationFactory, send
from tests.figures.conftest import build_forms
from tests.uploads import pdf
from tuyengiao.audit.models import AuditEntry
from tuyengiao.backups import tables
from tuyengiao.backups.restore import _wipe
from tuyengiao.concerns.models import ConcernPhoto, State, Urgency
from tuyengiao.concerns.services import concern_forward, concern_open
from tuyengiao.directives.models import StepKind
from tuyengiao.directives.services import StepPlan, directive_register
from tuyengiao.figures.services import report_open, report_save
from tuyengiao.notifications.models import Notification
from tuyengiao.org.models import Unit
from tuyengiao.periods import Period

pytestmark = on_day("2026-05-04")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def populate(world) -> None:
    """A bit of everything: accounts in a group, a directive with its file sent down, a figures
    report, urgent concern reports with photos grouped and forwarded (audit, notices)."""
    world.province_manager.groups.add(Group.objects.create(name="Văn thư"))
    directive = directive_register(
        actor=world.province_manager,
        unit=world.province,
        symbol="05-CT/TW",
        issued_on=date(2016, 5, 15),
        title="Về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        attachment=pdf(),
    )
    send(directive, world.province, [world.commune, world.commune2],
         [StepPlan(StepKind.PLAN, days_after=10)], date(2026, 3, 2))  # fmt: skip
    forms = build_forms()
    report = report_open(
        actor=world.commune_staff, data_set=forms.monthly, unit=world.commune,
        period=Period.parse("2026-03"),
    )  # fmt: skip
    report_save(actor=world.commune_staff, report=report,
                entries={"LOP_KH": "12", "DIEM": "8,75", "GHI_CHU": "Đạt"},
                version=report.version)  # fmt: skip
    first = submit(world.collaborator, urgency=Urgency.URGENT, photos=[png(), png()])
    second = submit(world.collaborator, title="Giá phân bón tăng", photos=[png()])
    concern = concern_open(
        actor=world.province_manager, reports=[first, second], title="Khói bụi",
        topic=first.topic, description="", state=State.ACKNOWLEDGED, note="",
    )  # fmt: skip
    concern_forward(actor=world.province_manager, concern=concern, responsible=world.commune,
                    due_on=date(2026, 5, 20), note="Đề nghị xử lý")  # fmt: skip
    ObligationFactory(unit=world.commune2, title="Việc tự giao")


def picture() -> dict[str, list[tuple]]:
    """Every table, row by row in the order of the primary key."""
    return {model._meta.db_table: list(tables.rows(model)) for model in tables.all_models()}


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def wipe() -> None:
    _wipe(tables.all_models(), "default")


@pytest.fixture
def populated(world, media):
    populate(world)
    assert ConcernPhoto.objects.count() == 3 and Notification.objects.exists()
    return world


def test_a_backup_restores_every_table_and_every_file_as_it_was(populated, media, tmp_path):
    before, uploads = picture(), files(media)
    assert len(uploads) == 4 and AuditEntry.objects.count() > 10
    archive = tmp_path / "sao-luu.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    wipe()
    for path in media.rglob("*"):
        if path.is_file():
            path.unlink()
    assert not Unit.objects.exists()

    call_command("restore", str(archive), stdout=io.StringIO())

    after = picture()
    assert set(after) == set(before)
    for table, rows in before.items():
        assert after[table] == rows, table
    assert files(media) == uploads


def test_replace_wipes_what_came_after_the_backup(populated, media, tmp_path):
    archive = tmp_path / "sao-luu.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    before, uploads = picture(), files(media)
    submit(populated.collaborator, title="Đường làng hỏng", photos=[png()])
    Unit.objects.filter(pk=populated.cell.pk).update(name="Đổi tên sau khi sao lưu")

    call_command("restore", str(archive), "--replace", stdout=io.StringIO())

    assert picture() == before
    assert files(media) == uploads


def test_a_database_with_data_is_not_overwritten_without_replace(populated, tmp_path):
    archive = tmp_path / "sao-luu.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    before = picture()
    with pytest.raises(CommandError, match="đã có dữ liệu; dùng --replace"):
        call_command("restore", str(archive))
    assert picture() == before


def test_a_new_row_after_a_restore_gets_a_fresh_id(populated, tmp_path):
    archive = tmp_path / "sao-luu.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    highest = max(AuditEntry.objects.values_list("pk", flat=True))
    wipe()
    call_command("restore", str(archive), stdout=io.StringIO())

    unit = Unit.objects.create(parent=populated.commune, name="Chi bộ mới", path="")
    entry = AuditEntry.objects.create(content_type_id=1, object_id="1", object_repr="x")

    assert entry.pk > highest
    assert unit.pk > populated.other_cell.pk


def rewrite(archive: Path, change) -> Path:
    """The archive with its manifest changed by `change` and re-summed, as a newer version of
    the software would have written it."""
    out = archive.with_name("sua.tar.gz")
    with tarfile.open(archive, "r:gz") as source, tarfile.open(out, "w:gz") as target:
        for info in source:
            data = source.extractfile(info).read()
            if info.name == "manifest.json":
                manifest = json.loads(data)
                change(manifest)
                data = json.dumps(manifest).encode()
                manifest_sum = hashlib.sha256(data).hexdigest().encode()
            if info.name == "manifest.sha256":
                continue
            info.size = len(data)
            target.addfile(info, io.BytesIO(data))
        info = tarfile.TarInfo("manifest.sha256")
        info.size = len(manifest_sum)
        target.addfile(info, io.BytesIO(manifest_sum))
    return out


def test_an_archive_from_a_newer_schema_is_refused_and_nothing_changes(populated, tmp_path):
    archive = tmp_path / "sao-luu.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    newer = rewrite(archive, lambda m: m["migrations"]["concerns"].append("0099_tuong_lai"))
    before = picture()

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(newer), "--replace")

    message = str(refused.value)
    assert "phiên bản mới hơn" in message and "hãy cập nhật phần mềm trước" in message
    assert "concerns.0099_tuong_lai" in message
    assert picture() == before


def test_an_archive_from_an_older_schema_is_refused_with_what_to_do(populated, tmp_path):
    archive = tmp_path / "sao-luu.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    older = rewrite(archive, lambda m: m["migrations"]["concerns"].pop())

    with pytest.raises(CommandError, match="phiên bản cũ hơn.*tuyengiao migrate"):
        call_command("restore", str(older), "--replace")


def test_a_damaged_archive_is_refused_and_nothing_changes(populated, media, tmp_path):
    archive = tmp_path / "sao-luu.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    before, uploads = picture(), files(media)
    # A member changed after the backup was made: its checksum no longer matches.
    tampered = archive.with_name("doi.tar.gz")
    with tarfile.open(archive, "r:gz") as source, tarfile.open(tampered, "w:gz") as target:
        for info in source:
            data = source.extractfile(info).read()
            if info.name == "data/org_unit.jsonl":
                data = data.replace("Xã Hoà An".encode(), "Xã Hoà Bình".encode())
                info.size = len(data)
            target.addfile(info, io.BytesIO(data))
    truncated = archive.with_name("cut.tar.gz")
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])

    for bad in (tampered, truncated):
        with pytest.raises(CommandError, match="Tệp sao lưu bị hỏng"):
            call_command("restore", str(bad), "--replace")

    assert picture() == before
    assert files(media) == uploads


def test_the_manifest_says_what_the_archive_holds(populated, tmp_path):
    archive = tmp_path / "sao-luu.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    with tarfile.open(archive, "r:gz") as opened:
        manifest = json.load(opened.extractfile("manifest.json"))
    assert manifest["vendor"] == connection.vendor
    assert "0001_initial" in manifest["migrations"]["concerns"]
    assert manifest["counts"]["concerns_concernphoto"] == 3
    assert manifest["counts"]["org_user_groups"] == 1
    assert sum(name.startswith("media/") for name in manifest["members"]) == 4
