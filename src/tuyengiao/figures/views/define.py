"""Defining what is reported: indicators, report forms (data sets), validation rules.

Everyone of the office may read the definitions; only who may define them (Action.DEFINE) changes
them (the services refuse anyone else, and these pages answer 403 before showing a form).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuyengiao.core.forms import apply_errors
from tuyengiao.core.period_names import period_label
from tuyengiao.org.models import Kind, Level
from tuyengiao.org.scope import Action, can

from .. import queries, services
from ..forms_define import DataSetForm, IndicatorForm, RuleForm
from ..models import DataSet, Indicator, ValidationRule

SCHEDULE_PERIODS = 12  # the most recent periods shown in a report form's schedule summary


def _require_define(request) -> None:
    if not can(request.user, Action.DEFINE):
        raise PermissionDenied(_("Chỉ quản trị viên được định nghĩa chỉ tiêu và biểu mẫu."))


def _readable_data_set(request, pk: int) -> DataSet:
    return get_object_or_404(queries.data_sets_for(request.user), pk=pk)


# Indicators ------------------------------------------------------------------------------------


def indicator_list(request):
    indicators = queries.indicator_list(request.user)
    return render(
        request,
        "figures/define/indicator_list.html",
        {"indicators": indicators},
    )


def _indicator_form(request, indicator: Indicator):
    _require_define(request)
    form = IndicatorForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.indicator_save(actor=request.user, indicator=form.instance)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu chỉ tiêu %(code)s.") % {"code": saved.code})
            return redirect("figures:indicator_list")
    return render(
        request, "figures/define/indicator_form.html", {"form": form, "indicator": indicator}
    )


def indicator_create(request):
    return _indicator_form(request, Indicator())


def indicator_edit(request, pk: int):
    _require_define(request)
    return _indicator_form(request, get_object_or_404(Indicator, pk=pk))


# Report forms ----------------------------------------------------------------------------------


def data_set_list(request):
    data_sets = queries.data_set_list(request.user)
    return render(
        request,
        "figures/define/data_set_list.html",
        {"data_sets": data_sets},
    )


def _schedule_now(request, data_set: DataSet) -> None:
    created = services.reports_schedule(data_set=data_set, actor=request.user)
    if created:
        messages.info(
            request, _("Đã lập lịch %(n)d báo cáo phải nộp theo biểu này.") % {"n": created}
        )


def _data_set_form(request, data_set: DataSet):
    _require_define(request)
    initial = DataSetForm.initial_for(data_set) if data_set.pk else {}
    form = DataSetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        indicators, sections = form.apply_to(data_set)
        try:
            saved = services.data_set_save(
                actor=request.user, data_set=data_set, indicators=indicators, sections=sections
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu biểu mẫu %(code)s.") % {"code": saved.code})
            _schedule_now(request, saved)
            return redirect("figures:data_set_detail", pk=saved.pk)
    available = queries.enterable_indicators()
    return render(
        request,
        "figures/define/data_set_form.html",
        {"form": form, "data_set": data_set, "available": available},
    )


def data_set_create(request):
    return _data_set_form(request, DataSet())


def data_set_edit(request, pk: int):
    _require_define(request)
    return _data_set_form(request, get_object_or_404(DataSet, pk=pk))


def data_set_detail(request, pk: int):
    data_set = _readable_data_set(request, pk)
    rows = list(queries.data_set_rows(data_set))
    summary = queries.schedule_summary(data_set, SCHEDULE_PERIODS)
    context = {
        "data_set": data_set,
        "rows": rows,
        "rules": list(data_set.rules.all()),
        "summary": summary,
        "missing": sum(max(r["expected"] - r["scheduled"], 0) for r in summary),
        "levels": [Level(v).label for v in data_set.levels if v in Level.values],
        "kinds": [Kind(v).label for v in data_set.kinds if v in Kind.values],
        "first_period": _period_label(data_set.first_period),
    }
    return render(request, "figures/define/data_set_detail.html", context)


def _period_label(period_id: str) -> str:
    try:
        return period_label(period_id)
    except ValueError:
        return period_id


@require_POST
def data_set_schedule(request, pk: int):
    _require_define(request)
    data_set = get_object_or_404(DataSet, pk=pk)
    if not data_set.active:
        messages.error(request, _("Biểu mẫu đã ngừng áp dụng nên không lập lịch báo cáo."))
        return redirect("figures:data_set_detail", pk=pk)
    created = services.reports_schedule(data_set=data_set, actor=request.user)
    if created:
        messages.success(
            request, _("Đã lập lịch %(n)d báo cáo phải nộp theo biểu này.") % {"n": created}
        )
    else:
        messages.info(request, _("Lịch báo cáo đã đủ, không có báo cáo nào cần thêm."))
    return redirect("figures:data_set_detail", pk=pk)


# Validation rules ------------------------------------------------------------------------------


def _rule_form(request, rule: ValidationRule):
    _require_define(request)
    form = RuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        try:
            services.rule_save(actor=request.user, rule=form.instance)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu quy tắc kiểm tra."))
            return redirect("figures:data_set_detail", pk=rule.data_set_id)
    codes = rule.data_set.rows.select_related("indicator")
    return render(
        request,
        "figures/define/rule_form.html",
        {"form": form, "rule": rule, "data_set": rule.data_set, "codes": codes},
    )


def rule_create(request, pk: int):
    _require_define(request)
    return _rule_form(request, ValidationRule(data_set=get_object_or_404(DataSet, pk=pk)))


def rule_edit(request, pk: int):
    _require_define(request)
    return _rule_form(
        request, get_object_or_404(ValidationRule.objects.select_related("data_set"), pk=pk)
    )


@require_POST
def rule_delete(request, pk: int):
    _require_define(request)
    rule = get_object_or_404(ValidationRule, pk=pk)
    services.rule_delete(actor=request.user, rule=rule)
    messages.success(request, _("Đã xoá quy tắc kiểm tra “%(rule)s”.") % {"rule": rule})
    return redirect("figures:data_set_detail", pk=rule.data_set_id)
