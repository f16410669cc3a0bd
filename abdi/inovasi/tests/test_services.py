"""Writes of the innovation registry: authorisation, validation, audit, atomicity."""

import io
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from abdi.core.exceptions import ConflictError, PermissionDeniedError, ValidationError
from abdi.core.models import AuditEvent, Notification
from abdi.inovasi import services
from abdi.inovasi.choices import CollaboratorKind, ReviewStatus, Stage
from abdi.inovasi.models import Innovation, InnovationEvidence, InnovationMember, StageChange
from abdi.inovasi.services import CollaboratorIn, MemberIn
from abdi.kinerja.choices import Cascade, RhkKind
from abdi.kinerja.models import Rhk
from abdi.kinerja.tests.factories import add_rhk, approve, draft_plan, open_year
from abdi.organisations.tests.factories import Agency

from .factories import endorsed, register

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def actions(target: Innovation) -> list[str]:
    return list(
        AuditEvent.objects.filter(target_id=str(target.public_id))
        .order_by("id")
        .values_list("action", flat=True)
    )


# --- Registration ----------------------------------------------------------------------------


def test_register_creates_a_draft_with_team_partners_history_and_audit(agency: Agency) -> None:
    innovation = services.innovation_register(
        actor=agency.staff_a.user, title=" Antrean daring ", problem="Antre lama.",
        idea="Daftar lewat ponsel.", stage=Stage.UJI_COBA, service_name="KTP-el",
        metric="kinerja.accepted_outputs", baseline_start=date(2026, 1, 1),
        baseline_end=date(2026, 3, 31),
        members=[MemberIn(employee=agency.staff_a2, role="Pengembang")],
        collaborators=[
            CollaboratorIn(kind=CollaboratorKind.PARTNER, name="Kominfo", role="Server")
        ],
    )  # fmt: skip
    assert innovation.title == "Antrean daring"
    assert innovation.status == ReviewStatus.DRAFT
    assert innovation.instansi_id == agency.instansi.pk
    assert innovation.unit_id == agency.division_a.pk
    assert [m.employee_id for m in innovation.members.all()] == [agency.staff_a2.pk]
    assert [c.name for c in innovation.collaborators.all()] == ["Kominfo"]
    history = list(innovation.stage_history.values_list("from_stage", "to_stage"))
    assert history == [("", Stage.UJI_COBA)]
    event = AuditEvent.objects.get(action="inovasi.innovation.registered")
    assert event.target_id == str(innovation.public_id)
    assert event.after["members"] == [agency.staff_a2.pk]


def test_only_an_employee_registers(agency: Agency) -> None:
    with pytest.raises(PermissionDeniedError) as caught:
        register_as(agency.admin)
    assert caught.value.code == "inovasi.not_employee"


def register_as(user: Any) -> Innovation:
    return services.innovation_register(actor=user, title="X", problem="Y", idea="Z")


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"title": "  "}, "inovasi.text_required"),
        ({"metric": "no.such_metric"}, "inovasi.metric_unknown"),
        ({"metric": "kinerja.accepted_outputs"}, "inovasi.baseline_required"),
        (
            {"metric": "kinerja.accepted_outputs", "baseline_start": date(2026, 3, 1),
             "baseline_end": date(2026, 1, 1)},
            "inovasi.baseline_invalid",
        ),
        ({"stage": "finished"}, "inovasi.stage_invalid"),
        (
            {"collaborators": [CollaboratorIn(kind="friend", name="X")]},
            "inovasi.collaborator_invalid",
        ),
    ],
)  # fmt: skip
def test_register_refuses_invalid_input(agency: Agency, kwargs: dict, code: str) -> None:
    values = {"title": "Antrean", "problem": "Antre.", "idea": "Ponsel."} | kwargs
    with pytest.raises(ValidationError) as caught:
        services.innovation_register(actor=agency.staff_a.user, **values)
    assert caught.value.code == code
    assert not Innovation.objects.exists()


def test_register_is_atomic_when_a_later_part_fails(agency: Agency) -> None:
    with pytest.raises(ValidationError):
        services.innovation_register(
            actor=agency.staff_a.user, title="Antrean", problem="Antre.", idea="Ponsel.",
            members=[MemberIn(employee=agency.staff_a2)],
            collaborators=[CollaboratorIn(kind=CollaboratorKind.PARTNER, name=" ")],
        )  # fmt: skip
    assert not Innovation.objects.exists()
    assert not InnovationMember.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="inovasi.").exists()


