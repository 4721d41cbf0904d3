"""Every write of political-theory training, and its rules: centres, their annual plans and
their classes.

Every function is keyword-only, checks who may do it (`Action.CHANGE` at the centre's unit, and
at each commune a centre is set to serve: `org.services.require`), writes and audits in one
transaction. Refusals are by field, in Vietnamese.

The rules of a class:
- it opens on a day not in the future and closes (bế giảng) on or after the day it opened, not
  in the future either; a running class has no closing day and no number completed; a class is
  closed by updating it with `closed_on` and `completed` together;
- at least one learner enrolled; completed never above enrolled;
- fewer learners than the programme's `min_learners` (25 by default) is refused with the code
  "small" until the person confirms (`confirm_small=True`: the form's checkbox, the API's
  `confirm_small`); the class keeps `small_confirmed` and the audit entry says so;
- its communes: at least one, each served by the centre (a province's school serves every
  commune of its province); the centre active and the programme in use for a new class.
A plan: numbers not below zero, a year between 2000 and 2100, one per centre, programme and year.

The record-backed figures (classes, learners, plans: training/record_sources.py) follow every
save and delete of a class or a plan in the same transaction (figures/sources.py).
"""

from collections.abc import Iterable, Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuyengiao.audit.models import AuditAction
from tuyengiao.audit.services import record, snapshot
from tuyengiao.org.models import Level, Unit
from tuyengiao.org.scope import Action
from tuyengiao.org.services import require
from tuyengiao.text import nfc
from tuyengiao.text.collation import sort_key

from .models import CentreKind, PoliticalCentre, Programme, TrainingClass, TrainingPlan

FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_COUNT = 1_000_000


def _today(today: date | None) -> date:
    return today or timezone.localdate()


def _text(value: str | None, limit: int = 200) -> str:
    return nfc((value or "").strip())[:limit]


def _by(actor):
    return actor if actor is not None and actor.is_authenticated else None


def province_of(unit: Unit) -> Unit | None:
    """The province a unit lies in (the unit itself for a province)."""
    if unit.level == Level.PROVINCE:
        return unit
    return next((u for u in unit.ancestors() if u.level == Level.PROVINCE), None)


# Centres -------------------------------------------------------------------------------------


def _check_centre(centre: PoliticalCentre, served: list[Unit]) -> None:
    errors = {}
    if not centre.name:
        errors["name"] = _("Hãy nhập tên trung tâm.")
    if centre.kind == CentreKind.COMMUNE_CENTRE:
        if centre.unit.level != Level.COMMUNE:
            errors["unit"] = _("Trung tâm chính trị xã thuộc một xã, phường, đặc khu.")
    elif centre.kind == CentreKind.PROVINCE_SCHOOL:
        if centre.unit.level != Level.PROVINCE:
            errors["unit"] = _("Trường chính trị thuộc tỉnh, thành phố.")
    else:
        errors["kind"] = _("Hãy chọn loại trung tâm.")
    if errors:
        raise ValidationError(errors)
    province = province_of(centre.unit)
    wrong = [u.name for u in served if u.level != Level.COMMUNE]
    if wrong:
        errors["served"] = _("%(units)s không phải xã, phường, đặc khu.") % {
            "units": ", ".join(wrong)
        }
    elif province is not None:
        outside = [u.name for u in served if not u.is_within(province)]
        if outside:
            errors["served"] = _("%(units)s không thuộc %(province)s.") % {
                "units": ", ".join(outside),
                "province": province.name,
            }
    if centre.kind == CentreKind.COMMUNE_CENTRE and not served and "served" not in errors:
        errors["served"] = _("Hãy chọn ít nhất một xã, phường, đặc khu mà trung tâm phục vụ.")
    if errors:
        raise ValidationError(errors)


def _served(actor, centre: PoliticalCentre, served: Iterable[Unit] | None) -> list[Unit]:
    units = list({u.pk: u for u in (served or ())}.values())
    if centre.kind == CentreKind.COMMUNE_CENTRE and not units and served is None:
        units = [centre.unit]  # a commune's centre serves at least its own commune
    for unit in units:
        require(actor, Action.CHANGE, unit)
    return units


