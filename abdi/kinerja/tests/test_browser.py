"""End to end in headless Chromium: plan, cascade, approve, report, see the roll-up."""

from datetime import date

import pytest

from abdi.kinerja import services
from abdi.kinerja.choices import Perspective
from abdi.kinerja.models import SkpPlan
from abdi.kinerja.tests.factories import open_year
from abdi.organisations.tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def sign_in(page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/akun/masuk/")
    page.get_by_label("NIP").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()


def add_result(page, text: str, *, cascade: str, parent: str = "", perspective: str = "") -> None:
    """Fill the add-result form (htmx swaps the plan in place)."""
    form = page.get_by_test_id("rhk-form")
    form.locator("[name=text]").fill(text)
    form.locator("select[name=cascade]").select_option(cascade)
    if parent:
        form.locator("select[name=parent]").select_option(label=parent)
    if perspective:
        form.locator("select[name=perspective]").select_option(perspective)
    form.get_by_test_id("rhk-add").click()
    page.get_by_test_id("rhk").filter(has_text=text).wait_for()


def add_indicator(page, result: str, text: str, target: str, unit: str) -> None:
    rhk = page.get_by_test_id("rhk").filter(has_text=result)
    rhk.get_by_test_id("indicator-toggle").click()
    form = rhk.get_by_test_id("indicator-form")
    form.locator("select[name$=-aspect]").select_option("kuantitas")
    form.locator("[name$=-text]").fill(text)
    form.locator("[name$=-target]").fill(target)
    form.locator("[name$=-unit]").fill(unit)
    form.locator("button[type=submit]").click()
    page.get_by_test_id("indicator").filter(has_text=text).wait_for()


def test_plan_cascade_approve_report_and_roll_up(page, agency, tmp_path):
    open_year(agency, plan_deadline=date(2099, 12, 31))
    head_result = "Indeks pelayanan publik meningkat"
    a_result = "Layanan bidang A tepat waktu"

    # The head of the agency plans an own result with an indicator and submits.
    sign_in(page, agency.head.nip)
    page.goto("/kinerja/")
    page.get_by_test_id("plan-create").click()
    add_result(page, head_result, cascade="own", perspective=Perspective.PENERIMA_LAYANAN.value)
    add_indicator(page, head_result, "Nilai indeks kepuasan", "100", "indeks")
    page.get_by_test_id("plan-submit").click()
    page.get_by_test_id("status-submitted").wait_for()

    # The head has no leader inside the agency: the administrator records the approval.
    head_plan = SkpPlan.objects.get(employee=agency.head, is_current=True)
    services.plan_approve(actor=agency.admin, plan=head_plan)

    # head_a cascades a result from the head's and submits.
    sign_in(page, agency.head_a.nip)
    page.goto("/kinerja/")
    page.get_by_test_id("plan-create").click()
    add_result(page, a_result, cascade="derived", parent=head_result)
    assert head_result in page.get_by_test_id("rhk-parent").inner_text()
    add_indicator(page, a_result, "Jumlah layanan tepat waktu", "10", "layanan")
    page.get_by_test_id("plan-submit").click()
    page.get_by_test_id("status-submitted").wait_for()

    # The head, head_a's direct leader, finds the plan on the team page and approves it.
    sign_in(page, agency.head.nip)
    page.goto("/kinerja/tim/")
    page.get_by_test_id("team").get_by_role("link", name="Budi Santoso").click()
    page.get_by_test_id("plan-approve").click()
    page.get_by_test_id("status-approved").wait_for()

    # head_a records the first period's realisation with a PDF as evidence.
    evidence = tmp_path / "laporan-januari.pdf"
    evidence.write_bytes(PDF)
    sign_in(page, agency.head_a.nip)
    page.goto("/kinerja/")
    rhk = page.get_by_test_id("rhk").filter(has_text=a_result)
    rhk.get_by_test_id("realisation-toggle").click()
    form = rhk.get_by_test_id("realisation-form")
    form.locator("select[name$=-period]").select_option("1")
    form.locator("[name$=-value]").fill("5")
    form.locator("input[type=file]").set_input_files(str(evidence))
    form.locator("button[type=submit]").click()
    page.get_by_test_id("evidence").filter(has_text="laporan-januari.pdf").wait_for()
    assert page.get_by_test_id("rhk-progress").inner_text() == "50%"

    # The head sees head_a's progress rolled up on his own result in the cascade.
    sign_in(page, agency.head.nip)
    page.goto("/kinerja/kaskade/")
    top = page.get_by_test_id("cascade-node").filter(has_text=head_result).first
    assert top.get_by_test_id("cascade-progress").first.inner_text() == "50%"
    child = (
        page.get_by_test_id("cascade-node")
        .filter(has_text=a_result)
        .filter(has_not_text=head_result)
    )
    assert "Budi Santoso" in child.inner_text()
    assert child.get_by_test_id("cascade-progress").inner_text() == "50%"
