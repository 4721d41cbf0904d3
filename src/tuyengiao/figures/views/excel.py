"""Excel pages of periodic figures: download a template to fill offline, upload it back.

The rules of the file live in `figures.excel`; these views only pick the form, unit and periods
from what the user may see, and show the import's errors or its summary.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tuyengiao.org import queries as org_queries
from tuyengiao.org.scope import Action, can
from tuyengiao.periods import Period
from tuyengiao.reports.xlsx import xlsx_response
from tuyengiao.text import search_key

from .. import excel
from ..forms_excel import TemplateForm, UploadForm
from ..queries import active_data_sets


def _template_initial(user) -> dict:
    initial = {"unit": org_queries.home_unit(user)}
    first = active_data_sets().first()
    if first is not None:
        initial["data_set"] = first
        current = Period.of(first.period_kind, timezone.localdate())
        # the period usually being reported is the one that has just ended
        initial["first"] = (
            current.previous().id if Period.parse(first.first_period) < current else current.id
        )
    return initial


def excel_page(request):
    """Pick a form, a unit and periods for a template; upload a filled one."""
    user = request.user
    may_upload = can(user, Action.CHANGE)
    template_form = TemplateForm(user=user, initial=_template_initial(user))
    upload_form = UploadForm()
    result = None
    if request.method == "POST":
        if not may_upload:
            raise PermissionDenied(_("Bạn không có quyền nhập số liệu."))
        upload_form = UploadForm(request.POST, request.FILES)
        if upload_form.is_valid():
            result = excel.import_workbook(actor=user, file=upload_form.cleaned_data["file"])
    context = {
        "template_form": template_form,
        "upload_form": upload_form,
        "may_upload": may_upload,
        "result": result,
    }
    return render(request, "figures/excel.html", context)


def excel_template(request):
    """The XLSX template for the chosen form, unit and periods."""
    if not request.GET:
        return redirect("figures:excel")
    form = TemplateForm(request.GET or None, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            content = excel.template(data["data_set"], data["unit"], form.periods)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            periods = form.periods
            span = periods[0].id if len(periods) == 1 else f"{periods[0].id}_{periods[-1].id}"
            name = search_key(f"{data['data_set'].code} {data['unit'].name}").replace(" ", "-")
            return xlsx_response(content, f"mau-{name}-{span}")
    context = {
        "template_form": form,
        "upload_form": UploadForm(),
        "may_upload": can(request.user, Action.CHANGE),
        "result": None,
    }
    return render(request, "figures/excel.html", context, status=400)
