"""Services: organising, registering (seats, waiting list, idempotency), imports, attendance,
JP and certificates."""

import io
from datetime import date, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from abdi.belajar import certificates, selectors, services
from abdi.belajar.choices import Outcome, RegistrationStatus, SessionStatus
from abdi.belajar.exceptions import BelajarErrorCode
from abdi.belajar.models import JpEntry, Registration, Session
from abdi.core.exceptions import ConflictError, PermissionDeniedError, ValidationError
from abdi.core.models import AuditEvent, Notification

from .factories import participants, pdf_text, programme, session

pytestmark = pytest.mark.django_db


@pytest.fixture
def prog(agency):
    return programme(agency)


# --- Organising --------------------------------------------------------------------------------


def test_only_the_agencys_administrators_start_a_programme(agency, other_agency):
    for outsider in (agency.staff_a.user, other_agency.admin):
        with pytest.raises(PermissionDeniedError) as exc:
            services.programme_create(actor=outsider, organiser=agency.instansi, title="X")
        assert exc.value.code == BelajarErrorCode.NOT_ORGANISER

    created = services.programme_create(actor=agency.admin, organiser=agency.instansi, title="X")

    assert created.attendance_threshold == 75
    assert AuditEvent.objects.filter(action="belajar.programme.created").count() == 1


def test_a_designated_employee_organises_sessions(agency, prog, other_agency):
    organiser = agency.staff_b.user
    with pytest.raises(PermissionDeniedError):
        services.session_create(
            actor=organiser, programme=prog, topic="T", starts_at=_soon(), ends_at=_soon(2),
            capacity=5, meeting_url="https://meet.example.id/x",
        )  # fmt: skip

    services.programme_add_organiser(actor=agency.admin, programme=prog, user=organiser)
    created = services.session_create(
        actor=organiser, programme=prog, topic="T", starts_at=_soon(), ends_at=_soon(2),
        capacity=5, meeting_url="https://meet.example.id/x",
    )  # fmt: skip

    assert created.jp == Decimal("1.33")  # 60 minutes at 45 minutes per JP, rounded down
    with pytest.raises(PermissionDeniedError):
        services.session_create(
            actor=other_agency.admin, programme=prog, topic="T", starts_at=_soon(),
            ends_at=_soon(2), capacity=5, meeting_url="https://meet.example.id/x",
        )  # fmt: skip


def _soon(hours: int = 1):
    from django.utils import timezone

    return (timezone.now() + timedelta(days=3, hours=hours)).replace(microsecond=0)


def test_tuesday_and_thursday_sessions_are_generated_at_nine_wib(agency, prog):
    sessions = services.sessions_generate(
        actor=agency.admin, programme=prog, topic="ASN Belajar", first_day=date(2026, 3, 1),
        last_day=date(2026, 3, 31), weekdays=[1, 3], at=time(9, 0), minutes=90,
        capacity=3000, meeting_url="https://meet.example.id/asn", jp=Decimal(2),
    )  # fmt: skip

    assert len(sessions) == 9
    assert Session.objects.filter(programme=prog).count() == 9
    first = Session.objects.filter(programme=prog).first()
    assert first.starts_at.isoformat() == "2026-03-03T02:00:00+00:00"
    assert first.minutes == 90
    assert first.capacity == 3000
    assert len({s.checkin_code for s in Session.objects.all()}) > 1


def test_generating_nothing_is_refused(agency, prog):
    with pytest.raises(ValidationError) as exc:
        services.sessions_generate(
            actor=agency.admin, programme=prog, topic="X", first_day=date(2026, 3, 2),
            last_day=date(2026, 3, 2), weekdays=[1], at=time(9), minutes=90, capacity=10,
            meeting_url="https://meet.example.id/x",
        )  # fmt: skip
    assert exc.value.code == BelajarErrorCode.RECURRENCE_INVALID
    assert not Session.objects.exists()


# --- Registration ------------------------------------------------------------------------------


def test_an_employee_of_another_agency_takes_a_seat_once(prog, other_agency):
    s = session(prog, capacity=2)
    user = other_agency.staff_a.user

    first = services.registration_create(actor=user, session=s)
    again = services.registration_create(actor=user, session=s)

    s.refresh_from_db()
    assert first.outcome == Outcome.CONFIRMED
    assert again.outcome == Outcome.ALREADY
    assert again.registration == first.registration
    assert s.taken == 1
    assert s.seats_left == 1
    assert first.registration.employee == other_agency.staff_a