def test_team_members_come_from_the_owners_agency(agency: Agency, other_agency: Agency) -> None:
    with pytest.raises(ValidationError) as caught:
        register(agency.staff_a, members=[MemberIn(employee=other_agency.staff_a)])
    assert caught.value.code == "inovasi.member_invalid"


def test_an_rhk_must_be_the_owners(agency: Agency) -> None:
    year = open_year(agency)
    plan = draft_plan(year, agency.staff_a2)
    rhk, _indicator = add_rhk(plan, "Arsip", cascade=Cascade.OWN)
    with pytest.raises(ValidationError) as caught:
        register(agency.staff_a, rhk=rhk)
    assert caught.value.code == "inovasi.rhk_not_own"
    assert register(agency.staff_a2, rhk=rhk).rhk_id == rhk.pk


def test_only_the_owner_changes_a_draft(agency: Agency) -> None:
    innovation = register(agency.staff_a)
    with pytest.raises(PermissionDeniedError):
        services.innovation_update(
            actor=agency.head_a.user, innovation=innovation, title="A", problem="B", idea="C"
        )
    updated = services.innovation_update(
        actor=agency.staff_a.user, innovation=innovation, title="Antrean 2", problem="B", idea="C"
    )
    assert updated.title == "Antrean 2"
    event = AuditEvent.objects.get(action="inovasi.innovation.updated")
    assert event.before["title"] == "Antrean daring KTP-el"
    assert event.after["title"] == "Antrean 2"


# --- Review ----------------------------------------------------------------------------------


def test_the_direct_leader_endorses_and_it_is_audited(agency: Agency) -> None:
    innovation = register(agency.staff_a)
    services.innovation_submit(actor=agency.staff_a.user, innovation=innovation)
    assert Notification.objects.filter(recipient=agency.head_a.user).count() == 1
    services.innovation_endorse(actor=agency.head_a.user, innovation=innovation, note="Bagus")
    innovation.refresh_from_db()
    assert innovation.status == ReviewStatus.ENDORSED
    assert innovation.endorsed_by_id == agency.head_a.pk
    event = AuditEvent.objects.get(action="inovasi.innovation.endorsed")
    assert event.actor_id == agency.head_a.user.pk
    assert event.reason == "Bagus"
    assert event.after == {"status": "endorsed", "endorsed_by": agency.head_a.pk}
    assert Notification.objects.filter(recipient=agency.staff_a.user).count() == 1


@pytest.mark.parametrize("who", ["staff_a", "staff_a2", "head", "head_b", "admin"])
def test_only_the_direct_leader_reviews(agency: Agency, who: str) -> None:
    innovation = register(agency.staff_a)
    services.innovation_submit(actor=agency.staff_a.user, innovation=innovation)
    person = getattr(agency, who)
    user = getattr(person, "user", person)
    with pytest.raises(PermissionDeniedError) as caught:
        services.innovation_endorse(actor=user, innovation=innovation)
    assert caught.value.code == "inovasi.not_leader"
    with pytest.raises(PermissionDeniedError):
        services.innovation_return(actor=user, innovation=innovation, note="Tidak")
    innovation.refresh_from_db()
    assert innovation.status == ReviewStatus.SUBMITTED
    assert not AuditEvent.objects.filter(action="inovasi.innovation.endorsed").exists()


def test_the_agency_admin_reviews_for_a_head_without_a_leader(agency: Agency) -> None:
    innovation = register(agency.head)
    services.innovation_submit(actor=agency.head.user, innovation=innovation)
    services.innovation_endorse(actor=agency.admin, innovation=innovation)
    innovation.refresh_from_db()
    assert innovation.status == ReviewStatus.ENDORSED
    assert innovation.endorsed_by_id is None


