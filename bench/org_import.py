"""Importing the whole country: 34 provinces, 3,321 communes, 15 party cells per commune.

`import_country` times `divisions_import()` and then `units_create_many` for the cells on an
empty, freshly migrated database (one pass, since an import is a one-off). Peak Python memory
is taken in a second pass on another fresh database: tracemalloc slows the code about fourfold,
so it must not run during the timed pass. `reimport_country` times a second
`divisions_import()`, which must change nothing. The tree is left in place for `deadlines`.
"""

import gc
import resource
import time
import tracemalloc

from ._common import cell_rows, fresh_database, ms, note


def _import_country() -> dict:
    from tuyengiao.org.imports import divisions_import
    from tuyengiao.org.models import Level, Unit
    from tuyengiao.org.services import units_create_many

    start = time.perf_counter()
    result = divisions_import()
    divided = time.perf_counter()
    communes = list(Unit.objects.filter(level=Level.COMMUNE).order_by("code"))
    cells = units_create_many(actor=None, rows=cell_rows(communes), verb="bench")
    end = time.perf_counter()
    return {
        "divisions_ms": ms(divided - start),
        "cells_ms": ms(end - divided),
        "app_ms": ms(end - start),
        "communes": len(communes),
        "created": result.created + len(cells),
    }


def _maxrss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # KiB on Linux


def run():
    from tuyengiao.org.imports import divisions_import
    from tuyengiao.org.models import Unit

    note("import_country: timed pass on a fresh database")
    fresh_database()
    gc.collect()
    timed = _import_country()
    units = Unit.objects.count()
    maxrss = _maxrss_mb()
    assert timed["created"] + 1 == units, (timed, units)  # + 1: the root, made on the way
    note(f"import_country: {units} units in {timed['app_ms']} ms; memory pass (slower)")

    fresh_database()
    gc.collect()
    tracemalloc.start()
    try:
        _import_country()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert Unit.objects.count() == units
    yield {
        "case": "import_country",
        "rows": units,
        "units": units,
        "app_ms": timed["app_ms"],
        "divisions_ms": timed["divisions_ms"],
        "cells_ms": timed["cells_ms"],
        "peak_mb": round(peak / 2**20, 1),
        "maxrss_mb": maxrss,
    }

    start = time.perf_counter()
    result = divisions_import()
    elapsed = time.perf_counter() - start
    assert Unit.objects.count() == units
    yield {
        "case": "reimport_country",
        "rows": result.created + result.updated + result.unchanged + result.moved,
        "app_ms": ms(elapsed),
        "created": result.created,
        "updated": result.updated,
        "moved": result.moved,
        "unchanged": result.unchanged,
    }
