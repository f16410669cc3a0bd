"""In headless Chromium: a leader opens their dashboard, picks a month and drills down from
the agency to a unit to a person; a unit head on a phone sees their unit only."""

from typing import Any

import pytest

from abdi.organisations.tests.factories import PASSWORD
from abdi.wawasan import facts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Any, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/akun/masuk/")
    page.get_by_label("NIP").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()


def test_leader_dashboard_and_drill_down(page: Any, phone_page: Any, world: Any) -> None:
    agency = world.agency
    facts.refresh_agency(instansi=agency.instansi, year=2026, months=[3])

    # The head of the agency follows the menu to the agency's dashboard and picks March.
    sign_in(page, agency.head.nip)
    page.get_by_role("link", name="Wawasan").first.click()
    page.get_by_test_id("dashboard-title").filter(has_text=agency.instansi.name).wait_for()
    form = page.get_by_test_id("period-form")
    form.locator("[name=tahun]").fill("2026")
    form.locator("select[name=bulan]").select_option("3")
    form.get_by_role("button", name="Tampilkan").click()
    page.get_by_test_id("kpi-completed").filter(has_text="3").wait_for()
    assert page.get_by_test_id("kpi-employees").inner_text() == "6"
    assert page.get_by_test_id("predicates-sangat_kurang").inner_text().startswith("1")

    # Agency → Dinas Utama → Bidang A → Agus Wibowo.
    page.get_by_test_id("table-units").get_by_role("link", name="Dinas Utama").click()
    page.get_by_test_id("dashboard-title").filter(has_text="Dinas Utama").wait_for()
    page.get_by_test_id("table-units").get_by_role("link", name="Bidang A").click()
    page.get_by_test_id("dashboard-title").filter(has_text="Bidang A").wait_for()
    assert page.get_by_test_id("kpi-employees").inner_text() == "3"
    assert "Dinas Utama" in page.get_by_test_id("breadcrumbs").inner_text()
    page.get_by_test_id("table-people").get_by_role("link", name="Agus Wibowo").click()
    page.get_by_test_id("person-name").filter(has_text="Agus Wibowo").wait_for()
    assert "Sangat Baik" in page.get_by_test_id("person-predicates").inner_text()

    # The head of Bidang A, on a phone, lands on Bidang A and cannot open Bidang B.
    phone = phone_page
    sign_in(phone, agency.head_a.nip)
    phone.goto("/wawasan/?tahun=2026&bulan=3")
    phone.get_by_test_id("dashboard-title").filter(has_text="Bidang A").wait_for()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    response = phone.goto(f"/wawasan/unit/{agency.division_b.public_id}/")
    assert response.status == 404
