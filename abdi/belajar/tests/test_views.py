"""Pages: public programme pages (Open Graph, feeds), the session page, organiser pages."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from abdi.belajar import services
from abdi.belajar.models import JpEntry, Programme, Registration, Session

from .factories import MEETING, programme, session

pytestmark = pytest.mark.django_db


@pytest.fixture
def prog(agency):
    return programme(agency)


def _url(name, obj):
    return reverse(f"belajar:{name}", kwargs={"public_id": obj.public_id})


def test_programme_page_is_public_with_open_graph_tags_and_seats_left(client, prog):
    s = session(prog, capacity=40)
    response = client.get(_url("programme-detail", prog))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<meta property="og:title" content="ASN Belajar">' in html
    assert '<meta property="og:description" content="Webinar dua kali seminggu">' in html
    assert f'content="http://testserver{_url("programme-detail", prog)}"' in html
    assert s.topic in html
    assert "40 / 40" in html


def test_announcements_have_shareable_pages_and_feeds(client, agency, prog):
    announcement = services.announcement_publish(
        actor=agency.admin, programme=prog, title="Sesi baru: Literasi digital",
        body="Daftar sekarang untuk sesi Selasa.",
    )  # fmt: skip

    page = client.get(_url("announcement-detail", announcement)).content.decode()
    rss = client.get(reverse("belajar:feed-rss"))
    atom = client.get(reverse("belajar:feed-atom"))

    assert '<meta property="og:title" content="Sesi baru: Literasi digital">' in page
    assert rss["Content-Type"].startswith("application/rss+xml")
    assert b"<title>Sesi baru: Literasi digital</title>" in rss.content
    assert _url("announcement-detail", announcement).encode() in rss.content
    assert atom["Content-Type"].startswith("application/atom+xml")
    assert b'xmlns="http://www.w3.org/2005/Atom"' in atom.content
    assert b"<title>Sesi baru: Literasi digital</title>" in atom.content


def test_an_unpublished_programme_is_not_found_for_others(client, agency, prog):
    Programme.objects.filter(pk=prog.pk).update(is_published=False)
    assert client.get(_url("programme-detail", prog)).status_code == 404
    client.force_login(agency.admin)
    assert client.get(_url("programme-detail", prog)).status_code == 200


def test_registering_twice_with_the_same_form_takes_one_seat(client, other_agency, prog):
    s = session(prog, capacity=5)
    client.force_login(other_agency.staff_a.user)
    page = client.get(_url("session-detail", s)).content.decode()
    assert 'data-testid="register"' in page
    assert MEETING not in page

    for _ in range(2):
        response = client.post(_url("session-register", s), {"idempotency_key": "form-1"})
        assert response.status_code == 302

    s.refresh_from_db()
    assert s.taken == 1
    assert Registration.objects.filter(session=s).count() == 1
    page = client.get(_url("session-detail", s)).content.decode()
    assert "Seats left: 4 of 5" in page or "Kursi tersisa: 4 dari 5" in page
    assert MEETING not in page  # revealed only through the join link, while it runs


def test_a_full_session_puts_people_on_the_waiting_list(client, agency, prog):
    s = session(prog, capacity=1)
    services.registration_create(actor=agency.staff_b.user, session=s)
    client.force_login(agency.staff_a.user)

    client.post(_url("session-register", s), {"idempotency_key": "x"})

    page = client.get(_url("session-detail", s)).content.decode()
    assert (
        Registration.objects.get(session=s, participant=agency.staff_a.user).status == "waitlisted"
    )
    assert 'data-testid="status"' in page
    client.post(_url("session-cancel", s))
    assert (
        Registration.objects.get(session=s, participant=agency.staff_a.user).status == "cancelled"
    )


def test_the_join_link_records_the_join_and_redirects_to_the_meeting(client, agency, prog):
    start = timezone.now() - timedelta(minutes=10)
    s = session(prog, starts_at=start)
    user = agency.staff_a.user
    # Registration closes at the end, so it is still open while the session runs.
    services.registration_create(actor=user, session=s)
    client.force_login(user)

    response = client.get(_url("session-join", s))
    page = client.get(_url("session-detail", s)).content.decode()
    beat = client.post(_url("session-heartbeat", s))

    assert response.status_code == 302
    assert response["Location"] == MEETING
    assert Registration.objects.get(session=s, participant=user).first_seen_at is not None
    assert "belajar/presence.js" in page
    assert "data-heartbeat-url" in page
    assert beat.json() == {"recorded": True}


def test_joining_without_a_seat_is_refused(client, agency, prog):
    s = session(prog, starts_at=timezone.now() - timedelta(minutes=10))
    client.force_login(agency.staff_a.user)
    response = client.get(_url("session-join", s))
    assert response.status_code == 302
    assert response["Location"] == _url("session-detail", s)


def test_the_calendar_file_carries_the_join_link_only_for_participants(client, agency, prog):
    s = session(prog)
    anonymous = Calendar.from_ical(client.get(_url("session-calendar", s)).content)
    services.registration_create(actor=agency.staff_a.user, session=s)
    client.force_login(agency.staff_a.user)
    response = client.get(_url("session-calendar", s))
    registered = Calendar.from_ical(response.content)

    event = registered.walk("VEVENT")[0]
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert event.decoded("dtstart") == s.starts_at
    assert event.decoded("dtend") == s.ends_at
    assert str(event["uid"]) == f"{s.public_id}@abdi"
    assert _url("session-join", s) in str(event["description"])
    assert _url("session-join", s) not in str(anonymous.walk("VEVENT")[0]["description"])
    assert MEETING not in response.content.decode()


def test_organiser_pages_are_not_found_for_participants(client, agency, prog):
    s = session(prog)
    client.force_login(agency.staff_a.user)
    assert client.get(_url("programme-manage", prog)).status_code == 404
    assert client.get(_url("session-manage", s)).status_code == 404


def test_an_administrator_creates_a_programme_and_generates_sessions(client, agency):
    client.force_login(agency.admin)
    response = client.post(
        reverse("belajar:organise"),
        {"organiser": agency.instansi.code, "title": "Pelatihan Kepemimpinan",
         "attendance_threshold": 80},
    )  # fmt: skip
    created = Programme.objects.get(title="Pelatihan Kepemimpinan")
    assert response.status_code == 302
    assert created.attendance_threshold == 80

    response = client.post(
        _url("programme-manage", created),
        {"action": "generate", "topic": "Kepemimpinan", "first_day": "2026-03-01",
         "last_day": "2026-03-14", "weekdays": ["1", "3"], "at": "09:00", "minutes": "90",
         "capacity": "3000", "meeting_url": "https://meet.example.id/k"},
    )  # fmt: skip

    assert response.status_code == 302
    assert Session.objects.filter(programme=created).count() == 4


def test_generate_form_errors_are_shown(client, agency, prog):
    client.force_login(agency.admin)
    response = client.post(
        _url("programme-manage", prog),
        {"action": "generate", "topic": "X", "first_day": "2026-03-02", "last_day": "2026-03-02",
         "weekdays": ["1"], "at": "09:00", "minutes": "90", "capacity": "10",
         "meeting_url": "https://meet.example.id/k"},
    )  # fmt: skip
    assert response.status_code == 422
    assert not Session.objects.exists()


def test_the_organiser_imports_closes_and_revokes_from_the_session_page(
    client, agency, prog, django_capture_on_commit_callbacks
):
    start = timezone.now() - timedelta(hours=3)
    s = session(prog, starts_at=start, minutes=120, jp=Decimal(2))
    Session.objects.filter(pk=s.pk).update(starts_at=start)
    client.force_login(agency.admin)
    # Registration closed with the session's end: seats come from before it.
    for employee in (agency.staff_a, agency.staff_b):
        registration = Registration.objects.create(
            session=s, participant=employee.user, employee=employee, status="confirmed",
            queued_at=start - timedelta(days=1), confirmed_at=start - timedelta(days=1),
        )  # fmt: skip
    Session.objects.filter(pk=s.pk).update(taken=2)
    report = SimpleUploadedFile(
        "laporan.csv", f"NIP;Duration (minutes)\n{agency.staff_a.nip};110\n".encode()
    )

    response = client.post(_url("session-manage", s), {"action": "attendance", "file": report})
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("session-manage", s), {"action": "close"})
    assert response.status_code == 302

    registration = Registration.objects.get(session=s, participant=agency.staff_a.user)
    assert registration.attended is True
    assert JpEntry.objects.get().jp == Decimal(2)
    certificate = registration.certificate
    page = client.get(_url("session-manage", s)).content.decode()
    assert certificate.code in page

    response = client.post(
        _url("session-manage", s),
        {"action": "revoke", "certificate": str(certificate.public_id), "reason": "Data salah"},
    )
    certificate.refresh_from_db()
    assert response.status_code == 302
    assert certificate.revoked_at is not None

    client.force_login(agency.staff_a.user)
    download = client.get(_url("certificate-download", certificate))
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    client.force_login(agency.staff_b.user)
    assert client.get(_url("certificate-download", certificate)).status_code == 404


def test_jp_pages_for_the_employee_and_their_leader(client, agency, prog):
    s = session(prog, jp=Decimal("2.5"))
    registration = services.registration_create(actor=agency.staff_a.user, session=s).registration
    Registration.objects.filter(pk=registration.pk).update(attended=True)
    JpEntry.objects.create(
        employee=agency.staff_a, registration=registration, jp=Decimal("2.5"),
        earned_on=timezone.localdate(), description="ASN Belajar: Etika",
    )  # fmt: skip

    client.force_login(agency.staff_a.user)
    mine = client.get(reverse("belajar:jp-mine")).content.decode()
    client.force_login(agency.head_a.user)
    team = client.get(reverse("belajar:jp-team")).content.decode()
    leader_view = client.get(_url("jp-employee", agency.staff_a))
    client.force_login(agency.staff_b.user)
    stranger_view = client.get(_url("jp-employee", agency.staff_a))

    assert "2.5" in mine or "2,5" in mine
    assert 'value="12"' in mine  # 2.5 of 20 JP
    assert agency.staff_a.nip in team
    assert agency.head.nip not in team
    assert leader_view.status_code == 200
    assert stranger_view.status_code == 404


def test_menu_entries(client, agency):
    client.force_login(agency.staff_a.user)
    html = client.get(reverse("belajar:programme-list")).content.decode()
    assert reverse("belajar:jp-mine") in html
    assert reverse("belajar:organise") not in html
    client.force_login(agency.admin)
    assert (
        reverse("belajar:organise")
        in client.get(reverse("belajar:programme-list")).content.decode()
    )


def test_the_admin_shows_registrations_but_never_edits_them(client, platform_admin, agency, prog):
    s = session(prog)
    registration = services.registration_create(actor=agency.staff_a.user, session=s).registration
    client.force_login(platform_admin)

    listing = client.get(reverse("admin:belajar_registration_changelist"))
    add = client.get(reverse("admin:belajar_registration_add"))
    change = client.post(
        reverse("admin:belajar_registration_change", args=[registration.pk]),
        {"status": "cancelled"},
    )

    assert listing.status_code == 200
    assert add.status_code == 403
    assert change.status_code == 403
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_citizens_are_not_offered_learning_they_cannot_join(client, citizen, agency, prog):
    client.force_login(citizen.user)
    page = client.get(reverse("belajar:programme-detail", args=[prog.public_id])).content.decode()
    assert reverse("belajar:jp-mine") not in page
    assert f'href="{reverse("belajar:programme-list")}">' not in client.get("/").content.decode()

    client.force_login(agency.staff_a.user)
    page = client.get(reverse("belajar:programme-detail", args=[prog.public_id])).content.decode()
    assert reverse("belajar:jp-mine") in page
