"""REST API over oversight: annual plans, inspections from decision to conclusion,
recommendations followed to the end, conferences and their tasks.

The same rules as the pages, from the same places: every read goes through
`oversight.queries` (an inspection is seen from the inspecting unit's subtree and from each
inspected unit's; a recommendation from its unit's and from the issuing unit's; a plan and a
conference from their unit's — outside, 404), every write through `oversight.services`
(403 from their `require`, 400 by field from their `ValidationError`); a viewer gets 403 on
every write (`CanChange`), a collaborator 404 on everything (`CollaboratorGate`).

Dates are ISO (2026-11-02) or as people type them (02/11/2026). Units are ids in the user's
scope (`unit`, `units`); fields of work are codes (see /api/work-areas/).

Endpoints
  GET  /api/work-areas/                       the fields of work in use [{code, name}], not paged
  GET  /api/inspection-plans/?unit=12&year=2026   plans of that unit and those below it
  POST /api/inspection-plans/                 {"unit": 12, "year": 2026, "title": "…"}
  GET  /api/inspection-plans/{id}/            with `items` (each `carried_out`), `progress`
       {done, total, percent} and `outside` (inspections of the plan's unit that year made
       outside the plan)
  POST /api/inspection-plans/{id}/items/      {"kind": "inspection", "units": [31, 32],
       "content": "…", "planned_month": 5}
  GET  /api/inspections/?unit=12&year=2026&state=announced&kind=inspection
       made by a unit of that unit's subtree or visiting one (`unit`), newest first
  POST /api/inspections/                      {"unit": 12, "kind": "inspection", "title": "…",
       "content": "…", "starts_on": "2026-11-02", "ends_on": "2026-11-13", "units": [31],
       "members": [{"full_name": "Nguyễn Văn An", "position": "Phó Trưởng Ban",
       "duty": "head"}], "plan_item": 5, "period_from": "2024-01-01", "period_to":
       "2025-12-31", "extended": false, "extension_reason": "", "decision": "15-QĐ/BTGDVTU",
       "decision_issued_on": "2026-10-28"} — a duration over the limit of the unit's level
       or a period over 5 years is refused (400) with the reason
  GET  /api/inspections/{id}/                 with the delegation (`members`), the inspected
       units (`inspected`, each with its self-inspection report's due date and state) and
       `conclusion` (its id, once concluded)
  POST /api/inspections/{id}/announce/        {"self_report_due_on": "…", "decision": "…",
       "decision_issued_on": "…"}: each inspected unit owes its self-inspection report
  POST /api/inspections/{id}/self-report/     multipart {"unit": 31, "file": <PDF/Word>}: the
       inspected unit's report (`unit` defaults to the user's own)
  POST /api/inspections/{id}/record/          {"conducted_on": "…", "record_text": "…"}, or
       multipart with `record_file`
  GET  /api/inspections/{id}/record-file/     the record's file
  POST /api/inspections/{id}/conclude/        {"notice": "20-TB/BTGDVTU", "issued_on": "…",
       "results": "…", "findings": [{"unit": 31, "kind": "shortcoming", "area": "dan-van",
       "text": "…"}], "recommendations": [{"unit": 31, "text": "…", "due_on": "…",
       "area": null}]} — 201: the conclusion
  GET  /api/conclusions/?unit=12&inspection=7  the conclusions of the inspections seen
  GET  /api/conclusions/{id}/                 with `findings` (in the detail, each shortcoming
       says whether it is `recurring`) and `recommendations`: those of every inspected unit
       from the inspecting unit's subtree, an inspected unit's own from that unit's
  GET  /api/recommendations/?unit=31&state=overdue&status=returned&open=1&conclusion=4&
       conference=2   `state`: one of the four states of every deadline; `status`: where the
       recommendation stands (open, reported, accepted, returned); `open=1`: not accepted yet
  GET  /api/recommendations/{id}/
  POST /api/recommendations/{id}/report/      multipart {"report_text": "…", "evidence":
       <PDF/Word>} (evidence required the first time): the unit reports what it did
  POST /api/recommendations/{id}/accept/      the issuing office accepts: the obligation
       closes on the day the unit reported
  POST /api/recommendations/{id}/return/      {"reason": "…"}: it stays open (and late)
  GET  /api/recommendations/{id}/evidence/    the evidence file
  GET  /api/conferences/?unit=12&kind=speakers&year=2026
  POST /api/conferences/                      {"unit": 12, "kind": "speakers", "held_on": "…",
       "title": "…", "participants": 350, "connected_points": 93, "documents": [4, 5],
       "conclusions": "…", "tasks": [{"unit": 31, "text": "…", "due_on": "…"}]}
  GET  /api/conferences/{id}/                 with its `tasks` (recommendations)
  POST /api/conferences/{id}/tasks/           {"tasks": [...]}: tasks its conclusion assigns,
       followed exactly as recommendations

Errors as everywhere in the API (core/api.py): 400 {"errors": {field: [..]}}, 403 and 404
{"detail": "..."}, 401 without credentials.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from tuyengiao.concerns.api import enum_field
from tuyengiao.core.files import DOCUMENTS, download
from tuyengiao.core.params import id_param
from tuyengiao.core.parsers import JSONParser
from tuyengiao.deadlines.models import State, state_condition, state_of
from tuyengiao.directives.queries import directives_for
from tuyengiao.org.api import ScopedUnitField
from tuyengiao.org.models import Level, within
from tuyengiao.org.permissions import CanChange, CollaboratorGate
from tuyengiao.org.queries import unit_param
from tuyengiao.org.scope import restrict
from tuyengiao.text import parse_date

from . import queries, services
from .models import (
    Conclusion,
    Conference,
    ConferenceKind,
    DelegationRole,
    Finding,
    FindingKind,
    InspectedUnit,
    Inspection,
    InspectionKind,
    InspectionPlan,
    InspectionState,
    PlanItem,
    Recommendation,
    RecommendationState,
    WorkArea,
)

# The dates an inspection, a plan or a conference may name: wide enough for every real one,
# narrow enough that date arithmetic (a period of 5 years, an extension) never overflows.
FIRST_DAY, LAST_DAY = date(1945, 9, 2), date(2100, 12, 31)
MAX_TEXT = 20_000
MAX_COUNT = 10_000_000

InspectionKindField = enum_field(InspectionKind)
InspectionStateField = enum_field(InspectionState)
DutyField = enum_field(DelegationRole)
FindingKindField = enum_field(FindingKind)
ConferenceKindField = enum_field(ConferenceKind)
LevelField = enum_field(Level)
DeadlineStateField = enum_field(State)
StatusField = enum_field(RecommendationState)

FILE_RESPONSES = {
    **{(200, kind.content_type): OpenApiTypes.BINARY for kind in DOCUMENTS},
    404: OpenApiTypes.OBJECT,
}


# Fields ------------------------------------------------------------------------------------


class DateField(serializers.DateField):
    """ISO dates, and the dd/mm/yyyy people type; between FIRST_DAY and LAST_DAY."""

    def to_internal_value(self, value):
        if isinstance(value, str):
            try:
                value = parse_date(value)
            except ValueError as exc:
                raise serializers.ValidationError(str(exc)) from exc
        else:
            value = super().to_internal_value(value)
        if not FIRST_DAY <= value <= LAST_DAY:
            raise serializers.ValidationError(
                _("Ngày phải trong khoảng từ %(first)s đến %(last)s.")
                % {"first": FIRST_DAY.strftime("%d/%m/%Y"), "last": LAST_DAY.strftime("%d/%m/%Y")}
            )
        return value


def _date(**kwargs) -> DateField:
    if not kwargs.get("required", True):
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("default", None)
    return DateField(**kwargs)


def _text(max_length: int = MAX_TEXT, **kwargs) -> serializers.CharField:
    if not kwargs.get("required", True):
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("default", "")
    return serializers.CharField(max_length=max_length, **kwargs)


@extend_schema_field({"type": "string", "nullable": True})
class AreaField(serializers.SlugRelatedField):
    """A field of work in use, by its code."""

    default_error_messages = {
        **serializers.SlugRelatedField.default_error_messages,
        "does_not_exist": gettext_lazy(
            "Không có lĩnh vực công tác “{value}” (xem /api/work-areas/)."
        ),
        "invalid": gettext_lazy("Mã lĩnh vực công tác không hợp lệ."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("default", None)
        super().__init__(slug_field="code", queryset=WorkArea.objects.filter(active=True), **kwargs)


@extend_schema_field(OpenApiTypes.INT)
class PlanItemField(serializers.PrimaryKeyRelatedField):
    default_error_messages = {
        **serializers.PrimaryKeyRelatedField.default_error_messages,
        "does_not_exist": gettext_lazy("Không có nội dung kế hoạch {pk_value} trong phạm vi."),
    }

    def get_queryset(self):
        return restrict(PlanItem.objects.select_related("plan"), self.context["request"].user)


@extend_schema_field(OpenApiTypes.INT)
class DocumentField(serializers.PrimaryKeyRelatedField):
    """A registered document the user sees."""

    default_error_messages = {
        **serializers.PrimaryKeyRelatedField.default_error_messages,
        "does_not_exist": gettext_lazy("Không có văn bản {pk_value} trong phạm vi của bạn."),
    }

    def get_queryset(self):
        return directives_for(self.context["request"].user)


def _units(**kwargs) -> serializers.ManyRelatedField:
    return ScopedUnitField(many=True, **kwargs)


# Inputs ------------------------------------------------------------------------------------


class PlanInput(serializers.Serializer):
    unit = ScopedUnitField(help_text="Id đơn vị lập kế hoạch.")
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    title = _text(300, required=False, help_text="Bỏ trống: “Kế hoạch kiểm tra, giám sát năm …”.")


class PlanItemInput(serializers.Serializer):
    kind = InspectionKindField()
    units = _units(help_text="Id các đơn vị được kiểm tra, giám sát (thuộc đơn vị lập kế hoạch).")
    content = _text()
    planned_month = serializers.IntegerField(min_value=1, max_value=12)


class MemberInput(serializers.Serializer):
    full_name = _text(120)
    position = _text(200, required=False)
    duty = DutyField(default=DelegationRole.MEMBER)


class InspectionInput(serializers.Serializer):
    unit = ScopedUnitField(help_text="Id đơn vị kiểm tra.")
    kind = InspectionKindField()
    title = _text(300)
    content = _text()
    starts_on = _date()
    ends_on = _date()
    units = _units(help_text="Id các đơn vị được kiểm tra (thuộc đơn vị kiểm tra).")
    members = MemberInput(many=True, required=False, default=list, help_text="Thành phần đoàn.")
    plan_item = PlanItemField(required=False, allow_null=True, default=None)
    period_from = _date(required=False)
    period_to = _date(required=False)
    extended = serializers.BooleanField(required=False, default=False)
    extension_reason = _text(required=False)
    decision = _text(
        64, required=False, help_text="Số, ký hiệu quyết định thành lập đoàn: 15-QĐ/BTGDVTU."
    )
    decision_issued_on = _date(required=False)


class AnnounceInput(serializers.Serializer):
    self_report_due_on = _date()
    decision = _text(64, required=False)
    decision_issued_on = _date(required=False)


class SessionRecordInput(serializers.Serializer):
    conducted_on = _date()
    record_text = _text(required=False)
    record_file = serializers.FileField(required=False, allow_null=True, default=None)


class SelfReportInput(serializers.Serializer):
    unit = ScopedUnitField(
        required=False, allow_null=True, default=None, help_text="Mặc định: đơn vị của người gửi."
    )
    file = serializers.FileField(help_text="Báo cáo tự kiểm tra (PDF, Word; tối đa 20 MB).")


class FindingInput(serializers.Serializer):
    unit = ScopedUnitField()
    kind = FindingKindField()
    area = AreaField(help_text="Mã lĩnh vực công tác; bắt buộc với hạn chế.")
    text = _text()


class TaskInput(serializers.Serializer):
    unit = ScopedUnitField()
    text = _text()
    due_on = _date()
    area = AreaField()


class ConcludeInput(serializers.Serializer):
    notice = _text(64, help_text="Số, ký hiệu thông báo kết luận: 20-TB/BTGDVTU.")
    issued_on = _date()
    results = _text(required=False)
    findings = FindingInput(many=True, required=False, default=list)
    recommendations = TaskInput(many=True, required=False, default=list)


class RecommendationReportInput(serializers.Serializer):
    report_text = _text()
    evidence = serializers.FileField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Tài liệu chứng minh (PDF, Word); bắt buộc ở lần báo cáo đầu.",
    )


class RecommendationReturnInput(serializers.Serializer):
    reason = _text()


class ConferenceInput(serializers.Serializer):
    unit = ScopedUnitField(help_text="Id đơn vị tổ chức.")
    kind = ConferenceKindField()
    held_on = _date()
    title = _text(300)
    participants = serializers.IntegerField(min_value=0, max_value=MAX_COUNT, default=0)
    connected_points = serializers.IntegerField(min_value=0, max_value=MAX_COUNT, default=0)
    documents = DocumentField(many=True, required=False, default=list)
    conclusions = _text(required=False)
    tasks = TaskInput(many=True, required=False, default=list)


class TasksInput(serializers.Serializer):
    tasks = TaskInput(many=True, allow_empty=False)


def _tasks(rows) -> list[services.RecommendationInput]:
    return [
        services.RecommendationInput(
            unit=row["unit"], text=row["text"], due_on=row["due_on"], area=row["area"]
        )
        for row in rows
    ]


# Answers -----------------------------------------------------------------------------------


def _today(context) -> date:
    return context.get("today") or timezone.localdate()


class WorkAreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = WorkArea
        fields = ["code", "name"]
        read_only_fields = fields


class UnitRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PlanItemSerializer(serializers.ModelSerializer):
    kind = InspectionKindField()
    kind_label = serializers.CharField(source="get_kind_display")
    units = UnitRefSerializer(many=True, source="units.all")
    carried_out = serializers.SerializerMethodField(
        help_text="Đã có cuộc kiểm tra tiến hành hoặc kết luận theo nội dung này."
    )
    inspections = serializers.SerializerMethodField(help_text="Id các cuộc thực hiện nội dung.")

    class Meta:
        model = PlanItem
        fields = [
            "id",
            "kind",
            "kind_label",
            "units",
            "content",
            "planned_month",
            "carried_out",
            "inspections",
        ]
        read_only_fields = fields

    def get_carried_out(self, item) -> bool:
        if hasattr(item, "carried_out"):
            return bool(item.carried_out)
        return item.inspections.filter(state__in=[s.value for s in _CARRIED]).exists()

    def get_inspections(self, item) -> list[int]:
        visits = getattr(item, "visits", None)
        if visits is None:
            return list(item.inspections.order_by("starts_on", "id").values_list("pk", flat=True))
        return [i.pk for i in visits]


_CARRIED = (InspectionState.CONDUCTED, InspectionState.CONCLUDED)


class PlanSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name")

    class Meta:
        model = InspectionPlan
        fields = ["id", "unit", "unit_name", "year", "title", "created_at"]
        read_only_fields = fields


class ProgressSerializer(serializers.Serializer):
    done = serializers.IntegerField(help_text="Nội dung đã thực hiện.")
    total = serializers.IntegerField(help_text="Nội dung của kế hoạch.")
    percent = serializers.FloatField(allow_null=True, help_text="Tỷ lệ thực hiện (%).")


class PlanDetailSerializer(PlanSerializer):
    items = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField()
    outside = serializers.SerializerMethodField(
        help_text="Id các cuộc của đơn vị trong năm, ngoài kế hoạch."
    )

    class Meta(PlanSerializer.Meta):
        fields = [*PlanSerializer.Meta.fields, "items", "progress", "outside"]
        read_only_fields = fields

    def _progress(self, plan) -> queries.PlanProgress:
        found = self.context.setdefault("progress", {})
        if plan.pk not in found:
            found[plan.pk] = queries.plan_progress(self.context["request"].user, plan)
        return found[plan.pk]

    @extend_schema_field(PlanItemSerializer(many=True))
    def get_items(self, plan):
        return PlanItemSerializer(self._progress(plan).items, many=True).data

    @extend_schema_field(ProgressSerializer)
    def get_progress(self, plan):
        found = self._progress(plan)
        percent = round(found.percent, 2) if found.percent is not None else None
        return {"done": found.done, "total": found.total, "percent": percent}

    def get_outside(self, plan) -> list[int]:
        return [i.pk for i in self._progress(plan).outside]


class MemberSerializer(serializers.Serializer):
    full_name = serializers.CharField()
    position = serializers.CharField()
    duty = DutyField()
    duty_label = serializers.CharField(source="get_duty_display")


class InspectedSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name")
    self_report_state = serializers.SerializerMethodField(
        help_text="Trạng thái hạn của báo cáo tự kiểm tra (null trước khi công bố)."
    )
    has_self_report = serializers.SerializerMethodField()

    class Meta:
        model = InspectedUnit
        fields = [
            "id",
            "unit",
            "unit_name",
            "self_report_due_on",
            "self_report_on",
            "self_report_state",
            "has_self_report",
        ]
        read_only_fields = fields

    @extend_schema_field(DeadlineStateField(allow_null=True))
    def get_self_report_state(self, row):
        if row.self_report_due_on is None:
            return None
        return state_of(row.self_report_due_on, row.self_report_on, _today(self.context)).value

    def get_has_self_report(self, row) -> bool:
        return bool(row.self_report)


class InspectionSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name")
    kind = InspectionKindField()
    kind_label = serializers.CharField(source="get_kind_display")
    decision_symbol = serializers.CharField(source="decision.symbol", allow_null=True, default=None)
    state = InspectionStateField()
    state_label = serializers.CharField(source="get_state_display")
    days = serializers.IntegerField(help_text="Số ngày, kể cả ngày đầu và ngày cuối.")
    record_file = serializers.SerializerMethodField(help_text="Địa chỉ tải tệp biên bản.")
    members = MemberSerializer(many=True, source="members.all", help_text="Thành phần đoàn.")
    inspected = InspectedSerializer(
        many=True, source="inspected.all", help_text="Các đơn vị được kiểm tra."
    )
    conclusion = serializers.SerializerMethodField(help_text="Id thông báo kết luận.")

    class Meta:
        model = Inspection
        fields = [
            "id",
            "unit",
            "unit_name",
            "kind",
            "kind_label",
            "title",
            "content",
            "plan_item",
            "decision",
            "decision_symbol",
            "period_from",
            "period_to",
            "starts_on",
            "ends_on",
            "days",
            "extended",
            "extension_reason",
            "state",
            "state_label",
            "announced_on",
            "conducted_on",
            "record_text",
            "record_file",
            "members",
            "inspected",
            "conclusion",
        ]
        read_only_fields = fields

    def get_record_file(self, inspection) -> str | None:
        if not inspection.record_file:
            return None
        return reverse("api:inspection-record-file", args=[inspection.pk])

    def get_conclusion(self, inspection) -> int | None:
        try:
            return inspection.conclusion.pk
        except Conclusion.DoesNotExist:
            return None


class FindingSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name")
    kind = FindingKindField()
    kind_label = serializers.CharField(source="get_kind_display")
    area = serializers.CharField(source="area.code", allow_null=True, default=None)
    area_name = serializers.CharField(source="area.name", allow_null=True, default=None)
    recurring = serializers.SerializerMethodField(
        help_text="Hạn chế lặp lại: lĩnh vực đã được nêu là hạn chế của đơn vị trong hai thông "
        "báo kết luận trở lên trong số năm đơn vị đặt (chỉ ở trang chi tiết; null trong danh sách)."
    )

    class Meta:
        model = Finding
        fields = ["id", "unit", "unit_name", "kind", "kind_label", "area", "area_name", "text"]
        fields += ["recurring"]
        read_only_fields = fields

    def get_recurring(self, finding) -> bool | None:
        counts = self.context.get("recurring")
        if counts is None:
            return None
        if finding.kind != FindingKind.SHORTCOMING:
            return False
        return counts.get(finding.unit_id, {}).get(finding.area_id, 0) >= 2


class RecommendationSerializer(serializers.ModelSerializer):
    origin = serializers.SerializerMethodField(help_text="conclusion hoặc conference.")
    notice = serializers.SerializerMethodField(help_text="Số, ký hiệu thông báo kết luận.")
    conference_title = serializers.CharField(
        source="conference.title", allow_null=True, default=None
    )
    issuer = serializers.SerializerMethodField(help_text="Id đơn vị ban hành kiến nghị.")
    issuer_name = serializers.SerializerMethodField()
    unit_name = serializers.CharField(source="unit.name")
    area = serializers.CharField(source="area.code", allow_null=True, default=None)
    area_name = serializers.CharField(source="area.name", allow_null=True, default=None)
    state = serializers.SerializerMethodField(help_text="Trạng thái hạn, như mọi việc có hạn.")
    state_label = serializers.SerializerMethodField()
    status = StatusField(
        source="state", help_text="Tiến trình: open, reported, accepted, returned."
    )
    status_label = serializers.CharField(source="get_state_display")
    evidence = serializers.SerializerMethodField(help_text="Địa chỉ tải tài liệu chứng minh.")

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "number",
            "origin",
            "conclusion",
            "notice",
            "conference",
            "conference_title",
            "issuer",
            "issuer_name",
            "unit",
            "unit_name",
            "area",
            "area_name",
            "text",
            "due_on",
            "done_on",
            "state",
            "state_label",
            "status",
            "status_label",
            "report_text",
            "reported_on",
            "rounds",
            "evidence",
            "return_reason",
            "decided_at",
        ]
        read_only_fields = fields

    def get_origin(self, rec) -> str:
        return "conclusion" if rec.conclusion_id else "conference"

    def get_notice(self, rec) -> str | None:
        return rec.conclusion.notice.symbol if rec.conclusion_id else None

    def get_issuer(self, rec) -> int:
        return services.issuer_of(rec).pk

    def get_issuer_name(self, rec) -> str:
        return services.issuer_of(rec).name

    @extend_schema_field(DeadlineStateField())
    def get_state(self, rec):
        return state_of(rec.due_on, rec.done_on, _today(self.context)).value

    def get_state_label(self, rec) -> str:
        return str(state_of(rec.due_on, rec.done_on, _today(self.context)).label)

    def get_evidence(self, rec) -> str | None:
        if not rec.evidence:
            return None
        return reverse("api:recommendation-evidence", args=[rec.pk])


RECOMMENDATION_RELATED = (
    "unit",
    "area",
    "conclusion__notice",
    "conclusion__inspection__unit",
    "conference__unit",
)


class ConclusionSerializer(serializers.ModelSerializer):
    inspection_title = serializers.CharField(source="inspection.title")
    unit = serializers.IntegerField(source="inspection.unit_id", help_text="Đơn vị kiểm tra.")
    unit_name = serializers.CharField(source="inspection.unit.name")
    notice = serializers.CharField(source="notice.symbol", help_text="Số, ký hiệu thông báo.")
    notice_document = serializers.IntegerField(
        source="notice_id", help_text="Id của thông báo trong sổ văn bản."
    )
    findings = serializers.SerializerMethodField()
    recommendations = serializers.SerializerMethodField()

    class Meta:
        model = Conclusion
        fields = [
            "id",
            "inspection",
            "inspection_title",
            "unit",
            "unit_name",
            "notice",
            "notice_document",
            "issued_on",
            "results",
            "findings",
            "recommendations",
        ]
        read_only_fields = fields

    def _seen(self, conclusion, rows):
        return queries.seen_in(self.context["request"].user, conclusion.inspection, rows)

    @extend_schema_field(FindingSerializer(many=True))
    def get_findings(self, conclusion):
        rows = self._seen(conclusion, conclusion.findings.all())
        return FindingSerializer(rows, many=True, context=self.context).data

    @extend_schema_field(RecommendationSerializer(many=True))
    def get_recommendations(self, conclusion):
        rows = self._seen(conclusion, conclusion.recommendations.all())
        return RecommendationSerializer(rows, many=True, context=self.context).data


class DocumentRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    symbol = serializers.CharField()
    title = serializers.CharField()


class ConferenceSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name")
    kind = ConferenceKindField()
    kind_label = serializers.CharField(source="get_kind_display")
    level = LevelField()
    level_label = serializers.CharField(source="get_level_display")
    documents = serializers.SerializerMethodField(
        help_text="Văn bản được quán triệt, giới thiệu (những văn bản người dùng được xem)."
    )
    tasks = serializers.SerializerMethodField(help_text="Nhiệm vụ giao, theo dõi như kiến nghị.")

    class Meta:
        model = Conference
        fields = [
            "id",
            "unit",
            "unit_name",
            "kind",
            "kind_label",
            "level",
            "level_label",
            "held_on",
            "title",
            "participants",
            "connected_points",
            "documents",
            "conclusions",
            "tasks",
        ]
        read_only_fields = fields

    @extend_schema_field(DocumentRefSerializer(many=True))
    def get_documents(self, conference):
        seen = self.context.get("seen_documents")
        if seen is None:
            user = self.context["request"].user
            seen = set(
                directives_for(user)
                .filter(pk__in=conference.documents.values("pk"))
                .values_list("pk", flat=True)
            )
        rows = [d for d in conference.documents.all() if d.pk in seen]
        rows.sort(key=lambda d: (d.issued_on, d.pk), reverse=True)
        return DocumentRefSerializer(rows, many=True).data

    @extend_schema_field(RecommendationSerializer(many=True))
    def get_tasks(self, conference):
        return RecommendationSerializer(
            conference.tasks.all(), many=True, context=self.context
        ).data


# Views -------------------------------------------------------------------------------------


class OversightViewSet(viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated, CollaboratorGate, CanChange]

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def validated(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def answer(self, serializer_class, instance, code=status.HTTP_200_OK) -> Response:
        body = serializer_class(instance, context=self.get_serializer_context()).data
        return Response(body, status=code)


def _year(params) -> int | None:
    raw = params.get("year")
    if raw in (None, ""):
        return None
    year = id_param("year", raw)
    if not 2000 <= year <= 2100:
        raise DjangoValidationError({"year": _("Năm phải từ 2000 đến 2100.")})
    return year


def _choice(params, name: str, choices) -> str:
    raw = params.get(name) or ""
    if raw and raw not in choices.values:
        raise DjangoValidationError({name: _("Giá trị không hợp lệ.")})
    return raw


UNIT = OpenApiParameter("unit", int, description="Id đơn vị: đơn vị đó và các đơn vị thuộc.")
YEAR = OpenApiParameter("year", int, description="Năm.")


@extend_schema(tags=["oversight"])
class WorkAreaViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Các lĩnh vực công tác đang dùng để phân loại hạn chế và kiến nghị."""

    serializer_class = WorkAreaSerializer
    pagination_class = None
    queryset = WorkArea.objects.filter(active=True).order_by("position", "sort_key", "id")


