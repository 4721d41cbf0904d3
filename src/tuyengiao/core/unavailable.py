"""When the database cannot be reached: a clean 503, never a 500.

A request that meets a dropped or refused connection (PostgreSQL restarting, a failover) fails
as a whole: its transaction was never committed, so nothing of it is stored. It is answered
503 with a page that says to try again (JSON under /api/), and, since the settings turn on
CONN_HEALTH_CHECKS, the next request opens a fresh connection: the app serves again as soon as
the database is back, without a restart.
"""

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER = "10"


def message() -> str:
    return _(
        "Cơ sở dữ liệu tạm thời không truy cập được. Dữ liệu bạn vừa gửi chưa được lưu; "
        "hãy thử lại sau ít phút."
    )


def database_unavailable(request) -> HttpResponse:
    """The 503 answer, built without touching the database (no user, no session, no context
    processors)."""
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message()}, status=503)
    else:
        body = loader.render_to_string("503.html", {"message": message()})
        response = HttpResponse(body, status=503)
    response["Retry-After"] = RETRY_AFTER
    return response
