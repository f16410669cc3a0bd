"""End to end in headless Chromium: register → join → attendance → certificate → verify."""

from datetime import timedelta

import pytest
from django.utils import timezone

from abdi.belajar.models import Registration, Session
from abdi.organisations.tests.factories import PASSWORD

from .factories import programme, session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/akun/masuk/")
    page.get_by_label("NIP").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()


def test_register_join_attend_certificate_verify(
    phone_page, live_server, agency, other_agency, tmp_path
):
    page = phone_page
    prog = programme(agency)
    s = session(prog, capacity=2, starts_at=timezone.now() - timedelta(minutes=5))
    # The "meeting" is a page of the live server, so the browser needs no network.
    meeting = f"{live_server.url}/belajar/"
    Session.objects.filter(pk=s.pk).update(meeting_url=meeting)
    participant = other_agency.staff_a  # an employee of another agency

    # The participant registers from a phone and sees the seat confirmed.
    sign_in(page, participant.nip)
    page.goto(f"/belajar/sesi/{s.public_id}/")
    page.get_by_test_id("seats-left").filter(has_text="2").wait_for()
    page.get_by_test_id("register").click()
    page.get_by_test_id("status").wait_for()
    assert "1" in page.get_by_test_id("seats-left").inner_text()

    # Joining goes through the platform, which records the join, then on to the meeting.
    with page.expect_popup() as popup:
        page.get_by_test_id("join").click()
    meeting_tab = popup.value
    meeting_tab.wait_for_load_state()
    assert meeting_tab.url == meeting
    meeting_tab.close()
    registration = Registration.objects.get(session=s, participant=participant.user)
    assert registration.first_seen_at is not None

    # The session ends; the organiser imports the meeting report and decides attendance.
    Session.objects.filter(pk=s.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    report = tmp_path / "laporan-zoom.csv"
    report.write_text(f"NIP,Duration (minutes)\n{participant.nip},115\n")
    sign_in(page, agency.admin.username)
    page.goto(f"/belajar/kelola/sesi/{s.public_id}/")
    page.locator("form:has(input[value=attendance]) input[type=file]").set_input_files(report)
    page.locator("form:has(input[value=attendance]) button[type=submit]").click()
    page.wait_for_load_state()
    page.get_by_test_id("close").click()
    page.get_by_test_id("roster").filter(has_text=participant.nip).wait_for()

    # The participant finds the certificate with its code and downloads the PDF.
    sign_in(page, participant.nip)
    page.goto(f"/belajar/sesi/{s.public_id}/")
    page.get_by_test_id("attended").wait_for()
    code = page.get_by_test_id("certificate-code").inner_text().strip()
    pdf = page.request.get(page.get_by_test_id("certificate").get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF-")

    # Anyone (signed out) checks the code on the public verification page.
    page.context.clear_cookies()
    page.goto(f"/v/{code}/")
    body = page.locator("main").inner_text()
    assert "Sah" in body or "Valid" in body
    assert code in body
    assert participant.nip not in body
    assert participant.full_name in body
