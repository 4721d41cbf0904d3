"""REST API over outreach: speakers, their sessions, exemplary models and their replications.

The same rules as the pages, from the same places: every write goes through
`outreach.services` (scope, terms, registered decisions, privacy, audit), every read through
`outreach.queries` (the user's subtree; outside it an object does not exist: 404).

Endpoints
  GET  /api/speakers/?unit=12&level=commune&term=2025-2030&kind=reporter&q=…&idle=6&ending=90
       the speakers of unit 12's subtree (the user's own unit by default), each with
       `last_session` and `idle` (serving today, no session in the last 6 months); `idle=N`:
       only those with no session in N months; `ending=N`: only those whose time ends within
       N days. Paged.
  POST /api/speakers/  {"unit": 12, "full_name": "…", "position": "…", "kind": "reporter",
       "level": "commune" (optional: from the unit's level), "term": "2025-2030",
       "decision": "45-QĐ/ĐU", "decision_issued_on": "2025-10-20", "starts_on": "…",
       "ends_on": "…", "assigned_units": [31, 32]} → 201. Names and positions only: a phone
       number, an ID number or an e-mail is refused (400 by field).
  GET  /api/speakers/{id}/
  PUT/PATCH /api/speakers/{id}/  the fields of POST but the unit (PATCH: those sent); a new
       "decision" needs its "decision_issued_on". Sessions must stay within the new dates.
  DELETE /api/speakers/{id}/     → 204; refused (400) once the speaker has a session.
  GET  /api/speaker-sessions/?unit=12&period=2026Q3&speaker=5   the sessions heard in the
       subtree, in the period, newest first. Paged.
  POST /api/speaker-sessions/  {"speaker": 5, "unit": 31, "held_on": "2026-11-20",
       "topic": "…", "audience": 42, "mode": "in_person", "document": 7 (optional)} → 201.
  GET  /api/speaker-sessions/{id}/    DELETE → 204.
  GET  /api/exemplary-models/?unit=12&q=duong+hoa&area=dan-van   (search without diacritics)
  POST /api/exemplary-models/  {"unit": 12, "name": "…", "area": "dan-van", "description":
       "…", "level": "commune", "decision": "88-QĐ/ĐU", "decision_issued_on": "2026-03-02"}
  GET  /api/exemplary-models/{id}/
  PUT/PATCH /api/exemplary-models/{id}/  {"name", "area", "description", "level"} (PATCH: those
       sent); the unit and the decision stay.
  DELETE /api/exemplary-models/{id}/     → 204; refused (400) once it was replicated.
  GET  /api/exemplary-models/{id}/photos/   its photos: [{"id", "width", "height", "url"}].
  GET  /api/exemplary-models/{id}/photos/{photo}/   one photo (JPEG, re-encoded, no metadata).
  POST /api/exemplary-models/{id}/photos/   multipart, one or more files named `photos` (at most
       8 a model, 10 MB each), re-encoded as JPEG without metadata → 201 with every photo; what
       is not an image, too large or too many: 400 {"errors": {"photos": […]}}.
  GET  /api/replications/?unit=12&model=3    POST {"model": 3, "unit": 14,
       "replicated_on": "2026-06-01", "note": "…"} → 201.   GET/DELETE /api/replications/{id}/

Writes need a role that may change (`CanChange`: a viewer gets 403) and `Action.CHANGE` at the
unit concerned (403 otherwise). Errors as everywhere in the API (core/api.py). Collaborators
get 404.
"""

from django.http import Http404
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

from tuyengiao.core.files import download
from tuyengiao.core.params import id_param, parse_id
from tuyengiao.core.parsers import JSONParser
from tuyengiao.org.api import ScopedUnitField
from tuyengiao.org.permissions import CanChange, CollaboratorGate
from tuyengiao.org.queries import home_unit, unit_param
from tuyengiao.oversight.models import WorkArea
from tuyengiao.periods import Period

