"""Settings shared by every environment; ``prod`` only tightens them."""

from pathlib import Path
from typing import Any

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from abdi.belajar.schedule import BEAT_SCHEDULE as BELAJAR_BEAT
from abdi.inovasi.schedule import BEAT_SCHEDULE as INOVASI_BEAT
from abdi.kantor.schedule import BEAT_SCHEDULE as KANTOR_BEAT
from abdi.layanan.schedule import BEAT_SCHEDULE as LAYANAN_BEAT
from abdi.wawasan.schedule import BEAT_SCHEDULE as WAWASAN_BEAT
from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("ABDI_VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_str("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "abdi.core",
    "abdi.accounts",
    "abdi.organisations",
    "abdi.kinerja",
    "abdi.verifikasi",
    "abdi.layanan",
    "abdi.belajar",
    "abdi.kantor",
    "abdi.inovasi",
    "abdi.wawasan",
]

MIDDLEWARE = [
    "abdi.core.middleware.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "abdi.core.security.SecurityHeadersMiddleware",
    "abdi.core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "abdi.core.middleware.LanguageMiddleware",
    "abdi.core.middleware.ApiPaginationBoundsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "abdi.accounts.middleware.AdminTotpMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "abdi" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "abdi.core.context_processors.navigation_items",
            ],
        },
    },
]

POSTGRESQL_ENGINE = "abdi.core.postgresql"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'abdi.sqlite3'}"), conn_max_age=0
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed during a write; IMMEDIATE takes the write lock at BEGIN so
    # two writers queue instead of failing with "database is locked" on upgrade.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, except that a rollback (every refusal inside a transaction) keeps
    # the connection's prepared statements (abdi/core/postgresql/base.py).
    DATABASES["default"]["ENGINE"] = POSTGRESQL_ENGINE
    # Parameters travel apart from the SQL (server-side binding) and a statement a
    # connection runs again is prepared once: PostgreSQL stops parsing and planning every
    # query and Python stops quoting every literal, a third less CPU per request under load
    # (docs/deploy.md §11). Behind pgbouncer in transaction mode, prepared statements need
    # pgbouncer 1.21+ with max_prepared_statements set, or DJANGO_DB_PREPARE_THRESHOLD=off.
    _threshold = env_str("DJANGO_DB_PREPARE_THRESHOLD", "5")
    DATABASES["default"]["OPTIONS"] = {
        "server_side_binding": env_bool("DJANGO_DB_SERVER_SIDE_BINDING", True),
        "prepare_threshold": None if _threshold.lower() in ("off", "none", "") else int(_threshold),
    }
    # JIT compilation pays off for long analytical queries, not for ours: it compiled a
    # dashboard count for 1.1 s that runs in 0.45 s without it (docs/deploy.md §3). Off for
    # this connection unless DJANGO_DB_JIT=true (behind a pgbouncer that refuses the
    # ``options`` startup parameter, set that and ``jit = off`` on the database instead).
    if not env_bool("DJANGO_DB_JIT", False):
        DATABASES["default"]["OPTIONS"]["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out (username, IP) before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend; a session's user comes with its employee and citizen records.
    "abdi.accounts.backends.IdentityModelBackend",
]
# Administrators (platform, agency, admin-site staff) confirm sign-in with a TOTP code.
# On in production (config.settings.prod); off by default here so the demo stays simple.
ABDI_REQUIRE_ADMIN_TOTP = env_bool("ABDI_REQUIRE_ADMIN_TOTP", False)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Abdi")
# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one account
# from one IP address, that pair is locked out for AXES_COOLOFF_TIME hours.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(env_str("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(env_str("AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# A locked-out attempt does not restart the pause, so "try again in 15 minutes" holds.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_CALLABLE = "abdi.accounts.throttling.axes_username"
AXES_LOCKOUT_CALLABLE = "abdi.accounts.throttling.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
# Citizen registration and password links: attempts per IP address (django-ratelimit).
ABDI_REGISTRATION_RATE = env_str("ABDI_REGISTRATION_RATE", "10/h")
ABDI_PASSWORD_LINK_RATE = env_str("ABDI_PASSWORD_LINK_RATE", "10/h")
# Behind a reverse proxy, the header holding the visitor's address (e.g. X-Real-IP); it
# replaces REMOTE_ADDR for throttling, audit and logs. Empty: REMOTE_ADDR is the visitor.
ABDI_CLIENT_IP_HEADER = env_str("ABDI_CLIENT_IP_HEADER", "")
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Jakarta"

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(VAR_DIR / "static")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Object storage (S3-compatible, django-storages) for uploaded files when ABDI_S3_BUCKET is set.
if bucket := env_str("ABDI_S3_BUCKET", ""):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": env_str("ABDI_S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("ABDI_S3_REGION", "") or None,
            "access_key": env_str("ABDI_S3_ACCESS_KEY", "") or None,
            "secret_key": env_str("ABDI_S3_SECRET_KEY", "") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
        },
    }
