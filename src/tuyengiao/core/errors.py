"""Django's error pages, except under /api/: there every error is JSON {"detail": …} in
Vietnamese, as the API's own (core/api.py). Named in urls.py (handler400…500) and as
CSRF_FAILURE_VIEW. A database out of reach is a 503 (core/unavailable.py), not a 500."""

import sys

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import csrf, defaults

from .unavailable import DATABASE_ERRORS, database_unavailable

API_PREFIX = "/api/"


def is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def json_error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"detail": message}, status=status)


def bad_request(request, exception=None):
    if is_api(request):
        return json_error(_("Yêu cầu không đúng định dạng."), 400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception=None):
    if is_api(request):
        return json_error(_("Bạn không có quyền thực hiện thao tác này."), 403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception=None):
    if is_api(request):
        return json_error(_("Không tìm thấy."), 404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return database_unavailable(request)
    if is_api(request):
        return json_error(_("Máy chủ gặp lỗi; lỗi đã được ghi lại. Hãy thử lại sau."), 500)
    return defaults.server_error(request)


def csrf_failure(request, reason=""):
    if is_api(request):
        return json_error(
            _(
                "Yêu cầu bị từ chối (CSRF): hãy tải lại trang, hoặc gửi token trong tiêu đề "
                "Authorization."
            ),
            403,
        )
    return csrf.csrf_failure(request, reason)