from . import queries, services
from .models import (
    Exemplar,
    ModelPhoto,
    OutreachLevel,
    OutreachSession,
    Replication,
    SessionMode,
    Speaker,
    SpeakerKind,
)

MAX_COUNT = 1_000_000


@extend_schema_field(OpenApiTypes.INT)
class _Scoped(serializers.PrimaryKeyRelatedField):
    """An id of an object the user sees; outside their subtree it does not exist."""

    default_error_messages = {
        **serializers.PrimaryKeyRelatedField.default_error_messages,
        "does_not_exist": gettext_lazy(
            "Không có đối tượng với id {pk_value} trong phạm vi của bạn."
        ),
        "incorrect_type": gettext_lazy("Phải là một số nguyên dương (mã số)."),
    }
    read = None

    def get_queryset(self):
        return self.read(self.context["request"].user)


@extend_schema_field(OpenApiTypes.INT)
class ScopedSpeakerField(_Scoped):
    read = staticmethod(queries.speakers_for)


@extend_schema_field(OpenApiTypes.INT)
class ScopedModelField(_Scoped):
    read = staticmethod(queries.models_for)


@extend_schema_field(OpenApiTypes.INT)
class ScopedDocumentField(_Scoped):
    @staticmethod
    def read(user):
        from tuyengiao.directives.queries import directives_for

        return directives_for(user)


def _unit(request):
    unit = unit_param(request.user, request.query_params.get("unit")) or home_unit(request.user)
    if unit is None:
        raise serializers.ValidationError({"unit": [_("Hãy chọn đơn vị.")]})
    return unit


def _write_unit(request, data):
    unit = data.get("unit") or home_unit(request.user)
    if unit is None:
        raise serializers.ValidationError({"unit": [_("Hãy chọn đơn vị.")]})
    return unit


def _number(name: str, raw) -> int | None:
    if raw in (None, ""):
        return None
    value = id_param(name, raw)
    if value > 3650:
        raise serializers.ValidationError({name: [_("Giá trị quá lớn.")]})
    return value


UNIT = OpenApiParameter(
    "unit", int, description="Id đơn vị (mặc định: đơn vị của người dùng); cả các đơn vị cấp dưới."
)


