"""The periodic narrative report (issue #16): drafting the demo province's yearly report from
the data (every field of work, its ~90 communes) and exporting it as a Party document (DOCX).

One case, `province_year`: `narratives.drafting.draft` for the demo province (Bắc Kạn's
successor in the demo, `tuyengiao.demo`) and the year of TODAY, as its manager `tinh.quanly`,
then `narratives.documents.report_docx` of that draft. `app_ms` is the median of RUNS (draft +
export), `draft_ms` and `docx_ms` the two parts; `queries` the SQL queries one draft makes;
`rows` the communes below the province; `sections` the draft's sections; `docx_kb` the file's
size. The target: under 5 s. The demo is loaded into the bench database when missing
(`build_demo(today=TODAY)`, about a minute), and reused after.
"""

import time
from datetime import date

from ._common import median_ms, ms, note

TODAY = date(2026, 12, 6)
RUNS = 3


def _demo():
    from tuyengiao.org.models import User

    manager = User.objects.filter(username="tinh.quanly").select_related("unit").first()
    if manager is None:
        from tuyengiao.demo.build import build_demo

        note("loading the demo into the bench database (once)")
        start = time.perf_counter()
        build_demo(today=TODAY)
        note(f"demo loaded in {ms(time.perf_counter() - start) / 1000:.0f} s")
        manager = User.objects.select_related("unit").get(username="tinh.quanly")
    return manager


def run():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tuyengiao.narratives import documents
    from tuyengiao.narratives.drafting import draft
    from tuyengiao.narratives.models import NarrativeReport, NarrativeVersion
    from tuyengiao.org.models import Unit
    from tuyengiao.periods import Period

    manager = _demo()
    province = manager.unit
    year = Period.of("year", TODAY)
    report = NarrativeReport(unit=province, period=year.id, number="12")

    def drafted():
        return draft(manager, province, year, TODAY)

    def exported(sections):
        return documents.report_docx(report, NarrativeVersion(sections=sections), today=TODAY)

    def both():
        return exported(drafted())

    with CaptureQueriesContext(connection) as queries:
        sections = drafted()
    content = exported(sections)
    app_ms = median_ms(both, runs=RUNS)
    draft_ms = median_ms(drafted, runs=RUNS)
    docx_ms = median_ms(lambda: exported(sections), runs=RUNS)
    communes = Unit.objects.filter(parent=province, level="commune").count()
    note(f"province_year: {province.name}, {communes} communes, {len(sections)} sections")
    yield {
        "case": "province_year",
        "rows": communes,
        "app_ms": app_ms,
        "draft_ms": draft_ms,
        "docx_ms": docx_ms,
        "queries": len(queries.captured_queries),
        "sections": len(sections),
        "docx_kb": round(len(content) / 1024, 1),
    }