@extend_schema(tags=["oversight"])
class PlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OversightViewSet):
    """Kế hoạch kiểm tra, giám sát năm của các đơn vị trong phạm vi."""

    serializer_class = PlanSerializer
    queryset = InspectionPlan.objects.none()  # for the schema only; reads go through get_queryset

    def get_queryset(self):
        return queries.plans_for(self.request.user).order_by("-year", "unit_path", "id")

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        params = self.request.query_params
        if unit := unit_param(self.request.user, params.get("unit")):
            queryset = queryset.filter(within("unit_path", unit.path))
        if year := _year(params):
            queryset = queryset.filter(year=year)
        return queryset

    @extend_schema(parameters=[UNIT, YEAR])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses=PlanDetailSerializer)
    def retrieve(self, request, *args, **kwargs):
        return self.answer(PlanDetailSerializer, self.get_object())

    @extend_schema(request=PlanInput, responses={201: PlanDetailSerializer})
    def create(self, request, *args, **kwargs):
        data = self.validated(PlanInput)
        plan = services.plan_create(actor=request.user, **data)
        return self.answer(PlanDetailSerializer, plan, status.HTTP_201_CREATED)

    @extend_schema(request=PlanItemInput, responses={201: PlanItemSerializer})
    @action(detail=True, methods=["post"])
    def items(self, request, pk=None):
        """Thêm một nội dung vào kế hoạch."""
        plan = self.get_object()
        data = self.validated(PlanItemInput)
        item = services.plan_item_add(actor=request.user, plan=plan, **data)
        return self.answer(PlanItemSerializer, item, status.HTTP_201_CREATED)


