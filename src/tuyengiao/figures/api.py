"""REST API over periodic figures: the forms, the reports and their values, the roll-up table.

Reads go through `reports_for` / `unit_for` (outside the user's subtree a report or unit answers
404); every write goes through `figures.services` (403 from their `require`, 400 from their
`ValidationError`), and a viewer gets 403 on every write (`CanChange`).

Numbers. A figure is a JSON number in every answer: a whole number as an integer (24193), any
other as a decimal (98.32); a missing figure is null, a text indicator's value a string. In a
write a value may be
  - a JSON number, read as written (24.193 is twenty-four point one nine three; a JSON number
    carries about 15 significant digits, so send a longer exact figure as a string);
  - a string, read as people type it, as the entry form does ("24.193" is 24193, "98,32" is 98.32);
  - null or "", which clears the figure.

Endpoints
  GET  /api/indicators/, /api/indicators/{id}/     indicators (chỉ tiêu), read-only
  GET  /api/data-sets/, /api/data-sets/{id}/       report forms with their indicators and rules
  GET  /api/reports/?data_set=BM01&period=2024-03&unit=12&state=submitted
       reports in scope (`unit`: that unit and those below it)
  GET  /api/reports/{id}/                          one report with `values` {code: value},
       `version`, `state`, `deadline`, `submitted_on`, the rules its figures break (`violations`)
       and, when it cannot be changed now, why (`locked_reason`)
  PATCH /api/reports/{id}/values/  {"version": 3, "values": {"LOP_TH": "24.193", "DIEM": 8.5}}
       changes the figures named; PUT does the same and clears the form's other figures.
       200: the report as above, with its new version and broken rules (saving a draft is
       allowed with broken rules; submitting is not).
       400: {"errors": {"LOP_TH": ["Chỉ tiêu này nhận số nguyên."]}} — nothing is written.
       409: {"detail": "...", "version": 4, "values": {...}} when the report changed since
       `version` (someone saved, submitted…): nothing is written; read it again and resend.
  POST /api/reports/{id}/submit/, /withdraw/, /approve/ {"version": 4},
       /return/ {"comment": "...", "version": 4}, /unlock/ {"reason": "..."}
       the report after the change (approve and return refuse a report changed since
       `version`, when given); 400 {"errors": ...} with the service's words, 403 when the
       user may not.
  POST /api/reports/open/ {"data_set": "BM01", "unit": 12, "period": "2024-03"}
       the unit's report for the period, created on first use if the unit owes it.
  GET  /api/table/?unit=12&indicators=LOP_TH,TL_LOP&periods=2024Q1,2024Q2
       the roll-up table: the unit's children, its own entries (`own`, when it has any) and
       its total (`is_total`) × columns (indicator × period), each cell {value, planned, rate,
       text}. `periods` takes ids and ranges "2024-01..2024-12"; `unit` defaults to the user's
       own unit.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db.models import Prefetch
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
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from tuyengiao.core.parsers import JSONParser
from tuyengiao.deadlines.models import State, state_of
from tuyengiao.org.api import ScopedUnitField
from tuyengiao.org.permissions import CanChange, CollaboratorGate
from tuyengiao.org.queries import home_unit, unit_param
from tuyengiao.periods import Period

from . import queries, services
from .models import (
    DataSet,
    DataSetIndicator,
    Indicator,
    Report,
    ReportState,
    ValueType,
    from_stored,
)

MAX_COLUMNS = 1000  # indicators × periods in one table


def as_json_number(value: Decimal | None) -> int | float | None:
    """A figure for JSON: whole numbers exactly as integers, others as decimals."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def as_typed(value) -> str:
    """What a client sent for one figure, as text the entry form reads (ValueError if neither a
    number, a string nor null)."""
    if value is None:
        return ""
    if isinstance(value, str):
        if "\x00" in value:  # as a form field refuses it; no database stores it
            raise ValueError(_("Không được có ký tự null."))
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(_("Giá trị phải là một số, một chuỗi ký tự hoặc null."))
    try:
        number = Decimal(str(value))  # the shortest text of a float is what the client wrote
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        raise ValueError(_("Giá trị phải là một số, một chuỗi ký tự hoặc null."))
    # A lone comma is always the decimal point for `parse_number`; a dot may group thousands.
    return format(number, "f").replace(".", ",")


