"""Settings for Zizhi, read from the environment (see README "Configuration")."""

import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.getenv("ZIZHI_VAR_DIR", BASE_DIR.parent / "var"))


def envbool(name: str, default: str) -> bool:
    value = os.getenv(name, default).strip().lower()
    if value not in ("true", "false", "1", "0", "yes", "no"):
        raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")
    return value in ("true", "1", "yes")


def envint(name: str, default: int) -> int:
    try:
        return int(os.getenv(name, str(default)))
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer") from exc


DEBUG = envbool("DEBUG", "false")
SECRET_KEY = os.getenv("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not envbool("ZIZHI_DEV", "false"):
        raise ImproperlyConfigured("SECRET_KEY must be set (make run sets a dev-only key)")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
# Key for encrypting personal data (ID numbers) and for their lookup HMAC.
# Separate from SECRET_KEY so that rotating sessions does not lose data.
DATA_KEY = os.getenv("ZIZHI_DATA_KEY", SECRET_KEY)

ALLOWED_HOSTS = [h.strip() for h in os.getenv("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.getenv("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.admin",  # mounted only with ZIZHI_ADMIN=true (zizhi/accounts/admin_site.py)
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_htmx",
    "ninja",  # its bundled Swagger UI files: /api/v1/docs loads nothing from a CDN
    "axes",
    "zizhi.accounts",
    "zizhi.registry",
    "zizhi.audit",
    "zizhi.governance",
    "zizhi.notices",
    "zizhi.proposals",
    "zizhi.finance",
    "zizhi.associations",
    "zizhi.moralbank",
    "zizhi.greening",
    "zizhi.party",
    "zizhi.wishes",
    "zizhi.mediation",
    "zizhi.stats",
    "zizhi.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "zizhi.web.dbdown.DatabaseUnavailableMiddleware",
    "zizhi.web.nul.RefuseNulInAddress",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "zizhi.audit.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "zizhi.accounts.privacy.NoStoreForPersonalData",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "zizhi.accounts.middleware.StaffIdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zizhi.urls"
WSGI_APPLICATION = "zizhi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zizhi.web.context.shell",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.getenv("DATABASE_URL", f"sqlite:///{VAR_DIR / 'zizhi.sqlite3'}"),
        conn_max_age=envint("CONN_MAX_AGE", 60),
        # a kept connection is checked before a request's first query and reopened if the
        # server went away meanwhile (a restart, a failover)
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # psycopg prepares a statement once it has run this many times on a connection. Only the
    # few hottest queries bind server-side and can be prepared (zizhi/accounts/rows.py: the
    # bearer token, a ballot's poll); Django's own queries bind client-side and never are.
    # 0 turns it off (behind a pooler that cannot keep prepared statements).
    _prepare = envint("DB_PREPARE_THRESHOLD", 5)
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = _prepare or None
# A read replica for the dashboard (docs/scaling.md): REPLICA_URL, e.g. a streaming replica.
if os.getenv("REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["REPLICA_URL"], conn_max_age=envint("CONN_MAX_AGE", 60)
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["zizhi.stats.router.DashboardRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache (the dashboard's figures): the database cache by default, so every app server
# behind a load balancer shares it with nothing more to run (table made by stats' migration);
# CACHE_URL=redis://127.0.0.1:6379/1 for Redis (pip install redis), CACHE_URL=locmem:// for a
# process's own memory.
_cache_url = os.getenv("CACHE_URL", "db://")
if _cache_url.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _cache_url,
        }
    }
elif _cache_url.startswith("locmem://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "zizhi_cache",
        }
    }
# API rate-limit counters (zizhi/accounts/ratelimit.py): in Redis when there is one, shared by
# every app server; otherwise in each process's memory (a counter per request in the database
# would cost a write on every API call).
CACHES["ratelimit"] = (
    CACHES["default"]
    if _cache_url.startswith(("redis://", "rediss://"))
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ratelimit"}
)
# A dashboard's figures are counted afresh after a change in its communities (see
# zizhi/stats/dashboard.py), and at the latest after this many seconds.
ZIZHI_STATS_CACHE_SECONDS = envint("ZIZHI_STATS_CACHE_SECONDS", 300)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"

# Lockout (django-axes): 5 failures per (phone, IP) within 30 minutes lock that pair.
# The client IP is REMOTE_ADDR unless ZIZHI_PROXY_IP_HEADER names the header that the
# trusted reverse proxy (nginx) sets, e.g. HTTP_X_REAL_IP; X-Forwarded-For is never trusted.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_IPWARE_META_PRECEDENCE_ORDER = [os.getenv("ZIZHI_PROXY_IP_HEADER", "REMOTE_ADDR")]
AXES_VERBOSE = False

# The Django admin (read-only, superusers with a one-time code): off unless ZIZHI_ADMIN=true,
# at ZIZHI_ADMIN_PATH (pick one that is not guessed).
ZIZHI_ADMIN = envbool("ZIZHI_ADMIN", "false")
ZIZHI_ADMIN_PATH = os.getenv("ZIZHI_ADMIN_PATH", "admin/").strip("/") + "/"
OTP_TOTP_ISSUER = "Zizhi"

# API rate limits, "<count>/<s|m|h|d>"; empty turns one off (zizhi/accounts/ratelimit.py).
ZIZHI_API_RATE_USER = os.getenv("ZIZHI_API_RATE_USER", "600/m")  # per signed-in person
ZIZHI_API_RATE_ANON = os.getenv("ZIZHI_API_RATE_ANON", "120/m")  # per IP, anonymous callers
ZIZHI_API_RATE_IP = os.getenv("ZIZHI_API_RATE_IP", "6000/m")  # per IP, all callers together
for _name in ("ZIZHI_API_RATE_USER", "ZIZHI_API_RATE_ANON", "ZIZHI_API_RATE_IP"):
    if globals()[_name] and not re.fullmatch(r"[1-9][0-9]*/[smhd]", globals()[_name]):
        raise ImproperlyConfigured(f"{_name} must look like 600/m (count/s, m, h or d)")

SESSION_ENGINE = "zizhi.sessions"  # the database store, refusing malformed keys
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
STAFF_IDLE_TIMEOUT = envint("STAFF_IDLE_TIMEOUT", 30 * 60)  # seconds

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.getenv("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
ROSTER_MAX_BYTES = envint("ROSTER_MAX_BYTES", 50 * 1024 * 1024)
# Photos, attachments, receipts and the finance import (zizhi/web/uploads.py checks them all).
UPLOAD_MAX_BYTES = envint("ZIZHI_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
UPLOAD_MAX_PIXELS = envint("ZIZHI_UPLOAD_MAX_PIXELS", 50_000_000)
# Run long jobs (roster import) in a background thread; tests may run them inline.
ZIZHI_BACKGROUND_JOBS = envbool("ZIZHI_BACKGROUND_JOBS", "true")

SECURE_CONTENT_TYPE_NOSNIFF = True
# Content-Security-Policy (django-csp): scripts, styles, fonts and images from the app only;
# no inline script or handler anywhere (zizhi.js wires print buttons and auto-submitting
# selects); style attributes are allowed (style-src-attr), <style> elements are not. The API's
# Swagger page runs an inline script of django-ninja's, so it is left out.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/api/v1/docs"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
X_FRAME_OPTIONS = "DENY"
if not DEBUG and envbool("ZIZHI_HTTPS", "false"):
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # ask browsers to know the site as HTTPS-only before the first visit (ZIZHI_HSTS_PRELOAD=false
    # for a domain not yet submitted to the preload list)
    SECURE_HSTS_PRELOAD = envbool("ZIZHI_HSTS_PRELOAD", "true")
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"personal_data": {"()": "zizhi.accounts.privacy.RedactPersonalData"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["personal_data"]}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "WARNING")},
}