def _inspections(queryset):
    return queryset.select_related("unit", "decision", "conclusion").prefetch_related(
        "members",
        Prefetch("inspected", InspectedUnit.objects.select_related("unit").order_by("unit_path")),
    )


@extend_schema(tags=["oversight"])
class InspectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OversightViewSet):
    """Các cuộc kiểm tra, giám sát, khảo sát, làm việc: của đơn vị trong phạm vi, hoặc đến
    đơn vị trong phạm vi."""

    serializer_class = InspectionSerializer
    queryset = Inspection.objects.none()  # for the schema only; reads go through get_queryset
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return _inspections(queries.inspections_for(self.request.user))

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        params, user = self.request.query_params, self.request.user
        year = _year(params)
        if unit := unit_param(user, params.get("unit")):
            around = queries.inspections_around(user, unit, year=year)
            queryset = queryset.filter(pk__in=around.values("pk"))
        elif year:
            queryset = queryset.filter(starts_on__year=year)
        if state := _choice(params, "state", InspectionState):
            queryset = queryset.filter(state=state)
        if kind := _choice(params, "kind", InspectionKind):
            queryset = queryset.filter(kind=kind)
        return queryset.order_by("-starts_on", "-id")

    def _reread(self, inspection) -> Inspection:
        return self.get_queryset().get(pk=inspection.pk)

    @extend_schema(
        parameters=[
            UNIT,
            OpenApiParameter("year", int, description="Năm bắt đầu."),
            OpenApiParameter("state", str, enum=InspectionState.values),
            OpenApiParameter("kind", str, enum=InspectionKind.values),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=InspectionInput, responses={201: InspectionSerializer})
    def create(self, request, *args, **kwargs):
        data = dict(self.validated(InspectionInput))
        members = [services.MemberInput(**m) for m in data.pop("members")]
        inspection = services.inspection_create(
            actor=request.user,
            members=members,
            decision_symbol=data.pop("decision"),
            decision_issued_on=data.pop("decision_issued_on"),
            **data,
        )
        return self.answer(InspectionSerializer, self._reread(inspection), status.HTTP_201_CREATED)

    @extend_schema(request=AnnounceInput, responses=InspectionSerializer)
    @action(detail=True, methods=["post"])
    def announce(self, request, pk=None):
        """Công bố quyết định: mỗi đơn vị được kiểm tra phải nộp báo cáo tự kiểm tra."""
        inspection = self.get_object()
        data = self.validated(AnnounceInput)
        services.inspection_announce(
            actor=request.user,
            inspection=inspection,
            self_report_due_on=data["self_report_due_on"],
            decision_symbol=data["decision"],
            decision_issued_on=data["decision_issued_on"],
        )
        return self.answer(InspectionSerializer, self._reread(inspection))

    @extend_schema(
        request={"multipart/form-data": SelfReportInput},
        responses=InspectionSerializer,
    )
    @action(detail=True, methods=["post"], url_path="self-report")
    def self_report(self, request, pk=None):
        """Đơn vị được kiểm tra nộp báo cáo tự kiểm tra (PDF, Word)."""
        inspection = self.get_object()
        data = self.validated(SelfReportInput)
        unit = data["unit"] or request.user.unit
        row = InspectedUnit.objects.filter(inspection=inspection, unit=unit).first()
        if row is None:
            raise DjangoValidationError(
                {
                    "unit": _("%(unit)s không phải là đơn vị được kiểm tra của cuộc này.")
                    % {"unit": unit.name if unit else "—"}
                }
            )
        services.self_report_submit(actor=request.user, inspected=row, file=data["file"])
        return self.answer(InspectionSerializer, self._reread(inspection))

    @extend_schema(
        request={"application/json": SessionRecordInput, "multipart/form-data": SessionRecordInput},
        responses=InspectionSerializer,
    )
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        """Ghi biên bản làm việc (nội dung, tệp, hoặc cả hai)."""
        inspection = self.get_object()
        data = self.validated(SessionRecordInput)
        services.inspection_record(actor=request.user, inspection=inspection, **data)
        return self.answer(InspectionSerializer, self._reread(inspection))

    @extend_schema(responses=FILE_RESPONSES)
    @action(detail=True, methods=["get"], url_path="record-file")
    def record_file(self, request, pk=None):
        """Tệp biên bản làm việc, tải về."""
        inspection = self.get_object()
        return download(inspection.record_file, name=inspection.download_name)

    @extend_schema(request=ConcludeInput, responses={201: ConclusionSerializer})
    @action(detail=True, methods=["post"])
    def conclude(self, request, pk=None):
        """Ghi thông báo kết luận: kết quả, hạn chế theo lĩnh vực, kiến nghị (mỗi kiến nghị là
        một việc phải làm của đơn vị nhận, có hạn)."""
        inspection = self.get_object()
        data = self.validated(ConcludeInput)
        conclusion = services.conclusion_record(
            actor=request.user,
            inspection=inspection,
            notice_symbol=data["notice"],
            issued_on=data["issued_on"],
            results=data["results"],
            findings=[
                services.FindingInput(
                    unit=row["unit"], kind=row["kind"], text=row["text"], area=row["area"]
                )
                for row in data["findings"]
            ],
            recommendations=_tasks(data["recommendations"]),
        )
        found = _conclusions(Conclusion.objects.filter(pk=conclusion.pk)).get()
        return self.answer(ConclusionSerializer, found, status.HTTP_201_CREATED)


def _conclusions(queryset):
    return queryset.select_related("notice", "inspection__unit").prefetch_related(
        Prefetch("findings", Finding.objects.select_related("unit", "area")),
        Prefetch(
            "recommendations",
            Recommendation.objects.select_related(*RECOMMENDATION_RELATED).order_by("number", "id"),
        ),
    )


@extend_schema(tags=["oversight"])
class ConclusionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OversightViewSet):
    """Thông báo kết luận của các cuộc kiểm tra trong phạm vi."""

    serializer_class = ConclusionSerializer
    queryset = Conclusion.objects.none()  # for the schema only; reads go through get_queryset

    def get_queryset(self):
        return _conclusions(queries.conclusions_for(self.request.user)).order_by(
            "-issued_on", "-id"
        )

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        params, user = self.request.query_params, self.request.user
        if unit := unit_param(user, params.get("unit")):
            around = queries.inspections_around(user, unit).values("pk")
            queryset = queryset.filter(inspection__in=around)
        if raw := params.get("inspection"):
            queryset = queryset.filter(inspection_id=id_param("inspection", raw))
        return queryset

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "unit",
                int,
                description="Id đơn vị: cuộc của đơn vị đó và các đơn vị thuộc, "
                "hoặc đến các đơn vị đó.",
            ),
            OpenApiParameter("inspection", int, description="Id cuộc kiểm tra."),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        conclusion = self.get_object()
        today = timezone.localdate()
        units = {f.unit for f in conclusion.findings.all()}
        recurring = {unit.pk: queries.recurring_for_unit(unit, today=today) for unit in units}
        context = {**self.get_serializer_context(), "recurring": recurring}
        return Response(ConclusionSerializer(conclusion, context=context).data)