# nginx's internal location for protected files (abdi.core.protected_files); empty: Django
# streams them.
ABDI_PROTECTED_MEDIA_ACCEL = env_str("ABDI_PROTECTED_MEDIA_ACCEL", "")
ABDI_BACKUP_DIR = env_str("ABDI_BACKUP_DIR", str(VAR_DIR / "backups"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
ABDI_IMPORT_MAX_BYTES = 20 * 1024 * 1024
ABDI_EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
ABDI_IMPORT_MAX_ROWS = 50_000

# Background work: with no broker the tasks run eagerly in the caller's process.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", "") or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if CELERY_TASK_ALWAYS_EAGER:
    # Eager tasks never reach a broker; naming the in-memory one keeps kombu from warning.
    CELERY_BROKER_URL = "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = True
# One queue per deployment (or per smoke run sharing a Redis); results keep the worker's name.
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_TASK_DEFAULT_QUEUE", "celery")
CELERY_RESULT_EXTENDED = env_bool("CELERY_RESULT_EXTENDED", False)
ABDI_HEARTBEAT_SECONDS = int(env_str("ABDI_HEARTBEAT_SECONDS", "60"))
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# Daily and nightly jobs (celery beat, in CELERY_TIMEZONE); without beat, run
# ``manage.py send_reminders`` from cron.
CELERY_BEAT_SCHEDULE = {
    "kinerja-deadline-reminders": {
        "task": "abdi.kinerja.tasks.send_deadline_reminders",
        "schedule": crontab(hour=6, minute=0),
    },
    "kinerja-refresh-bound-indicators": {
        "task": "abdi.kinerja.tasks.refresh_bound_indicators",
        "schedule": crontab(hour=1, minute=0),
    },
    "core-heartbeat": {"task": "abdi.core.heartbeat", "schedule": float(ABDI_HEARTBEAT_SECONDS)},
    # Messages whose drain was never queued (a broker down at the time) go out within a minute.
    "core-deliver-pending": {"task": "abdi.core.tasks.deliver_pending", "schedule": 60.0},
    **BELAJAR_BEAT,
    **INOVASI_BEAT,
    **KANTOR_BEAT,
    **LAYANAN_BEAT,
    **WAWASAN_BEAT,
}

# Messages to people committed within this many seconds share one drain of the outbox by
# the worker (abdi/core/notifications.py).
ABDI_NOTIFY_BATCH_SECONDS = env_int("ABDI_NOTIFY_BATCH_SECONDS", 1)
# Links in emails (password links, notifications) point here.
ABDI_BASE_URL = env_str("ABDI_BASE_URL", "http://127.0.0.1:8000")
# Writes within this many seconds share one rebuild of the dashboards' facts (a dashboard
# read applies what is still pending first). abdi/wawasan/facts.py, docs/deploy.md §11.
ABDI_WAWASAN_DRAIN_SECONDS = env_int("ABDI_WAWASAN_DRAIN_SECONDS", 60)
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600
EMAIL_BACKEND = env_str("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env_str("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_FILE_PATH = env_str("DJANGO_EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "Abdi <noreply@abdi.localhost>")

# Content-Security-Policy (abdi.core.security): scripts only from our origin.
ABDI_CSP_REPORT_ONLY = env_bool("ABDI_CSP_REPORT_ONLY", False)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# /metrics (Prometheus text): for a bearer token or from these networks; counters shared
# through Redis when one is configured (abdi.core.metrics_counters).
ABDI_METRICS_TOKEN = env_str("ABDI_METRICS_TOKEN", "")
ABDI_METRICS_ALLOWED_NETWORKS = env_list("ABDI_METRICS_ALLOWED_NETWORKS", "127.0.0.1/32,::1/128")
ABDI_METRICS_REDIS_URL = env_str("ABDI_METRICS_REDIS_URL", env_str("REDIS_URL", ""))

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if redis_url := env_str("REDIS_URL", ""):
    CACHES = {
        # Django's Redis cache, keeping its Redis client (abdi/core/cache.py).
        "default": {"BACKEND": "abdi.core.cache.RedisCache", "LOCATION": redis_url}
    }
    # Sessions read from Redis and written through to the database: a signed-in request
    # then costs no query for its session, and a Redis restart signs no one out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "abdi.core.logging.RequestContextFilter"}},
    "formatters": {
        "json": {"()": "abdi.core.logging.JsonFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_context"],
            "formatter": env_str("ABDI_LOG_FORMAT", "plain"),
        }
    },
    "root": {"handlers": ["console"], "level": env_str("ABDI_LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
    },
}
