"""What every benchmark shares: its own database, timing, notes on stderr, generated cells."""

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

DATA_DIR = Path(__file__).resolve().parent / ".data"
SQLITE_FILE = DATA_DIR / "bench.sqlite3"
SETTINGS = "tuyengiao.settings"
CELLS_PER_COMMUNE = 15

_pg_admin: dict | None = None  # how to reach the server's `postgres` database, once configured


def note(message: str) -> None:
    """Progress for the person watching: stderr, never stdout (stdout is for JSON lines)."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def _bench_url(url: str) -> str:
    """The DATABASE_URL of the benchmark database that goes with the developer's `url`."""
    scheme = urlsplit(url).scheme if url else "sqlite"
    if scheme.startswith(("postgres", "pgsql")):
        parts = urlsplit(url)
        name = parts.path.lstrip("/") or "tuyengiao"
        if not name.endswith("_bench"):
            name += "_bench"
        return parts._replace(path="/" + name).geturl()
    if scheme.startswith("sqlite"):
        return f"sqlite:///{SQLITE_FILE}"
    raise SystemExit(f"bench: unsupported DATABASE_URL scheme {scheme!r} (sqlite or postgres)")


def _ensure_pg_database(url: str, *, fresh: bool = False) -> None:
    """Create the database named in `url` if missing (drop it first when `fresh`)."""
    import dj_database_url
    import psycopg
    from psycopg import sql

    global _pg_admin
    cfg = dj_database_url.parse(url)
    _pg_admin = {
        "dbname": "postgres",
        "host": cfg.get("HOST") or None,
        "port": cfg.get("PORT") or None,
        "user": cfg.get("USER") or None,
        "password": cfg.get("PASSWORD") or None,
    }
    name = cfg["NAME"]
    with psycopg.connect(**{k: v for k, v in _pg_admin.items() if v}, autocommit=True) as conn:
        if fresh:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            note(f"{'recreating' if fresh else 'creating'} PostgreSQL database {name}")
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def configure() -> str:
    """Point Django at the benchmark database, set it up and migrate it; return its vendor."""
    url = _bench_url(os.environ.get("DATABASE_URL", ""))
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    if url.startswith("sqlite"):
        DATA_DIR.mkdir(parents=True, exist_ok=True)
    else:
        _ensure_pg_database(url)

    import django

    django.setup()
    _migrate()
    from django.db import connection

    note(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    return connection.vendor


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def fresh_database() -> None:
    """Replace the benchmark database by an empty, migrated one (for timings on an empty tree)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, connections

    vendor = connection.vendor
    connections.close_all()
    if vendor == "sqlite":
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)
    else:
        _ensure_pg_database(os.environ["DATABASE_URL"], fresh=True)
    ContentType.objects.clear_cache()
    _migrate()


def ms(seconds: float) -> float:
    value = seconds * 1000
    return round(value, 1) if value >= 10 else round(value, 3)


def median_ms(fn: Callable[[], object], *, runs: int = 7, warmup: int = 1) -> float:
    """The median wall time of `fn` over `runs` calls, after `warmup` calls not counted."""
    for _i in range(warmup):
        fn()
    times = []
    for _i in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return ms(statistics.median(times))


def province_communes(code: str):
    """The province with this code and its communes in code order, imported from the
    administrative divisions when missing."""
    from tuyengiao.org.imports import divisions_import
    from tuyengiao.org.models import Level, Unit

    province = Unit.objects.filter(code=code).first()
    if province is None:
        note(f"importing province {code}")
        divisions_import(province=code)
        province = Unit.objects.get(code=code)
    communes = list(Unit.objects.filter(parent=province, level=Level.COMMUNE).order_by("code"))
    return province, communes


def cell_rows(communes) -> list:
    """CELLS_PER_COMMUNE party cells for each commune, with the same names every time."""
    from tuyengiao.demo.org import VILLAGES
    from tuyengiao.org.models import Kind
    from tuyengiao.org.services import NewUnit

    names = [f"Chi bộ thôn {VILLAGES[i % len(VILLAGES)]}" for i in range(CELLS_PER_COMMUNE)]
    if len(VILLAGES) < CELLS_PER_COMMUNE:
        names = [f"{name} {i + 1}" for i, name in enumerate(names)]
    return [NewUnit(parent=c, name=name, kind=Kind.CELL) for c in communes for name in names]


BENCH_USERNAME = "bench.admin"


def bench_admin():
    """An administrator attached to the root: sees the whole country."""
    from tuyengiao.org.imports import ROOT_CODE
    from tuyengiao.org.models import Role, Unit, User

    root = Unit.objects.get(code=ROOT_CODE)
    user = User.objects.filter(username=BENCH_USERNAME).first()
    if user is None or user.unit_id != root.pk or user.role != Role.ADMINISTRATOR:
        User.objects.filter(username=BENCH_USERNAME).delete()
        user = User(username=BENCH_USERNAME, unit=root, role=Role.ADMINISTRATOR, is_staff=True)
        user.set_unusable_password()
        user.save()
    return user
