"""Settings for motcua, read from the environment.

MOTCUA_ENV selects the profile: "development" (default), "test", "demo" or "production".
"demo" (make demo) is served as a deployment is (DEBUG off, the ASGI server, WhiteNoise) but on
this machine: plain HTTP, local host names, and the demo accounts and fakes allowed.
DATABASE_URL defaults to an SQLite file under var/; a postgres:// URL selects PostgreSQL.
"""

import json
import os
import urllib.parse
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("MOTCUA_VAR_DIR", BASE_DIR / "var"))
DATA_DIR = Path(os.environ.get("MOTCUA_DATA_DIR", BASE_DIR / "data"))

ENV = os.environ.get("MOTCUA_ENV", "development")
PRODUCTION = ENV == "production"
DEMO = ENV == "demo"


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def db_pool_options(value: str) -> dict[str, int] | None:
    """MOTCUA_DB_POOL: "min,max" (or "max", min then 1) connections of psycopg's pool; empty: no pool."""
    if not value.strip():
        return None
    parts = [part.strip() for part in value.split(",")]
    try:
        sizes = [int(part) for part in parts]
    except ValueError:
        sizes = []
    if len(sizes) == 1:
        sizes = [1, *sizes]
    if len(sizes) != 2 or not 0 <= sizes[0] <= sizes[1] or sizes[1] < 1:
        raise ImproperlyConfigured(f"MOTCUA_DB_POOL must be 'min,max' with 0 <= min <= max, max >= 1: {value!r}")
    return {"min_size": sizes[0], "max_size": sizes[1]}


DEBUG = env_bool("DJANGO_DEBUG", ENV == "development")
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "" if PRODUCTION else "insecure-development-key-change-me")
if PRODUCTION and len(SECRET_KEY) < 50:
    raise RuntimeError("DJANGO_SECRET_KEY must be set to a random string of at least 50 characters")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "motcua.core.apps.LoginLockoutConfig",  # django-axes
    "ninja",
    "django_tasks_db",
    "motcua.core",
    "motcua.org",
    "motcua.catalog",
    "motcua.dossiers",
    "motcua.queueing",
    "motcua.ratings",
    "motcua.complaints",
    "motcua.assistant",
    "motcua.payments",
    "motcua.insights",
    "motcua.signing",
    "motcua.notify",
    "motcua.portal",
    "motcua.planning",
    "motcua.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "motcua.core.middleware.RequestLogMiddleware",
    "motcua.core.request_guard.RequestGuardMiddleware",  # NUL, deep JSON, 413: before anything reads input
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "motcua.core.middleware.PageMessageMiddleware",  # messages on pages; not built for /api/ calls
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out login into the lockout answer
]

ROOT_URLCONF = "motcua.urls"
WSGI_APPLICATION = "motcua.wsgi.application"
ASGI_APPLICATION = "motcua.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "motcua" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "motcua.core.context_processors.site",
                "motcua.org.context_processors.center",
            ],
            "builtins": ["motcua.core.templatetags.motcua"],
        },
    }
]

