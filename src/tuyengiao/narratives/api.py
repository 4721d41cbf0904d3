"""The narratives' API: reading a text, and the periodic narrative reports (below).

POST /api/extract/ {"text": "…"} → what `tuyengiao extract FILE` prints:
{"doc_refs": [...], "ratios": [...], "percents": [...]} (text/extract.py). Staff and above
(`CanChange`: a viewer gets 403); collaborators 404. Nothing is stored."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from tuyengiao.core.params import id_param
from tuyengiao.org.api import ScopedUnitField
from tuyengiao.org.models import within
from tuyengiao.org.permissions import CanChange, CollaboratorGate
from tuyengiao.org.queries import home_unit, unit_param
from tuyengiao.org.scope import Action
from tuyengiao.periods import Period
from tuyengiao.text.extract import extract

from . import queries, services
from .models import NarrativeReport, NarrativeVersion
from .reading import MAX_CHARS


class ExtractInput(serializers.Serializer):
    text = serializers.CharField(
        max_length=MAX_CHARS,
        trim_whitespace=False,
        help_text=_("Văn bản cần đọc (UTF-8, tối đa 200.000 ký tự)."),
    )


class ExtractView(APIView):
    """Đọc văn bản: trích dẫn văn bản của Đảng, số liệu thực hiện/kế hoạch và tỷ lệ phần trăm."""

    permission_classes = [IsAuthenticated, CollaboratorGate, CanChange]

    @extend_schema(request=ExtractInput, responses={200: OpenApiTypes.OBJECT})
    def post(self, request):
        data = ExtractInput(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(extract(data.validated_data["text"]).as_json())


# The periodic narrative reports ------------------------------------------------------------------
#
# GET /api/narrative-reports/?unit=&period= (scoped: the unit's subtree), GET one with its latest
# version, POST a draft {unit, period}, PATCH {sections: [{key, text?, kept?}], note} (a new
# version), POST …/send/ {number}; GET …/docx/ downloads the Party document.


class NarrativeVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = NarrativeVersion
        fields = ["n", "sections", "note", "created_at", "created_by"]
        read_only_fields = fields


class NarrativeReportSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    period_label = serializers.SerializerMethodField()
    due_on = serializers.DateField(source="obligation.due_on", read_only=True, allow_null=True)
    deadline_state = serializers.SerializerMethodField(
        help_text="done_on_time, done_late, pending, overdue; sent/draft when nothing is owed."
    )
    docx = serializers.SerializerMethodField()

    class Meta:
        model = NarrativeReport
        fields = [
            "id",
            "unit",
            "unit_name",
            "period",
            "period_label",
            "state",
            "number",
            "due_on",
            "deadline_state",
            "sent_on",
            "docx",
        ]
        read_only_fields = fields

    def get_period_label(self, report) -> str:
        return report.period_obj.label

    def get_deadline_state(self, report) -> str:
        return queries.state_label(report, timezone.localdate())[0]

    def get_docx(self, report) -> str:
        return reverse("narratives:docx", args=[report.pk])


class NarrativeDetailSerializer(NarrativeReportSerializer):
    latest = serializers.SerializerMethodField()

    class Meta(NarrativeReportSerializer.Meta):
        fields = [*NarrativeReportSerializer.Meta.fields, "latest"]
        read_only_fields = fields

    @extend_schema_field(NarrativeVersionSerializer(allow_null=True))
    def get_latest(self, report):
        version = queries.version_of(report)
        return NarrativeVersionSerializer(version).data if version else None


class NarrativeDraftInput(serializers.Serializer):
    unit = ScopedUnitField(required=False)
    period = serializers.CharField(max_length=7, help_text="2026, 2026S1, 2026Q3 hoặc 2026-11.")

    def validate_period(self, value):
        try:
            return Period.parse(value)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from None


class NarrativeSectionEdit(serializers.Serializer):
    key = serializers.CharField(max_length=64)
    text = serializers.CharField(
        max_length=services.MAX_TEXT, required=False, allow_blank=True, trim_whitespace=False
    )
    kept = serializers.BooleanField(required=False)


class NarrativeEditInput(serializers.Serializer):
    sections = NarrativeSectionEdit(many=True, max_length=services.MAX_SECTIONS)
    note = serializers.CharField(max_length=services.MAX_NOTE, required=False, allow_blank=True)


class NarrativeSendInput(serializers.Serializer):
    number = serializers.CharField(max_length=services.MAX_NUMBER)


PERIOD = OpenApiParameter("period", str, description="Kỳ: 2026, 2026S1, 2026Q3, 2026-11.")
UNIT = OpenApiParameter(
    "unit", int, description="Id đơn vị (mặc định: đơn vị của người dùng); cả các đơn vị cấp dưới."
)


@extend_schema(tags=["narratives"])
class NarrativeReportViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Báo cáo bằng văn bản định kỳ của các đơn vị trong phạm vi."""

    permission_classes = [IsAuthenticated, CollaboratorGate, CanChange]
    serializer_class = NarrativeReportSerializer
    queryset = NarrativeReport.objects.none()  # for the schema only

    def get_queryset(self):
        return queries.reports_for(self.request.user)

    def get_serializer_class(self):
        if self.action == "list":
            return NarrativeReportSerializer
        return NarrativeDetailSerializer

    def _report(self, action: Action = Action.VIEW) -> NarrativeReport:
        return queries.report_for(self.request.user, id_param("id", self.kwargs["pk"]), action)

    def _validated(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _answer(self, report, status_code=status.HTTP_200_OK) -> Response:
        found = queries.report_for(self.request.user, report.pk)
        return Response(NarrativeDetailSerializer(found).data, status=status_code)

    @extend_schema(parameters=[UNIT, PERIOD])
    def list(self, request, *args, **kwargs):
        unit = unit_param(request.user, request.query_params.get("unit")) or home_unit(request.user)
        if unit is None:
            raise serializers.ValidationError({"unit": [_("Hãy chọn đơn vị.")]})
        reports = self.get_queryset().filter(within("unit_path", unit.path))
        raw = (request.query_params.get("period") or "").strip()
        if raw:
            try:
                reports = reports.filter(period=Period.parse(raw[:8]).id)
            except ValueError as exc:
                raise serializers.ValidationError({"period": [str(exc)]}) from None
        page = self.paginate_queryset(reports.order_by("-period", "unit_path", "id"))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        return Response(NarrativeDetailSerializer(self._report()).data)

    @extend_schema(request=NarrativeDraftInput, responses={201: NarrativeDetailSerializer})
    def create(self, request, *args, **kwargs):
        """Soạn báo cáo của đơn vị cho một kỳ: mở báo cáo (nếu chưa có) và soạn một phiên bản
        mới từ số liệu."""
        data = self._validated(NarrativeDraftInput)
        unit = data.get("unit") or home_unit(request.user)
        if unit is None:
            raise serializers.ValidationError({"unit": [_("Hãy chọn đơn vị.")]})
        with transaction.atomic():
            report = services.narrative_open(actor=request.user, unit=unit, period=data["period"])
            services.narrative_draft(actor=request.user, report=report)
        return self._answer(report, status.HTTP_201_CREATED)

    @extend_schema(request=NarrativeEditInput, responses={200: NarrativeDetailSerializer})
    def partial_update(self, request, *args, **kwargs):
        """Lưu phiên bản mới: nội dung các mục đã sửa và các bảng giữ hay bỏ."""
        report = self._report(Action.CHANGE)
        data = self._validated(NarrativeEditInput)
        services.version_save(
            actor=request.user,
            report=report,
            edits=[dict(edit) for edit in data["sections"]],
            note=data.get("note", ""),
        )
        return self._answer(report)

    @extend_schema(request=NarrativeSendInput, responses={200: NarrativeDetailSerializer})
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        """Gửi cấp trên: đóng việc phải làm hôm nay và báo cho đơn vị cấp trên."""
        report = self._report(Action.CHANGE)
        data = self._validated(NarrativeSendInput)
        services.narrative_send(actor=request.user, report=report, number=data["number"])
        return self._answer(report)