class _Base(viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated, CollaboratorGate, CanChange]

    def _validated(self, serializer_class, *, partial: bool = False) -> dict:
        serializer = serializer_class(
            data=self.request.data, context=self.get_serializer_context(), partial=partial
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _answer(self, obj, status_code=status.HTTP_201_CREATED) -> Response:
        found = self.get_queryset().get(pk=obj.pk)
        return Response(self.get_serializer(found).data, status=status_code)


# Speakers ------------------------------------------------------------------------------------


class SpeakerSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    decision_symbol = serializers.CharField(source="decision.symbol", read_only=True)
    decision_issued_on = serializers.DateField(source="decision.issued_on", read_only=True)
    assigned_units = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    last_session = serializers.DateField(read_only=True, allow_null=True)
    idle = serializers.SerializerMethodField(
        help_text="Đang hoạt động và không có buổi nói chuyện nào trong 6 tháng gần nhất."
    )

    class Meta:
        model = Speaker
        fields = [
            "id",
            "full_name",
            "position",
            "kind",
            "kind_label",
            "level",
            "level_label",
            "term",
            "unit",
            "unit_name",
            "decision",
            "decision_symbol",
            "decision_issued_on",
            "starts_on",
            "ends_on",
            "assigned_units",
            "last_session",
            "idle",
        ]
        read_only_fields = fields

    def get_idle(self, speaker) -> bool:
        return queries.is_idle(speaker, timezone.localdate())


class SpeakerInput(serializers.Serializer):
    unit = ScopedUnitField(required=False)
    full_name = serializers.CharField(max_length=120)
    position = serializers.CharField(max_length=200, required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=SpeakerKind.choices, default=SpeakerKind.REPORTER)
    level = serializers.ChoiceField(choices=OutreachLevel.choices, required=False)
    term = serializers.CharField(max_length=20, help_text="Ví dụ: 2025-2030")
    decision = serializers.CharField(max_length=64, help_text="Ví dụ: 45-QĐ/ĐU")
    decision_issued_on = serializers.DateField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    assigned_units = ScopedUnitField(many=True, required=False)


class SpeakerEdit(serializers.Serializer):
    """What may be changed of a speaker (not their unit). PUT sends every field, PATCH some;
    a new decision symbol needs its `decision_issued_on`."""

    full_name = serializers.CharField(max_length=120)
    position = serializers.CharField(max_length=200, required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=SpeakerKind.choices)
    level = serializers.ChoiceField(choices=OutreachLevel.choices)
    term = serializers.CharField(max_length=20, help_text="Ví dụ: 2025-2030")
    decision = serializers.CharField(max_length=64, help_text="Ví dụ: 45-QĐ/ĐU")
    decision_issued_on = serializers.DateField(required=False)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    assigned_units = ScopedUnitField(many=True, required=False)


@extend_schema(tags=["outreach"])
class SpeakerViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    _Base,
):
    """Báo cáo viên, tuyên truyền viên trong phạm vi."""

    serializer_class = SpeakerSerializer
    queryset = Speaker.objects.none()  # for the schema only; reads go through get_queryset

    def get_queryset(self):
        speakers = queries.speakers_for(self.request.user).prefetch_related("assigned_units")
        return queries.with_activity(speakers, timezone.localdate())

    @extend_schema(
        parameters=[
            UNIT,
            OpenApiParameter("level", str, enum=OutreachLevel.values),
            OpenApiParameter("kind", str, enum=SpeakerKind.values),
            OpenApiParameter("term", str, description="Nhiệm kỳ, như 2025-2030."),
            OpenApiParameter("q", str, description="Tên, chức vụ (không cần dấu)."),
            OpenApiParameter("idle", int, description="Chỉ người không có buổi nào trong N tháng."),
            OpenApiParameter(
                "ending", int, description="Chỉ người hết thời gian trong N ngày tới."
            ),
        ]
    )
    def list(self, request, *args, **kwargs):
        params = request.query_params
        level, kind = params.get("level", ""), params.get("kind", "")
        if level and level not in OutreachLevel.values:
            raise serializers.ValidationError({"level": [_("Cấp không hợp lệ.")]})
        if kind and kind not in SpeakerKind.values:
            raise serializers.ValidationError({"kind": [_("Loại không hợp lệ.")]})
        speakers = queries.roster(
            request.user,
            _unit(request),
            level=level,
            kind=kind,
            term=params.get("term", "")[:20],
            q=params.get("q", "")[:100],
            idle_months=_number("idle", params.get("idle")),
            ending_days=_number("ending", params.get("ending")),
        ).prefetch_related("assigned_units")
        page = self.paginate_queryset(speakers)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=SpeakerInput, responses={201: SpeakerSerializer})
    def create(self, request, *args, **kwargs):
        """Ghi nhận một báo cáo viên, với quyết định công nhận (đăng ký vào sổ văn bản)."""
        data = self._validated(SpeakerInput)
        speaker = services.speaker_create(
            actor=request.user,
            unit=_write_unit(request, data),
            full_name=data["full_name"],
            position=data.get("position", ""),
            kind=data["kind"],
            level=data.get("level"),
            term=data["term"],
            decision_symbol=data["decision"],
            decision_issued_on=data["decision_issued_on"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            assigned_units=data.get("assigned_units", []),
        )
        return self._answer(speaker)

    @extend_schema(request=SpeakerEdit, responses={200: SpeakerSerializer})
    def update(self, request, *args, **kwargs):
        """Sửa thông tin một báo cáo viên (PUT: mọi trường; PATCH: các trường gửi lên)."""
        speaker = self.get_object()
        data = self._validated(SpeakerEdit, partial=kwargs.get("partial", False))
        changes = {name: data[name] for name in services.SPEAKER_FIELDS if name in data}
        services.speaker_update(
            actor=request.user,
            speaker=speaker,
            assigned_units=data.get("assigned_units"),
            decision_symbol=data.get("decision"),
            decision_issued_on=data.get("decision_issued_on"),
            **changes,
        )
        return self._answer(speaker, status.HTTP_200_OK)

    @extend_schema(request=SpeakerEdit, responses={200: SpeakerSerializer})
    def partial_update(self, request, *args, **kwargs):
        """Sửa một số trường của một báo cáo viên."""
        return self.update(request, *args, partial=True, **kwargs)

    def destroy(self, request, *args, **kwargs):
        """Xóa một báo cáo viên ghi nhầm (chỉ khi chưa có buổi nói chuyện nào)."""
        services.speaker_delete(actor=request.user, speaker=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


# Sessions ------------------------------------------------------------------------------------


class SessionSerializer(serializers.ModelSerializer):
    speaker_name = serializers.CharField(source="speaker.full_name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    document_symbol = serializers.CharField(
        source="document.symbol", read_only=True, allow_null=True, default=None
    )
    mode_label = serializers.CharField(source="get_mode_display", read_only=True)

    class Meta:
        model = OutreachSession
        fields = [
            "id",
            "speaker",
            "speaker_name",
            "unit",
            "unit_name",
            "held_on",
            "topic",
            "document",
            "document_symbol",
            "mode",
            "mode_label",
            "audience",
        ]
        read_only_fields = fields


class SessionInput(serializers.Serializer):
    speaker = ScopedSpeakerField()
    unit = ScopedUnitField(required=False)
    held_on = serializers.DateField()
    topic = serializers.CharField(max_length=300)
    audience = serializers.IntegerField(min_value=1, max_value=MAX_COUNT)
    mode = serializers.ChoiceField(choices=SessionMode.choices, default=SessionMode.IN_PERSON)
    document = ScopedDocumentField(required=False, allow_null=True)


@extend_schema(tags=["outreach"])
class OutreachSessionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    _Base,
):
    """Buổi nói chuyện, thông tin thời sự của báo cáo viên."""

    serializer_class = SessionSerializer
    queryset = OutreachSession.objects.none()

    def get_queryset(self):
        return queries.sessions_for(self.request.user)

    @extend_schema(
        parameters=[
            UNIT,
            OpenApiParameter("period", str, description="Kỳ: 2026, 2026S1, 2026Q3, 2026-11."),
            OpenApiParameter("speaker", int, description="Id báo cáo viên."),
        ]
    )
    def list(self, request, *args, **kwargs):
        params = request.query_params
        period = None
        if params.get("period"):
            try:
                period = Period.parse(params["period"])
            except ValueError as exc:
                raise serializers.ValidationError({"period": [str(exc)]}) from None
        sessions = queries.sessions_in(request.user, _unit(request), period)
        if params.get("speaker"):
            sessions = sessions.filter(speaker_id=id_param("speaker", params["speaker"]))
        page = self.paginate_queryset(sessions)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=SessionInput, responses={201: SessionSerializer})
    def create(self, request, *args, **kwargs):
        """Ghi nhận một buổi nói chuyện (trong thời gian hoạt động của báo cáo viên)."""
        data = self._validated(SessionInput)
        speaker = data["speaker"]
        session = services.session_record(
            actor=request.user,
            speaker=speaker,
            unit=data.get("unit") or speaker.unit,
            held_on=data["held_on"],
            topic=data["topic"],
            audience=data["audience"],
            mode=data["mode"],
            document=data.get("document"),
        )
        return self._answer(session)

    def destroy(self, request, *args, **kwargs):
        """Xóa một buổi ghi nhầm."""
        services.session_delete(actor=request.user, session=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


# Exemplary models ----------------------------------------------------------------------------


class ModelSerializer(serializers.ModelSerializer):
    area = serializers.SlugRelatedField(slug_field="code", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    decision_symbol = serializers.CharField(source="decision.symbol", read_only=True)
    photos = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Exemplar
        fields = [
            "id",
            "name",
            "area",
            "area_name",
            "unit",
            "unit_name",
            "description",
            "level",
            "level_label",
            "decision",
            "decision_symbol",
            "recognised_on",
            "photos",
        ]
        read_only_fields = fields


class ModelInput(serializers.Serializer):
    unit = ScopedUnitField(required=False)
    name = serializers.CharField(max_length=300)
    area = serializers.SlugRelatedField(slug_field="code", queryset=WorkArea.objects.all())
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    level = serializers.ChoiceField(choices=OutreachLevel.choices, required=False)
    decision = serializers.CharField(max_length=64)
    decision_issued_on = serializers.DateField()


class ModelEdit(serializers.Serializer):
    """What may be changed of a model (not its unit nor its decision). PUT sends every field,
    PATCH some."""

    name = serializers.CharField(max_length=300)
    area = serializers.SlugRelatedField(slug_field="code", queryset=WorkArea.objects.all())
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    level = serializers.ChoiceField(choices=OutreachLevel.choices, required=False)


class PhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="Địa chỉ tải ảnh (JPEG).")

    class Meta:
        model = ModelPhoto
        fields = ["id", "width", "height", "url"]
        read_only_fields = fields

    def get_url(self, photo) -> str:
        return reverse("api:exemplary-model-photo", args=[photo.model_id, photo.pk])


class PhotosInput(serializers.Serializer):
    photos = serializers.ListField(
        child=serializers.FileField(),
        help_text=(
            "Một hoặc nhiều ảnh (multipart, cùng tên photos), mỗi ảnh tối đa 10 MB, tối đa "
            "8 ảnh một mô hình; được mã hoá lại, bỏ mọi siêu dữ liệu."
        ),
    )


@extend_schema(tags=["outreach"])
class ExemplarViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    _Base,
):
    """Mô hình, gương điển hình trong phạm vi."""

    serializer_class = ModelSerializer
    queryset = Exemplar.objects.none()

    def get_queryset(self):
        return queries.models_for(self.request.user).prefetch_related("photos")

    @extend_schema(
        parameters=[
            UNIT,
            OpenApiParameter("q", str, description="Tìm theo tên, mô tả (không cần dấu)."),
            OpenApiParameter("area", str, description="Mã lĩnh vực, như dan-van."),
        ]
    )
    def list(self, request, *args, **kwargs):
        params = request.query_params
        area = None
        if params.get("area"):
            area = WorkArea.objects.filter(code=params["area"][:48]).first()
            if area is None:
                raise serializers.ValidationError({"area": [_("Không có lĩnh vực này.")]})
        found = queries.models_in(
            request.user, _unit(request), q=params.get("q", "")[:100], area=area
        ).prefetch_related("photos")
        page = self.paginate_queryset(found)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=ModelInput, responses={201: ModelSerializer})
    def create(self, request, *args, **kwargs):
        """Ghi nhận một mô hình, điển hình với quyết định công nhận."""
        data = self._validated(ModelInput)
        model = services.model_create(
            actor=request.user,
            unit=_write_unit(request, data),
            name=data["name"],
            area=data["area"],
            description=data.get("description", ""),
            level=data.get("level"),
            decision_symbol=data["decision"],
            decision_issued_on=data["decision_issued_on"],
        )
        return self._answer(model)

    @extend_schema(request=ModelEdit, responses={200: ModelSerializer})
    def update(self, request, *args, **kwargs):
        """Sửa một mô hình, điển hình (PUT: tên và lĩnh vực bắt buộc; PATCH: các trường gửi
        lên). Đơn vị và quyết định công nhận không sửa ở đây."""
        model = self.get_object()
        data = self._validated(ModelEdit, partial=kwargs.get("partial", False))
        services.model_update(actor=request.user, model=model, **data)
        return self._answer(model, status.HTTP_200_OK)

    @extend_schema(request=ModelEdit, responses={200: ModelSerializer})
    def partial_update(self, request, *args, **kwargs):
        """Sửa một số trường của một mô hình, điển hình."""
        return self.update(request, *args, partial=True, **kwargs)

    def destroy(self, request, *args, **kwargs):
        """Xóa một mô hình ghi nhầm (chỉ khi chưa được ghi nhận nhân rộng ở đâu)."""
        services.model_delete(actor=request.user, model=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(methods=["GET"], request=None, responses={200: PhotoSerializer(many=True)})
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": PhotosInput},
        responses={201: PhotoSerializer(many=True)},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[MultiPartParser, FormParser, JSONParser],
        pagination_class=None,  # every photo (at most 8), not a page
    )
    def photos(self, request, pk=None):
        """Ảnh của mô hình; POST: thêm một hoặc nhiều ảnh (được mã hoá lại)."""
        model = self.get_object()
        if request.method == "POST":
            data = self._validated(PhotosInput)
            services.photos_add(actor=request.user, model=model, photos=data["photos"])
        photos = ModelPhoto.objects.filter(model=model).order_by("id")
        answer = status.HTTP_201_CREATED if request.method == "POST" else status.HTTP_200_OK
        return Response(PhotoSerializer(photos, many=True).data, status=answer)

    @extend_schema(
        responses={(200, "image/jpeg"): OpenApiTypes.BINARY, 404: OpenApiTypes.OBJECT},
        parameters=[OpenApiParameter("photo", int, OpenApiParameter.PATH)],
    )
    @action(detail=True, methods=["get"], url_path=r"photos/(?P<photo>\d+)")
    def photo(self, request, pk=None, photo=None):
        """Một ảnh của mô hình (JPEG, đã mã hoá lại)."""
        model = self.get_object()
        found = ModelPhoto.objects.filter(model=model, pk=parse_id(photo)).first()
        if found is None:
            raise Http404
        return download(found.image, name=found.download_name)


