"""Vietnamese names in the Django admin for the apps and models it lists.

Third-party apps (axes, authtoken, django-tasks, django-otp) name themselves in English, and a
few of our own models have no verbose name; staff configure topics, indicators and forms there.
The names are set on the app configs and models' options at start-up; migrations read
`Meta.original_attrs`, so no migration follows.
"""

from django.apps import apps
from django.utils.translation import gettext_lazy as _

APPS = {
    "axes": _("Chặn đăng nhập sai"),
    "authtoken": _("Khóa truy cập API"),
    "django_tasks_database": _("Tác vụ nền"),
    "otp_totp": _("Xác thực hai bước: ứng dụng"),
    "otp_static": _("Xác thực hai bước: mã dự phòng"),
    "core": _("Chung"),
    "backups": _("Sao lưu"),
    "demo": _("Dữ liệu mẫu"),
}

# (app label, model name): (singular, plural)
MODELS = {
    ("axes", "accessattempt"): (_("lần đăng nhập sai"), _("lần đăng nhập sai")),
    ("axes", "accesslog"): (_("lượt đăng nhập"), _("lượt đăng nhập")),
    ("axes", "accessfailurelog"): (_("đăng nhập thất bại"), _("đăng nhập thất bại")),
    ("django_tasks_database", "dbtaskresult"): (_("kết quả tác vụ"), _("kết quả tác vụ")),
    ("authtoken", "token"): (_("khóa truy cập"), _("khóa truy cập")),
    ("authtoken", "tokenproxy"): (_("khóa truy cập"), _("khóa truy cập")),
    ("otp_totp", "totpdevice"): (_("thiết bị TOTP"), _("thiết bị TOTP")),
    ("otp_static", "staticdevice"): (_("bộ mã dự phòng"), _("bộ mã dự phòng")),
    ("otp_static", "statictoken"): (_("mã dự phòng"), _("mã dự phòng")),
    ("figures", "value"): (_("số liệu"), _("số liệu")),
    ("figures", "rollup"): (_("số liệu tổng hợp"), _("số liệu tổng hợp")),
}


def name_in_vietnamese() -> None:
    for label, name in APPS.items():
        try:
            apps.get_app_config(label).verbose_name = name
        except LookupError:
            continue
    for (label, model_name), (singular, plural) in MODELS.items():
        try:
            meta = apps.get_model(label, model_name)._meta
        except LookupError:
            continue
        meta.verbose_name, meta.verbose_name_plural = singular, plural
