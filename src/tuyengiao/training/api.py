"""REST API over political-theory training: centres, programmes, plans, classes and the plan
against actual. The same rules as the pages, from the same places: every write goes through
`training.services` (scope, rules, audit), every read through `training.queries` (the user's
subtree; outside it an object does not exist: 404).

Endpoints
  GET  /api/programmes/                      the programmes (a shared list, not paged)
  GET  /api/political-centres/?unit=12&active=true      POST {"unit": 31, "name": "…",
       "kind": "commune_centre", "served": [31, 32]} → 201
  GET/PATCH/PUT/DELETE /api/political-centres/{id}/    PATCH {"name", "active", "served"}
  GET  /api/training-plans/?unit=12&year=2026&centre=5  POST {"centre": 5, "programme": 2,
       "year": 2026, "classes_planned": 10, "learners_planned": 400} → 201 (the plan of that
       centre, programme and year is changed when it exists: 200)
  GET/PATCH/PUT/DELETE /api/training-plans/{id}/       PATCH {"classes_planned", "learners_planned"}
  GET  /api/training-classes/?unit=12&year=2026&programme=2&centre=5&state=running
       POST {"centre": 5, "programme": 2, "title": "…", "communes": [31], "opened_on":
       "2026-03-02", "closed_on": null, "enrolled": 40, "completed": null,
       "confirm_small": false} → 201. Fewer learners than the programme's minimum: 400 on
       `enrolled` (code "small") unless `confirm_small` is true.
  GET/PATCH/PUT/DELETE /api/training-classes/{id}/     closing a class: PATCH {"closed_on":
       "2026-04-10", "completed": 38}
  GET  /api/training-plan-vs-actual/?unit=12&period=2026Q3   the three tables.

Writes need a role that may change (`CanChange`) and `Action.CHANGE` at the centre's unit.
Errors as everywhere in the API (core/api.py). Collaborators get 404.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from tuyengiao.core.params import id_param
from tuyengiao.org.api import ScopedUnitField
from tuyengiao.org.permissions import CanChange, CollaboratorGate
from tuyengiao.org.queries import home_unit, unit_param
from tuyengiao.periods import Period

from . import queries, services
from .models import CentreKind, PoliticalCentre, Programme, TrainingClass, TrainingPlan

MAX_COUNT = services.MAX_COUNT


@extend_schema_field(OpenApiTypes.INT)
class ScopedCentreField(serializers.PrimaryKeyRelatedField):
    default_error_messages = {
        **serializers.PrimaryKeyRelatedField.default_error_messages,
        "does_not_exist": gettext_lazy(
            "Không có đối tượng với id {pk_value} trong phạm vi của bạn."
        ),
        "incorrect_type": gettext_lazy("Phải là một số nguyên dương (mã số)."),
    }

    def get_queryset(self):
        return queries.centres_for(self.context["request"].user)


def _unit(request):
    unit = unit_param(request.user, request.query_params.get("unit")) or home_unit(request.user)
    if unit is None:
        raise serializers.ValidationError({"unit": [_("Hãy chọn đơn vị.")]})
    return unit


def _year(raw):
    if raw in (None, ""):
        return None
    year = id_param("year", raw)
    if not services.FIRST_YEAR <= year <= services.LAST_YEAR:
        raise serializers.ValidationError({"year": [_("Năm không hợp lệ.")]})
    return year


UNIT = OpenApiParameter(
    "unit", int, description="Id đơn vị (mặc định: đơn vị của người dùng); cả các đơn vị cấp dưới."
)


class _Base(viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated, CollaboratorGate, CanChange]

    def _validated(self, serializer_class, partial: bool = False) -> dict:
        serializer = serializer_class(
            data=self.request.data, context=self.get_serializer_context(), partial=partial
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _answer(self, obj, status_code=status.HTTP_200_OK) -> Response:
        found = self.get_queryset().get(pk=obj.pk)
        return Response(self.get_serializer(found).data, status=status_code)


# Programmes ----------------------------------------------------------------------------------


class TrainingProgrammeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Programme
        fields = ["id", "code", "name", "position", "active", "min_learners"]
        read_only_fields = fields


@extend_schema(tags=["training"])
class ProgrammeViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Các chương trình bồi dưỡng lý luận chính trị (danh sách chung)."""

    serializer_class = TrainingProgrammeSerializer
    pagination_class = None
    queryset = Programme.objects.order_by("position", "id")