@extend_schema(tags=["oversight"])
class RecommendationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OversightViewSet):
    """Kiến nghị sau kiểm tra và nhiệm vụ giao sau hội nghị, theo dõi đến khi hoàn thành."""

    serializer_class = RecommendationSerializer
    queryset = Recommendation.objects.none()  # for the schema only; reads go through get_queryset
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return (
            queries.recommendations_for(self.request.user)
            .select_related(*RECOMMENDATION_RELATED)
            .order_by("due_on", "number", "id")
        )

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        params, user = self.request.query_params, self.request.user
        if unit := unit_param(user, params.get("unit")):
            queryset = queryset.filter(within("unit_path", unit.path))
        if state := _choice(params, "state", State):
            queryset = queryset.filter(state_condition(State(state), timezone.localdate()))
        if stage := _choice(params, "status", RecommendationState):
            queryset = queryset.filter(state=stage)
        opened = params.get("open") or ""
        if opened not in ("", "0", "1"):
            raise DjangoValidationError({"open": _("Giá trị phải là 0 hoặc 1.")})
        if opened == "1":
            queryset = queryset.filter(done_on__isnull=True)
        if raw := params.get("conclusion"):
            queryset = queryset.filter(conclusion_id=id_param("conclusion", raw))
        if raw := params.get("conference"):
            queryset = queryset.filter(conference_id=id_param("conference", raw))
        return queryset

    def _reread(self, rec) -> Recommendation:
        return self.get_queryset().get(pk=rec.pk)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "unit", int, description="Id đơn vị thực hiện: đơn vị đó và các đơn vị thuộc."
            ),
            OpenApiParameter("state", str, enum=State.values, description="Trạng thái hạn."),
            OpenApiParameter(
                "status", str, enum=RecommendationState.values, description="Tiến trình."
            ),
            OpenApiParameter("open", str, enum=["0", "1"], description="1: chưa hoàn thành."),
            OpenApiParameter("conclusion", int, description="Id thông báo kết luận."),
            OpenApiParameter("conference", int, description="Id hội nghị."),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request={
            "multipart/form-data": RecommendationReportInput,
            "application/json": RecommendationReportInput,
        },
        responses=RecommendationSerializer,
    )
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        """Đơn vị báo cáo kết quả thực hiện, kèm tài liệu chứng minh."""
        rec = self.get_object()
        data = self.validated(RecommendationReportInput)
        services.recommendation_report(
            actor=request.user,
            recommendation=rec,
            report_text=data["report_text"],
            evidence=data["evidence"],
        )
        return self.answer(RecommendationSerializer, self._reread(rec))

    @extend_schema(request=None, responses=RecommendationSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Đơn vị ban hành công nhận hoàn thành: việc phải làm đóng theo ngày đơn vị báo cáo."""
        rec = self.get_object()
        services.recommendation_accept(actor=request.user, recommendation=rec)
        return self.answer(RecommendationSerializer, self._reread(rec))

    @extend_schema(request=RecommendationReturnInput, responses=RecommendationSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def send_back(self, request, pk=None):
        """Đơn vị ban hành trả lại báo cáo, nêu lý do; kiến nghị vẫn chưa hoàn thành."""
        rec = self.get_object()
        data = self.validated(RecommendationReturnInput)
        services.recommendation_return(
            actor=request.user, recommendation=rec, reason=data["reason"]
        )
        return self.answer(RecommendationSerializer, self._reread(rec))

    @extend_schema(responses=FILE_RESPONSES)
    @action(detail=True, methods=["get"])
    def evidence(self, request, pk=None):
        """Tài liệu chứng minh, tải về."""
        rec = self.get_object()
        return download(rec.evidence, name=rec.download_name)


@extend_schema(tags=["oversight"])
class ConferenceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OversightViewSet):
    """Hội nghị sơ kết, tổng kết, báo cáo viên, cộng tác viên của các đơn vị trong phạm vi."""

    serializer_class = ConferenceSerializer
    queryset = Conference.objects.none()  # for the schema only; reads go through get_queryset

    def get_queryset(self):
        tasks = Recommendation.objects.select_related(*RECOMMENDATION_RELATED).order_by(
            "number", "id"
        )
        return (
            queries.conferences_for(self.request.user)
            .prefetch_related("documents", Prefetch("tasks", tasks))
            .order_by("-held_on", "-id")
        )

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        params = self.request.query_params
        if unit := unit_param(self.request.user, params.get("unit")):
            queryset = queryset.filter(within("unit_path", unit.path))
        if year := _year(params):
            queryset = queryset.filter(held_on__year=year)
        if kind := _choice(params, "kind", ConferenceKind):
            queryset = queryset.filter(kind=kind)
        return queryset

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "seen_documents": self._seen_documents()}

    def _seen_documents(self) -> set[int] | None:
        if not hasattr(self, "_documents"):
            self._documents = None
            user = getattr(self.request, "user", None)
            if user is not None and user.is_authenticated:
                self._documents = set(
                    directives_for(user)
                    .filter(Q(pk__in=Conference.documents.through.objects.values("directive")))
                    .values_list("pk", flat=True)
                )
        return self._documents

    @extend_schema(
        parameters=[
            UNIT,
            YEAR,
            OpenApiParameter("kind", str, enum=ConferenceKind.values, description="Loại hội nghị."),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def _reread(self, conference) -> Conference:
        return self.get_queryset().get(pk=conference.pk)

    @extend_schema(request=ConferenceInput, responses={201: ConferenceSerializer})
    def create(self, request, *args, **kwargs):
        data = dict(self.validated(ConferenceInput))
        tasks = _tasks(data.pop("tasks"))
        conference = services.conference_create(actor=request.user, tasks=tasks, **data)
        self.__dict__.pop("_documents", None)
        return self.answer(ConferenceSerializer, self._reread(conference), status.HTTP_201_CREATED)

    @extend_schema(request=TasksInput, responses={201: ConferenceSerializer})
    @action(detail=True, methods=["post"])
    def tasks(self, request, pk=None):
        """Giao nhiệm vụ theo kết luận hội nghị; mỗi nhiệm vụ theo dõi như một kiến nghị."""
        conference = self.get_object()
        data = self.validated(TasksInput)
        services.conference_assign(
            actor=request.user, conference=conference, tasks=_tasks(data["tasks"])
        )
        return self.answer(ConferenceSerializer, self._reread(conference), status.HTTP_201_CREATED)
