"""Fixtures shared by every app: one per role, on the same small agency."""

from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from abdi.organisations.tests.factories import Agency, build_agency, build_citizen, superuser

# Property tests judge results, not speed: on a busy two-core CI machine generating inputs
# can be slow, which is no defect of the code under test.
settings.register_profile(
    "abdi", deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
settings.load_profile("abdi")


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache: no throttle count or drain window of another."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def agency(db: Any) -> Agency:
    return build_agency()


@pytest.fixture
def other_agency(db: Any) -> Agency:
    return build_agency(code="kota-lain", name="Pemerintah Kota Lain")


@pytest.fixture
def platform_admin(db: Any) -> Any:
    return superuser()


@pytest.fixture
def agency_admin(agency: Agency) -> Any:
    return agency.admin


@pytest.fixture
def unit_head(agency: Agency) -> Any:
    return agency.head_a.user


@pytest.fixture
def employee_user(agency: Agency) -> Any:
    return agency.staff_a.user


@pytest.fixture
def citizen(db: Any) -> Any:
    return build_citizen()


@pytest.fixture
def redis_at() -> Any:
    """Return a check that Redis answers at a URL (the URL back): without Redis the test is
    skipped, except on CI, where Redis must run and its absence fails the test."""
    import os

    import redis

    def check(url: str) -> str:
        try:
            redis.Redis.from_url(url, socket_connect_timeout=1).ping()
        except redis.RedisError:
            if os.environ.get("CI"):
                pytest.fail(f"Redis is not answering at {url}")
            pytest.skip(f"Redis is not answering at {url}")
        return url

    return check


# --- Browser tests: Playwright driving Debian's Chromium -------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def chromium() -> Any:
    """A headless Chromium; missing Chromium fails under CI and skips elsewhere."""
    import os
    from pathlib import Path

    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the tests' ORM calls are
    # ordinary blocking calls made between browser steps.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Any, live_server: Any) -> Any:
    """A fresh browser page (desktop size) whose base URL is the live server."""
    context = chromium.new_context(base_url=live_server.url, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def phone_page(chromium: Any, live_server: Any) -> Any:
    """A 360-px-wide touch page, like an entry-level Android phone."""
    context = chromium.new_context(
        base_url=live_server.url,
        locale="id-ID",
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
