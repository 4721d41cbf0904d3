"""POST /api/extract/ {"text": "…"} → what `tuyengiao extract FILE` prints:
{"doc_refs": [...], "ratios": [...], "percents": [...]} (text/extract.py). Staff and above
(`CanChange`: a viewer gets 403); collaborators 404. Nothing is stored."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from tuyengiao.org.permissions import CanChange, CollaboratorGate
from tuyengiao.text.extract import extract

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
