"""The outreach pages: the speakers' roster and each speaker, their sessions by period, the
attendance at speakers' conferences; exemplary models, their photos, replications and counts.
Thin: form → service → message → redirect, or query → template."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tuyengiao.core.files import download
from tuyengiao.core.forms import apply_errors
from tuyengiao.core.params import parse_id
from tuyengiao.core.params import period_asked as _period
from tuyengiao.directives.queries import directives_for
from tuyengiao.org import queries as org_queries
from tuyengiao.org.access import may_change as _may_change
from tuyengiao.org.access import post_only as _post_only
from tuyengiao.org.access import read_only as _read_only
from tuyengiao.org.access import require_change as _require_change
from tuyengiao.org.models import Unit, within
from tuyengiao.org.scope import Action, can, in_scope
from tuyengiao.oversight.models import ConferenceKind, WorkArea
from tuyengiao.oversight.queries import conference_for
from tuyengiao.periods import Period
from tuyengiao.reports.xlsx import xlsx_response

from . import documents, queries, services
from .forms import (
    AttendanceForm,
    ModelEditForm,
    ModelForm,
    PhotosForm,
    ReplicationForm,
    SessionForm,
    SpeakerForm,
)
from .models import OutreachLevel, SpeakerKind


def _number(raw, default: int | None, *, top: int) -> int | None:
    value = parse_id(raw)
    return value if value is not None and 1 <= value <= top else default


def _text(request, name: str, size: int) -> str:
    """A text filter, cut to `size`, without NUL characters (PostgreSQL cannot compare them)."""
    return request.GET.get(name, "").replace("\x00", "")[:size]


def _below(user, unit: Unit):
    """The units of `unit`'s subtree the user may change, in force (what a form offers)."""
    return org_queries.units_for(user, Action.CHANGE).filter(within("path", unit.path)).active()


def _export_url(request, name: str, unit: Unit) -> str:
    """The page's download: the same filters as the page, for the same unit."""
    query = request.GET.copy()
    query["unit"] = str(unit.pk)
    return f"{reverse(name)}?{query.urlencode()}"


def _base(request, unit: Unit, current: str) -> dict:
    return {
        "unit": unit,
        "current": current,
        "may_change": _may_change(request.user, unit),
        "breadcrumb": org_queries.breadcrumb(request.user, unit),
    }


# Speakers ------------------------------------------------------------------------------------


def _roster_filters(request) -> dict:
    """The roster's filters as the page's form sends them (what is not a choice is ignored)."""
    level = request.GET.get("level", "")
    kind = request.GET.get("kind", "")
    return {
        "level": level if level in OutreachLevel.values else "",
        "kind": kind if kind in SpeakerKind.values else "",
        "term": _text(request, "term", 9),
        "q": _text(request, "q", 100),
        "idle_months": _number(request.GET.get("idle"), None, top=120),
        "ending_days": _number(request.GET.get("ending"), None, top=3650),
    }


def _periods(today) -> list[Period]:
    """The periods offered: this year, half, quarter and month, and last year."""
    return [
        Period.of("year", today),
        Period.of("half", today),
        Period.of("quarter", today),
        Period.of("month", today),
        Period.of("year", today).previous(),
    ]


def roster(request):
    """The speakers of the unit's subtree, filtered by level, term and kind; flagged when idle
    (no session in N months) and listed alone when their term ends soon."""
    unit = org_queries.unit_asked(request)
    if refused := _read_only(request):
        return refused
    today = timezone.localdate()
    filters = _roster_filters(request)
    speakers = list(queries.roster(request.user, unit, **filters, today=today)[:500])
    for speaker in speakers:
        speaker.flagged = queries.is_idle(speaker, today)
    idle, ending = filters["idle_months"], filters["ending_days"]
    context = {
        **_base(request, unit, "speakers"),
        "speakers": speakers,
        "levels": OutreachLevel.choices,
        "kinds": SpeakerKind.choices,
        "terms": queries.terms(request.user, unit),
        "chosen": {
            "level": request.GET.get("level", ""),
            "kind": request.GET.get("kind", ""),
            "term": filters["term"],
            "idle": idle,
            "ending": ending,
        },
        "q": request.GET.get("q", ""),
        "idle_months": idle or queries.IDLE_MONTHS,
        "ending_days": queries.ENDING_DAYS,
        "today": today,
        "periods": _periods(today),
        "export_fields": [
            (name, value)
            for name, value in request.GET.items()
            if name in ("q", "level", "kind", "term", "idle", "ending")
        ],
    }
    return render(request, "outreach/roster.html", context)