def test_a_citizen_cannot_register(prog, citizen):
    s = session(prog)
    with pytest.raises(PermissionDeniedError) as exc:
        services.registration_create(actor=citizen.user, session=s)
    assert exc.value.code == BelajarErrorCode.NOT_EMPLOYEE
    assert not Registration.objects.exists()


def test_a_full_session_queues_and_a_cancellation_promotes_the_first_in_line(
    agency, prog, django_capture_on_commit_callbacks
):
    s = session(prog, capacity=2)
    users = participants(agency.instansi, 5)
    results = [services.registration_create(actor=u, session=s) for u in users]

    assert [r.outcome for r in results] == [
        "confirmed",
        "confirmed",
        "waitlisted",
        "waitlisted",
        "waitlisted",
    ]
    assert [selectors.waitlist_position(r.registration) for r in results] == [None, None, 1, 2, 3]

    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(actor=users[0], registration=results[0].registration)

    s.refresh_from_db()
    statuses = [Registration.objects.get(pk=r.registration.pk).status for r in results]
    assert statuses == ["cancelled", "confirmed", "confirmed", "waitlisted", "waitlisted"]
    assert s.taken == 2
    promoted = Notification.objects.get(recipient=users[2])
    assert s.topic in promoted.subject
    assert selectors.waitlist_position(Registration.objects.get(pk=results[4].registration.pk)) == 2

    # A waiting person who cancels frees no seat; the order of the others holds.
    services.registration_cancel(actor=users[3], registration=results[3].registration)
    s.refresh_from_db()
    assert s.taken == 2
    assert selectors.waitlist_position(Registration.objects.get(pk=results[4].registration.pk)) == 1


def test_a_full_session_queues_without_first_writing_a_seat_it_must_undo(agency, prog):
    s = session(prog, capacity=1)
    a, b = participants(agency.instansi, 2)
    services.registration_create(actor=a, session=s)

    # ``s`` was read before the seat went: the fast path must find out and not write.
    with CaptureQueriesContext(connection) as queries:
        result = services.registration_create(actor=b, session=s)

    assert result.outcome == Outcome.WAITLISTED
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    assert [sql.split()[2] for sql in writes] == [
        '"belajar_registration"',
        '"core_auditevent"',
    ]


def test_a_free_seat_is_taken_with_writes_only_and_the_seat_last(agency, prog):
    s = session(prog, capacity=2)

    with CaptureQueriesContext(connection) as queries:
        result = services.registration_create(
            actor=agency.staff_a.user, session=s, idempotency_key="tap-1"
        )

    assert result.outcome == Outcome.CONFIRMED
    statements = [
        " ".join(q["sql"].split()[:3])
        for q in queries.captured_queries
        if q["sql"].startswith(("SELECT", "INSERT", "UPDATE", "DELETE"))
    ]
    # The employee is read before the transaction; inside it nothing is read, the key is
    # stored with its answer in one write, and the seat is the last statement.
    assert statements[0].startswith("SELECT")
    assert statements[1:] == [
        'INSERT INTO "belajar_registration"',
        'INSERT INTO "core_auditevent"',
        'INSERT INTO "belajar_idempotencyrecord"',
        'UPDATE "belajar_session" SET',
    ]


def test_a_session_read_as_full_still_gives_a_seat_freed_meanwhile(agency, prog):
    s = session(prog, capacity=1)
    s.taken = 1  # as a request would have read it just before a cancellation

    result = services.registration_create(actor=agency.staff_a.user, session=s)

    s.refresh_from_db()
    assert result.outcome == Outcome.CONFIRMED
    assert (s.taken, result.registration.session.seats_left) == (1, 0)


def test_cancelling_twice_is_harmless_and_registering_again_queues_at_the_end(agency, prog):
    s = session(prog, capacity=1)
    a, b = participants(agency.instansi, 2)
    first = services.registration_create(actor=a, session=s).registration
    services.registration_create(actor=b, session=s)

    services.registration_cancel(actor=a, registration=first)
    services.registration_cancel(actor=a, registration=first)
    back = services.registration_create(actor=a, session=s)

    s.refresh_from_db()
    assert s.taken == 1
    assert back.outcome == Outcome.WAITLISTED
    assert back.registration.pk == first.pk
    assert Registration.objects.get(session=s, participant=b).status == RegistrationStatus.CONFIRMED