(VAR_DIR / "static").mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'motcua.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run while one writer commits; IMMEDIATE takes the write lock at BEGIN so
    # two concurrent writers queue instead of failing with "database is locked" on upgrade.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 60,
    }
    # A file, not shared-cache memory: concurrency tests then see SQLite's real locking (WAL, busy timeout).
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
# psycopg's connection pool, per process (docs/operations.md): off by default. Under ASGI a request's
# sync code may run in any thread, and Django's connections are per thread, so without a pool each
# request opens its own connection (CONN_MAX_AGE > 0 piles them up instead: docs/benchmarks.md).
MOTCUA_DB_POOL = db_pool_options(os.environ.get("MOTCUA_DB_POOL", ""))
if MOTCUA_DB_POOL is not None:
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("MOTCUA_DB_POOL needs PostgreSQL (DATABASE_URL=postgres://…)")
    if DATABASES["default"].get("CONN_MAX_AGE"):
        raise ImproperlyConfigured("MOTCUA_DB_POOL needs DATABASE_CONN_MAX_AGE=0 (the pool keeps the connections)")
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        **MOTCUA_DB_POOL, "timeout": int(os.environ.get("MOTCUA_DB_POOL_TIMEOUT", "10"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis, when set: the cache, and the event bus between server processes (pub/sub).
REDIS_URL = os.environ.get("REDIS_URL", "")
# On SQLite, how often each server process reads the live events other processes published (the demo
# runs two workers and a scheduler); 0: this process's own events only (one process, the tests).
MOTCUA_EVENTS_POLL_SECONDS = float(os.environ.get("MOTCUA_EVENTS_POLL_SECONDS", "0.5"))
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "motcua"}
    )
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Login lockout (docs/security.md, "Logins"): django-axes checks every login first.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Vietnamese first; English kept complete.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "motcua" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS: list[Path | tuple[str, Path]] = [BASE_DIR / "motcua" / "static"]
_vendor = BASE_DIR / "node_modules"
if _vendor.exists():
    STATICFILES_DIRS.append(("vendor", _vendor))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"
WHITENOISE_USE_FINDERS = not PRODUCTION

def _gateway_origin(url: str) -> list[str]:
    parts = urllib.parse.urlsplit(url)
    return [f"{parts.scheme}://{parts.netloc}"] if parts.scheme in ("http", "https") and parts.netloc else []


SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", *env_list("MOTCUA_MAP_TILE_HOSTS", "")],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    # The payment gateway's page receives the redirect of the "pay online" form (VNPay's host in production).
    "form-action": [CSP.SELF, *_gateway_origin(os.environ.get("MOTCUA_VNPAY_URL", ""))],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "motcua.core.logging.JsonFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    # Every handler masks ID and phone numbers (docs/security.md, "Personal data in logs").
    "filters": {"mask_personal_numbers": {"()": "motcua.core.privacy.MaskingFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json" if PRODUCTION else "plain",
                    "filters": ["mask_personal_numbers"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("MOTCUA_LOG_LEVEL", "INFO")},
    "loggers": {
        # The request log middleware writes one line per request; Django's own would duplicate it.
        "django.server": {"handlers": [], "propagate": False},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "axes": {"level": "WARNING"},  # failures and locks; not a line per login
        # The ASGI server's own lines go through the same masking handler (its access log stays off).
        "uvicorn": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "uvicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "uvicorn.access": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "motcua.request": {"handlers": ["console"], "level": "INFO" if PRODUCTION else "WARNING",
                           "propagate": False},
    },
}

NINJA_PAGINATION_PER_PAGE = 20

# Who the client is (docs/security.md): X-Forwarded-For is read only when the socket peer is one of
# these proxies (addresses or networks, comma-separated); empty = the peer is always the client.
MOTCUA_TRUSTED_PROXIES = env_list("MOTCUA_TRUSTED_PROXIES", "")
# Rate-limit counters: "database" (shared by every process, the default) or "cache" (the shared Redis cache).
MOTCUA_RATE_LIMIT_BACKEND = os.environ.get(
    "MOTCUA_RATE_LIMIT_BACKEND", "cache" if os.environ.get("REDIS_URL") else "database")
