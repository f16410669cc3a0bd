"""End to end in headless Chromium: sign in, see the unit tree, see one's orbit."""

import pytest
from playwright.sync_api import expect

from abdi.organisations.tests.factories import PASSWORD, make_nik

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, username: str) -> None:
    page.goto("/akun/masuk/")
    page.get_by_label("NIP").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()


def test_agency_admin_signs_in_and_sees_the_unit_tree(page, agency):
    sign_in(page, agency.admin.username)

    page.get_by_role("link", name="Organisasi").first.click()

    tree = page.get_by_test_id("unit-tree")
    for unit in (agency.root, agency.division_a, agency.division_b):
        expect(tree.get_by_role("link", name=unit.name)).to_be_visible()
    assert "Kepala Bidang A: Budi Santoso" in tree.inner_text()

    tree.get_by_role("link", name="Bidang A").click()
    expect(page.get_by_role("heading", name="Bidang A")).to_be_visible()
    staff = page.get_by_test_id("unit-employees")
    expect(staff.get_by_role("link", name="Agus Wibowo")).to_be_visible()
    positions = page.get_by_test_id("positions")
    expect(positions.get_by_role("link", name="Agus Wibowo")).to_be_visible()


def test_employee_signs_in_with_spaced_nip_and_sees_leader_and_subordinates(page, agency):
    nip = agency.head_a.nip
    spaced = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"

    sign_in(page, spaced)
    page.goto("/organisasi/profil/")

    assert page.get_by_test_id("nip").inner_text() == nip
    assert page.get_by_test_id("leader").inner_text().startswith("Siti Rahmawati")
    subordinates = page.get_by_test_id("subordinates").inner_text()
    assert "Agus Wibowo" in subordinates
    assert "Rina Marlina" in subordinates
    assert "Hendra Gunawan" not in subordinates


def test_citizen_registers_on_a_phone_with_a_validated_nik(phone_page, db):
    page = phone_page
    page.goto("/akun/daftar/")
    page.locator("input[name=identifier]").fill("0812 3456 7890")
    page.locator("input[name=name]").fill("Putri Ayu Lestari")
    page.locator("input[name=nik]").fill("3404011234")
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.locator("form button[type=submit]").click()

    expect(page.locator(".errorlist").first).to_be_visible()
    assert page.locator("input[name=name]").input_value() == "Putri Ayu Lestari"

    nik = make_nik(female=True)
    page.locator("input[name=nik]").fill(nik)
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.locator("form button[type=submit]").click()

    page.wait_for_url("**/akun/saya/")
    body = page.locator("main").inner_text()
    assert f"{nik[:4]}********{nik[-4:]}" in body
    assert "+6281234567890" in body
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