# Serializers -------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.NUMBER)
class NumberField(serializers.Field):
    """A Decimal as a JSON number (see `as_json_number`)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return as_json_number(Decimal(value))


FIGURE_SCHEMA = {
    "oneOf": [{"type": "number"}, {"type": "string"}],
    "nullable": True,
    "description": "Số (JSON number), văn bản (chỉ tiêu kiểu văn bản) hoặc null.",
}


@extend_schema_field(FIGURE_SCHEMA)
class FigureField(serializers.Field):
    """One figure as sent: a number, a string as people type it, or null (checked later, so
    that every error is reported by indicator code)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        return data

    def to_representation(self, value):
        return value


@extend_schema_field({"type": "object", "additionalProperties": FIGURE_SCHEMA})
class FiguresField(serializers.DictField):
    child = FigureField()


# The report's choice sets stay inline (wrapped in allOf, which drf-spectacular's enum hook leaves
# alone): as named components, "state" would collide with the steps' deadline state.
@extend_schema_field({"allOf": [{"type": "string", "enum": ReportState.values}]})
class ReportStateField(serializers.CharField):
    pass


DEADLINE_STATE_SCHEMA = {"allOf": [{"type": "string", "enum": State.values}], "nullable": True}


class IndicatorSerializer(serializers.ModelSerializer):
    value_type_label = serializers.CharField(source="get_value_type_display", read_only=True)
    aggregation_label = serializers.CharField(source="get_aggregation_display", read_only=True)
    planned = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text="Mã chỉ tiêu kế hoạch tương ứng; null khi không có.",
    )
    numerator = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True, help_text="Tử số (chỉ tiêu tính)."
    )
    denominator = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True, help_text="Mẫu số (chỉ tiêu tính)."
    )
    factor = NumberField()
    is_derived = serializers.BooleanField(read_only=True)
    is_counted = serializers.BooleanField(
        read_only=True, help_text="Đếm từ hồ sơ (không nhập): nguồn ở `source`."
    )

    class Meta:
        model = Indicator
        fields = [
            "id",
            "code",
            "name",
            "measure",
            "value_type",
            "value_type_label",
            "aggregation",
            "aggregation_label",
            "planned",
            "is_derived",
            "is_counted",
            "source",
            "numerator",
            "denominator",
            "factor",
            "description",
        ]
        read_only_fields = fields