def test_only_the_participant_or_an_organiser_cancels(agency, prog):
    s = session(prog)
    registration = services.registration_create(actor=agency.staff_a.user, session=s).registration
    with pytest.raises(PermissionDeniedError):
        services.registration_cancel(actor=agency.staff_b.user, registration=registration)

    services.registration_cancel(actor=agency.admin, registration=registration)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED


def test_an_idempotency_key_replays_the_first_answer(agency, prog):
    s = session(prog, capacity=1)
    user = agency.staff_a.user

    first = services.registration_create(actor=user, session=s, idempotency_key="k-1")
    replay = services.registration_create(actor=user, session=s, idempotency_key="k-1")

    assert (first.outcome, first.replayed) == ("confirmed", False)
    assert (replay.outcome, replay.replayed) == ("confirmed", True)
    assert replay.registration == first.registration
    s.refresh_from_db()
    assert s.taken == 1


def test_an_idempotency_key_reused_for_another_request_is_refused(agency, prog):
    s1, s2 = session(prog), session(prog, topic="Lain")
    user = agency.staff_a.user
    services.registration_create(actor=user, session=s1, idempotency_key="k-2")

    with pytest.raises(ValidationError) as exc:
        services.registration_create(actor=user, session=s2, idempotency_key="k-2")

    assert exc.value.code == BelajarErrorCode.KEY_REUSED
    assert not Registration.objects.filter(session=s2).exists()


def test_keys_belong_to_their_user(agency, prog):
    s = session(prog)
    a = services.registration_create(actor=agency.staff_a.user, session=s, idempotency_key="same")
    b = services.registration_create(actor=agency.staff_b.user, session=s, idempotency_key="same")

    assert a.registration != b.registration
    assert not b.replayed


def test_registration_closes_when_the_session_ends(agency, prog):
    s = session(prog)
    with pytest.raises(ConflictError) as exc:
        services.registration_create(actor=agency.staff_a.user, session=s, now=s.ends_at)
    assert exc.value.code == BelajarErrorCode.SESSION_CLOSED


# --- The organiser's import -------------------------------------------------------------------


def _xlsx(rows):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_importing_registrants_uses_the_same_seats(agency, other_agency, prog):
    s = session(prog, capacity=2)
    services.registration_create(actor=agency.staff_a.user, session=s)
    content = (
        "nip;email\n"
        f"{other_agency.staff_a.nip};\n"
        f";{agency.staff_b.user.email or 'x'}\n"
        f"{agency.staff_a.nip};\n"
        f"{agency.head.nip};\n"
        "199001012020011999;\n"
    ).encode()
    agency.staff_b.user.email = "hendra@example.id"
    agency.staff_b.user.save()
    content = content.replace(b";x\n", b";HENDRA@example.id\n")

    summary = services.registrants_import(
        actor=agency.admin, session=s, content=content, filename="peserta.csv"
    )

    s.refresh_from_db()
    assert (summary.confirmed, summary.waitlisted, summary.already) == (1, 2, 1)
    assert [number for number, _text in summary.problems] == [6]
    assert s.taken == 2
    assert Registration.objects.filter(session=s, source="import").count() == 3


def test_importing_from_excel_needs_an_organiser(agency, prog):
    s = session(prog)
    content = _xlsx([["NIP"], [agency.staff_a.nip]])
    with pytest.raises(PermissionDeniedError):
        services.registrants_import(
            actor=agency.staff_b.user, session=s, content=content, filename="a.xlsx"
        )

    summary = services.registrants_import(
        actor=agency.admin, session=s, content=content, filename="a.xlsx"
    )
    assert summary.confirmed == 1


def test_an_unreadable_file_is_refused(agency, prog):
    s = session(prog)
    with pytest.raises(ValidationError) as exc:
        services.registrants_import(
            actor=agency.admin, session=s, content=b"\x00\xff", filename="a.xlsx"
        )
    assert exc.value.code == BelajarErrorCode.IMPORT_FILE


# --- Attendance, JP, certificates ------------------------------------------------------------


