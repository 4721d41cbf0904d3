from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.i18n import set_language

from tuyengiao.deadlines import views as deadlines_views
from tuyengiao.org import accounts
from tuyengiao.org.access import collaborator_allowed
from tuyengiao.org.help import help_page
from tuyengiao.second_factor.gate import open_before_second_factor


def public(view):
    """Open to anyone, collaborators and sessions that still owe their second factor included."""
    return collaborator_allowed(open_before_second_factor(login_not_required(view)))


# The account pages and the help are open to collaborators too (org/access.py); every other
# page of theirs says so where it is written. Logging in and out, the forgotten password, the
# language and the icon are also open to a session that still owes its second factor
# (second_factor/gate.py).
urlpatterns = [
    path("", deadlines_views.home, name="home"),
    path(
        "favicon.ico",
        public(lambda request: HttpResponsePermanentRedirect(static("tuyengiao/favicon.svg"))),
        name="favicon",
    ),
    path("help/", help_page, name="help"),
    path(
        "login/",
        collaborator_allowed(open_before_second_factor(accounts.LoginView.as_view())),
        name="login",
    ),
    path(
        "logout/",
        collaborator_allowed(open_before_second_factor(auth_views.LogoutView.as_view())),
        name="logout",
    ),
    path(
        "account/password/",
        collaborator_allowed(
            auth_views.PasswordChangeView.as_view(success_url="/account/password/done/")
        ),
        name="password_change",
    ),
    path(
        "account/password/done/",
        collaborator_allowed(auth_views.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
    path(
        "account/password/reset/",
        public(accounts.PasswordResetView.as_view()),
        name="password_reset",
    ),
    path(
        "account/password/reset/sent/",
        public(auth_views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "account/password/reset/<uidb64>/<token>/",
        public(accounts.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "account/password/reset/complete/",
        public(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
    path(
        "i18n/setlang/",
        collaborator_allowed(open_before_second_factor(login_not_required(set_language))),
        name="set_language",
    ),
    path("", include("tuyengiao.org.urls")),
    path("deadlines/", include("tuyengiao.deadlines.urls")),
    path("notifications/", include("tuyengiao.notifications.urls")),
    path("directives/", include("tuyengiao.directives.urls")),
    path("figures/", include("tuyengiao.figures.urls")),
    path("concerns/", include("tuyengiao.concerns.urls")),
    path("oversight/", include("tuyengiao.oversight.urls")),
    path("outreach/", include("tuyengiao.outreach.urls")),
    path("narratives/", include("tuyengiao.narratives.urls")),
    path("training/", include("tuyengiao.training.urls")),
    path("audit/", include("tuyengiao.audit.urls")),
    path("account/second-factor/", include("tuyengiao.second_factor.urls")),
    path("api/", include("tuyengiao.api_urls")),
    path("admin/", admin.site.urls),
]

# Under /api/ every error is JSON (core/errors.py); elsewhere Django's pages. A database out
# of reach answers 503 (core/unavailable.py).
handler400 = "tuyengiao.core.errors.bad_request"
handler403 = "tuyengiao.core.errors.permission_denied"
handler404 = "tuyengiao.core.errors.page_not_found"
handler500 = "tuyengiao.core.errors.server_error"