@transaction.atomic
def centre_create(
    *,
    actor,
    unit: Unit,
    name: str,
    kind: str | None = None,
    served: Sequence[Unit] | None = None,
    active: bool = True,
) -> PoliticalCentre:
    """A centre run by `unit`: a commune's political centre serving `served` (its own commune
    when none is given), or the province's political school (serving the whole province)."""
    require(actor, Action.CHANGE, unit)
    if kind is None:
        kind = (
            CentreKind.PROVINCE_SCHOOL
            if unit.level == Level.PROVINCE
            else CentreKind.COMMUNE_CENTRE
        )
    centre = PoliticalCentre(unit=unit, kind=kind, name=_text(name), active=active)
    units = _served(actor, centre, served)
    _check_centre(centre, units)
    centre.sort_key = sort_key(centre.name)
    centre.fill_path()
    centre.full_clean()
    centre.save()
    centre.served.set(units)
    record(actor, AuditAction.CREATE, centre)
    return centre


CENTRE_FIELDS = ("name", "active")


@transaction.atomic
def centre_update(
    *, actor, centre: PoliticalCentre, served: Sequence[Unit] | None = None, **changes
) -> PoliticalCentre:
    """Rename, (de)activate or change the communes served; a commune still named by one of
    the centre's classes stays served."""
    require(actor, Action.CHANGE, centre.unit)
    unknown = set(changes) - set(CENTRE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(sorted(unknown))}")
    centre = PoliticalCentre.objects.select_for_update().get(pk=centre.pk)
    before = {**snapshot(centre), "served": sorted(centre.served.values_list("pk", flat=True))}
    for name, value in changes.items():
        setattr(centre, name, value)
    centre.name = _text(centre.name)
    units = list(centre.served.all()) if served is None else _served(actor, centre, served)
    if served is not None:
        dropped = {u.pk for u in centre.served.all()} - {u.pk for u in units}
        for unit in Unit.objects.filter(pk__in=dropped):
            require(actor, Action.CHANGE, unit)
        named = (
            Unit.objects.filter(pk__in=dropped)
            .filter(
                pk__in=TrainingClass.communes.through.objects.filter(
                    trainingclass__centre=centre
                ).values("unit_id")
            )
            .values_list("name", flat=True)
        )
        if named:
            raise ValidationError(
                {
                    "served": _("Lớp của trung tâm có học viên từ %(units)s; không thể bỏ.")
                    % {"units": ", ".join(named)}
                }
            )
    _check_centre(centre, units)
    centre.sort_key = sort_key(centre.name)
    centre.full_clean()
    centre.save()
    if served is not None:
        centre.served.set(units)
    record(actor, AuditAction.UPDATE, centre, before=before)
    return centre


@transaction.atomic
def centre_delete(*, actor, centre: PoliticalCentre) -> None:
    """Take away a centre recorded by mistake: only one without plans or classes (otherwise
    it is made inactive)."""
    require(actor, Action.CHANGE, centre.unit)
    if centre.plans.exists() or centre.classes.exists():
        raise ValidationError(
            _("Trung tâm đã có kế hoạch hoặc lớp; không thể xóa (hãy chuyển sang ngừng hoạt động).")
        )
    record(actor, AuditAction.DELETE, centre, before=snapshot(centre))
    centre.delete()


def served_communes(centre: PoliticalCentre):
    """The communes a class of the centre may draw its learners from."""
    if centre.kind == CentreKind.PROVINCE_SCHOOL:
        from tuyengiao.org.models import within

        return Unit.objects.filter(within("path", centre.unit.path), level=Level.COMMUNE)
    return centre.served.all()


# Plans ---------------------------------------------------------------------------------------


