"""What every API view shares: errors as JSON, in the same words as the pages.

Every error the API answers is JSON in one of two shapes (the schema's `Error` component):
  400  {"errors": {field: [messages]}}  — a nested field by its path ("plan.0.kind"), errors of
       no field under "non_field_errors";
  4xx  {"detail": message}              — 401, 403, 404, 405, 409, 413, 415…
always in Vietnamese. Services raise Django's `ValidationError` and `PermissionDenied` with
Vietnamese messages; DRF's own exceptions are answered in the same shapes, and errors raised
outside DRF (an unknown address under /api/, a CSRF failure, a server error) by
`core.errors`.
"""

from django.core.exceptions import (
    NON_FIELD_ERRORS,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    ValidationError,
)
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from .parsers import JSONParser, not_json, too_large
from .unavailable import DATABASE_ERRORS, database_unavailable

__all__ = ["JSONParser", "error_dict", "exception_handler", "flat_errors"]


# The beginnings of what DRF's parsers say in English, whatever the language.
DRF_PARSE_ERRORS = ("Multipart form parse error", "Unsupported charset", "Malformed")


def _message(detail) -> str:
    # The one message DRF writes without gettext (a body of `null`).
    if str(detail) == "No data provided":
        return _("Chưa gửi dữ liệu.")
    return str(detail)


def flat_errors(detail, path: str = "") -> dict[str, list[str]]:
    """DRF's nested validation errors as {"field.0.sub": [messages]}."""
    if isinstance(detail, dict):
        out = {}
        for key, value in detail.items():
            out.update(flat_errors(value, f"{path}.{key}" if path else str(key)))
        return out
    if isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            return {path or api_settings.NON_FIELD_ERRORS_KEY: [_message(m) for m in detail]}
        out = {}
        for index, item in enumerate(detail):
            if item:  # the items of a list that had no error are empty
                out.update(flat_errors(item, f"{path}.{index}" if path else str(index)))
        return out
    return {path or api_settings.NON_FIELD_ERRORS_KEY: [_message(detail)]}


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
        return Response({"detail": _("Không tìm thấy.")}, status=404)
    if isinstance(exc, RequestDataTooBig):
        exc = too_large()
    elif isinstance(exc, SuspiciousOperation):
        # Too many fields, a malformed multipart body…: the client's fault, told as a 400.
        exc = exceptions.ParseError(_("Yêu cầu không đúng định dạng."))
    elif isinstance(exc, exceptions.ParseError) and str(exc.detail).startswith("JSON parse"):
        exc = not_json()
    elif isinstance(exc, exceptions.ParseError) and str(exc.detail).startswith(DRF_PARSE_ERRORS):
        exc = exceptions.ParseError(_("Yêu cầu không đúng định dạng."))
    elif isinstance(exc, exceptions.PermissionDenied) and str(exc.detail).startswith("CSRF"):
        exc = exceptions.PermissionDenied(
            _(
                "Yêu cầu bị từ chối (CSRF): hãy tải lại trang, hoặc gửi token trong tiêu đề "
                "Authorization."
            )
        )
    elif isinstance(exc, exceptions.NotAuthenticated):
        exc.detail = exceptions.ErrorDetail(
            _("Hãy đăng nhập, hoặc gửi token trong tiêu đề Authorization."), exc.default_code
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"errors": flat_errors(response.data)}
    else:
        # A plain string: the schema's YAML renderer cannot write a lazy one.
        response.data = {"detail": str(exc.detail)}
    return response