class DataSetIndicatorSerializer(serializers.ModelSerializer):
    """An indicator as it sits on a form: its place and section."""

    id = serializers.IntegerField(source="indicator.id", read_only=True)
    code = serializers.CharField(source="indicator.code", read_only=True)
    name = serializers.CharField(source="indicator.name", read_only=True)
    measure = serializers.CharField(source="indicator.measure", read_only=True)
    value_type = serializers.ChoiceField(
        source="indicator.value_type", choices=ValueType.choices, read_only=True
    )
    aggregation = serializers.CharField(source="indicator.aggregation", read_only=True)
    planned = serializers.CharField(
        source="indicator.planned.code", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = DataSetIndicator
        fields = [
            "id",
            "code",
            "name",
            "measure",
            "value_type",
            "aggregation",
            "planned",
            "position",
            "section",
        ]
        read_only_fields = fields


class RuleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    left = serializers.CharField()
    operator = serializers.CharField(help_text="==, !=, <, <=, >, >= hoặc both.")
    operator_label = serializers.CharField(source="get_operator_display")
    right = serializers.CharField()
    missing = serializers.CharField()
    message = serializers.CharField()


class DataSetSerializer(serializers.ModelSerializer):
    period_kind_label = serializers.CharField(source="get_period_kind_display", read_only=True)
    indicators = DataSetIndicatorSerializer(source="rows", many=True, read_only=True)
    rules = RuleSerializer(many=True, read_only=True)
    levels = serializers.ListField(child=serializers.CharField(), read_only=True)
    kinds = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = DataSet
        fields = [
            "id",
            "code",
            "name",
            "period_kind",
            "period_kind_label",
            "levels",
            "kinds",
            "first_period",
            "due_days",
            "lock_days",
            "active",
            "indicators",
            "rules",
        ]
        read_only_fields = fields


class ViolationSerializer(serializers.Serializer):
    message = serializers.CharField()
    codes = serializers.ListField(
        child=serializers.CharField(), help_text="Các chỉ tiêu liên quan đến quy tắc."
    )


class ReportSerializer(serializers.ModelSerializer):
    data_set = serializers.SlugRelatedField(slug_field="code", read_only=True)
    data_set_name = serializers.CharField(source="data_set.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    period_label = serializers.SerializerMethodField()
    state = ReportStateField(read_only=True, help_text="draft, submitted hoặc approved.")
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    deadline = serializers.DateField(
        source="obligation.due_on",
        read_only=True,
        allow_null=True,
        default=None,
        help_text="Hạn nộp; null khi đơn vị không còn phải báo cáo (đã giải thể, sáp nhập).",
    )
    deadline_state = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = [
            "id",
            "data_set",
            "data_set_name",
            "unit",
            "unit_name",
            "period",
            "period_label",
            "state",
            "state_label",
            "version",
            "deadline",
            "deadline_state",
            "submitted_on",
            "approved_at",
            "saved_at",
            "unlocked",
            "returned_at",
            "return_comment",
        ]
        read_only_fields = fields

    def get_period_label(self, report) -> str:
        return Period.parse(report.period).label

    @extend_schema_field(DEADLINE_STATE_SCHEMA)
    def get_deadline_state(self, report) -> str | None:
        ob = report.obligation
        if ob is None:
            return None
        return state_of(ob.due_on, ob.done_on, timezone.localdate())


class ReportDetailSerializer(ReportSerializer):
    values = FiguresField(read_only=True, help_text="{mã chỉ tiêu: giá trị} theo thứ tự biểu.")
    counted = FiguresField(
        read_only=True,
        help_text="{mã chỉ tiêu: giá trị} của các chỉ tiêu đếm từ hồ sơ (không nhập, không sửa).",
    )
    violations = ViolationSerializer(many=True, read_only=True)
    locked_reason = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text="Vì sao chưa sửa được số liệu; null khi sửa được.",
    )

    class Meta(ReportSerializer.Meta):
        fields = [
            *ReportSerializer.Meta.fields,
            "values",
            "counted",
            "violations",
            "locked_reason",
        ]
        read_only_fields = fields


class ValuesInput(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=0, help_text="Phiên bản của báo cáo khi đọc (trường version)."
    )
    values = FiguresField(help_text="{mã chỉ tiêu: số, chuỗi như người dùng gõ, hoặc null}.")


class StaleSerializer(serializers.Serializer):
    detail = serializers.CharField()
    version = serializers.IntegerField(help_text="Phiên bản hiện tại của báo cáo.")
    values = FiguresField(help_text="Số liệu hiện đang lưu.")


class UnlockInput(serializers.Serializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Lý do mở khoá (bắt buộc)."
    )


class ApproveInput(serializers.Serializer):
    version = serializers.IntegerField(
        required=False,
        min_value=0,
        help_text="Phiên bản của báo cáo khi đọc: báo cáo đã đổi từ đó thì không duyệt (400).",
    )


class ReturnInput(ApproveInput):
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Ý kiến: đơn vị cần sửa gì (bắt buộc).",
    )


class OpenInput(serializers.Serializer):
    data_set = serializers.SlugRelatedField(
        slug_field="code",
        queryset=DataSet.objects.all(),
        help_text="Mã biểu mẫu, ví dụ BM01.",
        error_messages={
            "does_not_exist": gettext_lazy("Không có biểu mẫu mã “{value}”."),
            "invalid": gettext_lazy("Mã biểu mẫu không hợp lệ."),
        },
    )
    unit = ScopedUnitField()
    period = serializers.CharField(help_text="Kỳ báo cáo: 2024, 2024S1, 2024Q3, 2024-11.")

    def validate_period(self, value: str) -> Period:
        try:
            return Period.parse(value)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from None


class TableUnitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class TableColumnSerializer(serializers.Serializer):
    indicator = serializers.CharField(help_text="Mã chỉ tiêu.")
    indicator_name = serializers.CharField()
    period = serializers.CharField()
    period_label = serializers.CharField()


class TableCellSerializer(serializers.Serializer):
    value = NumberField()
    planned = NumberField(help_text="Kế hoạch, với chỉ tiêu có chỉ tiêu kế hoạch tương ứng.")
    rate = NumberField(help_text="Tỷ lệ % so kế hoạch.")
    text = serializers.CharField(help_text="Như trên trang: “52/50, đạt 104%”.")


class TableRowSerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    unit_name = serializers.CharField()
    is_total = serializers.BooleanField(help_text="Dòng tổng của đơn vị được hỏi.")
    own = serializers.BooleanField(
        help_text="Dòng số liệu của chính đơn vị được hỏi (ngoài các đơn vị trực thuộc)."
    )
    cells = TableCellSerializer(many=True, help_text="Theo thứ tự của columns.")


class TableSerializer(serializers.Serializer):
    unit = TableUnitSerializer()
    columns = TableColumnSerializer(many=True)
    rows = TableRowSerializer(many=True)


# Views -------------------------------------------------------------------------------------


class FiguresViewSet(viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated, CollaboratorGate, CanChange]

    def validated(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


@extend_schema(tags=["figures"])
class IndicatorViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, FiguresViewSet):
    """Chỉ tiêu: kiểu giá trị, cách tổng hợp, chỉ tiêu kế hoạch, chỉ tiêu tính toán."""

    serializer_class = IndicatorSerializer
    queryset = Indicator.objects.none()  # for the schema only

    def get_queryset(self):
        return queries.indicators_for(self.request.user).select_related(
            "planned", "numerator", "denominator"
        )


@extend_schema(tags=["figures"])
class DataSetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, FiguresViewSet):
    """Biểu mẫu báo cáo, kèm các chỉ tiêu (theo thứ tự) và quy tắc kiểm tra."""

    serializer_class = DataSetSerializer
    queryset = DataSet.objects.none()  # for the schema only

    def get_queryset(self):
        rows = DataSetIndicator.objects.select_related("indicator__planned")
        return queries.data_sets_for(self.request.user).prefetch_related(
            Prefetch("rows", queryset=rows), "rules"
        )


def counted_of(report: Report) -> dict:
    """{code: count} of the form's record-backed indicators, in the form's order."""
    stored = services.report_values(report)
    rows = report.data_set.rows.select_related("indicator")
    return {
        r.indicator.code: as_json_number(
            from_stored(stored[r.indicator.code].number) if r.indicator.code in stored else 0
        )
        for r in rows
        if r.indicator.is_counted
    }


def figures_of(report: Report) -> dict:
    """{code: value} for every entered indicator of the report's form, in the form's order."""
    stored = services.report_values(report)
    out = {}
    for indicator in services.entered_indicators(report.data_set):
        value = stored.get(indicator.code)
        if indicator.value_type == ValueType.TEXT:
            out[indicator.code] = value.text if value and value.text else None
        else:
            out[indicator.code] = as_json_number(from_stored(value.number) if value else None)
    return out


def broken_rules(report: Report) -> list[dict]:
    return [
        {"message": v.message, "codes": list(dict.fromkeys(v.codes))}
        for v in services.report_violations(report)
    ]


REPORT_ERRORS = {
    400: OpenApiResponse(OpenApiTypes.OBJECT, description="{errors: {…}} bằng lời của dịch vụ."),
    403: OpenApiResponse(OpenApiTypes.OBJECT, description="Không có quyền."),
    404: OpenApiResponse(OpenApiTypes.OBJECT, description="Không có trong phạm vi."),
}


