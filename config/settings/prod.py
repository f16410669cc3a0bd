"""Production: every secret and host comes from the environment, or start-up fails.

Every missing or unsafe value is reported at once, so one failed start lists all of them.
``docs/deploy.md`` documents each variable.
"""

from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str

from .base import *  # noqa: F403
from .base import ABDI_BASE_URL, DATABASES, LOGGING, POSTGRESQL_ENGINE, SECRET_KEY

DEBUG = False

_problems: list[str] = []
if SECRET_KEY.startswith("dev-only") or len(SECRET_KEY) < 40:
    _problems.append(
        "DJANGO_SECRET_KEY must be set to a random value of 40+ characters "
        "(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    _problems.append("DJANGO_ALLOWED_HOSTS must list the host names Abdi serves.")
if DATABASES["default"]["ENGINE"] != POSTGRESQL_ENGINE:
    _problems.append("DATABASE_URL must point at PostgreSQL (postgres://user:pass@host:5432/db).")
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "")
if not CELERY_BROKER_URL or CELERY_BROKER_URL.startswith("memory://"):
    _problems.append("CELERY_BROKER_URL must point at Redis or RabbitMQ (redis://host:6379/0).")
if not env_str("REDIS_URL", ""):
    _problems.append(
        "REDIS_URL must point at Redis (redis://host:6379/1): sign-in and registration limits "
        "are counted in the shared cache."
    )
if not env_str("ABDI_BASE_URL", ""):
    _problems.append("ABDI_BASE_URL must be the public address links in emails point at.")
if _problems:
    raise ImproperlyConfigured(
        "Abdi cannot start with config.settings.prod:\n  - " + "\n  - ".join(_problems)
    )

CELERY_TASK_ALWAYS_EAGER = False
# nginx passes the visitor's address in X-Real-IP (docs/deploy.md).
ABDI_CLIENT_IP_HEADER = env_str("ABDI_CLIENT_IP_HEADER", "X-Real-IP")

# Connections: kept open between requests (or pooled by pgbouncer in front, see deploy.md).
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DJANGO_CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if env_bool("DJANGO_DB_POOL", False):
    # psycopg's pool inside each process (Django 5.1+); needs CONN_MAX_AGE = 0.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env_int("DJANGO_DB_POOL_MIN", 2),
        "max_size": env_int("DJANGO_DB_POOL_MAX", 10),
    }

# HTTPS everywhere: nginx terminates TLS and says so with X-Forwarded-Proto.
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS") or [ABDI_BASE_URL.rstrip("/")]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
# Load balancers and Prometheus call these on the internal network over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # htmx takes the token from the page, not the cookie
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_COOKIE_AGE", 8 * 3600)  # one working day
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Administrators confirm their sign-in with a TOTP code.
ABDI_REQUIRE_ADMIN_TOTP = env_bool("ABDI_REQUIRE_ADMIN_TOTP", True)

LOGGING["handlers"]["console"]["formatter"] = "json"