def test_return_needs_a_note_and_the_owner_resubmits(agency: Agency) -> None:
    innovation = register(agency.staff_a)
    services.innovation_submit(actor=agency.staff_a.user, innovation=innovation)
    with pytest.raises(ValidationError) as caught:
        services.innovation_return(actor=agency.head_a.user, innovation=innovation, note=" ")
    assert caught.value.code == "inovasi.note_required"
    services.innovation_return(actor=agency.head_a.user, innovation=innovation, note="Data?")
    innovation.refresh_from_db()
    assert (innovation.status, innovation.return_note) == (ReviewStatus.RETURNED, "Data?")
    services.innovation_update(
        actor=agency.staff_a.user, innovation=innovation, title="T", problem="P", idea="I"
    )
    services.innovation_submit(actor=agency.staff_a.user, innovation=innovation)
    innovation.refresh_from_db()
    assert (innovation.status, innovation.return_note) == (ReviewStatus.SUBMITTED, "")


def test_a_decision_needs_a_submitted_innovation(agency: Agency) -> None:
    innovation = register(agency.staff_a)
    with pytest.raises(ConflictError) as caught:
        services.innovation_endorse(actor=agency.head_a.user, innovation=innovation)
    assert caught.value.code == "inovasi.not_submitted"


def test_an_endorsed_innovation_is_not_edited(agency: Agency) -> None:
    innovation = endorsed(agency.staff_a, agency.head_a)
    with pytest.raises(ConflictError) as caught:
        services.innovation_update(
            actor=agency.staff_a.user, innovation=innovation, title="T", problem="P", idea="I"
        )
    assert caught.value.code == "inovasi.not_editable"


# --- Stages, updates, evidence ---------------------------------------------------------------


def test_stages_move_forward_with_a_dated_history(agency: Agency) -> None:
    innovation = register(agency.staff_a)
    registered_on = innovation.stage_history.get().changed_on
    for wrong_day in (registered_on - timedelta(days=1), registered_on + timedelta(days=2)):
        with pytest.raises(ValidationError) as caught:
            services.stage_move(
                actor=agency.staff_a.user, innovation=innovation, stage=Stage.UJI_COBA,
                on=wrong_day,
            )  # fmt: skip
        assert caught.value.code == "inovasi.stage_date_invalid"
    services.stage_move(
        actor=agency.staff_a.user, innovation=innovation, stage=Stage.UJI_COBA,
        on=registered_on, note="Uji coba di kecamatan",
    )  # fmt: skip
    with pytest.raises(ConflictError) as caught:
        services.stage_move(actor=agency.staff_a.user, innovation=innovation, stage=Stage.IDE)
    assert caught.value.code == "inovasi.stage_invalid"
    with pytest.raises(PermissionDeniedError):
        services.stage_move(
            actor=agency.head_a.user, innovation=innovation, stage=Stage.IMPLEMENTASI
        )
    change = StageChange.objects.get(innovation=innovation, from_stage=Stage.IDE)
    assert (change.to_stage, change.changed_on) == (Stage.UJI_COBA, registered_on)
    assert "inovasi.innovation.stage_moved" in actions(innovation)


def test_progress_updates_are_the_owners(agency: Agency) -> None:
    innovation = register(agency.staff_a)
    with pytest.raises(PermissionDeniedError):
        services.progress_add(actor=agency.staff_a2.user, innovation=innovation, text="Halo")
    with pytest.raises(ValidationError):
        services.progress_add(actor=agency.staff_a.user, innovation=innovation, text="  ")
    update = services.progress_add(
        actor=agency.staff_a.user, innovation=innovation, text="120 warga memakai antrean."
    )
    assert update.stage == Stage.IDE
    assert "inovasi.progress.added" in actions(innovation)


def test_evidence_is_checked_by_content(agency: Agency) -> None:
    innovation = register(agency.staff_a)
    owner = agency.staff_a.user
    good = services.evidence_attach(
        actor=owner, innovation=innovation,
        uploaded_file=SimpleUploadedFile("laporan.pdf", PDF, content_type="application/pdf"),
    )  # fmt: skip
    assert (good.original_name, good.content_type, good.size) == (
        "laporan.pdf", "application/pdf", len(PDF),
    )  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        services.evidence_attach(
            actor=owner, innovation=innovation,
            uploaded_file=SimpleUploadedFile("palsu.pdf", PNG, content_type="application/pdf"),
        )  # fmt: skip
    assert caught.value.code == "inovasi.evidence_type"
    link = services.evidence_attach(actor=owner, innovation=innovation, url="https://contoh.id/x")
    assert link.url == "https://contoh.id/x"
    with pytest.raises(ValidationError) as caught:
        services.evidence_attach(actor=owner, innovation=innovation, url="javascript:alert(1)")
    assert caught.value.code == "inovasi.evidence_url"
    with pytest.raises(ValidationError) as caught:
        services.evidence_attach(actor=owner, innovation=innovation)
    assert caught.value.code == "inovasi.evidence_missing"
    assert InnovationEvidence.objects.count() == 2


