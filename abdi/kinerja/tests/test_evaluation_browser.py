"""End to end in headless Chromium: a calibration session and an appeal."""

import pytest
from playwright.sync_api import expect

from abdi.core.models import AuditEvent
from abdi.kinerja import services
from abdi.kinerja.models import Appeal, CalibrationSession, PeriodEvaluation
from abdi.kinerja.tests.evaluation_factories import S, U, build_team, rate
from abdi.kinerja.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_calibration_session_changes_a_predicate_and_the_curve_updates(page, agency):
    team = build_team(agency)
    for who in ("head", "head_a", "head_b", "staff_a", "staff_a2", "staff_b"):
        rate(agency, team.plans[who], 3, S, S)
    services.organisation_predicate_set(actor=agency.admin, year=team.year, predicate="baik")

    # The head of the agency opens a session for period 3.
    sign_in(page, agency.head.nip)
    page.goto("/kinerja/kalibrasi/")
    form = page.get_by_test_id("calibration-open")
    form.locator("select[name=period]").select_option("3")
    form.locator("button[type=submit]").click()
    board = page.get_by_test_id("calibration-board")
    board.wait_for()
    agency_curve = page.get_by_test_id("curve-agency")
    assert agency_curve.locator('[data-code="curve.bp_k_required"]').count() == 1
    assert page.get_by_test_id("count-baik").inner_text() == "6"

    # A change without a reason is refused in place; nothing changes.
    row = page.locator(f'[data-testid=calibration-row][data-employee="{agency.staff_a.nip}"]')
    row.locator("select[name=predicate]").select_option("kurang")
    row.locator("button[type=submit]").click()
    page.get_by_test_id("calibration-error").wait_for()
    assert page.get_by_test_id("count-kurang").inner_text() == "0"

    # With a reason the board is swapped by htmx and the curve check updates.
    row = page.locator(f'[data-testid=calibration-row][data-employee="{agency.staff_a.nip}"]')
    row.locator("select[name=predicate]").select_option("kurang")
    row.locator("input[name=reason]").fill("Laporan bulanan tidak sesuai ekspektasi")
    row.locator("button[type=submit]").click()
    expect(page.get_by_test_id("count-kurang")).to_have_text("1")
    assert (
        page.get_by_test_id("curve-agency").locator('[data-code="curve.bp_k_required"]').count()
        == 0
    )
    assert "Laporan bulanan tidak sesuai ekspektasi" in page.get_by_test_id("changes").inner_text()

    # Closing the session.
    page.get_by_test_id("calibration-close").locator("button[type=submit]").click()
    page.get_by_test_id("session-status").wait_for()
    assert CalibrationSession.objects.get().status == "closed"
    evaluation = PeriodEvaluation.objects.get(employee=agency.staff_a, period=3)
    assert (evaluation.predicate, evaluation.predicate_source) == ("kurang", "calibration")
    assert AuditEvent.objects.filter(action="kinerja.calibration.changed").count() == 1
    assert AuditEvent.objects.filter(action="kinerja.calibration.closed").count() == 1


def test_employee_appeals_and_the_leaders_leader_grants_it(page, agency):
    team = build_team(agency)
    rate(agency, team.plans["staff_a2"], 3, U, S)  # Butuh Perbaikan
    services.consequence_rule_add(
        actor=agency.admin, instansi=agency.instansi, trigger="butuh_perbaikan", effect="tpp",
        tpp_percent=90, description="Butuh Perbaikan: TPP 90%",
    )  # fmt: skip
    services.period_close(actor=agency.admin, year=team.year, period=3)

    # The employee sees the predicate and its consequence, and appeals.
    sign_in(page, agency.staff_a2.nip)
    page.goto("/kinerja/riwayat/")
    assert "Butuh Perbaikan: TPP 90%" in page.get_by_test_id("consequences").inner_text()
    page.locator("details summary").click()
    form = page.get_by_test_id("appeal-form")
    form.locator("select[name=requested]").select_option("baik")
    form.locator("textarea[name=reason]").fill("Realisasi Maret belum terhitung")
    form.locator("button[type=submit]").click()
    page.get_by_test_id("appeal-status").wait_for()
    assert Appeal.objects.get().status == "filed"

    # The leader's leader (the head of the agency) decides.
    sign_in(page, agency.head.nip)
    page.goto("/kinerja/keberatan/")
    appeal = page.get_by_test_id("appeal")
    assert "Realisasi Maret belum terhitung" in appeal.inner_text()
    decide = appeal.get_by_test_id("appeal-decide-form")
    decide.locator("select[name=decision]").select_option("grant")
    decide.locator("select[name=predicate]").select_option("baik")
    decide.locator("input[name=reason]").fill("Bukti realisasi lengkap")
    decide.locator("button[type=submit]").click()
    page.wait_for_load_state()

    # The employee sees the new predicate and no consequence any more.
    sign_in(page, agency.staff_a2.nip)
    page.goto("/kinerja/riwayat/")
    assert page.get_by_test_id("history-predicate").inner_text() == "Baik"
    assert page.get_by_test_id("consequences").count() == 0
    assert "Bukti realisasi lengkap" in page.get_by_test_id("appeal-status").inner_text()