@extend_schema(tags=["figures"])
class ReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, FiguresViewSet):
    """Báo cáo số liệu định kỳ của các đơn vị trong phạm vi."""

    serializer_class = ReportSerializer
    queryset = Report.objects.none()  # for the schema only; reads go through get_queryset

    def get_queryset(self):
        return queries.reports_for(self.request.user).select_related("obligation")

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        params = self.request.query_params
        period, state = params.get("period"), params.get("state")
        if state and state not in ReportState.values:
            raise serializers.ValidationError({"state": [_("Trạng thái không hợp lệ.")]})
        return queries.filter_reports(
            queryset,
            data_set=(params.get("data_set") or "").strip(),
            period=_period_param("period", period) if period else None,
            unit=unit_param(self.request.user, params.get("unit")),
            state=state or "",
        )

    def answer(self, report: Report) -> Response:
        """The report as stored now, with its figures."""
        report = self.get_queryset().get(pk=report.pk)
        report.values = figures_of(report)
        report.counted = counted_of(report)
        report.violations = broken_rules(report)
        report.locked_reason = services.editing_problem(report)
        return Response(ReportDetailSerializer(report, context=self.get_serializer_context()).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("data_set", str, description="Mã biểu mẫu, ví dụ BM01."),
            OpenApiParameter("period", str, description="Kỳ: 2024, 2024S1, 2024Q3, 2024-11."),
            OpenApiParameter("unit", int, description="Id đơn vị: đơn vị đó và các đơn vị thuộc."),
            OpenApiParameter("state", str, enum=ReportState.values, description="Trạng thái."),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses=ReportDetailSerializer)
    def retrieve(self, request, *args, **kwargs):
        return self.answer(self.get_object())

    @extend_schema(
        request=ValuesInput,
        responses={
            200: ReportDetailSerializer,
            **REPORT_ERRORS,
            409: OpenApiResponse(StaleSerializer, description="Báo cáo đã thay đổi; chưa lưu gì."),
        },
        description=(
            "Lưu nháp số liệu. PATCH đổi các chỉ tiêu được gửi; PUT đổi các chỉ tiêu được gửi và "
            "xoá các chỉ tiêu khác của biểu. Số gửi dạng số JSON được đọc đúng như viết; dạng "
            "chuỗi được đọc như người dùng gõ (“24.193” là 24193, “98,32” là 98,32)."
        ),
    )
    @action(detail=True, methods=["put", "patch"], parser_classes=[JSONParser])
    def values(self, request, pk=None):
        report = self.get_object()
        data = self.validated(ValuesInput)
        entries, errors = {}, {}
        if request.method == "PUT":
            entries = {i.code: "" for i in services.entered_indicators(report.data_set)}
        for code, value in data["values"].items():
            try:
                entries[code] = as_typed(value)
            except ValueError as exc:
                errors[code] = [str(exc)]
        if errors:
            raise serializers.ValidationError(errors)
        try:
            services.report_save(
                actor=request.user, report=report, entries=entries, version=data["version"]
            )
        except services.StaleReport as exc:
            return self.stale(exc.current, data["version"])
        return self.answer(report)

    def stale(self, current: Report, sent: int) -> Response:
        body = {
            "detail": _(
                "Báo cáo đã thay đổi sau khi bạn đọc (phiên bản bạn gửi: %(sent)s, hiện tại: "
                "%(version)s), có thể do người khác vừa lưu. Số liệu bạn gửi chưa được lưu; "
                "hãy đọc lại báo cáo rồi gửi lại với phiên bản mới."
            )
            % {"sent": sent, "version": current.version},
            "version": current.version,
            "values": figures_of(current),
        }
        return Response(StaleSerializer(body).data, status=status.HTTP_409_CONFLICT)

    @extend_schema(request=None, responses={200: ReportDetailSerializer, **REPORT_ERRORS})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Gửi báo cáo lên cấp trên; bị từ chối khi số liệu vi phạm quy tắc kiểm tra."""
        report = self.get_object()
        services.report_submit(actor=request.user, report=report)
        return self.answer(report)

    @extend_schema(request=None, responses={200: ReportDetailSerializer, **REPORT_ERRORS})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Rút lại báo cáo đã gửi (chưa được duyệt) để sửa."""
        report = self.get_object()
        services.report_withdraw(actor=request.user, report=report)
        return self.answer(report)

    @extend_schema(request=ApproveInput, responses={200: ReportDetailSerializer, **REPORT_ERRORS})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Duyệt báo cáo đã gửi, sau khi mọi báo cáo cấp dưới của nó đã được duyệt; với
        `version`, không duyệt khi báo cáo đã đổi từ phiên bản đó."""
        report = self.get_object()
        data = self.validated(ApproveInput)
        services.report_approve(actor=request.user, report=report, version=data.get("version"))
        return self.answer(report)

    @extend_schema(request=ReturnInput, responses={200: ReportDetailSerializer, **REPORT_ERRORS})
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        """Trả lại báo cáo đã gửi để đơn vị sửa, kèm ý kiến; đơn vị được báo."""
        report = self.get_object()
        data = self.validated(ReturnInput)
        services.report_return(
            actor=request.user, report=report, comment=data["comment"], version=data.get("version")
        )
        return self.answer(report)

    @extend_schema(request=UnlockInput, responses={200: ReportDetailSerializer, **REPORT_ERRORS})
    @action(detail=True, methods=["post"])
    def unlock(self, request, pk=None):
        """Mở khoá báo cáo đã duyệt hoặc đã quá ngày khoá; lý do được ghi vào nhật ký."""
        report = self.get_object()
        data = self.validated(UnlockInput)
        services.report_unlock(actor=request.user, report=report, reason=data["reason"])
        return self.answer(report)

    @extend_schema(request=OpenInput, responses={200: ReportDetailSerializer, **REPORT_ERRORS})
    @action(detail=False, methods=["post"])
    def open(self, request):
        """Báo cáo của đơn vị cho kỳ; tạo khi mở lần đầu nếu đơn vị phải báo cáo biểu này."""
        data = self.validated(OpenInput)
        report = services.report_open(
            actor=request.user, data_set=data["data_set"], unit=data["unit"], period=data["period"]
        )
        return self.answer(report)


@extend_schema(
    tags=["figures"],
    parameters=[
        OpenApiParameter("unit", int, description="Id đơn vị; mặc định là đơn vị của người dùng."),
        OpenApiParameter(
            "indicators", str, required=True, description="Mã chỉ tiêu, cách nhau bởi dấu phẩy."
        ),
        OpenApiParameter(
            "periods",
            str,
            required=True,
            description="Các kỳ, cách nhau bởi dấu phẩy; một dãy kỳ viết 2024-01..2024-12.",
        ),
    ],
    responses={200: TableSerializer, 400: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
)
class TableView(APIView):
    """Bảng tổng hợp: các đơn vị trực thuộc và tổng của đơn vị × chỉ tiêu × kỳ."""

    permission_classes = [IsAuthenticated, CollaboratorGate]

    def get(self, request):
        params = request.query_params
        unit = unit_param(request.user, params.get("unit")) or home_unit(request.user)
        if unit is None:
            raise serializers.ValidationError({"unit": [_("Hãy chọn đơn vị.")]})
        indicators = _indicators_param(params.get("indicators", ""))
        periods = _periods_param(params.get("periods", ""))
        if len(indicators) * len(periods) > MAX_COLUMNS:
            raise serializers.ValidationError(
                [_("Bảng quá lớn: tối đa %(n)s cột (chỉ tiêu × kỳ).") % {"n": MAX_COLUMNS}]
            )
        table = queries.table(unit, indicators, periods)
        body = {
            "unit": {"id": unit.pk, "name": unit.name},
            "columns": [
                {
                    "indicator": indicator.code,
                    "indicator_name": indicator.name,
                    "period": period.id,
                    "period_label": period.label,
                }
                for indicator, period in table.columns
            ],
            "rows": [
                {
                    "unit": row.unit.pk,
                    "unit_name": row.unit.name,
                    "is_total": row.is_total,
                    "own": row.own,
                    "cells": [
                        {"value": c.value, "planned": c.planned, "rate": c.rate, "text": c.text}
                        for c in row.cells
                    ],
                }
                for row in table.rows
            ],
        }
        return Response(TableSerializer(body).data)


# Parameters ----------------------------------------------------------------------------------


def _period_param(name: str, value: str) -> Period:
    try:
        return Period.parse(value)
    except ValueError as exc:
        raise serializers.ValidationError({name: [str(exc)]}) from None


def _periods_param(value: str) -> list[Period]:
    """ "2024Q1,2024Q2" or "2024-01..2024-06" (or both), sorted, each once."""
    periods: set[Period] = set()
    for part in filter(None, (p.strip() for p in value.split(","))):
        first, dots, last = part.partition("..")
        if not dots:
            periods.add(_period_param("periods", part))
            continue
        try:
            span = Period.range(Period.parse(first), Period.parse(last))
        except ValueError as exc:
            raise serializers.ValidationError({"periods": [str(exc)]}) from None
        if len(span) > MAX_COLUMNS:
            raise serializers.ValidationError({"periods": [_("Dãy kỳ quá dài.")]})
        periods.update(span)
    if not periods:
        raise serializers.ValidationError({"periods": [_("Hãy chọn ít nhất một kỳ.")]})
    return sorted(periods)


def _indicators_param(value: str) -> list[Indicator]:
    codes = list(dict.fromkeys(c.strip().upper() for c in value.split(",") if c.strip()))
    if not codes:
        raise serializers.ValidationError({"indicators": [_("Hãy chọn ít nhất một chỉ tiêu.")]})
    found = queries.indicators_by_code(codes)
    missing = [c for c in codes if c not in found]
    if missing:
        raise serializers.ValidationError(
            {"indicators": [_("Không có chỉ tiêu: %(codes)s.") % {"codes": ", ".join(missing)}]}
        )
    return [found[c] for c in codes]
