"""Security headers, templates fit for the Content-Security-Policy, production settings."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from abdi.core.security import DEFAULT_CSP, csp_header_value

ROOT = Path(settings.BASE_DIR)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"""<[^>]*\son[a-z]+\s*=\s*["']""", re.I)
JS_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']\s*javascript:""", re.I)


def directives(header: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.django_db
def test_pages_carry_a_policy_without_inline_scripts(client):
    response = client.get("/")

    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_api_errors_carry_the_policy_too(client):
    response = client.get("/api/v1/does-not-exist")

    assert response.status_code == 404
    assert response["Content-Security-Policy"] == csp_header_value(DEFAULT_CSP)


def test_no_template_runs_inline_javascript():
    """Inline ``<script>`` blocks, ``on…=`` handlers and ``javascript:`` URLs would be refused."""
    offenders = []
    for path in sorted((ROOT / "abdi").rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, EVENT_HANDLER, JS_URL):
            offenders += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in pattern.finditer(text)]

    assert offenders == []


def test_the_scan_recognises_each_kind_of_inline_script():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/x.js" defer></script>')
    assert EVENT_HANDLER.search('<select name="x" onchange="submit()">')
    assert not EVENT_HANDLER.search('<select name="x" data-autosubmit>')
    assert JS_URL.search('<a href="javascript:void(0)">')


# --- config.settings.prod ------------------------------------------------------------------

PROD_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.prod",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "abdi.example.go.id",
    "DATABASE_URL": "postgres://abdi@127.0.0.1:5432/abdi",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "ABDI_BASE_URL": "https://abdi.example.go.id",
    "REDIS_URL": "redis://127.0.0.1:6379/1",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # The browser fixture sets DJANGO_ALLOW_ASYNC_UNSAFE for this process; production does not.
    unset = {*PROD_ENV, "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_deploy_check_is_clean_with_the_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PROD_ENV)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_and_lists_every_missing_value():
    env = {"DJANGO_SETTINGS_MODULE": "config.settings.prod"}

    result = run_manage("check", env=env)

    assert result.returncode != 0
    for name in (
        "DJANGO_SECRET_KEY",
        "DJANGO_ALLOWED_HOSTS",
        "DATABASE_URL",
        "CELERY_BROKER_URL",
        "ABDI_BASE_URL",
        "REDIS_URL",
    ):
        assert name in result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DJANGO_SECRET_KEY", "short"),
        ("DATABASE_URL", "sqlite:///abdi.sqlite3"),
        ("CELERY_BROKER_URL", ""),
        ("DJANGO_ALLOWED_HOSTS", ""),
    ],
)
def test_production_refuses_one_unsafe_value(name, value):
    result = run_manage("check", env={**PROD_ENV, name: value})

    assert result.returncode != 0
    assert name in result.stderr
    assert "ImproperlyConfigured" in result.stderr


def test_production_settings_secure_the_cookies_and_transport():
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_HSTS_SECONDS >= 31536000, s.DEBUG, s.CELERY_TASK_ALWAYS_EAGER,"
        " s.ABDI_REQUIRE_ADMIN_TOTP, s.SECURE_REDIRECT_EXEMPT == ['^healthz$', '^metrics$'],"
        " s.SESSION_ENGINE)"
    )
    result = run_manage("shell", "--no-imports", "-c", code, env=PROD_ENV)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True", "True", "True", "True", "False", "False", "True", "True",
        # Sessions read from Redis, written through to PostgreSQL (test_sessions.py).
        "django.contrib.sessions.backends.cached_db",
    ]  # fmt: skip


def test_production_turns_postgresql_jit_off_unless_asked():
    code = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['OPTIONS'].get('options'))"
    )

    result = run_manage("shell", "--no-imports", "-c", code, env=PROD_ENV)
    kept = run_manage("shell", "--no-imports", "-c", code, env={**PROD_ENV, "DJANGO_DB_JIT": "1"})

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["-c", "jit=off"]
    assert kept.stdout.split() == ["None"]


@pytest.mark.django_db
def test_the_apps_postgresql_connections_run_without_jit():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


# --- In the browser -------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_language_menu_works_under_the_policy_without_violations(page):
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "id"
    page.locator("#lang-select").select_option("en")
    page.wait_for_load_state()

    page.wait_for_function("document.documentElement.lang === 'en'")
    assert violations == []