def _check_plan(plan: TrainingPlan) -> None:
    errors = {}
    if plan.year is None or not FIRST_YEAR <= plan.year <= LAST_YEAR:
        errors["year"] = _("Năm phải từ %(first)d đến %(last)d.") % {
            "first": FIRST_YEAR,
            "last": LAST_YEAR,
        }
    for name in ("classes_planned", "learners_planned"):
        value = getattr(plan, name)
        if value is None or value < 0:
            errors[name] = _("Số kế hoạch không thể âm.")
        elif value > MAX_COUNT:
            errors[name] = _("Giá trị quá lớn.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def plan_set(
    *,
    actor,
    centre: PoliticalCentre,
    programme: Programme,
    year: int,
    classes_planned: int,
    learners_planned: int,
) -> TrainingPlan:
    """The centre's plan for a programme and year: created, or the one recorded changed."""
    require(actor, Action.CHANGE, centre.unit)
    plan = (
        TrainingPlan.objects.select_for_update()
        .filter(centre=centre, programme=programme, year=year)
        .first()
    )
    if plan is not None:
        return plan_update(
            actor=actor,
            plan=plan,
            classes_planned=classes_planned,
            learners_planned=learners_planned,
        )
    plan = TrainingPlan(
        unit=centre.unit,
        centre=centre,
        programme=programme,
        year=year,
        classes_planned=classes_planned,
        learners_planned=learners_planned,
    )
    _check_plan(plan)
    plan.fill_path()
    plan.full_clean()
    plan.save()
    record(actor, AuditAction.CREATE, plan)
    return plan


PLAN_FIELDS = ("classes_planned", "learners_planned")


@transaction.atomic
def plan_update(*, actor, plan: TrainingPlan, **changes) -> TrainingPlan:
    require(actor, Action.CHANGE, plan.centre.unit)
    unknown = set(changes) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(sorted(unknown))}")
    plan = TrainingPlan.objects.select_for_update().get(pk=plan.pk)
    before = snapshot(plan)
    for name, value in changes.items():
        setattr(plan, name, value)
    _check_plan(plan)
    plan.full_clean()
    plan.save()
    record(actor, AuditAction.UPDATE, plan, before=before)
    return plan


@transaction.atomic
def plan_delete(*, actor, plan: TrainingPlan) -> None:
    require(actor, Action.CHANGE, plan.centre.unit)
    record(actor, AuditAction.DELETE, plan, before=snapshot(plan))
    plan.delete()


@transaction.atomic
def plans_set(
    *, actor, centre: PoliticalCentre, year: int, rows: dict[Programme, tuple[int, int]]
) -> list[TrainingPlan]:
    """The centre's year grid at once: {programme: (classes, learners)}; a row of two zeros
    where nothing was planned before is not created."""
    saved = []
    for programme, (classes, learners) in rows.items():
        exists = TrainingPlan.objects.filter(centre=centre, programme=programme, year=year)
        if not classes and not learners and not exists.exists():
            continue
        try:
            saved.append(
                plan_set(
                    actor=actor,
                    centre=centre,
                    programme=programme,
                    year=year,
                    classes_planned=classes,
                    learners_planned=learners,
                )
            )
        except ValidationError as exc:
            raise ValidationError(
                {f"{name}_{programme.pk}": errors for name, errors in exc.message_dict.items()}
            ) from None
    return saved


# Classes -------------------------------------------------------------------------------------


def small_message(programme: Programme) -> str:
    return _(
        "Lớp có ít hơn %(n)d học viên. Hãy kiểm tra lại, hoặc xác nhận vẫn lưu lớp dưới "
        "%(n)d học viên."
    ) % {"n": programme.min_learners}


def _check_class(klass: TrainingClass, communes: list[Unit], today: date, confirm_small: bool):
    errors = {}
    if klass.opened_on is None:
        errors["opened_on"] = _("Hãy nhập ngày khai giảng.")
    elif klass.opened_on > today:
        errors["opened_on"] = _("Chỉ ghi nhận lớp đã khai giảng: ngày không thể ở tương lai.")
    if klass.closed_on is not None:
        if klass.opened_on is not None and klass.closed_on < klass.opened_on:
            errors["closed_on"] = _("Ngày bế giảng không thể trước ngày khai giảng.")
        elif klass.closed_on > today:
            errors["closed_on"] = _("Ngày bế giảng không thể ở tương lai.")
        if klass.completed is None:
            errors["completed"] = _("Lớp đã bế giảng: hãy nhập số học viên hoàn thành.")
    elif klass.completed is not None:
        errors["completed"] = _("Chỉ ghi số học viên hoàn thành khi lớp đã bế giảng.")
    if klass.enrolled is None or klass.enrolled < 1:
        errors["enrolled"] = _("Số học viên nhập học ít nhất là 1.")
    elif klass.enrolled > MAX_COUNT:
        errors["enrolled"] = _("Giá trị quá lớn.")
    elif klass.completed is not None and klass.completed > klass.enrolled:
        errors["completed"] = _("Số học viên hoàn thành không thể nhiều hơn số nhập học.")
    if klass.completed is not None and klass.completed < 0:
        errors["completed"] = _("Số học viên không thể âm.")
    if not communes:
        errors["communes"] = _("Hãy chọn ít nhất một xã, phường, đặc khu có học viên.")
    else:
        served = set(served_communes(klass.centre).values_list("pk", flat=True))
        outside = [u.name for u in communes if u.pk not in served]
        if outside:
            errors["communes"] = _("%(units)s không thuộc địa bàn trung tâm phục vụ.") % {
                "units": ", ".join(outside)
            }
    if errors:
        raise ValidationError(errors)
    small = klass.enrolled < klass.programme.min_learners
    if small and not confirm_small:
        raise ValidationError(
            {"enrolled": ValidationError(small_message(klass.programme), code="small")}
        )
    klass.small_confirmed = small


