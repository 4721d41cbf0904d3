"""REST API over public concerns: collaborators send reports and hear back; offices read them.

The same rules as the pages, from the same places: every write goes through
`concerns.services.report_submit` (scope, privacy check, one row per client_id, photos
re-encoded), every read through `concerns.queries` (a collaborator sees only what they sent;
office staff their subtree). No answer carries anything about a citizen: there is no such field.

Endpoints
  GET  /api/concern-topics/           the active topics (lĩnh vực): [{code, name}], not paged.
  POST /api/concern-reports/          send a report (JSON, or multipart with `photos` files):
       {"unit": 12, "topic": "moi-truong", "title": "...", "content": "...",
        "spread": "local", "mood": "worried", "source": "daily_life", "urgency": 1,
        "client_id": "a uuid chosen by the client"}
       `unit` defaults to the user's own unit; `urgency` 1 (normal), 2 (high), 3 (urgent:
       the province office is told at once) defaults to 1. `client_id` is optional but
       recommended: a draft sent again after a lost connection is stored once.
       201: the report. 200: the report already stored under this client_id (nothing new is
       stored, whatever else the second request says).
       400: {"errors": {"content": ["Nội dung có số điện thoại (…). Hãy xoá …"]}} — free text
       with a phone number, an ID number or an e-mail address is refused; also a unit outside
       the user's subtree, as everywhere in this API ({"unit": ["Không có đơn vị với id 7 trong
       phạm vi của bạn."]}), an unknown or retired topic, a bad choice.
       403: roles that may not report (viewer).
  GET  /api/concern-reports/?state=new&topic=moi-truong&unit=12&since=2025-09-01&concern=3
       a collaborator: the reports they sent; office staff: the reports of their subtree.
       Newest first (with state=new, the triage order: most urgent first). `state` is what
       the reporter sees: `new` until the office groups the report into a concern, then the
       concern's state; `unit` is that unit and those below it; `since` a date (sent on or
       after it, ISO or dd/mm/yyyy); `concern` the reports grouped into one concern.
  GET  /api/concern-reports/{id}/     one report, with `concern` once grouped: {id, title,
       state, state_label, responsible (the body's or unit's name), due_on, answer, resolution,
       closing_note} — the two-way information the reporter is owed. Another person's report
       answers 404 to a collaborator.
  GET  /api/concern-reports/{id}/photos/{photo}/   the photo (JPEG, re-encoded, no metadata).
  GET  /api/concerns/?state=forwarded&topic=...&unit=12&since=2025-09-01
       the concerns of the user's subtree, and those forwarded to a body in it; `since`: first
       reported on or after. Collaborators get 404: they hear of concerns through their own
       reports.
  GET  /api/concerns/{id}/            one concern with its timeline (`events`); forwarded to a
       body of a unit's list: `body`, `body_name` (then `responsible` is null).

A collaborator (an outside volunteer) reaches the topics and their own reports only; every other
operation of the API answers 404 to them (org/access.py).

Errors as everywhere in the API (core/api.py): 400 {"errors": {field: [..]}}, 403 and 404
{"detail": "..."}, 401 without credentials ("Authorization: Token <key>", or the session).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import UTC, datetime, time

from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.fields import SkipField
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response

from tuyengiao.core.files import download
from tuyengiao.core.params import id_param, parse_id
from tuyengiao.core.parsers import JSONParser
from tuyengiao.org.access import collaborator_allowed
from tuyengiao.org.api import ScopedUnitField
from tuyengiao.org.models import Unit
from tuyengiao.org.permissions import CollaboratorGate
from tuyengiao.org.queries import unit_param, units_for
from tuyengiao.org.scope import Action, can
from tuyengiao.text import parse_date

from . import queries
from .models import (
    Concern,
    ConcernEvent,
    ConcernPhoto,
    ConcernReport,
    Mood,
    Source,
    Spread,
    State,
    Topic,
    Urgency,
)
from .services import report_submit

# Fields ------------------------------------------------------------------------------------


class EnumField(serializers.ChoiceField):
    enum: type = State

    def __init__(self, **kwargs):
        super().__init__(choices=self.enum.choices, **kwargs)


def enum_field(enum, kind: str = "string") -> type[EnumField]:
    """A choice field over `enum`, its values described inline (wrapped in allOf, which
    drf-spectacular's enum hook leaves alone): as named components, `state` or `source` would
    collide with other apps' fields of the same name. The description, beside the allOf, keeps
    it from being unwrapped into a bare enum."""
    field = type(f"{enum.__name__}Field", (EnumField,), {"enum": enum})
    schema = {
        "allOf": [{"type": kind, "enum": list(enum.values)}],
        "description": f"Một trong: {', '.join(map(str, enum.values))}.",
    }
    return extend_schema_field(schema)(field)


SpreadField = enum_field(Spread)
MoodField = enum_field(Mood)
SourceField = enum_field(Source)
UrgencyField = enum_field(Urgency, "integer")
StateField = enum_field(State)


class ReportUnitField(ScopedUnitField):
    """A unit the user may report for; outside their subtree it does not exist (400)."""

    def get_queryset(self):
        return units_for(self.context["request"].user, Action.REPORT_CONCERN)

    def to_internal_value(self, data):
        user = self.context["request"].user
        # Most reports are about the reporter's own unit, already loaded with the user.
        if str(data) == str(user.unit_id) and can(user, Action.REPORT_CONCERN):
            return user.unit
        return super().to_internal_value(data)


class TopicField(serializers.SlugRelatedField):
    default_error_messages = {
        **serializers.SlugRelatedField.default_error_messages,
        "does_not_exist": gettext_lazy("Không có lĩnh vực “{value}” (xem /api/concern-topics/)."),
    }

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", queryset=Topic.objects.filter(active=True), **kwargs)


# Serializers -------------------------------------------------------------------------------


class ConcernTopicSerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["code", "name"]
        read_only_fields = fields


class ConcernReportInput(serializers.Serializer):
    unit = ReportUnitField(
        required=False, help_text="Id địa bàn; mặc định là đơn vị của người gửi."
    )
    topic = TopicField(help_text="Mã lĩnh vực, ví dụ moi-truong.")
    title = serializers.CharField(max_length=200)
    content = serializers.CharField(max_length=4000, help_text="Người dân đang nói gì.")
    spread = SpreadField()
    mood = MoodField()
    source = SourceField()
    urgency = UrgencyField(default=Urgency.NORMAL)
    client_id = serializers.UUIDField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Do ứng dụng tạo cho mỗi phản ánh; gửi lại cùng client_id không tạo bản mới.",
    )
    photos = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        help_text="Ảnh (multipart), tối đa 4; được mã hoá lại, bỏ mọi siêu dữ liệu.",
    )


@functools.cache
def _input_fields() -> list[serializers.Field]:
    """ConcernReportInput's fields that need no request, bound once (they keep no state)."""
    fields = ConcernReportInput().fields
    return [f for name, f in fields.items() if name not in ("unit", "topic")]


def report_input(request) -> dict:
    """A sent report's fields, validated as `ConcernReportInput` says, with its fields and words.

    What `is_valid` does, without building the serializer for every request: its set-up cost
    about as much as the rest of an intake's Python. Unit and topic are looked up here: the
    user's own unit came with the token, the topics are kept by `queries.active_topic`."""
    data, user = request.data, request.user
    if not isinstance(data, Mapping):
        message = serializers.Serializer.default_error_messages["invalid"]
        raise serializers.ValidationError([message.format(datatype=type(data).__name__)])
    values, errors = {}, {}
    for field in _input_fields():
        try:
            values[field.field_name] = field.run_validation(field.get_value(data))
        except serializers.ValidationError as exc:
            errors[field.field_name] = exc.detail
        except SkipField:
            pass
    code = data.get("topic")
    if code in (None, ""):
        errors["topic"] = [TopicField().error_messages["required"]]
    elif (topic := queries.active_topic(str(code).strip())) is None:
        message = TopicField.default_error_messages["does_not_exist"]
        errors["topic"] = [message.format(value=code)]
    else:
        values["topic"] = topic
    try:
        values["unit"] = _report_unit(user, data.get("unit"))
    except serializers.ValidationError as exc:
        errors["unit"] = exc.detail
    if errors:
        raise serializers.ValidationError(errors)
    return values


def _report_unit(user, value) -> Unit:
    if value in (None, ""):
        if user.unit_id is None:
            raise serializers.ValidationError([_("Hãy chọn địa bàn.")])
        return user.unit
    if str(value) == str(user.unit_id) and can(user, Action.REPORT_CONCERN):
        return user.unit  # most reports: the reporter's own unit, loaded with the token
    field = ReportUnitField()
    pk = parse_id(value)
    if pk is None:
        field.fail("incorrect_type", data_type=type(value).__name__)
    units = units_for(user, Action.REPORT_CONCERN)
    unit = units.filter(pk=pk).first()
    if unit is None:
        field.fail("does_not_exist", pk_value=value)
    return unit


class ConcernPhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = ConcernPhoto
        fields = ["id", "width", "height", "url"]
        read_only_fields = fields

    def get_url(self, photo) -> str:
        return photo_url(photo)


class ConcernTellBackSerializer(serializers.ModelSerializer):
    """What became of a report: its concern, as the reporter is told it."""

    state = StateField()
    state_label = serializers.CharField(source="get_state_display")
    responsible = serializers.SerializerMethodField(
        help_text="Cơ quan chịu trách nhiệm trả lời (a body of a unit's list, or a unit)."
    )

    class Meta:
        model = Concern
        fields = [
            "id",
            "title",
            "state",
            "state_label",
            "responsible",
            "due_on",
            "answer",
            "resolution",
            "closing_note",
        ]
        read_only_fields = fields

    def get_responsible(self, concern) -> str | None:
        return concern.answerer_name or None


class ConcernReportSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name")
    topic = serializers.CharField(source="topic.code")
    topic_name = serializers.CharField(source="topic.name")
    spread = SpreadField()
    spread_label = serializers.CharField(source="get_spread_display")
    mood = MoodField()
    mood_label = serializers.CharField(source="get_mood_display")
    source = SourceField()
    source_label = serializers.CharField(source="get_source_display")
    urgency = UrgencyField()
    urgency_label = serializers.CharField(source="get_urgency_display")
    state = StateField()
    state_label = serializers.SerializerMethodField()
    photos = ConcernPhotoSerializer(many=True)
    concern = ConcernTellBackSerializer(allow_null=True)

    class Meta:
        model = ConcernReport
        fields = [
            "id",
            "client_id",
            "unit",
            "unit_name",
            "topic",
            "topic_name",
            "title",
            "content",
            "spread",
            "spread_label",
            "mood",
            "mood_label",
            "source",
            "source_label",
            "urgency",
            "urgency_label",
            "created_at",
            "state",
            "state_label",
            "photos",
            "concern",
        ]
        read_only_fields = fields

    def get_state_label(self, report) -> str:
        return State(report.state).label


_datetime = serializers.DateTimeField()
_date = serializers.DateField()


def label(choices, value) -> str:
    # Not get_FOO_display(): it translates every label of the field to find one.
    return str(choices(value).label)


def photo_url(photo: ConcernPhoto) -> str:
    return f"/api/concern-reports/{photo.report_id}/photos/{photo.pk}/"


def report_json(report: ConcernReport, photos=None, readable=None) -> dict:
    """The report as `ConcernReportSerializer` describes it (a test holds the two equal), written
    by hand: a serializer's fields cost more than the rest of an intake request's Python.
    `readable`: the ids of the concerns the reader may read (queries.readable_concerns)."""
    shown = report.concern_id and (readable is None or report.concern_id in readable)
    concern = report.concern if shown else None
    photos = report.photos.all() if photos is None else photos
    return {
        "id": report.pk,
        "client_id": str(report.client_id) if report.client_id else None,
        "unit": report.unit_id,
        "unit_name": report.unit.name,
        "topic": report.topic.code,
        "topic_name": report.topic.name,
        "title": report.title,
        "content": report.content,
        "spread": report.spread,
        "spread_label": label(Spread, report.spread),
        "mood": report.mood,
        "mood_label": label(Mood, report.mood),
        "source": report.source,
        "source_label": label(Source, report.source),
        "urgency": report.urgency,
        "urgency_label": label(Urgency, report.urgency),
        "created_at": _datetime.to_representation(report.created_at),
        "state": report.state,
        "state_label": label(State, report.state),
        "photos": [
            {"id": p.pk, "width": p.width, "height": p.height, "url": photo_url(p)} for p in photos
        ],
        "concern": None
        if concern is None
        else {
            "id": concern.pk,
            "title": concern.title,
            "state": concern.state,
            "state_label": label(State, concern.state),
            "responsible": concern.answerer_name or None,
            "due_on": _date.to_representation(concern.due_on) if concern.due_on else None,
            "answer": concern.answer,
            "resolution": concern.resolution,
            "closing_note": concern.closing_note,
        },
    }


class ConcernEventSerializer(serializers.ModelSerializer):
    from_state = StateField()
    to_state = StateField()
    to_state_label = serializers.CharField(source="get_to_state_display")
    actor = serializers.SerializerMethodField(help_text="Cán bộ thực hiện.")

    class Meta:
        model = ConcernEvent
        fields = ["at", "from_state", "to_state", "to_state_label", "forwarded_to", "note", "actor"]
        read_only_fields = fields

    def get_actor(self, event) -> str | None:
        return str(event.actor) if event.actor_id else None


class ConcernSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name")
    topic = serializers.CharField(source="topic.code")
    topic_name = serializers.CharField(source="topic.name")
    urgency = UrgencyField()
    state = StateField()
    state_label = serializers.CharField(source="get_state_display")
    responsible_name = serializers.CharField(
        source="responsible.name", allow_null=True, default=None
    )
    body_name = serializers.CharField(
        source="body.name",
        allow_null=True,
        default=None,
        help_text="The body of a unit's list the concern was forwarded to (UBND xã, Sở …).",
    )

    class Meta:
        model = Concern
        fields = [
            "id",
            "unit",
            "unit_name",
            "topic",
            "topic_name",
            "title",
            "description",
            "urgency",
            "state",
            "state_label",
            "report_count",
            "first_reported_at",
            "responsible",
            "responsible_name",
            "body",
            "body_name",
            "due_on",
            "answer",
            "resolution",
            "closing_note",
            "duplicate_of",
            "acknowledged_at",
            "forwarded_at",
            "answered_at",
            "resolved_at",
            "closed_at",
            "changed_at",
        ]
        read_only_fields = fields


class ConcernDetailSerializer(ConcernSerializer):
    events = ConcernEventSerializer(many=True, help_text="Diễn biến, cũ trước.")

    class Meta(ConcernSerializer.Meta):
        fields = [*ConcernSerializer.Meta.fields, "events"]
        read_only_fields = fields


# Views -------------------------------------------------------------------------------------


class CanReport(BasePermission):
    """Sending a report needs Action.REPORT_CONCERN (not a viewer's). `CanChange` would refuse
    collaborators, who are the ones reporting."""

    message = gettext_lazy("Tài khoản của bạn không được gửi phản ánh dư luận.")

    def has_permission(self, request, view) -> bool:
        return request.method in SAFE_METHODS or can(request.user, Action.REPORT_CONCERN)


def _since_param(value: str) -> datetime:
    """The start of the day named, in the site's time zone."""
    try:
        day = parse_date(value)
    except ValueError as exc:
        raise serializers.ValidationError({"since": [str(exc)]}) from None
    start = timezone.make_aware(datetime.combine(day, time.min))
    try:
        start.astimezone(UTC)  # as the database will hold it: 1 January of year 1 cannot be
    except OverflowError:
        message = _("Ngày nằm ngoài khoảng cho phép.")
        raise serializers.ValidationError({"since": [message]}) from None
    return start


def _state_param(value: str) -> str:
    if value not in State.values:
        raise serializers.ValidationError({"state": [_("Trạng thái không hợp lệ.")]})
    return value


def _common_filters(request) -> dict:
    """The filters both lists take, read from the query string: `state`, `topic` (a code),
    `unit` (that unit and those below it) and `since` (on or after that day)."""
    params, user = request.query_params, request.user
    state, since = params.get("state"), params.get("since")
    # A collaborator reads no unit of the office: they name the places they report for.
    places = Action.VIEW if can(user, Action.VIEW) else Action.REPORT_CONCERN
    return {
        "state": _state_param(state) if state else "",
        "topic": params.get("topic") or None,
        "unit": unit_param(user, params.get("unit"), action=places),
        "since": _since_param(since) if since else None,
    }


FILTERS = {
    "topic": OpenApiParameter("topic", str, description="Mã lĩnh vực."),
    "unit": OpenApiParameter("unit", int, description="Id đơn vị: đơn vị đó và các đơn vị thuộc."),
}


@collaborator_allowed
@extend_schema(tags=["concerns"])
class ConcernTopicViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Các lĩnh vực đang dùng để phân loại phản ánh."""

    serializer_class = ConcernTopicSerializer
    pagination_class = None
    queryset = Topic.objects.filter(active=True).order_by("position", "sort_key", "name")


@collaborator_allowed
@extend_schema(tags=["concerns"])
class ConcernReportViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Phản ánh dư luận: cộng tác viên xem phản ánh của mình; cơ quan xem trong phạm vi."""

    serializer_class = ConcernReportSerializer  # for the schema; answers are `report_json`
    permission_classes = [IsAuthenticated, CollaboratorGate, CanReport]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    queryset = ConcernReport.objects.none()  # for the schema only; reads go through get_queryset

    def get_queryset(self):
        return (
            queries.reports_for(self.request.user)
            .select_related("concern__responsible", "concern__body")
            .prefetch_related("photos")
        )

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        params = self.request.query_params
        concern = params.get("concern")
        return queries.filter_reports(
            queryset,
            **_common_filters(self.request),
            concern=id_param("concern", concern) if concern else None,
        )

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "state",
                str,
                enum=State.values,
                description="Trạng thái như người gửi thấy; new: chưa được phân loại.",
            ),
            FILTERS["topic"],
            FILTERS["unit"],
            OpenApiParameter("since", OpenApiTypes.DATE, description="Gửi từ ngày này."),
            OpenApiParameter("concern", int, description="Id vấn đề đã gộp phản ánh."),
        ]
    )
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        readable = queries.readable_concerns(request.user, page)
        return self.get_paginated_response([report_json(r, readable=readable) for r in page])

    def retrieve(self, request, *args, **kwargs):
        report = self.get_object()
        readable = queries.readable_concerns(request.user, [report])
        return Response(report_json(report, readable=readable))

    @extend_schema(
        request={"application/json": ConcernReportInput, "multipart/form-data": ConcernReportInput},
        responses={
            201: ConcernReportSerializer,
            200: OpenApiResponse(
                ConcernReportSerializer,
                description="Đã nhận từ trước với client_id này; không lưu thêm.",
            ),
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="{errors: {trường: [lời]}}"),
            403: OpenApiResponse(OpenApiTypes.OBJECT, description="Không được gửi phản ánh."),
        },
        description=(
            "Gửi một phản ánh. Nội dung có số điện thoại, số định danh hoặc thư điện tử bị từ "
            "chối (400): hệ thống ghi nhận vấn đề và địa bàn, không ghi ai nói gì."
        ),
    )
    def create(self, request, *args, **kwargs):
        data = report_input(request)
        report, created = report_submit(
            actor=request.user,
            unit=data["unit"],
            topic=data["topic"],
            title=data["title"],
            content=data["content"],
            spread=data["spread"],
            mood=data["mood"],
            source=data["source"],
            urgency=data["urgency"],
            client_id=data["client_id"],
            photos=data["photos"],
        )
        if created and not data["photos"]:
            body = report_json(report, photos=[])
        else:
            # Sent before (the reporter's own report) or with photos: read it back as stored.
            stored = ConcernReport.objects.select_related(
                "unit", "topic", "concern__responsible", "concern__body"
            ).prefetch_related("photos")
            body = report_json(stored.get(pk=report.pk))
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(
        responses={(200, "image/jpeg"): OpenApiTypes.BINARY, 404: OpenApiTypes.OBJECT},
        parameters=[OpenApiParameter("photo", int, OpenApiParameter.PATH)],
    )
    @action(detail=True, methods=["get"], url_path=r"photos/(?P<photo>\d+)")
    def photo(self, request, pk=None, photo=None):
        """Ảnh kèm phản ánh."""
        report = self.get_object()
        found = ConcernPhoto.objects.filter(report=report, pk=parse_id(photo)).first()
        if found is None:
            raise Http404
        return download(found.image, name=found.download_name)


@extend_schema(tags=["concerns"])
class ConcernViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Vấn đề dư luận trong phạm vi (và vấn đề được chuyển đến cơ quan trong phạm vi)."""

    serializer_class = ConcernSerializer
    queryset = Concern.objects.none()  # for the schema only; reads go through get_queryset

    def get_queryset(self):
        concerns = queries.concerns_for(self.request.user)
        if self.action == "retrieve":
            events = ConcernEvent.objects.select_related("actor")
            concerns = concerns.prefetch_related(Prefetch("events", queryset=events))
        return concerns

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return queries.filter_concerns(queryset, self.request.user, **_common_filters(self.request))

    @extend_schema(
        parameters=[
            OpenApiParameter("state", str, enum=State.values, description="Trạng thái."),
            FILTERS["topic"],
            FILTERS["unit"],
            OpenApiParameter(
                "since", OpenApiTypes.DATE, description="Phản ánh đầu tiên từ ngày này."
            ),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses=ConcernDetailSerializer)
    def retrieve(self, request, *args, **kwargs):
        concern = self.get_object()
        context = self.get_serializer_context()
        return Response(ConcernDetailSerializer(concern, context=context).data)
