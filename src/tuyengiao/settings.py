"""The one settings module. Everything that differs between machines comes from the environment."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("TUYENGIAO_VAR_DIR", BASE_DIR.parent.parent / "var"))


def env_str(name: str, default: str = "") -> str:
    """A setting from the environment, or from the file named by NAME_FILE (for secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    return env_str(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    return int(env_str(name, str(default)))


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
# The fallback keeps `make demo` and the tests one command; a real deployment sets SECRET_KEY.
SECRET_KEY = env_str("SECRET_KEY", "insecure-demo-key-set-SECRET_KEY-in-production-0123456789")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "tuyengiao.core",
    "tuyengiao.audit",
    "tuyengiao.org",
    "tuyengiao.deadlines",
    "tuyengiao.notifications",
    "tuyengiao.directives",
    "tuyengiao.figures",
    "tuyengiao.concerns",
    "tuyengiao.oversight",
    "tuyengiao.outreach",
    "tuyengiao.narratives",
    "tuyengiao.training",
    "tuyengiao.backups",
    "tuyengiao.second_factor",
    "tuyengiao.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "tuyengiao.core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tuyengiao.core.middleware.LanguageMiddleware",
    "tuyengiao.core.middleware.ApiQueryMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "tuyengiao.audit.middleware.CorrelationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "tuyengiao.org.access.CollaboratorMiddleware",
    "tuyengiao.second_factor.gate.SecondFactorMiddleware",
    # Last, so that it sees the outcome of authentication (django-axes' requirement).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tuyengiao.urls"
WSGI_APPLICATION = "tuyengiao.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "tuyengiao.notifications.context.unread_count",
                "tuyengiao.org.context.abilities",
            ],
            "builtins": ["tuyengiao.core.templatetags.vn"],
        },
    }
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'tuyengiao.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while one writer writes; IMMEDIATE avoids upgrade deadlocks.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Short indexed reads: JIT compilation would cost more than it saves (20–45 ms a table).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "org.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Failed log-ins: after AXES_FAILURE_LIMIT failures for one user name from one address, that
# pair is locked out for AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_ENABLED = env_bool("AXES_ENABLED", True)

# The second factor (django-otp): a TOTP app and one-time recovery codes (second_factor/).
# Wrong codes are counted by axes like wrong passwords, so django-otp's own growing delay
# after a failure is off.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Tuyên giáo")
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT") or VAR_DIR / "static")
STORAGES = {
    # Uploads have no URL: views send them, to those who may see them (core/files.py).
    "default": {"BACKEND": "tuyengiao.core.storage.UploadStorage"},
    "staticfiles": {"BACKEND": "tuyengiao.core.storage.StaticStorage"},
}
# Serve from the apps' folders too, so a server works before collectstatic has run.
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or VAR_DIR / "media")

SECURE_COOKIES = env_bool("SECURE_COOKIES")
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
# Behind HTTPS (SECURE_COOKIES): plain HTTP is redirected and browsers are told to use HTTPS
# only, for a year. Behind a proxy that ends TLS, SECURE_PROXY_SSL_HEADER names the header by
# which it says the request came over HTTPS (X-Forwarded-Proto: https); the proxy must set it.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", SECURE_COOKIES)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600 if SECURE_COOKIES else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
_proxy_header = env_str("SECURE_PROXY_SSL_HEADER")
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_" + _proxy_header.upper().replace("-", "_"), "https") if _proxy_header else None
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Every response: no inline script or style, nothing from another origin (django-csp). Views
# whose output cannot follow it relax it for themselves only (charts' SVG, the Django admin).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
# Browser features the site never uses (a photo is taken through a file input, which needs none).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), serial=(), hid=(), midi=(), display-capture=()"
)
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# Where django.core.mail.backends.filebased.EmailBackend writes, when that one is chosen.
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH") or str(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "tuyengiao@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# The REST API under /api/ (tuyengiao.api_urls): the same accounts and the same scope as the
# pages. Scripts send "Authorization: Token <key>" (tokens are issued in the admin); the browser
# uses its session, with CSRF.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so that an anonymous request is answered 401 with its challenge.
        "tuyengiao.core.authentication.TokenAuthentication",
        "tuyengiao.second_factor.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "tuyengiao.org.permissions.CollaboratorGate",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "tuyengiao.core.api.exception_handler",
    # JSON only: no browsable HTML pages; bodies read by the API's limited JSON parser.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "tuyengiao.core.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}
CSRF_FAILURE_VIEW = "tuyengiao.core.errors.csrf_failure"
SPECTACULAR_SETTINGS = {
    "TITLE": "Tuyên giáo API",
    "DESCRIPTION": "Văn bản chỉ đạo, gửi văn bản xuống các cấp và các bước triển khai.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": [
        "rest_framework.permissions.IsAuthenticated",
        "tuyengiao.org.permissions.CollaboratorGate",
    ],
    "SCHEMA_PATH_PREFIX": "/api/",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "KindEnum": "tuyengiao.directives.models.StepKind",  # the name it had before
        "SpeakerKindEnum": "tuyengiao.outreach.models.SpeakerKind",
        "OutreachLevelEnum": "tuyengiao.outreach.models.OutreachLevel",
        "SessionModeEnum": "tuyengiao.outreach.models.SessionMode",
        "CentreKindEnum": "tuyengiao.training.models.CentreKind",
        "NarrativeStateEnum": "tuyengiao.narratives.models.NarrativeState",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "tuyengiao.core.api_schema.add_error_responses",
    ],
}

# Background work through Django's task interface, queued in the database (django-tasks-db):
# `tuyengiao db_worker` runs it. The reminder scan re-enqueues itself every
# REMINDER_INTERVAL_MINUTES; `tuyengiao schedule_reminders` starts it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
REMINDER_DAYS_BEFORE = env_int("REMINDER_DAYS_BEFORE", 3)
REMINDER_INTERVAL_MINUTES = env_int("REMINDER_INTERVAL_MINUTES", 60)
# After this many years a concern report's free text and photos are purged (None: kept).
CONCERN_TEXT_RETENTION_YEARS = env_int("CONCERN_TEXT_RETENTION_YEARS", 0) or None
# Where the reminder e-mails' links point (the address users open the site at).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