def test_evidence_size_is_limited(agency: Agency, settings: Any) -> None:
    settings.ABDI_INOVASI_EVIDENCE_MAX_BYTES = 1024 * 1024
    innovation = register(agency.staff_a)
    big = SimpleUploadedFile(
        "besar.pdf", PDF + b"0" * (1024 * 1024), content_type="application/pdf"
    )
    with pytest.raises(ValidationError) as caught:
        services.evidence_attach(
            actor=agency.staff_a.user, innovation=innovation, uploaded_file=big
        )
    assert caught.value.code == "inovasi.evidence_too_large"
    assert not InnovationEvidence.objects.exists()


def test_a_zip_posing_as_docx_is_refused(agency: Agency) -> None:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    innovation = register(agency.staff_a)
    with pytest.raises(ValidationError):
        services.evidence_attach(
            actor=agency.staff_a.user, innovation=innovation,
            uploaded_file=SimpleUploadedFile("a.docx", buffer.getvalue()),
        )  # fmt: skip


# --- The SKP ---------------------------------------------------------------------------------


def test_an_endorsed_innovation_becomes_an_additional_rhk(agency: Agency) -> None:
    year = open_year(agency, year=timezone.now().year)
    plan = draft_plan(year, agency.staff_a)
    innovation = endorsed(agency.staff_a, agency.head_a)
    rhk = services.innovation_add_to_skp(actor=agency.staff_a.user, innovation=innovation)
    assert (rhk.plan_id, rhk.kind, rhk.cascade) == (plan.pk, RhkKind.TAMBAHAN, Cascade.OWN)
    assert rhk.text == "Inovasi: Antrean daring KTP-el" or rhk.text.endswith(
        "Antrean daring KTP-el"
    )
    innovation.refresh_from_db()
    assert innovation.skp_rhk_id == rhk.pk
    assert AuditEvent.objects.filter(
        action="kinerja.rhk.added", target_id=str(rhk.public_id)
    ).exists()
    assert "inovasi.innovation.added_to_skp" in actions(innovation)
    with pytest.raises(ConflictError) as caught:
        services.innovation_add_to_skp(actor=agency.staff_a.user, innovation=innovation)
    assert caught.value.code == "inovasi.already_in_skp"


def test_a_draft_innovation_does_not_count_in_the_skp(agency: Agency) -> None:
    open_year(agency, year=timezone.now().year)
    innovation = register(agency.staff_a)
    with pytest.raises(ConflictError) as caught:
        services.innovation_add_to_skp(actor=agency.staff_a.user, innovation=innovation)
    assert caught.value.code == "inovasi.not_endorsed"


def test_without_a_plan_nothing_is_added(agency: Agency) -> None:
    innovation = endorsed(agency.staff_a, agency.head_a)
    with pytest.raises(ConflictError) as caught:
        services.innovation_add_to_skp(actor=agency.staff_a.user, innovation=innovation)
    assert caught.value.code == "inovasi.no_open_plan"


def test_an_approved_plan_refuses_and_nothing_changes(agency: Agency) -> None:
    year = open_year(agency, year=timezone.now().year)
    plan = draft_plan(year, agency.staff_a)
    add_rhk(plan, "Layanan", cascade=Cascade.OWN)
    approve(plan, agency.head_a.user)
    innovation = endorsed(agency.staff_a, agency.head_a)
    with pytest.raises(ConflictError) as caught:
        services.innovation_add_to_skp(actor=agency.staff_a.user, innovation=innovation)
    assert caught.value.code == "skp.plan_not_editable"
    innovation.refresh_from_db()
    assert innovation.skp_rhk_id is None
    assert not Rhk.objects.filter(kind=RhkKind.TAMBAHAN).exists()


# --- Replication -----------------------------------------------------------------------------