def _small_verb(klass: TrainingClass) -> str:
    if not klass.small_confirmed:
        return ""
    return _("xác nhận lớp dưới %(n)d học viên") % {"n": klass.programme.min_learners}


@transaction.atomic
def class_create(
    *,
    actor,
    centre: PoliticalCentre,
    programme: Programme,
    communes: Sequence[Unit],
    opened_on: date | None,
    enrolled: int | None,
    title: str = "",
    closed_on: date | None = None,
    completed: int | None = None,
    confirm_small: bool = False,
    today: date | None = None,
) -> TrainingClass:
    """A class of `centre` (active) in `programme` (in use)."""
    require(actor, Action.CHANGE, centre.unit)
    if not centre.active:
        raise ValidationError({"centre": _("Trung tâm đã ngừng hoạt động.")})
    if not programme.active:
        raise ValidationError({"programme": _("Chương trình không còn được dùng.")})
    klass = TrainingClass(
        unit=centre.unit,
        centre=centre,
        programme=programme,
        title=_text(title),
        opened_on=opened_on,
        closed_on=closed_on,
        enrolled=enrolled,
        completed=completed,
        created_by=_by(actor),
    )
    units = list({u.pk: u for u in communes}.values())
    _check_class(klass, units, _today(today), confirm_small)
    klass.fill_path()
    klass.full_clean()
    klass.save()
    klass.communes.set(units)
    record(actor, AuditAction.CREATE, klass, verb=_small_verb(klass))
    return klass


CLASS_FIELDS = ("programme", "title", "opened_on", "closed_on", "enrolled", "completed")


@transaction.atomic
def class_update(
    *,
    actor,
    klass: TrainingClass,
    communes: Sequence[Unit] | None = None,
    confirm_small: bool = False,
    today: date | None = None,
    **changes,
) -> TrainingClass:
    """Change a class; closing a running one is an update with `closed_on` and `completed`.
    A class confirmed small stays confirmed while its numbers do not change."""
    require(actor, Action.CHANGE, klass.centre.unit)
    unknown = set(changes) - set(CLASS_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(sorted(unknown))}")
    klass = TrainingClass.objects.select_for_update().get(pk=klass.pk)
    before = {**snapshot(klass), "communes": sorted(klass.communes.values_list("pk", flat=True))}
    # a class confirmed small stays confirmed while its number and programme stay as they were
    kept = (klass.small_confirmed, klass.enrolled, klass.programme_id)
    for name, value in changes.items():
        setattr(klass, name, value)
    klass.title = _text(klass.title)
    units = (
        list(klass.communes.all())
        if communes is None
        else list({u.pk: u for u in communes}.values())
    )
    confirmed = confirm_small or kept == (True, klass.enrolled, klass.programme_id)
    _check_class(klass, units, _today(today), confirmed)
    klass.full_clean()
    klass.save()
    if communes is not None:
        klass.communes.set(units)
    verb = _small_verb(klass) if confirm_small else ""
    record(actor, AuditAction.UPDATE, klass, before=before, verb=verb)
    return klass


@transaction.atomic
def class_delete(*, actor, klass: TrainingClass) -> None:
    """Take away a class recorded by mistake."""
    require(actor, Action.CHANGE, klass.centre.unit)
    record(actor, AuditAction.DELETE, klass, before=snapshot(klass))
    klass.delete()
