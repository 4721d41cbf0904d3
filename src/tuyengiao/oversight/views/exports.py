"""The files of oversight, downloaded from the pages: the conclusion notice (DOCX), the annual
plan and the open recommendations (XLSX). Each is found in the user's scope first (404
outside) and holds what its page shows."""

from django.http import Http404, HttpResponse
from django.utils import timezone

from tuyengiao.org import queries as org_queries
from tuyengiao.reports.xlsx import xlsx_response

from .. import documents, queries
from .common import read_only


def conclusion_docx(request, pk: int):
    """The conclusion notice of an inspection, in the Party's layout."""
    inspection = queries.inspection_for(request.user, pk)
    if refused := read_only(request):
        return refused
    conclusion = queries.conclusion_of(inspection)
    if conclusion is None:
        raise Http404
    content = documents.conclusion_docx(conclusion, request.user)
    response = HttpResponse(content, content_type=documents.DOCX_TYPE)
    name = documents.conclusion_stem(conclusion)
    response["Content-Disposition"] = f'attachment; filename="{name}.docx"'
    return response


def plan_xlsx(request, pk: int):
    plan = queries.plan_for(request.user, pk)
    if refused := read_only(request):
        return refused
    progress = queries.plan_progress(request.user, plan)
    content = documents.plan_workbook(progress)
    return xlsx_response(content, documents.plan_stem(plan))


def open_xlsx(request):
    """The roll-up of the unit's recommendations and every one not yet accepted below it."""
    unit = org_queries.unit_asked(request)
    if refused := read_only(request):
        return refused
    today = timezone.localdate()
    matrix = queries.recommendation_matrix(request.user, unit, today=today)
    rows = queries.recommendations_in(request.user, unit, open_only=True, today=today)
    rows = rows.select_related("area", "conclusion__inspection__unit", "conference__unit")
    content = documents.open_workbook(unit, matrix, list(rows), today=today)
    return xlsx_response(content, documents.open_stem(unit))