def roster_xlsx(request):
    """The roster as filtered on the page, each speaker with their sessions and audience in
    the period asked (this year by default) and the two flags."""
    unit = org_queries.unit_asked(request)
    if refused := _read_only(request):
        return refused
    today = timezone.localdate()
    filters = _roster_filters(request)
    period = _period(request, today)
    speakers = queries.roster(request.user, unit, **filters, today=today)
    content = documents.roster_workbook(
        unit,
        list(speakers[: documents.MAX_ROWS]),
        queries.speakers_counts(request.user, unit, period),
        period,
        today=today,
        idle_months=filters["idle_months"] or queries.IDLE_MONTHS,
    )
    return xlsx_response(content, documents.roster_stem(unit, period))


def _speaker_form(request, unit: Unit, data=None, **kw) -> SpeakerForm:
    units = _below(request.user, unit).exclude(pk=unit.pk).filter(parent=unit)
    return SpeakerForm(data, units=units.order_by("sort_key", "name"), **kw)


def speaker_new(request):
    unit = org_queries.unit_asked(request, request.POST if request.method == "POST" else None)
    _require_change(request.user, unit)
    form = _speaker_form(request, unit, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            speaker = services.speaker_create(
                actor=request.user,
                unit=unit,
                full_name=data["full_name"],
                position=data["position"],
                kind=data["kind"],
                level=data["level"] or None,
                term=data["term"],
                decision_symbol=data["decision"],
                decision_issued_on=data["decision_issued_on"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                assigned_units=list(data["assigned_units"]),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi nhận %(name)s.") % {"name": speaker.full_name})
            return redirect(speaker)
    context = {**_base(request, unit, "speakers"), "form": form}
    return render(request, "outreach/speaker_form.html", context)


def speaker_detail(request, pk: int):
    speaker = queries.speaker_for(request.user, pk)
    if refused := _read_only(request):
        return refused
    today = timezone.localdate()
    period = _period(request, today)
    context = {
        **_base(request, speaker.unit, "speakers"),
        "speaker": speaker,
        "period": period,
        "totals": queries.speaker_totals(request.user, speaker, period),
        "all_totals": queries.speaker_totals(request.user, speaker),
        "sessions": queries.speaker_sessions(request.user, speaker)[:200],
        "assigned": [
            u for u in speaker.assigned_units.order_by("sort_key") if in_scope(request.user, u.path)
        ],
        "conferences": queries.speaker_conferences(request.user, speaker),
        "serving": speaker.serves_on(today),
    }
    return render(request, "outreach/speaker_detail.html", context)


def speaker_edit(request, pk: int):
    speaker = queries.speaker_for(request.user, pk)
    _require_change(request.user, speaker.unit)
    initial = {
        "full_name": speaker.full_name,
        "position": speaker.position,
        "kind": speaker.kind,
        "level": speaker.level,
        "term": speaker.term,
        "decision": speaker.decision.symbol,
        "decision_issued_on": speaker.decision.issued_on,
        "starts_on": speaker.starts_on,
        "ends_on": speaker.ends_on,
        "assigned_units": list(speaker.assigned_units.all()),
    }
    form = _speaker_form(request, speaker.unit, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.speaker_update(
                actor=request.user,
                speaker=speaker,
                assigned_units=list(data["assigned_units"]),
                decision_symbol=data["decision"],
                decision_issued_on=data["decision_issued_on"],
                full_name=data["full_name"],
                position=data["position"],
                kind=data["kind"],
                level=data["level"] or speaker.level,
                term=data["term"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect(speaker)
    context = {**_base(request, speaker.unit, "speakers"), "form": form, "speaker": speaker}
    return render(request, "outreach/speaker_form.html", context)


# Sessions ------------------------------------------------------------------------------------


def session_new(request, pk: int):
    speaker = queries.speaker_for(request.user, pk)
    _require_change(request.user, speaker.unit)
    form = SessionForm(
        request.POST or None,
        initial={"unit": speaker.unit, "held_on": timezone.localdate()},
        units=_below(request.user, speaker.unit),
        documents=directives_for(request.user).order_by("-issued_on", "-id"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.session_record(actor=request.user, speaker=speaker, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi nhận buổi nói chuyện."))
            return redirect(speaker)
    context = {**_base(request, speaker.unit, "speakers"), "form": form, "speaker": speaker}
    return render(request, "outreach/session_form.html", context)


def session_delete(request, pk: int):
    session = queries.session_for(request.user, pk)
    if refused := _post_only(request):
        return refused
    _require_change(request.user, session.speaker.unit)
    _require_change(request.user, session.unit)
    speaker = session.speaker
    services.session_delete(actor=request.user, session=session)
    messages.success(request, _("Đã xóa buổi nói chuyện."))
    if queries.speakers_for(request.user).filter(pk=speaker.pk).exists():
        return redirect(speaker)
    return redirect(reverse("outreach:sessions"))


def session_list(request):
    """Sessions heard in the unit's subtree in a period: by unit (rolled up), by speaker, and
    the list."""
    unit = org_queries.unit_asked(request)
    if refused := _read_only(request):
        return refused
    today = timezone.localdate()
    period = _period(request, today)
    context = {
        **_base(request, unit, "sessions"),
        "period": period,
        "periods": _periods(today),
        "rollup": queries.session_rollup(request.user, unit, period),
        "by_speaker": queries.sessions_by_speaker(request.user, unit, period)[:100],
        "sessions": queries.sessions_in(request.user, unit, period)[:200],
        "xlsx_url": f"{reverse('outreach:sessions_xlsx')}?unit={unit.pk}&period={period.id}",
    }
    return render(request, "outreach/session_list.html", context)


def sessions_xlsx(request):
    """The sessions page as a workbook: by unit, by speaker and each session of the period."""
    unit = org_queries.unit_asked(request)
    if refused := _read_only(request):
        return refused
    today = timezone.localdate()
    period = _period(request, today)
    content = documents.sessions_workbook(
        queries.session_rollup(request.user, unit, period),
        queries.sessions_by_speaker(request.user, unit, period),
        queries.sessions_in(request.user, unit, period)[: documents.MAX_ROWS],
        today=today,
    )
    return xlsx_response(content, documents.sessions_stem(unit, period))


def attendance(request, pk: int):
    """The speakers present at a speakers' conference (the conference is oversight's)."""
    conference = conference_for(request.user, pk)
    if conference.kind != ConferenceKind.SPEAKERS:
        messages.error(request, _("Chỉ ghi nhận người dự ở hội nghị báo cáo viên."))
        return redirect(conference)
    may = _may_change(request.user, conference.unit)
    if request.method == "POST":
        _require_change(request.user, conference.unit)
    form = AttendanceForm(
        request.POST or None,
        initial={"speakers": list(queries.conference_speakers(request.user, conference))},
        speakers=queries.attendable(request.user, conference),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_set(
                actor=request.user,
                conference=conference,
                speakers=form.cleaned_data["speakers"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi nhận báo cáo viên dự hội nghị."))
            return redirect(reverse("outreach:attendance", args=[conference.pk]))
    context = {
        **_base(request, conference.unit, "speakers"),
        "conference": conference,
        "present": queries.conference_speakers(request.user, conference),
        "form": form if may else None,
    }
    return render(request, "outreach/attendance.html", context)


# Exemplary models ----------------------------------------------------------------------------


def _model_filters(request) -> tuple[list[WorkArea], WorkArea | None, str]:
    areas = list(WorkArea.objects.all())
    chosen_area = next((a for a in areas if a.pk == parse_id(request.GET.get("area"))), None)
    return areas, chosen_area, _text(request, "q", 100)


def model_list(request):
    unit = org_queries.unit_asked(request)
    if refused := _read_only(request):
        return refused
    areas, chosen_area, q = _model_filters(request)
    context = {
        **_base(request, unit, "models"),
        "models": queries.models_in(request.user, unit, q=q, area=chosen_area)[:300],
        "areas": areas,
        "area": chosen_area,
        "q": q,
        "xlsx_url": _export_url(request, "outreach:models_xlsx", unit),
    }
    return render(request, "outreach/model_list.html", context)


def models_xlsx(request):
    """The models' list as filtered on the page."""
    unit = org_queries.unit_asked(request)
    if refused := _read_only(request):
        return refused
    _areas, chosen_area, q = _model_filters(request)
    found = queries.models_in(request.user, unit, q=q, area=chosen_area)
    when = " · ".join(part for part in (chosen_area.name if chosen_area else "", q) if part)
    content = documents.models_workbook(unit, found[: documents.MAX_ROWS], when=when)
    return xlsx_response(content, documents.models_stem(unit))


def model_new(request):
    unit = org_queries.unit_asked(request, request.POST if request.method == "POST" else None)
    _require_change(request.user, unit)
    form = ModelForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            model = services.model_create(
                actor=request.user,
                unit=unit,
                name=data["name"],
                area=data["area"],
                description=data["description"],
                level=data["level"] or None,
                decision_symbol=data["decision"],
                decision_issued_on=data["decision_issued_on"],
                photos=data["photos"] or [],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi nhận mô hình “%(name)s”.") % {"name": model.name})
            return redirect(model)
    context = {**_base(request, unit, "models"), "form": form}
    return render(request, "outreach/model_form.html", context)


def _model_context(request, model, *, photos_form=None, replication_form=None) -> dict:
    may = _may_change(request.user, model.unit)
    units = org_queries.units_for(request.user, Action.CHANGE).active().exclude(pk=model.unit_id)
    return {
        **_base(request, model.unit, "models"),
        "model": model,
        "photos": model.photos.all(),
        "replications": queries.model_replications(request.user, model),
        "photos_form": photos_form or (PhotosForm() if may else None),
        "replication_form": replication_form
        or (ReplicationForm(units=units) if can_replicate(request.user) else None),
    }


def can_replicate(user) -> bool:
    """Any office that records work may record that it copied a model it sees (at a unit of
    its own scope; the service checks it)."""
    return can(user, Action.CHANGE)


def model_detail(request, pk: int):
    model = queries.model_for(request.user, pk)
    if refused := _read_only(request):
        return refused
    return render(request, "outreach/model_detail.html", _model_context(request, model))


def model_edit(request, pk: int):
    model = queries.model_for(request.user, pk)
    _require_change(request.user, model.unit)
    initial = {
        "name": model.name,
        "area": model.area,
        "description": model.description,
        "level": model.level,
    }
    form = ModelEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.model_update(actor=request.user, model=model, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect(model)
    context = {**_base(request, model.unit, "models"), "form": form, "model": model}
    return render(request, "outreach/model_form.html", context)


def model_photos(request, pk: int):
    model = queries.model_for(request.user, pk)
    if refused := _post_only(request):
        return refused
    _require_change(request.user, model.unit)
    form = PhotosForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.photos_add(actor=request.user, model=model, photos=form.cleaned_data["photos"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm ảnh."))
            return redirect(model)
    context = _model_context(request, model, photos_form=form)
    return render(request, "outreach/model_detail.html", context, status=400)


def replication_add(request, pk: int):
    model = queries.model_for(request.user, pk)
    if refused := _post_only(request):
        return refused
    if not can_replicate(request.user):
        raise PermissionDenied
    units = org_queries.units_for(request.user, Action.CHANGE).active().exclude(pk=model.unit_id)
    form = ReplicationForm(request.POST, units=units)
    if form.is_valid():
        try:
            services.replication_add(actor=request.user, model=model, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi nhận nơi nhân rộng."))
            return redirect(model)
    context = _model_context(request, model, replication_form=form)
    return render(request, "outreach/model_detail.html", context, status=400)


def replication_delete(request, pk: int):
    replication = queries.replication_for(request.user, pk)
    if refused := _post_only(request):
        return refused
    _require_change(request.user, replication.unit)
    model = replication.model
    services.replication_delete(actor=request.user, replication=replication)
    messages.success(request, _("Đã xóa nơi nhân rộng."))
    if queries.models_for(request.user).filter(pk=model.pk).exists():
        return redirect(model)
    return redirect(reverse("outreach:models"))


def photo(request, pk: int):
    """A model's photo, to whoever may see the model (media files are never linked)."""
    item = queries.photo_for(request.user, pk)
    if refused := _read_only(request):
        return refused
    return download(item.image, name=item.download_name)


def _counts_year(request) -> tuple[int | None, date | None, date | None]:
    year = _number(request.GET.get("year"), None, top=2100)
    if year and year >= 2000:
        return year, date(year, 1, 1), date(year, 12, 31)
    return year, None, None


def model_counts(request):
    """Models by field of work and unit, rolled up the tree, and their replications."""
    unit = org_queries.unit_asked(request)
    if refused := _read_only(request):
        return refused
    year, since, until = _counts_year(request)
    today = timezone.localdate()
    context = {
        **_base(request, unit, "counts"),
        "counts": queries.model_counts(request.user, unit, since=since, until=until),
        "year": year,
        "years": range(today.year, today.year - 6, -1),
        "xlsx_url": _export_url(request, "outreach:counts_xlsx", unit),
    }
    return render(request, "outreach/model_counts.html", context)


def counts_xlsx(request):
    """The counts page as a workbook."""
    unit = org_queries.unit_asked(request)
    if refused := _read_only(request):
        return refused
    year, since, until = _counts_year(request)
    counts = queries.model_counts(request.user, unit, since=since, until=until)
    content = documents.counts_workbook(counts, year=year if since else None)
    return xlsx_response(content, documents.counts_stem(unit, year if since else None))