# Centres -------------------------------------------------------------------------------------


class PoliticalCentreSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    served = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = PoliticalCentre
        fields = ["id", "name", "kind", "kind_label", "unit", "unit_name", "served", "active"]
        read_only_fields = fields


class PoliticalCentreInput(serializers.Serializer):
    unit = ScopedUnitField(required=False)
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=CentreKind.choices, required=False)
    served = ScopedUnitField(many=True, required=False)
    active = serializers.BooleanField(default=True)


class PoliticalCentreChange(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    served = ScopedUnitField(many=True, required=False)
    active = serializers.BooleanField(required=False)


class _Changeable(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    _Base,
):
    def update(self, request, *args, **kwargs):
        return self._change(self.get_object())

    def partial_update(self, request, *args, **kwargs):
        return self._change(self.get_object())


@extend_schema(tags=["training"])
class CentreViewSet(_Changeable):
    """Trung tâm chính trị xã, phường, đặc khu và trường chính trị tỉnh trong phạm vi."""

    serializer_class = PoliticalCentreSerializer
    queryset = PoliticalCentre.objects.none()

    def get_queryset(self):
        return queries.centres_for(self.request.user).prefetch_related("served")

    @extend_schema(parameters=[UNIT, OpenApiParameter("active", bool)])
    def list(self, request, *args, **kwargs):
        active = request.query_params.get("active")
        active = None if active in (None, "") else active.lower() in ("1", "true", "yes")
        found = queries.centres_in(request.user, _unit(request), active=active)
        page = self.paginate_queryset(found.prefetch_related("served"))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=PoliticalCentreInput, responses={201: PoliticalCentreSerializer})
    def create(self, request, *args, **kwargs):
        """Ghi nhận một trung tâm chính trị."""
        data = self._validated(PoliticalCentreInput)
        unit = data.get("unit") or home_unit(request.user)
        if unit is None:
            raise serializers.ValidationError({"unit": [_("Hãy chọn đơn vị.")]})
        centre = services.centre_create(
            actor=request.user,
            unit=unit,
            name=data["name"],
            kind=data.get("kind"),
            served=data.get("served"),
            active=data["active"],
        )
        return self._answer(centre, status.HTTP_201_CREATED)

    @extend_schema(request=PoliticalCentreChange, responses=PoliticalCentreSerializer)
    def partial_update(self, request, *args, **kwargs):
        """Đổi tên, địa bàn phục vụ, trạng thái hoạt động."""
        return super().partial_update(request, *args, **kwargs)

    @extend_schema(request=PoliticalCentreChange, responses=PoliticalCentreSerializer)
    def update(self, request, *args, **kwargs):
        return super().update(request, *args, **kwargs)

    def _change(self, centre):
        data = self._validated(PoliticalCentreChange, partial=True)
        centre = services.centre_update(
            actor=self.request.user,
            centre=centre,
            served=data.get("served"),
            **{k: v for k, v in data.items() if k in services.CENTRE_FIELDS},
        )
        return self._answer(centre)

    def destroy(self, request, *args, **kwargs):
        """Xóa trung tâm ghi nhầm (chưa có kế hoạch, lớp)."""
        services.centre_delete(actor=request.user, centre=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


# Plans ---------------------------------------------------------------------------------------


class TrainingPlanSerializer(serializers.ModelSerializer):
    centre_name = serializers.CharField(source="centre.name", read_only=True)
    programme_name = serializers.CharField(source="programme.name", read_only=True)

    class Meta:
        model = TrainingPlan
        fields = [
            "id",
            "centre",
            "centre_name",
            "unit",
            "programme",
            "programme_name",
            "year",
            "classes_planned",
            "learners_planned",
        ]
        read_only_fields = fields


class TrainingPlanInput(serializers.Serializer):
    centre = ScopedCentreField()
    programme = serializers.PrimaryKeyRelatedField(queryset=Programme.objects.all())
    year = serializers.IntegerField(min_value=services.FIRST_YEAR, max_value=services.LAST_YEAR)
    classes_planned = serializers.IntegerField(min_value=0, max_value=MAX_COUNT)
    learners_planned = serializers.IntegerField(min_value=0, max_value=MAX_COUNT)


class TrainingPlanChange(serializers.Serializer):
    classes_planned = serializers.IntegerField(min_value=0, max_value=MAX_COUNT, required=False)
    learners_planned = serializers.IntegerField(min_value=0, max_value=MAX_COUNT, required=False)


@extend_schema(tags=["training"])
class TrainingPlanViewSet(_Changeable):
    """Kế hoạch mở lớp năm của các trung tâm trong phạm vi."""

    serializer_class = TrainingPlanSerializer
    queryset = TrainingPlan.objects.none()

    def get_queryset(self):
        return queries.plans_for(self.request.user)

    @extend_schema(
        parameters=[
            UNIT,
            OpenApiParameter("year", int),
            OpenApiParameter("centre", int, description="Id trung tâm."),
        ]
    )
    def list(self, request, *args, **kwargs):
        params = request.query_params
        found = queries.plans_in(request.user, _unit(request), year=_year(params.get("year")))
        if params.get("centre"):
            found = found.filter(centre_id=id_param("centre", params["centre"]))
        page = self.paginate_queryset(found)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=TrainingPlanInput, responses={201: TrainingPlanSerializer})
    def create(self, request, *args, **kwargs):
        """Ghi kế hoạch của một trung tâm cho một chương trình và năm."""
        data = self._validated(TrainingPlanInput)
        existed = TrainingPlan.objects.filter(
            centre=data["centre"], programme=data["programme"], year=data["year"]
        ).exists()
        plan = services.plan_set(actor=request.user, **data)
        return self._answer(plan, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    @extend_schema(request=TrainingPlanChange, responses=TrainingPlanSerializer)
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    @extend_schema(request=TrainingPlanChange, responses=TrainingPlanSerializer)
    def update(self, request, *args, **kwargs):
        return super().update(request, *args, **kwargs)

    def _change(self, plan):
        data = self._validated(TrainingPlanChange, partial=True)
        plan = services.plan_update(actor=self.request.user, plan=plan, **data)
        return self._answer(plan)

    def destroy(self, request, *args, **kwargs):
        services.plan_delete(actor=request.user, plan=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


# Classes -------------------------------------------------------------------------------------


class TrainingClassSerializer(serializers.ModelSerializer):
    centre_name = serializers.CharField(source="centre.name", read_only=True)
    programme_name = serializers.CharField(source="programme.name", read_only=True)
    communes = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    running = serializers.BooleanField(read_only=True)

    class Meta:
        model = TrainingClass
        fields = [
            "id",
            "centre",
            "centre_name",
            "unit",
            "programme",
            "programme_name",
            "title",
            "communes",
            "opened_on",
            "closed_on",
            "enrolled",
            "completed",
            "small_confirmed",
            "running",
        ]
        read_only_fields = fields


@extend_schema_field(OpenApiTypes.INT)
class _Communes(serializers.PrimaryKeyRelatedField):
    """Communes by id: any unit; the service checks that the centre serves each."""

    default_error_messages = {
        **serializers.PrimaryKeyRelatedField.default_error_messages,
        "does_not_exist": gettext_lazy("Không có đơn vị với id {pk_value}."),
        "incorrect_type": gettext_lazy("Phải là một số nguyên dương (mã số)."),
    }

    def get_queryset(self):
        from tuyengiao.org.models import Unit

        return Unit.objects.all()


class TrainingClassInput(serializers.Serializer):
    centre = ScopedCentreField()
    programme = serializers.PrimaryKeyRelatedField(queryset=Programme.objects.all())
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    communes = _Communes(many=True)
    opened_on = serializers.DateField()
    closed_on = serializers.DateField(required=False, allow_null=True)
    enrolled = serializers.IntegerField(min_value=0, max_value=MAX_COUNT)
    completed = serializers.IntegerField(
        min_value=0, max_value=MAX_COUNT, required=False, allow_null=True
    )
    confirm_small = serializers.BooleanField(default=False)


class TrainingClassChange(serializers.Serializer):
    programme = serializers.PrimaryKeyRelatedField(queryset=Programme.objects.all(), required=False)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    communes = _Communes(many=True, required=False)
    opened_on = serializers.DateField(required=False)
    closed_on = serializers.DateField(required=False, allow_null=True)
    enrolled = serializers.IntegerField(min_value=0, max_value=MAX_COUNT, required=False)
    completed = serializers.IntegerField(
        min_value=0, max_value=MAX_COUNT, required=False, allow_null=True
    )
    confirm_small = serializers.BooleanField(default=False)


@extend_schema(tags=["training"])
class ClassViewSet(_Changeable):
    """Lớp bồi dưỡng lý luận chính trị (chỉ số học viên, không có họ tên)."""

    serializer_class = TrainingClassSerializer
    queryset = TrainingClass.objects.none()

    def get_queryset(self):
        return queries.classes_for(self.request.user).prefetch_related("communes")

    @extend_schema(
        parameters=[
            UNIT,
            OpenApiParameter("year", int, description="Năm khai giảng."),
            OpenApiParameter("programme", int),
            OpenApiParameter("centre", int),
            OpenApiParameter("state", str, enum=[queries.RUNNING, queries.CLOSED]),
        ]
    )
    def list(self, request, *args, **kwargs):
        params = request.query_params
        state = params.get("state", "")
        if state and state not in (queries.RUNNING, queries.CLOSED):
            raise serializers.ValidationError({"state": [_("Trạng thái không hợp lệ.")]})
        found = queries.classes_in(
            request.user, _unit(request), year=_year(params.get("year")), state=state
        )
        if params.get("programme"):
            found = found.filter(programme_id=id_param("programme", params["programme"]))
        if params.get("centre"):
            found = found.filter(centre_id=id_param("centre", params["centre"]))
        page = self.paginate_queryset(found)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=TrainingClassInput, responses={201: TrainingClassSerializer})
    def create(self, request, *args, **kwargs):
        """Ghi nhận một lớp; dưới số học viên tối thiểu cần `confirm_small: true`."""
        data = self._validated(TrainingClassInput)
        klass = services.class_create(actor=request.user, **data)
        return self._answer(klass, status.HTTP_201_CREATED)

    @extend_schema(request=TrainingClassChange, responses=TrainingClassSerializer)
    def partial_update(self, request, *args, **kwargs):
        """Sửa lớp; bế giảng: `closed_on` và `completed`."""
        return super().partial_update(request, *args, **kwargs)

    @extend_schema(request=TrainingClassChange, responses=TrainingClassSerializer)
    def update(self, request, *args, **kwargs):
        return super().update(request, *args, **kwargs)

    def _change(self, klass):
        data = dict(self._validated(TrainingClassChange, partial=True))
        klass = services.class_update(
            actor=self.request.user,
            klass=klass,
            communes=data.pop("communes", None),
            confirm_small=data.pop("confirm_small", False),
            **data,
        )
        return self._answer(klass)

    def destroy(self, request, *args, **kwargs):
        services.class_delete(actor=request.user, klass=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


# Plan against actual -------------------------------------------------------------------------


def _line(line) -> dict:
    f = line.figures
    return {
        "label": line.label,
        "unit": line.unit.pk if line.unit is not None else None,
        "classes_planned": f.classes_planned,
        "classes": f.classes,
        "learners_planned": f.learners_planned,
        "enrolled": f.enrolled,
        "closed": f.closed,
        "closed_enrolled": f.closed_enrolled,
        "completed": f.completed,
        "classes_text": line.classes_text,
        "learners_text": line.learners_text,
        "completion_text": line.completion_text,
    }


class PlanVsActualView(APIView):
    """Kết quả mở lớp so với kế hoạch: theo chương trình, trung tâm và đơn vị trực thuộc."""

    permission_classes = [IsAuthenticated, CollaboratorGate]

    @extend_schema(
        tags=["training"],
        parameters=[
            UNIT,
            OpenApiParameter("period", str, description="Kỳ: 2026, 2026S1, 2026Q3, 2026-11."),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        from django.utils import timezone

        unit = _unit(request)
        raw = request.query_params.get("period", "")
        try:
            period = Period.parse(raw) if raw else Period.of("year", timezone.localdate())
        except ValueError as exc:
            raise serializers.ValidationError({"period": [str(exc)]}) from None
        report = queries.plan_vs_actual(request.user, unit, period)
        return Response(
            {
                "unit": {"id": unit.pk, "name": unit.name},
                "period": period.id,
                "period_label": period.label,
                "plan_is_annual": report.annual,
                "by_programme": [_line(x) for x in report.by_programme],
                "by_centre": [_line(x) for x in report.by_centre],
                "by_unit": [_line(x) for x in report.by_unit],
                "total": _line(report.total),
            }
        )