@pytest.fixture
def running(agency, prog):
    """A two-hour session with three confirmed participants."""
    s = session(prog, capacity=10, jp=Decimal(2))
    users = [agency.staff_a.user, agency.staff_a2.user, agency.staff_b.user]
    for user in users:
        services.registration_create(actor=user, session=s)
    return s, users


def test_joining_records_presence_and_returns_the_meeting_link(running):
    s, (a, _b, _c) = running
    with pytest.raises(ConflictError) as exc:
        services.attendance_join(actor=a, session=s, now=s.starts_at - timedelta(hours=1))
    assert exc.value.code == BelajarErrorCode.SESSION_NOT_STARTED

    link = services.attendance_join(actor=a, session=s, now=s.starts_at + timedelta(minutes=5))
    assert services.attendance_heartbeat(
        actor=a, session=s, now=s.starts_at + timedelta(minutes=100)
    )

    registration = Registration.objects.get(session=s, participant=a)
    assert link == s.meeting_url
    assert registration.first_seen_at == s.starts_at + timedelta(minutes=5)
    assert registration.last_seen_at == s.starts_at + timedelta(minutes=100)


def test_only_confirmed_participants_join(running, agency):
    s, _users = running
    with pytest.raises(PermissionDeniedError) as exc:
        services.attendance_join(actor=agency.head.user, session=s, now=s.starts_at)
    assert exc.value.code == BelajarErrorCode.NOT_REGISTERED


def test_check_in_needs_the_sessions_code(running):
    s, (a, _b, _c) = running
    with pytest.raises(ValidationError) as exc:
        services.attendance_checkin(
            actor=a,
            session=s,
            code="000000" if s.checkin_code != "000000" else "111111",
            now=s.starts_at,
        )
    assert exc.value.code == BelajarErrorCode.CHECKIN_CODE

    services.attendance_checkin(actor=a, session=s, code=s.checkin_code, now=s.starts_at)
    services.attendance_checkin(
        actor=a, session=s, code=s.checkin_code, now=s.ends_at - timedelta(minutes=5)
    )
    registration = Registration.objects.get(session=s, participant=a)
    assert registration.attendance_source == "checkin"
    assert (registration.last_seen_at - registration.first_seen_at) == timedelta(minutes=115)


def test_closing_decides_attendance_credits_jp_once_and_issues_certificates(
    running, agency, django_capture_on_commit_callbacks
):
    s, (a, b, c) = running
    services.attendance_join(actor=a, session=s, now=s.starts_at)
    services.attendance_heartbeat(actor=a, session=s, now=s.starts_at + timedelta(minutes=95))
    services.attendance_join(actor=b, session=s, now=s.starts_at)
    services.attendance_heartbeat(actor=b, session=s, now=s.starts_at + timedelta(minutes=60))
    with pytest.raises(ConflictError):
        services.session_close(actor=agency.admin, session=s, now=s.starts_at)

    with django_capture_on_commit_callbacks(execute=True):
        attendees = services.session_close(actor=agency.admin, session=s, now=s.ends_at)
    with django_capture_on_commit_callbacks(execute=True):
        services.session_close(actor=None, session=s, now=s.ends_at + timedelta(hours=1))

    s.refresh_from_db()
    ra = Registration.objects.get(session=s, participant=a)
    rb = Registration.objects.get(session=s, participant=b)
    assert s.status == SessionStatus.CLOSED
    assert attendees == [ra.pk]
    assert (ra.minutes_present, ra.attended) == (95, True)
    assert (rb.minutes_present, rb.attended) == (60, False)
    assert Registration.objects.get(session=s, participant=c).attended is False
    entry = JpEntry.objects.get()
    assert (entry.employee, entry.jp) == (agency.staff_a, Decimal(2))
    progress = selectors.jp_progress_for(
        actor=a, employee=agency.staff_a, year=entry.earned_on.year
    )
    assert (progress.earned, progress.remaining, progress.percent) == (Decimal(2), Decimal(18), 10)

    certificate = ra.certificate
    document = certificates.certificate_document(certificate)
    assert certificate.code == document.display_code
    assert document.holder.startswith("Agus Wibowo (NIP ")
    assert agency.staff_a.nip not in document.holder
    pdf = document.file.read()
    text = pdf_text(pdf)
    assert "SERTIFIKAT" in text
    assert "Agus Wibowo" in text
    assert s.topic in text
    assert document.display_code in text
    assert document.url in text.replace("\n", "")
    assert not certificates.Certificate.objects.filter(registration=rb).exists()


