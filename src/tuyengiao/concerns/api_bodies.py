"""REST API over the bodies a unit forwards public concerns to (UBND xã, Công an xã, the
province's departments, …): the list the page /concerns/bodies/ keeps, from the same services
(concerns/bodies.py: audited, names checked for personal data, each name once per unit).

Endpoints
  GET   /api/bodies/?unit=12          the bodies the office of unit 12 (by default the user's own
        unit; 404 outside their subtree) works with: its own list, inactive ones included, and
        the active bodies of the units above it, which its concerns may be forwarded to too.
        Its own first, then from the nearest unit up; names in Vietnamese order. Not paged:
        [{id, name, active, unit, unit_name, may_change}].
  GET   /api/bodies/{id}/             one body: of the user's subtree, or an active one above.
  POST  /api/bodies/                  {"unit": 12, "name": "Công an xã"} → 201; `unit` defaults
        to the user's own unit.
  PATCH /api/bodies/{id}/             {"name": "…", "active": true} (either) → 200: rename,
        (re)activate. What was forwarded to a body keeps the name it had that day.
  POST  /api/bodies/{id}/deactivate/  → 200: no longer offered when forwarding (never deleted:
        concerns forwarded to it keep it).

Writes need Action.MANAGE_BODIES at the body's unit (managers, administrators): 403 for other
roles, 404 for a body outside the user's subtree (one above it is read, never changed).
Errors as everywhere in the API (core/api.py): 400 {"errors": {"name": ["Đơn vị đã có cơ quan
tên này."]}}, 403 and 404 {"detail": "..."}. Collaborators get 404.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from tuyengiao.org.api import ScopedUnitField
from tuyengiao.org.permissions import CanChange, CollaboratorGate
from tuyengiao.org.queries import home_unit, unit_param
from tuyengiao.org.scope import Action, in_scope

from . import bodies
from .models import ResponsibleBody


class BodySerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    may_change = serializers.SerializerMethodField(
        help_text="Người dùng được sửa, ngừng dùng cơ quan này."
    )

    class Meta:
        model = ResponsibleBody
        fields = ["id", "name", "active", "unit", "unit_name", "may_change"]
        read_only_fields = fields

    def get_may_change(self, body) -> bool:
        return in_scope(self.context["request"].user, body.unit_path, Action.MANAGE_BODIES)


class BodyInput(serializers.Serializer):
    unit = ScopedUnitField(required=False)
    name = serializers.CharField(max_length=200)


class BodyChange(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    active = serializers.BooleanField(required=False)

    def validate(self, data):
        if not data:
            raise serializers.ValidationError(_("Hãy gửi tên mới hoặc trạng thái đang dùng."))
        return data


@extend_schema(tags=["concerns"])
class BodyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Cơ quan chịu trách nhiệm mà đơn vị chuyển vấn đề dư luận đến."""

    serializer_class = BodySerializer
    permission_classes = [IsAuthenticated, CollaboratorGate, CanChange]
    pagination_class = None
    queryset = ResponsibleBody.objects.none()  # for the schema only; reads go through get_queryset

    def get_queryset(self):
        user = self.request.user
        if self.action in {"list", "retrieve"}:
            return bodies.readable_bodies(user)
        # A write finds the body in the user's subtree; the service says who may change it.
        return bodies.bodies_of_subtree(user, "").select_related("unit")

    def _validated(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _answer(self, body, status_code=status.HTTP_200_OK) -> Response:
        body = ResponsibleBody.objects.select_related("unit").get(pk=body.pk)
        return Response(self.get_serializer(body).data, status=status_code)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "unit",
                int,
                description="Id đơn vị (mặc định: đơn vị của người dùng): danh sách của đơn vị "
                "và các cơ quan đang dùng của các đơn vị cấp trên.",
            )
        ]
    )
    def list(self, request, *args, **kwargs):
        unit = unit_param(request.user, request.query_params.get("unit")) or home_unit(request.user)
        listed = bodies.bodies_for_unit(unit) if unit else ResponsibleBody.objects.none()
        return Response(self.get_serializer(listed, many=True).data)

    @extend_schema(request=BodyInput, responses={201: BodySerializer})
    def create(self, request, *args, **kwargs):
        """Thêm một cơ quan vào danh sách của đơn vị."""
        data = self._validated(BodyInput)
        unit = data.get("unit") or home_unit(request.user)
        if unit is None:
            raise serializers.ValidationError({"unit": [_("Hãy chọn đơn vị.")]})
        body = bodies.body_add(actor=request.user, unit=unit, name=data["name"])
        return self._answer(body, status.HTTP_201_CREATED)

    @extend_schema(request=BodyChange, responses=BodySerializer)
    def partial_update(self, request, *args, **kwargs):
        """Đổi tên, dùng lại hoặc ngừng dùng một cơ quan."""
        body = self.get_object()
        data = self._validated(BodyChange)
        body = bodies.body_update(
            actor=request.user,
            body=body,
            name=data.get("name", body.name),
            active=data.get("active", body.active),
        )
        return self._answer(body)

    @extend_schema(request=None, responses=BodySerializer)
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        """Ngừng dùng một cơ quan: không còn được chọn khi chuyển vấn đề dư luận."""
        body = self.get_object()
        body = bodies.body_update(actor=request.user, body=body, name=body.name, active=False)
        return self._answer(body)