def test_another_agency_replicates_an_endorsed_innovation(
    agency: Agency, other_agency: Agency
) -> None:
    original = endorsed(agency.staff_a, agency.head_a)
    replica = services.replication_record(
        actor=other_agency.staff_b.user, original=original, note="Cocok untuk kami"
    )
    assert replica.replicates_id == original.pk
    assert replica.instansi_id == other_agency.instansi.pk
    assert replica.owner_id == other_agency.staff_b.pk
    assert replica.title == original.title
    assert replica.status == ReviewStatus.DRAFT
    assert list(original.replications.all()) == [replica]
    assert "inovasi.innovation.replicated" in actions(original)
    assert Notification.objects.filter(
        recipient=agency.staff_a.user, key__startswith="inovasi.replicated:"
    ).exists()


def test_a_draft_cannot_be_replicated(agency: Agency, other_agency: Agency) -> None:
    original = register(agency.staff_a)
    with pytest.raises(ConflictError) as caught:
        services.replication_record(actor=other_agency.staff_b.user, original=original)
    assert caught.value.code == "inovasi.not_endorsed"
    assert Innovation.objects.count() == 1


def test_the_owner_does_not_replicate_their_own(agency: Agency) -> None:
    original = endorsed(agency.staff_a, agency.head_a)
    with pytest.raises(ValidationError) as caught:
        services.replication_record(actor=agency.staff_a.user, original=original)
    assert caught.value.code == "inovasi.replicate_own"


# --- Dormancy --------------------------------------------------------------------------------


def age(innovation: Innovation, days: int) -> None:
    """Make the innovation (and its last activity) ``days`` old."""
    moment = timezone.now() - timedelta(days=days)
    Innovation.objects.filter(pk=innovation.pk).update(created_at=moment, last_activity_at=moment)


def test_an_old_quiet_innovation_is_flagged_once_and_notified_once(agency: Agency) -> None:
    innovation = register(agency.staff_a)
    age(innovation, 200)
    assert services.innovation_refresh_dormancy(innovation=innovation) is True
    assert services.innovation_refresh_dormancy(innovation=innovation) is None
    innovation.refresh_from_db()
    assert innovation.dormant_since == agency.instansi.local_date()
    recipients = set(
        Notification.objects.filter(key__startswith="inovasi.dormant:").values_list(
            "recipient_id", flat=True
        )
    )
    assert recipients == {agency.staff_a.user.pk, agency.head_a.user.pk}
    assert AuditEvent.objects.filter(action="inovasi.innovation.dormant").count() == 1


def test_an_update_revives_a_dormant_innovation(agency: Agency) -> None:
    innovation = register(agency.staff_a)
    age(innovation, 200)
    services.innovation_refresh_dormancy(innovation=innovation)
    services.progress_add(actor=agency.staff_a.user, innovation=innovation, text="Masih jalan.")
    innovation.refresh_from_db()
    assert innovation.dormant_since is None
    assert AuditEvent.objects.filter(action="inovasi.innovation.revived").count() == 1


def test_a_bound_metric_without_data_makes_it_dormant(agency: Agency) -> None:
    quiet_metric = register(
        agency.staff_a, metric="layanan.within_sla_share",
        baseline=(date(2025, 1, 1), date(2025, 3, 31)),
    )  # fmt: skip
    measured = register(
        agency.staff_a2, "Arsip digital", metric="kinerja.accepted_outputs",
        baseline=(date(2025, 1, 1), date(2025, 3, 31)),
    )  # fmt: skip
    for innovation in (quiet_metric, measured):
        age(innovation, 200)
        Innovation.objects.filter(pk=innovation.pk).update(last_activity_at=timezone.now())
    assert services.innovation_refresh_dormancy(innovation=quiet_metric) is True
    assert services.innovation_refresh_dormancy(innovation=measured) is None


def test_the_agency_sets_its_months(agency: Agency, other_agency: Agency) -> None:
    innovation = register(agency.staff_a)
    age(innovation, 100)
    assert services.innovation_refresh_dormancy(innovation=innovation) is None
    with pytest.raises(PermissionDeniedError):
        services.settings_set(actor=other_agency.admin, instansi=agency.instansi, dormant_months=3)
    with pytest.raises(ValidationError):
        services.settings_set(actor=agency.admin, instansi=agency.instansi, dormant_months=0)
    services.settings_set(actor=agency.admin, instansi=agency.instansi, dormant_months=3)
    assert services.innovation_refresh_dormancy(innovation=innovation) is True
    assert AuditEvent.objects.filter(action="inovasi.settings.changed").count() == 1
