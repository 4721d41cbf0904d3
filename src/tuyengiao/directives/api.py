"""REST API over the directive cascade: register, send down the tree, record the steps.

Every read goes through `restrict` (an object outside the user's subtree answers 404); every
write goes through the services, whose `require` answers 403.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from tuyengiao.core.api import error_dict
from tuyengiao.core.files import DOCUMENTS, download
from tuyengiao.core.params import MAX_ID, id_param
from tuyengiao.deadlines.models import State, state_of
from tuyengiao.org.api import ScopedUnitField
from tuyengiao.org.models import Kind, Level, Unit
from tuyengiao.org.permissions import CanChange, CollaboratorGate
from tuyengiao.org.queries import unit_param, units_by_id
from tuyengiao.text import parse_date

from .models import Directive, Step, StepKind
from .queries import (
    directive_counts,
    directives_for,
    filter_steps,
    search_directives,
    steps_for,
)
from .services import (
    MAX_DAYS_AFTER,
    MAX_MONTHS_AFTER,
    DuplicateDirective,
    StepPlan,
    directive_register,
    directive_send,
    receivers_by,
    step_record,
)

# Reads -------------------------------------------------------------------------------------


# Serializers -------------------------------------------------------------------------------


class DateField(serializers.DateField):
    """ISO dates, and the dd/mm/yyyy people type (any form `parse_date` reads)."""

    def to_internal_value(self, value):
        if isinstance(value, str):
            try:
                return parse_date(value)
            except ValueError as exc:
                raise serializers.ValidationError(str(exc)) from exc
        return super().to_internal_value(value)


class DirectiveSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    attachment = serializers.SerializerMethodField(help_text="Địa chỉ tải tệp văn bản.")

    class Meta:
        model = Directive
        fields = [
            "id",
            "symbol",
            "number",
            "doc_type",
            "issuer",
            "term",
            "issued_on",
            "title",
            "summary",
            "attachment",
            "unit",
            "unit_name",
            "created_at",
        ]
        read_only_fields = fields

    def get_attachment(self, directive) -> str | None:
        # Uploads have no public URL: the API sends them itself, in the user's scope.
        if not directive.attachment:
            return None
        return reverse("api:directive-attachment", args=[directive.pk])


class CountsSerializer(serializers.Serializer):
    assigned = serializers.IntegerField(help_text="Đơn vị nhận (trong phạm vi của người dùng).")
    steps = serializers.IntegerField()
    done_on_time = serializers.IntegerField()
    done_late = serializers.IntegerField()
    pending = serializers.IntegerField()
    overdue = serializers.IntegerField()


class DirectiveDetailSerializer(DirectiveSerializer):
    counts = CountsSerializer(read_only=True)

    class Meta(DirectiveSerializer.Meta):
        fields = [*DirectiveSerializer.Meta.fields, "counts"]
        read_only_fields = fields


class DirectiveInput(serializers.Serializer):
    unit = ScopedUnitField()
    symbol = serializers.CharField(max_length=200, help_text="Ví dụ “Kết luận số 01-KL/TƯ”.")
    issued_on = DateField()
    title = serializers.CharField(max_length=500)
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    attachment = serializers.FileField(required=False)


class StepPlanInput(serializers.Serializer):
    """One step and its deadline: exactly one of due_on, days_after, months_after."""

    kind = serializers.ChoiceField(choices=StepKind.choices)
    due_on = DateField(required=False, allow_null=True, default=None)
    days_after = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=0, max_value=MAX_DAYS_AFTER
    )
    months_after = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=0, max_value=MAX_MONTHS_AFTER
    )


class SendInput(serializers.Serializer):
    sender = ScopedUnitField()
    receivers = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        allow_null=True,
        default=None,
        help_text="Id các đơn vị nhận; bỏ trống để chọn theo cấp (levels) và loại (kinds).",
    )
    levels = serializers.ListField(
        child=serializers.ChoiceField(choices=Level.choices), required=False, default=list
    )
    kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=Kind.choices), required=False, default=list
    )
    plan = StepPlanInput(many=True)
    sent_on = DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class SendResultSerializer(serializers.Serializer):
    dispatch = serializers.IntegerField(help_text="Id của lượt gửi.")
    assigned = serializers.IntegerField(help_text="Số đơn vị nhận mới.")
    already = serializers.IntegerField(help_text="Số đơn vị đã nhận từ trước (bỏ qua).")


class StepSerializer(serializers.ModelSerializer):
    directive_symbol = serializers.CharField(source="directive.symbol", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    state = serializers.SerializerMethodField()
    report_file = serializers.SerializerMethodField(help_text="Địa chỉ tải tệp báo cáo.")

    class Meta:
        model = Step
        fields = [
            "id",
            "directive",
            "directive_symbol",
            "unit",
            "unit_name",
            "kind",
            "kind_label",
            "obligation",
            "due_on",
            "done_on",
            "state",
            "own_symbol",
            "own_issued_on",
            "attendees_cadres",
            "attendees_members",
            "expected",
            "channels",
            "audience",
            "report_text",
            "report_file",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=State.choices))
    def get_state(self, step) -> str:
        # The obligation holds the deadline and completion that lateness is computed from.
        ob = step.obligation
        return state_of(ob.due_on, ob.done_on, self.context.get("today") or timezone.localdate())

    def get_report_file(self, step) -> str | None:
        if not step.report_file:
            return None
        return reverse("api:step-report-file", args=[step.pk])


class RecordInput(serializers.Serializer):
    """The date and the evidence of the step's kind (others are refused)."""

    done_on = DateField()
    own_symbol = serializers.CharField(required=False, allow_blank=True)
    own_issued_on = DateField(required=False, allow_null=True)
    attendees_cadres = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    attendees_members = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    expected = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    channels = serializers.CharField(required=False, allow_blank=True, max_length=255)
    audience = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    report_text = serializers.CharField(required=False, allow_blank=True)
    report_file = serializers.FileField(required=False)


