"""End to end in headless Chromium: register → the leader endorses → another agency's
employee finds it and records a replication (on a 360-px phone)."""

from typing import Any

import pytest
from playwright.sync_api import expect

from abdi.inovasi.choices import ReviewStatus
from abdi.inovasi.models import Innovation
from abdi.organisations.tests.factories import PASSWORD, Agency

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Any, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/akun/masuk/")
    page.get_by_label("NIP").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()


def test_register_endorse_find_and_replicate(
    phone_page: Any, agency: Agency, other_agency: Agency, settings: Any, tmp_path: Any
) -> None:
    page = phone_page
    title = "Antrean daring perekaman KTP-el"

    # The employee registers an innovation bound to a metric and submits it.
    sign_in(page, agency.staff_a.nip)
    page.goto("/inovasi/")
    page.get_by_role("link", name="Daftarkan inovasi").first.click()
    form = page.get_by_test_id("innovation-form")
    form.locator("[name=title]").fill(title)
    form.locator("[name=problem]").fill("Warga antre sejak subuh.")
    form.locator("[name=idea]").fill("Warga memilih jam kedatangan lewat ponsel.")
    form.locator("select[name=stage]").select_option("uji_coba")
    form.locator("[name=service_name]").fill("Perekaman KTP-el")
    form.locator("select[name=metric]").select_option("kinerja.accepted_outputs")
    form.locator("[name=baseline_start]").fill("2026-01-01")
    form.locator("[name=baseline_end]").fill("2026-03-31")
    form.locator("[name=partners]").fill("Diskominfo")
    form.locator("button[type=submit]").click()
    page.get_by_test_id("innovation-title").filter(has_text=title).wait_for()
    expect(page.get_by_test_id("metric")).to_be_visible()
    page.get_by_test_id("submit").click()
    page.get_by_test_id("status-submitted").wait_for()

    # The direct leader finds it in the review queue and endorses it.
    sign_in(page, agency.head_a.nip)
    page.goto("/inovasi/")
    page.get_by_test_id("review-queue").get_by_role("link", name=title).click()
    decision = page.get_by_test_id("decision-form")
    decision.locator("[name=note]").fill("Layak direplikasi.")
    decision.get_by_role("button", name="Sahkan").click()
    page.get_by_test_id("status-endorsed").wait_for()

    # An employee of another agency searches by keyword and stage, and replicates it.
    sign_in(page, other_agency.staff_b.nip)
    page.goto("/inovasi/cari/")
    search = page.get_by_test_id("search-form")
    search.locator("[name=q]").fill("antrean")
    search.locator("select[name=stage]").select_option("uji_coba")
    search.locator("[name=other]").check()
    search.locator("button[type=submit]").click()
    page.get_by_test_id("results").get_by_role("link", name=title).click()
    replication = page.get_by_test_id("replication-form")
    replication.locator("[name=title]").fill("Antrean daring Kota Lain")
    replication.get_by_role("button").click()
    page.get_by_test_id("innovation-title").filter(has_text="Antrean daring Kota Lain").wait_for()
    page.get_by_role("link", name=title).click()
    page.get_by_test_id("replications").get_by_text("Antrean daring Kota Lain").wait_for()
    # Nothing overflows the phone's width.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    original = Innovation.objects.get(title=title)
    assert original.status == ReviewStatus.ENDORSED
    replica = Innovation.objects.get(replicates=original)
    assert replica.instansi_id == other_agency.instansi.pk
