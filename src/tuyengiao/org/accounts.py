"""Getting into one's account: the log-in page that warns before a lock-out, and the forgotten
password (a link by e-mail where the account has an address; otherwise the unit's manager sets
a new one from the accounts page, `views.user_password`)."""

from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import User


def tries_left(request, username: str) -> int | None:
    """How many wrong passwords this user name may still be given from this address before it is
    locked out; None where nothing was tried (or axes is off)."""
    if not username or not settings.AXES_ENABLED:
        return None
    failures = AxesProxyHandler.get_failures(request, {"username": username})
    if not failures:
        return None
    return max(settings.AXES_FAILURE_LIMIT - failures, 0)


class LoginView(auth_views.LoginView):
    # A warning once two tries or fewer are left: the last one locks the account.
    WARN_FROM = 2

    def form_invalid(self, form):
        left = tries_left(self.request, form.data.get("username", "").strip())
        warning = left is not None and 0 < left <= self.WARN_FROM
        return self.render_to_response(
            self.get_context_data(
                form=form,
                tries_left=left if warning else None,
                lockout_minutes=int(settings.AXES_COOLOFF_TIME * 60),
            )
        )


class PasswordResetForm(auth_forms.PasswordResetForm):
    """By user name or e-mail address: many accounts have a user name and no address."""

    email = forms.CharField(label=_("Tên đăng nhập hoặc e-mail"), max_length=254)

    def get_users(self, email):
        wanted = email.strip()
        users = User.objects.filter(
            Q(username__iexact=wanted) | Q(email__iexact=wanted), is_active=True
        ).exclude(email="")
        return (u for u in users if u.has_usable_password())


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = "/account/password/reset/sent/"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = "/account/password/reset/complete/"

    def form_valid(self, form):
        response = super().form_valid(form)
        # A new password lifts the lock-out that the forgotten one may have caused.
        AxesProxyHandler.reset_attempts(username=form.user.get_username())
        return response