# Views -------------------------------------------------------------------------------------

# An uploaded file, as `core.files.download` sends it: of one of the types it was checked as.
FILE_RESPONSES = {
    **{(200, kind.content_type): OpenApiTypes.BINARY for kind in DOCUMENTS},
    404: OpenApiTypes.OBJECT,
}


class ScopedViewSet(viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated, CollaboratorGate, CanChange]

    def validated(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


@extend_schema(tags=["directives"])
class DirectiveViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Văn bản chỉ đạo mà đơn vị trong phạm vi đã vào sổ hoặc đã nhận."""

    serializer_class = DirectiveSerializer
    queryset = Directive.objects.none()  # for the schema only; reads go through get_queryset

    def get_queryset(self):
        return directives_for(self.request.user).select_related("unit")

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        params = self.request.query_params
        queryset = search_directives(queryset, params.get("q", ""))
        if unit := unit_param(self.request.user, params.get("unit")):
            queryset = queryset.filter(unit=unit)
        return queryset

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="Tìm trong số, ký hiệu và trích yếu."),
            OpenApiParameter("unit", int, description="Id đơn vị vào sổ."),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses=DirectiveDetailSerializer)
    def retrieve(self, request, *args, **kwargs):
        directive = self.get_object()
        directive.counts = directive_counts(request.user, directive)
        return Response(
            DirectiveDetailSerializer(directive, context=self.get_serializer_context()).data
        )

    @extend_schema(
        request=DirectiveInput,
        responses={201: DirectiveSerializer, 400: OpenApiTypes.OBJECT},
        description="Vào sổ một văn bản; trùng số, ký hiệu trong nhiệm kỳ → 400 kèm `existing`.",
    )
    def create(self, request, *args, **kwargs):
        data = self.validated(DirectiveInput)
        try:
            directive = directive_register(actor=request.user, **data)
        except DuplicateDirective as exc:
            # Name the existing document only to those who may open it.
            visible = directives_for(request.user).filter(pk=exc.existing.pk).exists()
            return Response(
                {"errors": error_dict(exc), "existing": exc.existing.pk if visible else None},
                status=status.HTTP_400_BAD_REQUEST,
            )
        body = DirectiveSerializer(directive, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=SendInput, responses={201: SendResultSerializer})
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        """Gửi văn bản xuống các đơn vị thuộc đơn vị gửi, kèm các bước và thời hạn."""
        directive = self.get_object()
        data = self.validated(SendInput)
        sender = data["sender"]
        if data["receivers"] is not None:
            receivers = _units_in_scope(request.user, data["receivers"])
        elif data["levels"] or data["kinds"]:
            receivers = receivers_by(sender, levels=data["levels"], kinds=data["kinds"])
        else:
            raise serializers.ValidationError(
                {"receivers": [_("Hãy chọn đơn vị nhận, hoặc cấp, loại đơn vị nhận.")]}
            )
        result = directive_send(
            actor=request.user,
            directive=directive,
            sender=sender,
            receivers=receivers,
            plan=[StepPlan(**p) for p in data["plan"]],
            sent_on=data["sent_on"],
            note=data["note"],
        )
        body = {
            "dispatch": result.dispatch.pk,
            "assigned": result.assigned,
            "already": result.already,
        }
        return Response(SendResultSerializer(body).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=FILE_RESPONSES)
    @action(detail=True, methods=["get"])
    def attachment(self, request, pk=None):
        """Tệp văn bản (PDF, Word), tải về."""
        directive = self.get_object()
        return download(directive.attachment, name=directive.download_name)


@extend_schema(tags=["directives"])
class StepViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Các bước triển khai của đơn vị trong phạm vi, kèm trạng thái hạn."""

    serializer_class = StepSerializer
    queryset = Step.objects.none()  # for the schema only; reads go through get_queryset

    def get_queryset(self):
        return (
            steps_for(self.request.user)
            .select_related("directive", "unit", "obligation__unit")
            .order_by("unit_path", "due_on", "id")
        )

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        params = self.request.query_params
        directive, state = params.get("directive"), params.get("state")
        if state and state not in State.values:
            raise serializers.ValidationError({"state": [_("Trạng thái không hợp lệ.")]})
        return filter_steps(
            queryset,
            directive=id_param("directive", directive) if directive else None,
            unit=unit_param(self.request.user, params.get("unit")),
            state=state or "",
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("directive", int, description="Id văn bản."),
            OpenApiParameter("unit", int, description="Id đơn vị: đơn vị đó và các đơn vị thuộc."),
            OpenApiParameter("state", str, enum=State.values, description="Trạng thái hạn."),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=RecordInput, responses=StepSerializer)
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        """Ghi nhận kết quả một bước; việc phải làm của bước được đóng theo ngày thực hiện."""
        step = self.get_object()
        data = dict(self.validated(RecordInput))
        done_on = data.pop("done_on")
        step_record(actor=request.user, step=step, done_on=done_on, **data)
        step = self.get_queryset().get(pk=step.pk)
        return Response(self.get_serializer(step).data)

    @extend_schema(responses=FILE_RESPONSES)
    @action(detail=True, methods=["get"], url_path="report-file")
    def report_file(self, request, pk=None):
        """Tệp báo cáo của bước (PDF, Word), tải về."""
        step = self.get_object()
        return download(step.report_file, name=step.download_name)


def _units_in_scope(user, ids: list[int]) -> list[Unit]:
    units = units_by_id(user, ids)
    missing = sorted(set(ids) - {u.pk for u in units})
    if missing:
        raise serializers.ValidationError(
            {
                "receivers": [
                    _("Không có đơn vị với id %(ids)s trong phạm vi của bạn.")
                    % {"ids": ", ".join(map(str, missing))}
                ]
            }
        )
    return units
