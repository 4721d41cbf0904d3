"""What every API view shares: errors as JSON, in the same words as the pages.

Services raise Django's `ValidationError` and `PermissionDenied` with Vietnamese messages; the
API answers them 400 `{"errors": {field: [messages]}}` and 403 `{"detail": message}`, and a 404
`{"detail": "Không tìm thấy."}`. DRF's own validation errors get the same shape, so a client
reads every 400 one way.
"""

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from tuyengiao.core.unavailable import DATABASE_ERRORS, database_unavailable


def error_dict(exc: ValidationError) -> dict[str, list[str]]:
    """A Django ValidationError as {field: [messages]}; errors of no field under one key."""
    other = api_settings.NON_FIELD_ERRORS_KEY
    if hasattr(exc, "error_dict"):
        return {(other if k == NON_FIELD_ERRORS else k): v for k, v in exc.message_dict.items()}
    return {other: exc.messages}


def exception_handler(exc, context):
    if isinstance(exc, DATABASE_ERRORS):
        return database_unavailable(context["request"])
    if isinstance(exc, ValidationError):
        set_rollback()
        return Response({"errors": error_dict(exc)}, status=400)
    if isinstance(exc, PermissionDenied) and str(exc):
        # DRF would answer its own English sentence; keep the service's words.
        set_rollback()
        return Response({"detail": str(exc)}, status=403)
    if isinstance(exc, Http404):
        # Outside the scope an object does not exist: say so without naming its model.
        return Response({"detail": str(_("Không tìm thấy."))}, status=404)
    if isinstance(exc, exceptions.NotAuthenticated):
        # A plain string: the schema's YAML renderer cannot write a lazy one.
        exc.detail = exceptions.ErrorDetail(
            str(_("Hãy đăng nhập, hoặc gửi token trong tiêu đề Authorization.")), exc.default_code
        )
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.ValidationError):
        detail = response.data
        response.data = {
            "errors": detail
            if isinstance(detail, dict)
            else {api_settings.NON_FIELD_ERRORS_KEY: detail}
        }
    return response
