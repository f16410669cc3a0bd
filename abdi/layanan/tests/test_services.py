"""Services: applying, the workflow with its SLA clock, surveys, slots, the breach sweep."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from abdi.core.exceptions import ConflictError, PermissionDeniedError, ValidationError
from abdi.core.models import AuditEvent, Notification
from abdi.layanan import services
from abdi.layanan.choices import ApplicationStatus, DocumentStatus
from abdi.layanan.models import Application, ApplicationDocument, StatusChange, Survey
from abdi.layanan.tests.factories import NOW, PDF, PNG, make_service, pdf, submit
from abdi.organisations.tests.factories import build_citizen

pytestmark = pytest.mark.django_db


def in_review(application: Application, officer: Any) -> Application:
    return services.application_claim(actor=officer, application=application)


def accept_all(application: Application, officer: Any) -> None:
    for document in application.documents.filter(replaced=False):
        services.document_check(actor=officer, document=document, accepted=True)


# --- Catalogue -------------------------------------------------------------------------------


def test_only_agency_admins_publish_services(agency: Any, employee_user: Any) -> None:
    with pytest.raises(PermissionDeniedError) as exc:
        services.service_create(
            actor=employee_user, instansi=agency.instansi, unit=agency.division_a, code="x",
            name="X", requirements="r", procedure="p", service_days=1, product="p",
        )  # fmt: skip
    assert exc.value.code == "layanan.not_admin"


def test_service_with_fields_and_documents_is_audited(service: Any) -> None:
    assert [f.key for f in service.fields.all()] == ["no_kk", "alasan"]
    assert [(d.key, d.max_count) for d in service.documents.all()] == [("kk", 2), ("foto", 1)]
    assert AuditEvent.objects.filter(action="layanan.service.created").count() == 1


# --- Applying --------------------------------------------------------------------------------


def test_submit_gives_a_tracking_code_due_date_and_timeline(citizen: Any, service: Any) -> None:
    application = submit(citizen, service)

    assert application.status == ApplicationStatus.SUBMITTED
    assert len(application.tracking_code) == 10
    assert application.received_on == date(2026, 3, 10)
    assert application.due_date == date(2026, 3, 13)  # 3 working days: Wed, Thu, Fri
    assert application.data == {"no_kk": "3404071403920003", "alasan": ""}
    document = application.documents.get()
    assert (document.content_type, document.size, document.original_name) == (
        "application/pdf", len(PDF), "kk.pdf",
    )  # fmt: skip
    assert list(application.history.values_list("from_status", "to_status")) == [("", "submitted")]
    assert AuditEvent.objects.filter(action="layanan.application.submitted").count() == 1


def test_citizen_is_told_by_email_and_sms_when_they_have_a_phone(
    agency: Any, service: Any, django_capture_on_commit_callbacks: Any
) -> None:
    citizen = build_citizen(username="hp@example.id")
    citizen.user.phone = "+6281234567000"
    citizen.user.save(update_fields=["phone"])

    with django_capture_on_commit_callbacks(execute=True):
        application = submit(citizen, service)

    channels = sorted(
        Notification.objects.filter(recipient=citizen.user).values_list("channel", flat=True)
    )
    assert channels == ["email", "sms"]
    assert mail.outbox[-1].to == ["hp@example.id"]
    assert application.display_code in mail.outbox[-1].subject
    assert "Diajukan" in mail.outbox[-1].subject
    assert Notification.objects.get(channel="sms").sent_at is not None


def test_a_citizen_with_a_phone_only_is_told_by_sms_and_one_with_neither_is_not_messaged(
    agency: Any, service: Any, django_capture_on_commit_callbacks: Any
) -> None:
    by_phone = build_citizen(username="0812 3456 7001")
    by_phone.user.email, by_phone.user.phone = "", "+6281234567001"
    by_phone.user.save(update_fields=["email", "phone"])
    unreachable = build_citizen(username="0812 3456 7002")
    unreachable.user.email, unreachable.user.phone = "", ""
    unreachable.user.save(update_fields=["email", "phone"])

    with django_capture_on_commit_callbacks(execute=True):
        submit(by_phone, service)
        submit(unreachable, service)

    assert list(
        Notification.objects.filter(recipient=by_phone.user).values_list("channel", flat=True)
    ) == ["sms"]
    # No message that could never arrive; the public status page still answers them.
    assert not Notification.objects.filter(recipient=unreachable.user).exists()


def test_double_tap_with_the_same_key_creates_one_application(citizen: Any, service: Any) -> None:
    first = submit(citizen, service, key="tap-1")
    second = submit(citizen, service, key="tap-1")

    assert first.pk == second.pk
    assert Application.objects.count() == 1


def test_one_active_application_per_citizen_and_service(citizen: Any, service: Any) -> None:
    submit(citizen, service, key="a")
    with pytest.raises(ConflictError) as exc:
        submit(citizen, service, key="b")
    assert exc.value.code == "layanan.active_exists"
    assert Application.objects.count() == 1


def test_database_refuses_a_second_active_application(citizen: Any, service: Any) -> None:
    from django.db import IntegrityError, transaction

    first = submit(citizen, service)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(
            service=service, instansi=service.instansi, unit=service.unit, citizen=citizen,
            tracking_code="X" * 10, submitted_at=NOW, received_on=first.received_on,
            due_date=first.due_date,
        )  # fmt: skip


def test_a_tracking_code_already_taken_is_drawn_again(
    citizen: Any, service: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    taken = submit(build_citizen(username="first@example.id"), service).tracking_code
    draws = iter([taken, "NEWCODE234"])
    monkeypatch.setattr(services.rules, "new_tracking_code", lambda: next(draws))

    application = submit(citizen, service)

    assert application.tracking_code == "NEWCODE234"
    assert Application.objects.filter(tracking_code=taken).count() == 1
    assert application.documents.count() == 1


def test_closed_application_allows_a_new_one(citizen: Any, service: Any, officer: Any) -> None:
    first = in_review(submit(citizen, service), officer)
    services.application_reject(actor=officer, application=first, reason="Bukan warga")
    second = submit(citizen, service)
    assert second.pk != first.pk


def test_employee_without_citizen_record_cannot_apply(employee_user: Any, service: Any) -> None:
    with pytest.raises(PermissionDeniedError) as exc:
        services.application_submit(actor=employee_user, service=service, data={}, files={})
    assert exc.value.code == "layanan.not_citizen"


@pytest.mark.parametrize(
    ("data", "files", "code", "field"),
    [
        ({}, {"kk": ["pdf"]}, "layanan.field_required", "no_kk"),
        ({"no_kk": "1", "alasan": "Dicuri"}, {"kk": ["pdf"]}, "layanan.field_invalid", "alasan"),
        ({"no_kk": "1"}, {}, "layanan.document_missing", "kk"),
        ({"no_kk": "1"}, {"kk": ["pdf", "pdf", "pdf"]}, "layanan.document_too_many", "kk"),
        ({"no_kk": "1"}, {"kk": ["big"]}, "layanan.document_too_large", "kk"),
        ({"no_kk": "1"}, {"kk": ["fake"]}, "layanan.document_type", "kk"),
        ({"no_kk": "1"}, {"kk": ["pdf"], "foto": ["pdf"]}, "layanan.document_type", "foto"),
    ],
)
def test_invalid_applications_are_refused_and_nothing_is_stored(
    citizen: Any, service: Any, data: dict, files: dict, code: str, field: str
) -> None:
    contents = {
        "pdf": PDF,
        "big": b"%PDF-" + b"0" * 2000,  # over the 1,024-byte limit
        "fake": b"MZ\x90\x00 an executable named .pdf",
    }
    uploads = {
        key: [SimpleUploadedFile(f"{key}.pdf", contents[kind]) for kind in kinds]
        for key, kinds in files.items()
    }
    with pytest.raises(ValidationError) as exc:
        services.application_submit(actor=citizen.user, service=service, data=data, files=uploads)
    assert (exc.value.code, exc.value.field) == (code, field)
    assert Application.objects.count() == 0
    assert ApplicationDocument.objects.count() == 0


def test_images_are_accepted_by_content(citizen: Any, service: Any) -> None:
    application = services.application_submit(
        actor=citizen.user, service=service, data={"no_kk": "1"},
        files={"kk": [pdf()], "foto": [SimpleUploadedFile("foto.bin", PNG)]},
    )  # fmt: skip
    assert sorted(application.documents.values_list("content_type", flat=True)) == [
        "application/pdf", "image/png",
    ]  # fmt: skip


# --- Workflow --------------------------------------------------------------------------------


def test_officer_outside_the_unit_cannot_claim(agency: Any, citizen: Any, service: Any) -> None:
    application = submit(citizen, service)
    with pytest.raises(PermissionDeniedError):
        services.application_claim(actor=agency.staff_b.user, application=application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_unit_head_assigns_only_officers_of_the_unit(
    agency: Any, citizen: Any, service: Any
) -> None:
    application = submit(citizen, service)
    with pytest.raises(PermissionDeniedError):
        services.application_assign(
            actor=agency.staff_a.user, application=application, officer=agency.staff_a2
        )
    with pytest.raises(ValidationError):
        services.application_assign(
            actor=agency.head_a.user, application=application, officer=agency.staff_b
        )
    assigned = services.application_assign(
        actor=agency.head_a.user, application=application, officer=agency.staff_a2
    )
    assert (assigned.assignee_id, assigned.status) == (agency.staff_a2.pk, "in_review")


def test_only_the_assignee_decides(agency: Any, citizen: Any, service: Any, officer: Any) -> None:
    application = in_review(submit(citizen, service), officer)
    with pytest.raises(PermissionDeniedError) as exc:
        services.application_request_correction(
            actor=agency.staff_a2.user, application=application, note="x"
        )
    assert exc.value.code == "layanan.not_assigned"


def test_correction_pauses_the_clock_and_moves_the_due_date(
    citizen: Any, service: Any, officer: Any
) -> None:
    application = in_review(submit(citizen, service), officer)  # due Fri 13 March
    document = application.documents.get()
    services.document_check(actor=officer, document=document, accepted=False, note="Buram")
    services.application_request_correction(
        actor=officer,
        application=application,
        note="Unggah KK yang terbaca",
        now=datetime(2026, 3, 11, 2, 0, tzinfo=UTC),  # Wed 09:00 WIB
    )
    with pytest.raises(ValidationError) as exc:  # the refused file must be replaced
        services.application_resubmit(actor=citizen.user, application=application, files={})
    assert exc.value.code == "layanan.document_missing"

    resubmitted = services.application_resubmit(
        actor=citizen.user,
        application=application,
        files={"kk": [pdf("kk-baru.pdf")]},
        now=datetime(2026, 3, 13, 2, 0, tzinfo=UTC),  # Fri 09:00: Thu and Fri were paused
    )

    assert (resubmitted.status, resubmitted.paused_days, resubmitted.paused_at) == (
        "in_review", 2, None,
    )  # fmt: skip
    assert resubmitted.due_date == date(2026, 3, 17)  # 13 March + 2 working days
    current = resubmitted.documents.get(replaced=False)
    assert (current.original_name, current.status) == ("kk-baru.pdf", DocumentStatus.PENDING)
    assert list(resubmitted.history.values_list("to_status", flat=True)) == [
        "submitted", "in_review", "needs_correction", "in_review",
    ]  # fmt: skip


def test_approve_needs_every_file_accepted(citizen: Any, service: Any, officer: Any) -> None:
    application = in_review(submit(citizen, service), officer)
    with pytest.raises(ConflictError) as exc:
        services.application_approve(actor=officer, application=application)
    assert exc.value.code == "layanan.documents_unchecked"
    accept_all(application, officer)
    assert services.application_approve(actor=officer, application=application).status == (
        "approved"
    )


def test_reject_needs_a_reason_and_closes(citizen: Any, service: Any, officer: Any) -> None:
    application = in_review(submit(citizen, service), officer)
    with pytest.raises(ValidationError):
        services.application_reject(actor=officer, application=application, reason="  ")
    rejected = services.application_reject(
        actor=officer, application=application, reason="NIK tidak sesuai KK",
        now=datetime(2026, 3, 12, 3, 0, tzinfo=UTC),
    )  # fmt: skip
    assert (rejected.status, rejected.decision_reason, rejected.working_days_taken) == (
        "rejected", "NIK tidak sesuai KK", 2,
    )  # fmt: skip
    assert rejected.history.last().note == "NIK tidak sesuai KK"


def test_transitions_out_of_order_are_conflicts(citizen: Any, service: Any, officer: Any) -> None:
    application = submit(citizen, service)
    with pytest.raises(PermissionDeniedError):
        services.application_approve(actor=officer, application=application)
    application = in_review(application, officer)
    with pytest.raises(ConflictError):
        services.application_claim(actor=officer, application=application)
    with pytest.raises(ConflictError):
        services.survey_submit(actor=citizen.user, application=application, answers={})


# --- Survey ----------------------------------------------------------------------------------


def closed(citizen: Any, service: Any, officer: Any) -> Application:
    application = in_review(submit(citizen, service), officer)
    return services.application_reject(actor=officer, application=application, reason="Tidak")


def test_survey_once_per_closed_case(citizen: Any, service: Any, officer: Any) -> None:
    application = closed(citizen, service, officer)
    answers = {f"u{i}": 4 for i in range(1, 10)}
    survey = services.survey_submit(actor=citizen.user, application=application, answers=answers)
    assert survey.answers() == answers
    assert survey.unit_id == service.unit_id
    with pytest.raises(ConflictError) as exc:
        services.survey_submit(actor=citizen.user, application=application, answers=answers)
    assert exc.value.code == "layanan.survey_done"
    assert Survey.objects.count() == 1


def test_survey_answers_stay_on_the_scale(citizen: Any, service: Any, officer: Any) -> None:
    application = closed(citizen, service, officer)
    answers = {f"u{i}": 4 for i in range(1, 10)} | {"u3": 5}
    with pytest.raises(ValidationError) as exc:
        services.survey_submit(actor=citizen.user, application=application, answers=answers)
    assert exc.value.field == "u3"
    assert Survey.objects.count() == 0


def test_only_the_applicant_answers_the_survey(
    agency: Any, citizen: Any, service: Any, officer: Any
) -> None:
    application = closed(citizen, service, officer)
    other = build_citizen(username="lain@example.id")
    with pytest.raises(PermissionDeniedError):
        services.survey_submit(actor=other.user, application=application, answers={})


# --- Breach sweep ----------------------------------------------------------------------------


def test_breach_sweep_tells_the_unit_head_once(agency: Any, citizen: Any, service: Any) -> None:
    application = submit(citizen, service)  # due Fri 13 March
    on_due_day = datetime(2026, 3, 13, 8, 0, tzinfo=UTC)
    after = datetime(2026, 3, 16, 2, 0, tzinfo=UTC)

    assert services.sla_breach_sweep(now=on_due_day) == 0
    assert services.sla_breach_sweep(now=after) == 1
    assert services.sla_breach_sweep(now=after + timedelta(days=1)) == 0

    sent = Notification.objects.filter(key__startswith="layanan.breach:")
    assert list(sent.values_list("recipient_id", flat=True)) == [agency.head_a.user_id]
    application.refresh_from_db()
    assert application.breach_notified_at == after


def test_paused_case_is_not_a_breach(citizen: Any, service: Any, officer: Any) -> None:
    application = in_review(submit(citizen, service), officer)
    services.application_request_correction(actor=officer, application=application, note="x")
    assert services.sla_breach_sweep(now=datetime(2026, 4, 30, 2, 0, tzinfo=UTC)) == 0


def test_other_service_does_not_share_the_active_limit(citizen: Any, agency: Any) -> None:
    a = make_service(agency, code="a")
    b = make_service(agency, code="b")
    submit(citizen, a)
    submit(citizen, b)
    assert Application.objects.count() == 2


def test_status_changes_are_all_recorded(citizen: Any, service: Any, officer: Any) -> None:
    application = in_review(submit(citizen, service), officer)
    accept_all(application, officer)
    services.application_approve(actor=officer, application=application)
    assert StatusChange.objects.filter(application=application).count() == 3
    assert AuditEvent.objects.filter(action="layanan.document.checked").count() == 1


# --- Completion with the product PDF ----------------------------------------------------------


def test_complete_issues_a_verifiable_pdf_with_qr(
    citizen: Any, service: Any, officer: Any, tmp_path: Any
) -> None:
    import shutil
    import subprocess

    from abdi.layanan import documents
    from abdi.verifikasi import qr
    from abdi.verifikasi import services as verifikasi

    application = in_review(submit(citizen, service), officer)
    accept_all(application, officer)
    services.application_approve(actor=officer, application=application)
    completed = services.application_complete(
        actor=officer, application=application, now=datetime(2026, 3, 12, 7, 0, tzinfo=UTC)
    )

    assert (completed.status, completed.working_days_taken, completed.within_sla) == (
        "completed", 2, True,
    )  # fmt: skip
    document = verifikasi.documents_for(completed).get()
    assert document.kind == "layanan.product"
    assert document.holder == f"Warga Contoh (NIK {citizen.masked_nik})"
    assert document.facts["Kode pelacakan"] == completed.display_code
    pdf_path = tmp_path / "product.pdf"
    pdf_path.write_bytes(document.file.read())
    executable = shutil.which("pdftotext")
    assert executable
    text = subprocess.run(  # noqa: S603 - fixed executable, our own temporary file
        [executable, "-layout", str(pdf_path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "BUKTI PENYELESAIAN LAYANAN" in text
    assert completed.display_code in text
    assert document.url in text
    assert "2 hari kerja, tepat waktu" in text
    assert len(document.sha256) == 64
    html = documents.product_html(completed, document, completed.completed_by)
    assert qr.qr_data_uri(document.url) in html


def test_late_completion_is_outside_the_sla(citizen: Any, service: Any, officer: Any) -> None:
    application = in_review(submit(citizen, service), officer)  # due Fri 13 March
    accept_all(application, officer)
    services.application_approve(actor=officer, application=application)
    completed = services.application_complete(
        actor=officer, application=application, now=datetime(2026, 3, 16, 3, 0, tzinfo=UTC)
    )
    assert (completed.working_days_taken, completed.within_sla) == (4, False)