class ReplicationSerializer(serializers.ModelSerializer):
    model_name = serializers.CharField(source="model.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Replication
        fields = ["id", "model", "model_name", "unit", "unit_name", "replicated_on", "note"]
        read_only_fields = fields


class ReplicationInput(serializers.Serializer):
    model = ScopedModelField()
    unit = ScopedUnitField()
    replicated_on = serializers.DateField()
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


@extend_schema(tags=["outreach"])
class ReplicationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    _Base,
):
    """Nơi nhân rộng mô hình, điển hình."""

    serializer_class = ReplicationSerializer
    queryset = Replication.objects.none()

    def get_queryset(self):
        return queries.replications_for(self.request.user)

    @extend_schema(parameters=[UNIT, OpenApiParameter("model", int, description="Id mô hình.")])
    def list(self, request, *args, **kwargs):
        from tuyengiao.org.models import within

        unit = _unit(request)
        found = self.get_queryset().filter(within("unit_path", unit.path))
        if request.query_params.get("model"):
            found = found.filter(model_id=id_param("model", request.query_params["model"]))
        page = self.paginate_queryset(found.order_by("-replicated_on", "-id"))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=ReplicationInput, responses={201: ReplicationSerializer})
    def create(self, request, *args, **kwargs):
        """Ghi nhận nơi nhân rộng một mô hình."""
        data = self._validated(ReplicationInput)
        replication = services.replication_add(
            actor=request.user,
            model=data["model"],
            unit=data["unit"],
            replicated_on=data["replicated_on"],
            note=data.get("note", ""),
        )
        return self._answer(replication)

    def destroy(self, request, *args, **kwargs):
        """Xóa nơi nhân rộng ghi nhầm."""
        services.replication_delete(actor=request.user, replication=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