# Logins (the page and POST /api/auth/token): attempts per client address and per username, and the
# account is locked for MOTCUA_LOGIN_LOCKOUT_MINUTES after MOTCUA_LOGIN_FAILURE_LIMIT failures in a row.
MOTCUA_LOGIN_RATE = os.environ.get("MOTCUA_LOGIN_RATE", "20/m")
MOTCUA_LOGIN_USERNAME_RATE = os.environ.get("MOTCUA_LOGIN_USERNAME_RATE", "10/m")
AXES_FAILURE_LIMIT = int(os.environ.get("MOTCUA_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("MOTCUA_LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
# The per-client part is MOTCUA_LOGIN_RATE: locking an address would lock a whole branch behind one NAT.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_CLIENT_IP_CALLABLE = "motcua.core.logins.client_ip"
AXES_LOCKOUT_CALLABLE = "motcua.core.logins.lockout_response"
# Public tracking attempts: per client address, and per dossier code whatever the address.
MOTCUA_TRACKING_RATE = os.environ.get("MOTCUA_TRACKING_RATE", "30/m")
MOTCUA_TRACKING_CODE_RATE = os.environ.get("MOTCUA_TRACKING_CODE_RATE", "10/h")
# Queue numbers (docs/security.md, "Queue devices"): per client address over the API and the kiosk
# pages together, and per paired kiosk whatever its address.
MOTCUA_TICKET_RATE = os.environ.get("MOTCUA_TICKET_RATE", "30/m")
MOTCUA_TICKET_DEVICE_RATE = os.environ.get("MOTCUA_TICKET_DEVICE_RATE", "10/m")
# Online booking (docs/security.md, "Online booking"): requests per client address (the booking and
# confirmation pages and the API together); a pending booking holds nothing and expires after
# MOTCUA_BOOKING_HOLD_MINUTES; one-time codes texted to one phone number per hour and per day.
MOTCUA_BOOKING_RATE = os.environ.get("MOTCUA_BOOKING_RATE", "30/m")
# Complaints and petitions filed per client address (web form and API).
MOTCUA_COMPLAINT_RATE = os.environ.get("MOTCUA_COMPLAINT_RATE", "5/h")
# Deadlines of complaints and petitions, in working days of the center's calendar (docs/complaints.md):
# Decree 20/2008/NĐ-CP as amended by Decree 92/2017/NĐ-CP; the figures are to be checked against the
# decrees' text by the operator (see the docs).
MOTCUA_COMPLAINTS = {"ANSWER_WORKING_DAYS": 10, "REMIND_WORKING_DAYS_BEFORE": 2}
# Questions to the assistant (web widget, API, Zalo) per client address.
MOTCUA_ASSISTANT_RATE = os.environ.get("MOTCUA_ASSISTANT_RATE", "30/m")
MOTCUA_BOOKING_HOLD_MINUTES = int(os.environ.get("MOTCUA_BOOKING_HOLD_MINUTES", "10"))
MOTCUA_SMS_PER_PHONE_PER_HOUR = int(os.environ.get("MOTCUA_SMS_PER_PHONE_PER_HOUR", "5"))
MOTCUA_SMS_PER_PHONE_PER_DAY = int(os.environ.get("MOTCUA_SMS_PER_PHONE_PER_DAY", "10"))
# Bad input (docs/security.md): JSON and form bodies stay at Django's DATA_UPLOAD_MAX_MEMORY_SIZE;
# a multipart upload (a dossier with several files) may total up to MOTCUA_MAX_REQUEST_BYTES.
MOTCUA_MAX_REQUEST_BYTES = int(os.environ.get("MOTCUA_MAX_REQUEST_BYTES", str(50 * 1024 * 1024)))
MOTCUA_MAX_JSON_DEPTH = int(os.environ.get("MOTCUA_MAX_JSON_DEPTH", "64"))
# Uploaded documents (docs/security.md, "Private documents"): the types accepted, read from the content,
# and the largest file; a multipart request as a whole stays under MOTCUA_MAX_REQUEST_BYTES.
MOTCUA_UPLOAD_ALLOWED_TYPES = env_list("MOTCUA_UPLOAD_ALLOWED_TYPES", "application/pdf,image/jpeg,image/png")
MOTCUA_MAX_UPLOAD_BYTES = int(os.environ.get("MOTCUA_MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))

# The audit chain (docs/audit.md, docs/security.md): entries are HMAC-SHA256 chained with this key, kept
# out of the database; production must set it (check motcua.E002). The default outside production is a
# fixed, public, non-secret key. A signed checkpoint of the chain head goes to MOTCUA_AUDIT_CHECKPOINT
# (a file, one JSON line per checkpoint, or an http(s) URL) at least hourly, so a shortened chain is noticed.
DEVELOPMENT_AUDIT_KEY = "motcua-development-audit-key-public-not-a-secret"
MOTCUA_AUDIT_KEY = os.environ.get("MOTCUA_AUDIT_KEY", "" if PRODUCTION else DEVELOPMENT_AUDIT_KEY)
MOTCUA_AUDIT_CHECKPOINT = os.environ.get("MOTCUA_AUDIT_CHECKPOINT", str(VAR_DIR / "audit-checkpoints.jsonl"))
# When MOTCUA_AUDIT_CHECKPOINT is an http(s) URL instead: the bearer token sent with each request.
MOTCUA_AUDIT_CHECKPOINT_TOKEN = os.environ.get("MOTCUA_AUDIT_CHECKPOINT_TOKEN", "")

# Domain settings: everything that differs between centers is data (data/ and the database);
# these are the few knobs an operator sets per deployment.
# 24/11 "Ngày Văn hóa Việt Nam": a working day for state agencies until a legal text in force makes it a
# day off; then set MOTCUA_CULTURE_DAY_OFF=1 (docs/worktime.md).
MOTCUA_CULTURE_DAY_OFF = os.environ.get("MOTCUA_CULTURE_DAY_OFF", "").lower() in ("1", "true", "yes", "on")
# The staffing planner (docs/planning.md): the wait target "90%/15" (90% of citizens called within 15
# minutes), how many simulated days per plan, how many weeks of the point's history it plans from.
MOTCUA_PLANNING_WAIT_TARGET = os.environ.get("MOTCUA_PLANNING_WAIT_TARGET", "90%/15")
MOTCUA_PLANNING_RUNS = int(os.environ.get("MOTCUA_PLANNING_RUNS", "40"))
MOTCUA_PLANNING_HISTORY_WEEKS = int(os.environ.get("MOTCUA_PLANNING_HISTORY_WEEKS", "8"))

MOTCUA: dict[str, Any] = {
    "CENTER_CODE": os.environ.get("MOTCUA_CENTER_CODE", ""),  # empty: the first center loaded
    "CALENDAR_FILE": DATA_DIR / "calendar" / "VN.yaml",
    "API_TOKEN_TTL_HOURS": int(os.environ.get("MOTCUA_API_TOKEN_TTL_HOURS", "12")),
    "MAP_TILE_URL": os.environ.get("MOTCUA_MAP_TILE_URL", ""),
}

# Periodic jobs run by `motcua scheduler` (docs/scheduler.md): (name, dotted path, interval in seconds).
MOTCUA_PERIODIC_JOBS = [
    ("dossier_deadlines", "motcua.dossiers.tasks.flag_deadlines", 300),
    ("dossier_supplements_expired", "motcua.dossiers.tasks.stop_expired_supplements", 3600),
    ("notify_deliveries", "motcua.notify.tasks.deliver", 30),
    ("payment_gateway_check", "motcua.payments.services.gateway_check.check_pending_payments", 300),
    ("national_portal_push", "motcua.dossiers.tasks.push_national_statuses", 120),
    ("national_portal_pull", "motcua.dossiers.tasks.pull_national_dossiers", 300),
    ("dossier_orphan_files", "motcua.dossiers.tasks.remove_orphan_files", 3600),
    ("booking_release", "motcua.queueing.services.check_in.release_expired", 300),
    ("booking_reminders", "motcua.queueing.services.check_in.send_reminders", 300),
    ("rate_counters_purge", "motcua.core.ratelimit.purge_expired", 3600),
    ("outbox_prune", "motcua.core.outbox.prune_consumed", 86400),
    ("audit_checkpoint", "motcua.core.audit.write_checkpoint", 1800),
    ("complaint_deadlines", "motcua.complaints.services.check_deadlines", 3600),
    ("signing_intake_slips", "motcua.signing.tasks.sign_intake_slips", 30),
    ("wallet_expiry_reminders", "motcua.portal.services.reminders.send_expiry_reminders", 3600),
    ("signing_outcome_documents", "motcua.signing.tasks.sign_outcome_documents", 30),
]

# The document wallet (docs/portal.md): how many days before a paper expires its owner is reminded
# (one reminder per paper and lead time; outbox topic portal.document_expiring).
MOTCUA_WALLET_REMINDER_DAYS = [int(d) for d in env_list("MOTCUA_WALLET_REMINDER_DAYS", "60,30,7")]

# Signing (docs/signing.md): the passphrase of the PKCS#12 key files (empty: derived from SECRET_KEY,
# for development and the demo only), where they live, the trusted roots and CRLs (default: the demo CA's).
MOTCUA_SIGNING_PASSPHRASE = os.environ.get("MOTCUA_SIGNING_PASSPHRASE", "")
MOTCUA_SIGNING_DIR = os.environ.get("MOTCUA_SIGNING_DIR", str(VAR_DIR / "signing"))
# An RFC 3161 timestamp authority (http(s) URL): each signature then carries its timestamp token.
MOTCUA_SIGNING_TSA_URL = os.environ.get("MOTCUA_SIGNING_TSA_URL", "")
# Keys on a PKCS#11 token or HSM (Certificate.key_file "pkcs11:<token>/<key label>"): the module and the user PIN.
MOTCUA_SIGNING_PKCS11_MODULE = os.environ.get("MOTCUA_SIGNING_PKCS11_MODULE", "/usr/lib/softhsm/libsofthsm2.so")
MOTCUA_SIGNING_PKCS11_PIN = os.environ.get("MOTCUA_SIGNING_PKCS11_PIN", "")
MOTCUA_SIGNING_TRUST_ROOTS = [p for p in os.environ.get("MOTCUA_SIGNING_TRUST_ROOTS", "").split(",") if p]
MOTCUA_SIGNING_CRLS = [p for p in os.environ.get("MOTCUA_SIGNING_CRLS", "").split(",") if p]
MOTCUA_SIGNING_VERIFY_RATE = os.environ.get("MOTCUA_SIGNING_VERIFY_RATE", "20/m")

# Integrations (docs/integrations.md): no URL = the in-process fake.
MOTCUA_SMS_GATEWAY_URL = os.environ.get("MOTCUA_SMS_GATEWAY_URL", "")
MOTCUA_SMS_GATEWAY_TOKEN = os.environ.get("MOTCUA_SMS_GATEWAY_TOKEN", "")
MOTCUA_SMS_SENDER_NAME = os.environ.get("MOTCUA_SMS_SENDER_NAME", "")
MOTCUA_NATIONAL_PORTAL_URL = os.environ.get("MOTCUA_NATIONAL_PORTAL_URL", "")
MOTCUA_NATIONAL_PORTAL_TOKEN = os.environ.get("MOTCUA_NATIONAL_PORTAL_TOKEN", "")
MOTCUA_NATIONAL_PORTAL_USER = os.environ.get("MOTCUA_NATIONAL_PORTAL_USER", "")
# Zalo OA (the assistant's channel): the Open API's base URL and access token; the webhook's secret key.
MOTCUA_ZALO_OA_URL = os.environ.get("MOTCUA_ZALO_OA_URL", "")
MOTCUA_ZALO_ACCESS_TOKEN = os.environ.get("MOTCUA_ZALO_ACCESS_TOKEN", "")
MOTCUA_ZALO_OA_SECRET = os.environ.get("MOTCUA_ZALO_OA_SECRET", "")
# Zalo ZNS template messages (docs/notifications.md): the API's base URL (empty: the in-process fake), the
# OAuth refresh (URL, app id, secret key, refresh token) and the template id registered for each message.
MOTCUA_ZALO_ZNS_URL = os.environ.get("MOTCUA_ZALO_ZNS_URL", "")
MOTCUA_ZALO_OAUTH_URL = os.environ.get("MOTCUA_ZALO_OAUTH_URL", "https://oauth.zaloapp.com")
MOTCUA_ZALO_APP_ID = os.environ.get("MOTCUA_ZALO_APP_ID", "")
MOTCUA_ZALO_APP_SECRET = os.environ.get("MOTCUA_ZALO_APP_SECRET", "")
MOTCUA_ZALO_REFRESH_TOKEN = os.environ.get("MOTCUA_ZALO_REFRESH_TOKEN", "")
MOTCUA_ZALO_ZNS_TEMPLATES = json.loads(os.environ.get("MOTCUA_ZALO_ZNS_TEMPLATES", "{}") or "{}")
# The SMS gateway's delivery reports are signed with this secret (empty: reports are refused).
MOTCUA_SMS_CALLBACK_SECRET = os.environ.get("MOTCUA_SMS_CALLBACK_SECRET", "")
# Notifications: retries with backoff (base × 2^(n−1), at most the cap), attempts before giving up.
MOTCUA_NOTIFY_MAX_ATTEMPTS = int(os.environ.get("MOTCUA_NOTIFY_MAX_ATTEMPTS", "6"))
MOTCUA_NOTIFY_RETRY_BASE_SECONDS = int(os.environ.get("MOTCUA_NOTIFY_RETRY_BASE_SECONDS", "60"))
MOTCUA_NOTIFY_RETRY_MAX_SECONDS = int(os.environ.get("MOTCUA_NOTIFY_RETRY_MAX_SECONDS", "3600"))
MOTCUA_NOTIFY_LEASE_SECONDS = int(os.environ.get("MOTCUA_NOTIFY_LEASE_SECONDS", "300"))
MOTCUA_NOTIFY_MAX_AGE_HOURS = float(os.environ.get("MOTCUA_NOTIFY_MAX_AGE_HOURS", "48"))
# E-mail: Django's mailers (SMTP in production; files under VAR_DIR/mail otherwise; tests use locmem).
_EMAIL_BACKEND = os.environ.get("MOTCUA_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION
                                else "django.core.mail.backends.filebased.EmailBackend")
MAILERS = {"default": {"BACKEND": _EMAIL_BACKEND, "OPTIONS": (
    {"file_path": str(VAR_DIR / "mail")} if _EMAIL_BACKEND.endswith("filebased.EmailBackend") else
    {"host": os.environ.get("MOTCUA_EMAIL_HOST", "localhost"), "port": int(os.environ.get("MOTCUA_EMAIL_PORT", "25"))}
    if _EMAIL_BACKEND.endswith("smtp.EmailBackend") else {})}}
DEFAULT_FROM_EMAIL = os.environ.get("MOTCUA_EMAIL_FROM", "Trung tâm Phục vụ hành chính công <noreply@motcua.local>")
# Their fake HTTP endpoints answer with DEBUG or these settings; the demo (DEBUG off) keeps them on.
MOTCUA_FAKE_ZALO_OA = env_bool("MOTCUA_FAKE_ZALO_OA", DEMO)
MOTCUA_FAKE_SMS_GATEWAY = env_bool("MOTCUA_FAKE_SMS_GATEWAY", DEMO)
MOTCUA_FAKE_NATIONAL_PORTAL = env_bool("MOTCUA_FAKE_NATIONAL_PORTAL", DEMO)
MOTCUA_FAKE_POPULATION_REGISTRY = env_bool("MOTCUA_FAKE_POPULATION_REGISTRY", DEMO)
# Results by post (docs/portal.md): the postal service's public-service delivery API (empty: the in-process
# fake), its token, and the secret its status callbacks are signed with (HMAC-SHA256, header X-Signature).
MOTCUA_POSTAL_URL = os.environ.get("MOTCUA_POSTAL_URL", "")
MOTCUA_POSTAL_TOKEN = os.environ.get("MOTCUA_POSTAL_TOKEN", "")
MOTCUA_POSTAL_CALLBACK_SECRET = os.environ.get("MOTCUA_POSTAL_CALLBACK_SECRET",
                                               "" if PRODUCTION else "motcua-demo-postal-callback-secret")
MOTCUA_FAKE_POSTAL = env_bool("MOTCUA_FAKE_POSTAL", DEMO)
MOTCUA_FAKE_VNEID = env_bool("MOTCUA_FAKE_VNEID", DEMO)

# Login with the national identity provider (VNeID-style OpenID Connect; docs/portal.md, "Accounts").
# No issuer: the project's fake provider at /fake-vneid/ on this site (when it is enabled), else no VNeID button.
MOTCUA_VNEID_ISSUER = os.environ.get("MOTCUA_VNEID_ISSUER", "")
MOTCUA_VNEID_CLIENT_ID = os.environ.get("MOTCUA_VNEID_CLIENT_ID", "" if PRODUCTION else "motcua-demo")
MOTCUA_VNEID_CLIENT_SECRET = os.environ.get("MOTCUA_VNEID_CLIENT_SECRET", "" if PRODUCTION else "motcua-demo-secret")
MOTCUA_VNEID_TIMEOUT = float(os.environ.get("MOTCUA_VNEID_TIMEOUT", "5"))
# Sign-up and password reset by phone: a 6-digit code texted, valid this long, this many tries.
MOTCUA_PHONE_CODE_MINUTES = int(os.environ.get("MOTCUA_PHONE_CODE_MINUTES", "10"))
MOTCUA_PHONE_CODE_ATTEMPTS = int(os.environ.get("MOTCUA_PHONE_CODE_ATTEMPTS", "5"))
MOTCUA_PHONE_CODE_CLIENT_RATE = os.environ.get("MOTCUA_PHONE_CODE_CLIENT_RATE", "10/h")

# Online payment through VNPay 2.1.0 (docs/payments.md). Outside production the defaults are the demo
# values written there: the project's fake gateway at /fake/vnpay/, which signs with the same secret.
DEMO_VNPAY_TMN_CODE = "MOTCUA01"
DEMO_VNPAY_HASH_SECRET = "MOTCUADEMOSECRETNOTFORPRODUCTION0"
MOTCUA_VNPAY_URL = os.environ.get("MOTCUA_VNPAY_URL", "" if PRODUCTION else "/fake/vnpay/pay")
MOTCUA_VNPAY_TMN_CODE = os.environ.get("MOTCUA_VNPAY_TMN_CODE", "" if PRODUCTION else DEMO_VNPAY_TMN_CODE)
MOTCUA_VNPAY_HASH_SECRET = os.environ.get("MOTCUA_VNPAY_HASH_SECRET", "" if PRODUCTION else DEMO_VNPAY_HASH_SECRET)
# The merchant web API (querydr); empty outside production with the fake on: the fake, in this process.
MOTCUA_VNPAY_API_URL = os.environ.get("MOTCUA_VNPAY_API_URL", "")
MOTCUA_VNPAY_EXPIRE_MINUTES = int(os.environ.get("MOTCUA_VNPAY_EXPIRE_MINUTES", "15"))
MOTCUA_FAKE_VNPAY = env_bool("MOTCUA_FAKE_VNPAY", DEMO)
# Where the fake gateway sends its IPN (empty: this site's /payments/vnpay/ipn, as seen by the payer's request).
MOTCUA_FAKE_VNPAY_IPN_URL = os.environ.get("MOTCUA_FAKE_VNPAY_IPN_URL", "")
# The center's bank account for VietQR transfers at the counter (docs/payments.md; demo values outside production).
MOTCUA_VIETQR_BANK_BIN = os.environ.get("MOTCUA_VIETQR_BANK_BIN", "" if PRODUCTION else "970436")
MOTCUA_VIETQR_ACCOUNT = os.environ.get("MOTCUA_VIETQR_ACCOUNT", "" if PRODUCTION else "0011000000000")
# The fake SMS outbox as a file shared by the demo's worker processes (empty: in the process's memory).
MOTCUA_SMS_OUTBOX_FILE = os.environ.get("MOTCUA_SMS_OUTBOX_FILE", str(VAR_DIR / "demo-sms.jsonl") if DEMO else "")
