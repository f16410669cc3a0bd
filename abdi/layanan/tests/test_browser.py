"""End to end on a 360-px phone: apply, correction, completion, verification, survey.

Then the unit's IKM and the officer's SKP indicator bound to "cases completed" show it.
"""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from abdi.kinerja import tasks as kinerja_tasks
from abdi.kinerja.models import Realisation
from abdi.kinerja.tests.factories import build_cascade
from abdi.layanan import metrics
from abdi.layanan.models import Application
from abdi.layanan.tests.factories import PDF, make_service
from abdi.organisations.tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/akun/masuk/")
    page.get_by_label("NIP").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()


def open_case(page, code: str) -> None:
    page.goto("/layanan/antrean/")
    page.get_by_test_id("queue").get_by_role("link", name=code).click()


def test_citizen_applies_on_a_phone_and_the_case_runs_to_the_survey(
    phone_page, agency, citizen, tmp_path
):
    page = phone_page
    make_service(agency)
    cascade = build_cascade(agency, staff_metric="layanan.cases_completed")
    blurred = tmp_path / "kk-buram.pdf"
    blurred.write_bytes(PDF)
    sharp = tmp_path / "kk-jelas.pdf"
    sharp.write_bytes(PDF + b"% jelas\n")

    # The citizen applies from the catalogue on a phone.
    sign_in(page, citizen.user.username)
    page.goto("/layanan/")
    page.get_by_role("link", name="KTP-el Baru").click()
    page.get_by_test_id("apply").click()
    form = page.get_by_test_id("apply-form")
    form.get_by_label("Nomor KK").fill("3404071403920003")
    form.locator("input[name=d_kk]").set_input_files(str(blurred))
    form.get_by_test_id("submit").click()
    code = page.get_by_test_id("tracking-code").inner_text()
    expect(page.get_by_test_id("status-submitted")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    application = Application.objects.get()
    assert application.display_code == code

    # The officer takes the case, refuses the blurred file and asks for a correction.
    sign_in(page, agency.staff_a.nip)
    open_case(page, code)
    page.get_by_test_id("claim").click()
    document = page.get_by_test_id("document")
    document.locator("select[name=accepted]").select_option("0")
    document.locator("input[name=note]").fill("KK buram")
    document.get_by_test_id("check").click()
    assert page.get_by_test_id("document-status").inner_text() == "Perlu berkas baru"
    page.get_by_test_id("correction-request").locator("textarea").fill(
        "Unggah ulang KK yang terbaca jelas."
    )
    page.get_by_test_id("request-correction").click()
    page.get_by_test_id("status-needs_correction").wait_for()

    # The citizen reads the request and sends a sharp copy.
    sign_in(page, citizen.user.username)
    page.goto("/layanan/saya/")
    page.get_by_test_id("my-application").get_by_role("link").click()
    assert "terbaca jelas" in page.get_by_test_id("correction-note").inner_text()
    correction = page.get_by_test_id("correction-form")
    correction.locator("input[name=d_kk]").set_input_files(str(sharp))
    correction.get_by_test_id("resubmit").click()
    page.get_by_test_id("status-in_review").wait_for()

    # The officer accepts the new file, approves and completes with the product PDF.
    sign_in(page, agency.staff_a.nip)
    open_case(page, code)
    page.get_by_test_id("document").get_by_test_id("check").click()
    page.get_by_test_id("approve").click()
    page.get_by_test_id("complete").click()
    page.get_by_test_id("status-completed").wait_for()

    # The citizen opens the product's verification address and fills in the survey.
    sign_in(page, citizen.user.username)
    page.goto(f"/layanan/permohonan/{application.public_id}/")
    pdf = page.request.get(page.get_by_test_id("product").get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF-")
    page.get_by_test_id("verify-url").click()
    expect(page.locator("[data-verdict=valid]")).to_be_visible()
    assert "Warga Contoh" in page.locator("[data-verdict=valid]").inner_text()
    page.go_back()
    page.get_by_test_id("survey-link").click()
    for index in range(1, 10):
        page.locator(f"input[name=u{index}][value='4']").check()
    page.get_by_test_id("survey-submit").click()
    assert page.get_by_test_id("survey-link").count() == 0

    # The unit's IKM and the officer's bound indicator reflect the case.
    today = agency.instansi.local_date()
    month = (today.replace(day=1), today)
    assert metrics.unit_ikm(agency.division_a, *month) == Decimal("100.00")
    kinerja_tasks.refresh_bound_indicators()
    realisation = Realisation.objects.get(indicator=cascade.staff_indicator, period=today.month)
    assert realisation.value == Decimal(1)
    assert realisation.computed

    # The unit head sees the IKM on the survey report.
    sign_in(page, agency.head_a.nip)
    page.goto(f"/layanan/ikm/?start={today.replace(day=1)}&end={today}")
    assert page.get_by_test_id("ikm-value").inner_text() == "100,00"  # id locale
    assert page.get_by_test_id("ikm-grade").inner_text() == "A"