def test_a_late_attendance_report_decides_again(
    running, agency, django_capture_on_commit_callbacks
):
    s, (_a, b, _c) = running
    b.email = "hendra@example.id"
    b.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        services.session_close(actor=agency.admin, session=s, now=s.ends_at)
    assert not JpEntry.objects.exists()
    start = s.starts_at.astimezone(ZoneInfo("Asia/Jakarta")).replace(tzinfo=None)
    stamp = "%Y-%m-%d %H:%M:%S"
    report = (
        "Email,Join time,Leave time,Duration (minutes)\n"
        f"HENDRA@example.id,{start:{stamp}},{start + timedelta(minutes=50):{stamp}},50\n"
        f"hendra@example.id,{start + timedelta(minutes=40):{stamp}},"
        f"{start + timedelta(minutes=130):{stamp}},90\n"
        "someone@else.id,,,100\n"
    ).encode()

    with django_capture_on_commit_callbacks(execute=True):
        summary = services.attendance_import(
            actor=agency.admin, session=s, content=report, filename="zoom.csv"
        )

    rb = Registration.objects.get(session=s, participant=b)
    assert summary.updated == 1
    assert [number for number, _text in summary.problems] == [4]
    assert (rb.reported_minutes, rb.attended) == (120, True)
    assert JpEntry.objects.get().employee == agency.staff_a2
    assert certificates.Certificate.objects.filter(registration=rb).exists()


def test_a_report_by_nip_with_durations_only(running, agency):
    s, _users = running
    content = _xlsx([["NIP", "Durasi (menit)"], [agency.staff_a.nip, 40], [agency.staff_a.nip, 55]])

    services.attendance_import(
        actor=agency.admin, session=s, content=content, filename="hadir.xlsx"
    )
    services.session_close(actor=agency.admin, session=s, now=s.ends_at)

    ra = Registration.objects.get(session=s, participant=agency.staff_a.user)
    assert (ra.reported_minutes, ra.attended) == (95, True)


def test_organisers_revoke_certificates_and_participants_cannot(
    running, agency, django_capture_on_commit_callbacks
):
    s, (a, _b, _c) = running
    services.attendance_join(actor=a, session=s, now=s.starts_at)
    services.attendance_heartbeat(actor=a, session=s, now=s.ends_at)
    with django_capture_on_commit_callbacks(execute=True):
        services.session_close(actor=agency.admin, session=s, now=s.ends_at)
    certificate = Registration.objects.get(session=s, participant=a).certificate

    with pytest.raises(PermissionDeniedError):
        certificates.certificate_revoke(actor=a, certificate=certificate, reason="x")
    certificates.certificate_revoke(
        actor=agency.admin, certificate=certificate, reason="Data salah"
    )

    certificate.refresh_from_db()
    assert certificate.revoked_at is not None
    assert certificates.certificate_document(certificate).is_revoked
    with pytest.raises(ConflictError):
        certificates.certificate_revoke(actor=agency.admin, certificate=certificate, reason="lagi")


def test_no_certificate_without_attendance(running):
    s, (a, _b, _c) = running
    registration = Registration.objects.get(session=s, participant=a)
    with pytest.raises(ConflictError) as exc:
        certificates.certificate_issue(actor=None, registration=registration)
    assert exc.value.code == BelajarErrorCode.NOT_ATTENDED


# --- Messages -------------------------------------------------------------------------------


def test_the_organiser_messages_every_registrant_once(
    running, agency, django_capture_on_commit_callbacks
):
    s, users = running
    with pytest.raises(PermissionDeniedError):
        services.session_message_send(actor=users[0], session=s, subject="x", body="y")

    with django_capture_on_commit_callbacks(execute=True):
        message = services.session_message_send(
            actor=agency.admin, session=s, subject="Tautan berubah", body="Gunakan tautan baru."
        )
    from abdi.belajar.tasks import deliver_session_message

    assert deliver_session_message(message.pk) == 0  # a second run sends nothing more
    assert message.recipients == 3
    assert Notification.objects.filter(subject="Tautan berubah").count() == 3
    assert len([m for m in mail.outbox if m.subject == "Tautan berubah"]) == sum(
        1 for u in users if u.email
    )
