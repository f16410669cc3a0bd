"""SKP services: planning and cascading, approval, revision, realisation, evidence, outputs."""

import io
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from abdi.core.exceptions import ConflictError, PermissionDeniedError, ValidationError
from abdi.core.models import AuditEvent
from abdi.kinerja import services
from abdi.kinerja.choices import (
    Aspect,
    Cascade,
    CoreValue,
    Perspective,
    PlanStatus,
    ReportStatus,
    YearStatus,
)
from abdi.kinerja.models import (
    Evidence,
    Indicator,
    OutputEntry,
    PerformanceYear,
    Realisation,
    Rhk,
    RhkFeedback,
    SkpPlan,
)
from abdi.kinerja.tests.factories import (
    NOW,
    PLAN_DEADLINE,
    TODAY,
    add_rhk,
    approve,
    build_cascade,
    draft_plan,
    open_year,
)
from abdi.organisations.models import Instansi

pytestmark = pytest.mark.django_db


def audit_count() -> int:
    return AuditEvent.objects.count()


# --- Performance year ------------------------------------------------------------------------


def test_year_open_by_agency_admin_is_audited(agency: Any) -> None:
    year = open_year(agency)

    assert (year.year, year.rhythm, year.plan_deadline, year.report_days, year.status) == (
        2026, "monthly", PLAN_DEADLINE, 5, YearStatus.OPEN,
    )  # fmt: skip
    event = AuditEvent.objects.get(action="kinerja.performance_year.opened")
    assert event.instansi_id == agency.instansi.pk


def test_year_open_refuses_employee_and_duplicate(agency: Any) -> None:
    with pytest.raises(PermissionDeniedError):
        services.performance_year_open(
            actor=agency.head.user, instansi=agency.instansi, year=2026, rhythm="monthly",
            plan_deadline=PLAN_DEADLINE,
        )  # fmt: skip
    assert PerformanceYear.objects.count() == 0
    open_year(agency)
    before = audit_count()

    with pytest.raises(ConflictError) as exc:
        open_year(agency)

    assert exc.value.code == "skp.year_exists"
    assert PerformanceYear.objects.count() == 1
    assert audit_count() == before


# --- Plan creation ---------------------------------------------------------------------------


def test_plan_create_snapshots_position_and_direct_leader(agency: Any) -> None:
    year = open_year(agency)

    plan = draft_plan(year, agency.staff_a)

    assert plan.status == PlanStatus.DRAFT
    assert (plan.version, plan.is_current) == (1, True)
    assert plan.assessor_id == agency.head_a.pk
    assert plan.position_id == agency.staff_a.position_id
    assert (
        AuditEvent.objects.filter(
            action="kinerja.plan.created", target_id=str(plan.public_id)
        ).count()
        == 1
    )


def test_plan_create_by_agency_admin_for_an_employee(agency: Any) -> None:
    year = open_year(agency)

    plan = services.plan_create(actor=agency.admin, year=year, employee=agency.staff_b, now=NOW)

    assert plan.employee_id == agency.staff_b.pk
    assert plan.assessor_id == agency.head_b.pk


def test_plan_create_refuses_a_second_current_plan(agency: Any) -> None:
    year = open_year(agency)
    draft_plan(year, agency.staff_a)
    before = audit_count()

    with pytest.raises(ConflictError) as exc:
        draft_plan(year, agency.staff_a)

    assert exc.value.code == "skp.plan_exists"
    assert SkpPlan.objects.filter(employee=agency.staff_a).count() == 1
    assert audit_count() == before


def test_plan_create_refuses_a_colleague_and_a_closed_year(agency: Any) -> None:
    year = open_year(agency)

    with pytest.raises(PermissionDeniedError) as exc:
        services.plan_create(
            actor=agency.staff_a2.user, year=year, employee=agency.staff_a, now=NOW
        )
    assert exc.value.code == "skp.not_owner"

    PerformanceYear.objects.filter(pk=year.pk).update(status=YearStatus.CLOSED)
    with pytest.raises(ConflictError) as closed:
        draft_plan(year, agency.staff_a)
    assert closed.value.code == "skp.year_closed"
    assert SkpPlan.objects.count() == 0


@pytest.mark.parametrize(
    ("zone", "passed"),
    [
        ("Asia/Jayapura", True),  # 15:30 UTC on the 31st is 00:30 on 1 February in WIT
        ("Asia/Makassar", False),  # 23:30 on 31 January in WITA: still in time
        ("Asia/Jakarta", False),  # 22:30 on 31 January in WIB: still in time
    ],
)
def test_plan_deadline_is_the_end_of_the_day_in_the_agency_zone(
    agency: Any, zone: str, passed: bool
) -> None:
    Instansi.objects.filter(pk=agency.instansi.pk).update(timezone=zone)
    year = open_year(agency)
    now = datetime(2026, 1, 31, 15, 30, tzinfo=UTC)

    if passed:
        with pytest.raises(ConflictError) as exc:
            services.plan_create(
                actor=agency.staff_a.user, year=year, employee=agency.staff_a, now=now
            )
        assert exc.value.code == "skp.deadline_passed"
        assert SkpPlan.objects.count() == 0
    else:
        plan = services.plan_create(
            actor=agency.staff_a.user, year=year, employee=agency.staff_a, now=now
        )
        assert plan.status == PlanStatus.DRAFT


# --- Results and the cascade -----------------------------------------------------------------


@pytest.fixture
def planning(agency: Any) -> Any:
    """Draft plans for the head, head_a, head_b and staff_a, with one result on each leader."""
    year = open_year(agency)
    head_plan = draft_plan(year, agency.head)
    head_rhk, _ = add_rhk(
        head_plan, "IKM naik", cascade=Cascade.OWN, perspective=Perspective.PENERIMA_LAYANAN
    )
    a_plan = draft_plan(year, agency.head_a)
    a_rhk, _ = add_rhk(a_plan, "Layanan A cepat", parent=head_rhk)
    b_plan = draft_plan(year, agency.head_b)
    b_rhk, _ = add_rhk(b_plan, "Layanan B cepat", parent=head_rhk)
    staff_plan = draft_plan(year, agency.staff_a)
    return {
        "year": year, "head_plan": head_plan, "head_rhk": head_rhk, "a_plan": a_plan,
        "a_rhk": a_rhk, "b_rhk": b_rhk, "staff_plan": staff_plan,
    }  # fmt: skip


def test_rhk_supports_an_rhk_of_the_direct_leader(agency: Any, planning: Any) -> None:
    rhk = services.rhk_add(
        actor=agency.staff_a.user, plan=planning["staff_plan"], text="Berkas diverifikasi",
        parent=planning["a_rhk"],
    )  # fmt: skip

    assert (rhk.parent_id, rhk.cascade, rhk.order) == (planning["a_rhk"].pk, Cascade.DERIVED, 1)
    assert AuditEvent.objects.filter(
        action="kinerja.rhk.added", target_id=str(rhk.public_id)
    ).exists()


@pytest.mark.parametrize("parent_key", ["head_rhk", "b_rhk"])
def test_rhk_refuses_a_parent_that_is_not_the_direct_leaders(
    agency: Any, planning: Any, parent_key: str
) -> None:
    before = audit_count()

    with pytest.raises(ValidationError) as exc:
        services.rhk_add(
            actor=agency.staff_a.user, plan=planning["staff_plan"], text="Berkas",
            parent=planning[parent_key],
        )  # fmt: skip

    assert exc.value.code == "skp.parent_not_leaders"
    assert planning["staff_plan"].rhks.count() == 0
    assert audit_count() == before


def test_rhk_cascaded_needs_a_parent_and_own_refuses_one(agency: Any, planning: Any) -> None:
    plan = planning["staff_plan"]
    with pytest.raises(ValidationError) as missing:
        services.rhk_add(actor=agency.staff_a.user, plan=plan, text="Berkas")
    with pytest.raises(ValidationError) as own:
        services.rhk_add(
            actor=agency.staff_a.user, plan=plan, text="Berkas", cascade=Cascade.OWN,
            parent=planning["a_rhk"],
        )  # fmt: skip

    assert (missing.value.code, own.value.code) == ("skp.parent_required", "skp.parent_with_own")
    assert plan.rhks.count() == 0


def test_head_of_agency_can_only_have_own_results(agency: Any, planning: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        services.rhk_add(
            actor=agency.head.user, plan=planning["head_plan"], text="Turunan",
            parent=planning["a_rhk"], perspective=Perspective.ANGGARAN,
        )  # fmt: skip

    assert exc.value.code == "skp.no_leader"
    assert planning["head_plan"].rhks.count() == 1


def test_jpt_result_needs_a_perspective(agency: Any, planning: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        services.rhk_add(
            actor=agency.head.user, plan=planning["head_plan"], text="Anggaran terserap",
            cascade=Cascade.OWN,
        )  # fmt: skip

    assert exc.value.code == "skp.perspective_required"
    assert planning["head_plan"].rhks.count() == 1


def test_adopted_rhk_copies_the_leaders_text_and_indicators(agency: Any, planning: Any) -> None:
    services.indicator_add(
        actor=agency.head_a.user, rhk=planning["a_rhk"], aspect=Aspect.WAKTU,
        text="Rata-rata hari layanan", target=Decimal(3), unit="hari",
    )  # fmt: skip

    rhk = services.rhk_add(
        actor=agency.staff_a.user, plan=planning["staff_plan"], text="", parent=planning["a_rhk"],
        cascade=Cascade.ADOPTED,
    )  # fmt: skip

    assert rhk.text == "Layanan A cepat"
    assert list(rhk.indicators.values_list("aspect", "text", "target", "unit")) == [
        (Aspect.KUANTITAS, "Jumlah Layanan A cepat", Decimal("10.00"), "dokumen"),
        (Aspect.WAKTU, "Rata-rata hari layanan", Decimal("3.00"), "hari"),
    ]


def test_only_the_owner_changes_a_plan_and_only_while_editable(agency: Any, planning: Any) -> None:
    plan = planning["a_plan"]
    with pytest.raises(PermissionDeniedError) as other:
        services.rhk_add(actor=agency.head.user, plan=plan, text="X", parent=planning["head_rhk"])
    services.plan_submit(actor=agency.head_a.user, plan=plan)
    with pytest.raises(ConflictError) as submitted:
        services.rhk_add(actor=agency.head_a.user, plan=plan, text="X", parent=planning["head_rhk"])

    assert (other.value.code, submitted.value.code) == ("skp.not_owner", "skp.plan_not_editable")
    assert plan.rhks.count() == 1


def test_rhk_update_rewording_an_adopted_result_makes_it_derived(
    agency: Any, planning: Any
) -> None:
    rhk = services.rhk_add(
        actor=agency.staff_a.user, plan=planning["staff_plan"], text="", parent=planning["a_rhk"],
        cascade=Cascade.ADOPTED,
    )  # fmt: skip

    rhk = services.rhk_update(actor=agency.staff_a.user, rhk=rhk, text="Berkas A diverifikasi")

    assert (rhk.text, rhk.cascade) == ("Berkas A diverifikasi", Cascade.DERIVED)


def test_rhk_remove_refuses_while_subordinates_support_it(agency: Any, planning: Any) -> None:
    before = audit_count()

    with pytest.raises(ConflictError) as exc:
        services.rhk_remove(actor=agency.head.user, rhk=planning["head_rhk"])

    assert exc.value.code == "skp.rhk_has_supporters"
    assert exc.value.params == {"count": 2}
    assert Rhk.objects.filter(pk=planning["head_rhk"].pk).exists()
    assert audit_count() == before


def test_rhk_remove_deletes_the_result_and_its_indicators(agency: Any, planning: Any) -> None:
    rhk, indicator = add_rhk(planning["staff_plan"], "Arsip", parent=planning["a_rhk"])

    services.rhk_remove(actor=agency.staff_a.user, rhk=rhk)

    assert not Rhk.objects.filter(pk=rhk.pk).exists()
    assert not Indicator.objects.filter(rhk_id=rhk.pk).exists()
    assert AuditEvent.objects.filter(action="kinerja.rhk.removed").count() == 1


def test_contributor_from_another_unit_but_not_another_agency(
    agency: Any, other_agency: Any, planning: Any
) -> None:
    contributor = services.rhk_add_contributor(
        actor=agency.head_a.user, rhk=planning["a_rhk"], employee=agency.staff_b, role="Data"
    )
    with pytest.raises(ValidationError) as exc:
        services.rhk_add_contributor(
            actor=agency.head_a.user, rhk=planning["a_rhk"], employee=other_agency.staff_b
        )
    with pytest.raises(ConflictError) as twice:
        services.rhk_add_contributor(
            actor=agency.head_a.user, rhk=planning["a_rhk"], employee=agency.staff_b
        )

    assert (contributor.employee_id, contributor.role) == (agency.staff_b.pk, "Data")
    assert (exc.value.code, twice.value.code) == ("skp.other_instansi", "skp.contributor_exists")
    assert planning["a_rhk"].contributors.count() == 1


def test_indicator_metric_must_be_registered(agency: Any, planning: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        services.indicator_add(
            actor=agency.head_a.user, rhk=planning["a_rhk"], aspect=Aspect.KUANTITAS,
            text="X", target=Decimal(1), unit="x", metric="nope.metric",
        )  # fmt: skip
    bound = services.indicator_add(
        actor=agency.head_a.user, rhk=planning["a_rhk"], aspect=Aspect.KUANTITAS,
        text="Output diterima", target=Decimal(4), unit="output",
        metric="kinerja.accepted_outputs",
    )  # fmt: skip

    assert exc.value.code == "skp.metric_unknown"
    assert bound.metric == "kinerja.accepted_outputs"
    assert planning["a_rhk"].indicators.count() == 2


def test_indicator_update_and_negative_target(agency: Any, planning: Any) -> None:
    indicator = planning["a_rhk"].indicators.get()
    updated = services.indicator_update(
        actor=agency.head_a.user, indicator=indicator, aspect=Aspect.KUALITAS,
        text="Mutu layanan", target=Decimal(90), unit="%",
    )  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.indicator_update(
            actor=agency.head_a.user, indicator=indicator, aspect=Aspect.KUALITAS,
            text="Mutu layanan", target=Decimal(-1), unit="%",
        )  # fmt: skip

    assert (updated.aspect, updated.target, updated.unit) == (Aspect.KUALITAS, Decimal(90), "%")
    assert exc.value.code == "skp.indicator_invalid"
    indicator.refresh_from_db()
    assert indicator.target == Decimal(90)


def test_annex_by_owner_and_expectations_by_leader(agency: Any, planning: Any) -> None:
    plan = services.plan_set_annex(
        actor=agency.head_a.user, plan=planning["a_plan"], resources=[" Anggaran ", ""],
        accountability=["Laporan bulanan"], consequences=["TPP sesuai capaian"],
    )  # fmt: skip
    plan = services.plan_set_behaviour_expectations(
        actor=agency.head.user, plan=plan,
        expectations={CoreValue.AKUNTABEL: " Laporan tepat waktu ", CoreValue.LOYAL: ""},
    )  # fmt: skip

    plan.refresh_from_db()
    assert plan.resources == ["Anggaran"]
    assert plan.accountability == ["Laporan bulanan"]
    assert plan.behaviour_expectations == {"akuntabel": "Laporan tepat waktu"}


def test_expectations_refuse_the_owner_and_unknown_values(agency: Any, planning: Any) -> None:
    with pytest.raises(PermissionDeniedError) as owner:
        services.plan_set_behaviour_expectations(
            actor=agency.head_a.user, plan=planning["a_plan"], expectations={"akuntabel": "x"}
        )
    with pytest.raises(ValidationError) as unknown:
        services.plan_set_behaviour_expectations(
            actor=agency.head.user, plan=planning["a_plan"], expectations={"jujur": "x"}
        )

    assert (owner.value.code, unknown.value.code) == ("skp.not_leader", "skp.core_value_unknown")
    planning["a_plan"].refresh_from_db()
    assert planning["a_plan"].behaviour_expectations == {}


# --- Submission and approval -----------------------------------------------------------------


def test_submit_needs_results_with_indicators(agency: Any, planning: Any) -> None:
    plan = planning["staff_plan"]
    with pytest.raises(ValidationError) as empty:
        services.plan_submit(actor=agency.staff_a.user, plan=plan)
    services.rhk_add(actor=agency.staff_a.user, plan=plan, text="Arsip", parent=planning["a_rhk"])
    with pytest.raises(ValidationError) as no_indicator:
        services.plan_submit(actor=agency.staff_a.user, plan=plan)

    assert empty.value.code == no_indicator.value.code == "skp.plan_incomplete"
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_direct_leader_approves(agency: Any, planning: Any) -> None:
    plan = services.plan_submit(actor=agency.head_a.user, plan=planning["a_plan"])

    plan = services.plan_approve(actor=agency.head.user, plan=plan)

    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    assert plan.approved_by_id == agency.head.pk
    assert plan.approved_at is not None
    assert AuditEvent.objects.filter(action="kinerja.plan.approved").count() == 1


@pytest.mark.parametrize("who", ["staff_a2", "head_b", "head", "admin", "self"])
def test_only_the_direct_leader_approves(agency: Any, planning: Any, who: str) -> None:
    plan = planning["staff_plan"]
    add_rhk(plan, "Arsip", parent=planning["a_rhk"])
    services.plan_submit(actor=agency.staff_a.user, plan=plan)
    actor = {
        "staff_a2": agency.staff_a2.user, "head_b": agency.head_b.user, "head": agency.head.user,
        "admin": agency.admin, "self": agency.staff_a.user,
    }[who]  # fmt: skip
    before = audit_count()

    with pytest.raises(PermissionDeniedError) as exc:
        services.plan_approve(actor=actor, plan=plan)

    assert exc.value.code == "skp.not_leader"
    plan.refresh_from_db()
    assert (plan.status, plan.approved_by_id) == (PlanStatus.SUBMITTED, None)
    assert audit_count() == before


def test_agency_admin_records_the_approval_of_the_agency_heads_plan(
    agency: Any, planning: Any
) -> None:
    plan = services.plan_submit(actor=agency.head.user, plan=planning["head_plan"])

    plan = services.plan_approve(actor=agency.admin, plan=plan)

    assert (plan.status, plan.approved_by_id) == (PlanStatus.APPROVED, None)


def test_return_needs_a_comment_and_reopens_the_plan(agency: Any, planning: Any) -> None:
    plan = services.plan_submit(actor=agency.head_a.user, plan=planning["a_plan"])
    with pytest.raises(ValidationError) as exc:
        services.plan_return(actor=agency.head.user, plan=plan, comment="  ")

    plan = services.plan_return(actor=agency.head.user, plan=plan, comment="Target terlalu rendah")
    rhk = services.rhk_add(
        actor=agency.head_a.user, plan=plan, text="Tambahan", parent=planning["head_rhk"]
    )

    assert exc.value.code == "skp.comment_required"
    assert (plan.status, plan.return_comment) == (PlanStatus.RETURNED, "Target terlalu rendah")
    assert rhk.plan_id == plan.pk
    with pytest.raises(ConflictError) as again:
        services.plan_approve(actor=agency.head.user, plan=plan)
    assert again.value.code == "skp.plan_not_submitted"


# --- Revision --------------------------------------------------------------------------------


def test_revision_creates_v2_and_repoints_subordinates(agency: Any) -> None:
    cascade = build_cascade(agency)

    v2 = services.plan_revise(
        actor=agency.head_a.user, plan=cascade.a_plan, reason="Reorganisasi bidang"
    )

    old = SkpPlan.objects.get(pk=cascade.a_plan.pk)
    assert (old.status, old.is_current) == (PlanStatus.SUPERSEDED, False)
    assert (v2.version, v2.status, v2.is_current, v2.previous_id) == (
        2, PlanStatus.DRAFT, True, old.pk,
    )  # fmt: skip
    assert v2.revision_reason == "Reorganisasi bidang"
    new_rhk = v2.rhks.get()
    assert (new_rhk.text, new_rhk.parent_id) == (cascade.a_rhk.text, cascade.head_rhk.pk)
    assert list(new_rhk.indicators.values_list("text", "target")) == [
        ("Jumlah Layanan bidang A tepat waktu", Decimal("10.00"))
    ]
    cascade.staff_rhk.refresh_from_db()
    assert cascade.staff_rhk.parent_id == new_rhk.pk
    event = AuditEvent.objects.get(action="kinerja.plan.revised")
    assert (event.before["version"], event.after["version"]) == (1, 2)
    assert event.after["repointed_supporting_rhks"] == 1
    assert event.reason == "Reorganisasi bidang"


def test_revision_copies_contributors_annex_and_expectations(agency: Any) -> None:
    year = open_year(agency)
    head_plan = draft_plan(year, agency.head)
    head_rhk, _ = add_rhk(head_plan, "IKM", cascade=Cascade.OWN, perspective=Perspective.ANGGARAN)
    plan = draft_plan(year, agency.head_a)
    rhk, _ = add_rhk(plan, "Layanan A", parent=head_rhk)
    services.rhk_add_contributor(
        actor=agency.head_a.user, rhk=rhk, employee=agency.staff_b, role="Data"
    )
    services.plan_set_annex(
        actor=agency.head_a.user, plan=plan, resources=["Anggaran"], accountability=[],
        consequences=["TPP"],
    )  # fmt: skip
    services.plan_set_behaviour_expectations(
        actor=agency.head.user, plan=plan, expectations={"adaptif": "Cepat belajar"}
    )
    plan = approve(plan, agency.head.user)

    v2 = services.plan_revise(actor=agency.head_a.user, plan=plan, reason="Target berubah")

    assert list(v2.rhks.get().contributors.values_list("employee_id", "role")) == [
        (agency.staff_b.pk, "Data")
    ]
    assert (v2.resources, v2.consequences) == (["Anggaran"], ["TPP"])
    assert v2.behaviour_expectations == {"adaptif": "Cepat belajar"}


def test_revision_needs_an_approved_plan_and_a_reason(agency: Any) -> None:
    cascade = build_cascade(agency)
    with pytest.raises(ValidationError) as no_reason:
        services.plan_revise(actor=agency.head_a.user, plan=cascade.a_plan, reason=" ")
    with pytest.raises(PermissionDeniedError):
        services.plan_revise(actor=agency.head.user, plan=cascade.a_plan, reason="x")
    v2 = services.plan_revise(actor=agency.head_a.user, plan=cascade.a_plan, reason="x")
    with pytest.raises(ConflictError) as draft:
        services.plan_revise(actor=agency.head_a.user, plan=v2, reason="x")

    assert (no_reason.value.code, draft.value.code) == (
        "skp.reason_required",
        "skp.plan_not_approved",
    )
    assert SkpPlan.objects.filter(employee=agency.head_a).count() == 2


# --- Realisation -----------------------------------------------------------------------------


def test_realisation_recorded_for_a_started_period(agency: Any) -> None:
    cascade = build_cascade(agency)

    realisation = services.realisation_record(
        actor=agency.staff_a.user, indicator=cascade.staff_indicator, period=4,
        value=Decimal(3), note="Minggu 1-2", today=TODAY,
    )  # fmt: skip

    assert (realisation.period, realisation.value, realisation.status, realisation.computed) == (
        4, Decimal(3), ReportStatus.SUBMITTED, False,
    )  # fmt: skip
    assert AuditEvent.objects.filter(action="kinerja.realisation.recorded").count() == 1


def test_realisation_refuses_a_negative_value(agency: Any) -> None:
    cascade = build_cascade(agency)

    with pytest.raises(ValidationError) as exc:
        services.realisation_record(
            actor=agency.staff_a.user, indicator=cascade.staff_indicator, period=4,
            value=Decimal("-5"), today=TODAY,
        )  # fmt: skip

    assert exc.value.code == "skp.value_negative"
    assert Realisation.objects.count() == 0


@pytest.mark.parametrize(
    ("period", "code"),
    [(5, "skp.period_future"), (13, "skp.period_invalid"), (0, "skp.period_invalid")],
)
def test_realisation_refuses_future_and_unknown_periods(
    agency: Any, period: int, code: str
) -> None:
    cascade = build_cascade(agency)
    before = audit_count()

    with pytest.raises(ValidationError) as exc:
        services.realisation_record(
            actor=agency.staff_a.user, indicator=cascade.staff_indicator, period=period,
            value=Decimal(1), today=TODAY,
        )  # fmt: skip

    assert exc.value.code == code
    assert Realisation.objects.count() == 0
    assert audit_count() == before


def test_realisation_only_on_approved_plans(agency: Any) -> None:
    year = open_year(agency)
    plan = draft_plan(year, agency.head)
    _, indicator = add_rhk(plan, "IKM", cascade=Cascade.OWN, perspective=Perspective.ANGGARAN)
    assert indicator is not None

    with pytest.raises(ConflictError) as exc:
        services.realisation_record(
            actor=agency.head.user, indicator=indicator, period=1, value=Decimal(1), today=TODAY
        )

    assert exc.value.code == "skp.plan_not_approved"
    assert Realisation.objects.count() == 0


def test_realisation_only_by_the_owner(agency: Any) -> None:
    cascade = build_cascade(agency)

    with pytest.raises(PermissionDeniedError) as exc:
        services.realisation_record(
            actor=agency.head_a.user, indicator=cascade.staff_indicator, period=1,
            value=Decimal(1), today=TODAY,
        )  # fmt: skip

    assert exc.value.code == "skp.not_owner"
    assert Realisation.objects.count() == 0


def test_leader_accepts_and_a_change_goes_back_to_the_leader(agency: Any) -> None:
    cascade = build_cascade(agency)
    record = {
        "actor": agency.staff_a.user,
        "indicator": cascade.staff_indicator,
        "period": 1,
        "today": TODAY,
    }
    realisation = services.realisation_record(value=Decimal(4), **record)
    with pytest.raises(PermissionDeniedError):
        services.realisation_accept(actor=agency.head.user, realisation=realisation)

    realisation = services.realisation_accept(actor=agency.head_a.user, realisation=realisation)
    assert realisation.status == ReportStatus.ACCEPTED
    same = services.realisation_record(value=Decimal(4), **record)
    assert same.status == ReportStatus.ACCEPTED
    changed = services.realisation_record(value=Decimal(5), **record)

    assert (changed.pk, changed.value, changed.status) == (
        realisation.pk,
        Decimal(5),
        ReportStatus.SUBMITTED,
    )
    assert AuditEvent.objects.filter(action="kinerja.realisation.recorded").count() == 2


def test_leader_returns_a_realisation_with_a_comment(agency: Any) -> None:
    cascade = build_cascade(agency)
    realisation = services.realisation_record(
        actor=agency.staff_a.user, indicator=cascade.staff_indicator, period=1,
        value=Decimal(4), today=TODAY,
    )  # fmt: skip
    with pytest.raises(ValidationError):
        services.realisation_return(actor=agency.head_a.user, realisation=realisation, comment="")

    returned = services.realisation_return(
        actor=agency.head_a.user, realisation=realisation, comment="Lampirkan bukti"
    )

    assert (returned.status, returned.return_comment) == (ReportStatus.RETURNED, "Lampirkan bukti")
    with pytest.raises(ConflictError) as exc:
        services.realisation_accept(actor=agency.head_a.user, realisation=returned)
    assert exc.value.code == "skp.not_submitted"


def test_bound_indicator_refuses_typed_values_and_computes_accepted_outputs(
    agency: Any,
) -> None:
    cascade = build_cascade(agency, staff_metric="kinerja.accepted_outputs")
    with pytest.raises(ValidationError) as exc:
        services.realisation_record(
            actor=agency.staff_a.user, indicator=cascade.staff_indicator, period=2,
            value=Decimal(9), today=TODAY,
        )  # fmt: skip
    assert exc.value.code == "skp.metric_bound"
    assert Realisation.objects.count() == 0
    entries = [
        services.output_add(
            actor=agency.staff_a.user,
            rhk=cascade.staff_rhk,
            week=week,
            output="Verifikasi",
            quantity=Decimal(quantity),
            today=TODAY,
        )  # fmt: skip
        for week, quantity in [
            (date(2026, 2, 4), 2),
            (date(2026, 2, 18), 3),
            (date(2026, 2, 25), 7),
        ]  # fmt: skip
    ]
    services.output_accept(actor=agency.head_a.user, entry=entries[0])
    services.output_accept(actor=agency.head_a.user, entry=entries[1])
    services.output_return(actor=agency.head_a.user, entry=entries[2], comment="Tidak relevan")

    realisation = services.realisation_refresh_computed(
        indicator=cascade.staff_indicator, period=2, today=TODAY
    )

    assert (realisation.value, realisation.computed, realisation.status) == (
        Decimal(5), True, ReportStatus.SUBMITTED,
    )  # fmt: skip
    event = AuditEvent.objects.get(action="kinerja.realisation.computed")
    assert (event.actor_id, event.actor_label) == (None, "system")


# --- Evidence --------------------------------------------------------------------------------

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
EXE = b"MZ\x90\x00" + b"\x00" * 32


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def realisation(agency: Any) -> Realisation:
    cascade = build_cascade(agency)
    return services.realisation_record(
        actor=agency.staff_a.user, indicator=cascade.staff_indicator, period=1,
        value=Decimal(4), today=TODAY,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("laporan.pdf", PDF, "application/pdf"),
        ("foto.PNG", PNG, "image/png"),
        ("foto.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 20, "image/jpeg"),
        (
            "notulen.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),  # fmt: skip
    ],
)
def test_evidence_file_accepted_by_content(
    agency: Any, realisation: Realisation, name: str, content: bytes, content_type: str
) -> None:
    evidence = services.evidence_attach(
        actor=agency.staff_a.user, realisation=realisation,
        uploaded_file=SimpleUploadedFile(name, content),
    )  # fmt: skip

    assert (evidence.original_name, evidence.content_type, evidence.size) == (
        name, content_type, len(content),
    )  # fmt: skip
    assert evidence.file.name.startswith("kinerja/evidence/")
    assert AuditEvent.objects.filter(action="kinerja.evidence.attached").count() == 1


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("laporan.pdf", EXE),  # an executable named as a PDF
        ("laporan.pdf", PNG),  # an image named as a PDF: content and name must agree
        ("virus.exe", EXE),
        ("tabel.xlsx", docx_bytes()),  # a Word document named as a spreadsheet
        ("arsip.docx", b"PK\x03\x04not really a zip"),
        ("catatan.txt", b"hello"),
    ],
)
def test_evidence_file_refused_by_content(
    agency: Any, realisation: Realisation, name: str, content: bytes
) -> None:
    before = audit_count()

    with pytest.raises(ValidationError) as exc:
        services.evidence_attach(
            actor=agency.staff_a.user, realisation=realisation,
            uploaded_file=SimpleUploadedFile(name, content),
        )  # fmt: skip

    assert exc.value.code == "skp.evidence_type"
    assert Evidence.objects.count() == 0
    assert audit_count() == before


@override_settings(ABDI_EVIDENCE_MAX_BYTES=40)
def test_evidence_file_too_large(agency: Any, realisation: Realisation) -> None:
    with pytest.raises(ValidationError) as exc:
        services.evidence_attach(
            actor=agency.staff_a.user, realisation=realisation,
            uploaded_file=SimpleUploadedFile("laporan.pdf", PDF + b"0" * 10),
        )  # fmt: skip

    assert exc.value.code == "skp.evidence_too_large"
    assert Evidence.objects.count() == 0


def test_evidence_link_must_be_http(agency: Any, realisation: Realisation) -> None:
    link = services.evidence_attach(
        actor=agency.staff_a.user, realisation=realisation, url="https://drive.example.id/f/1"
    )
    with pytest.raises(ValidationError) as exc:
        services.evidence_attach(
            actor=agency.staff_a.user, realisation=realisation, url="ftp://example.id/f"
        )
    with pytest.raises(ValidationError) as both:
        services.evidence_attach(actor=agency.staff_a.user, realisation=realisation)

    assert (link.url, link.file.name) == ("https://drive.example.id/f/1", "")
    assert (exc.value.code, both.value.code) == ("skp.evidence_url", "skp.evidence_missing")
    assert Evidence.objects.count() == 1


def test_evidence_only_by_the_owner(agency: Any, realisation: Realisation) -> None:
    with pytest.raises(PermissionDeniedError):
        services.evidence_attach(
            actor=agency.head_a.user, realisation=realisation, url="https://example.id/x"
        )

    assert Evidence.objects.count() == 0


# --- Feedback and the weekly output log ------------------------------------------------------


def test_feedback_by_the_direct_leader_only(agency: Any) -> None:
    cascade = build_cascade(agency)
    feedback = services.feedback_give(
        actor=agency.head_a.user, rhk=cascade.staff_rhk, period=2, text="Pertahankan"
    )
    with pytest.raises(PermissionDeniedError):
        services.feedback_give(actor=agency.head.user, rhk=cascade.staff_rhk, period=2, text="x")

    assert (feedback.author_id, feedback.period, feedback.text) == (
        agency.head_a.pk,
        2,
        "Pertahankan",
    )
    assert RhkFeedback.objects.count() == 1


def test_output_week_is_normalised_to_monday(agency: Any) -> None:
    cascade = build_cascade(agency)

    entry = services.output_add(
        actor=agency.staff_a.user, rhk=cascade.staff_rhk, week=date(2026, 3, 12),
        output="Verifikasi 12 berkas", quantity=Decimal(12), location="Rumah", today=TODAY,
    )  # fmt: skip

    assert (entry.week, entry.status, entry.employee_id) == (
        date(2026, 3, 9), ReportStatus.SUBMITTED, agency.staff_a.pk,
    )  # fmt: skip


def test_output_refused_on_an_unapproved_plan_or_a_future_week(agency: Any) -> None:
    cascade = build_cascade(agency)
    v2 = services.plan_revise(actor=agency.staff_a.user, plan=cascade.staff_plan, reason="x")
    draft_rhk = v2.rhks.get()
    with pytest.raises(ConflictError) as draft:
        services.output_add(
            actor=agency.staff_a.user, rhk=draft_rhk, week=date(2026, 3, 2), output="x",
            today=TODAY,
        )  # fmt: skip
    with pytest.raises(ConflictError) as superseded:
        services.output_add(
            actor=agency.staff_a.user, rhk=cascade.staff_rhk, week=date(2026, 3, 2), output="x",
            today=TODAY,
        )  # fmt: skip

    assert draft.value.code == superseded.value.code == "skp.plan_not_approved"
    assert OutputEntry.objects.count() == 0


def test_output_future_week_and_quantity(agency: Any) -> None:
    cascade = build_cascade(agency)
    add = {"actor": agency.staff_a.user, "rhk": cascade.staff_rhk, "output": "x", "today": TODAY}
    with pytest.raises(ValidationError) as future:
        services.output_add(week=date(2026, 4, 20), **add)
    with pytest.raises(ValidationError) as quantity:
        services.output_add(week=date(2026, 4, 6), quantity=Decimal(0), **add)

    assert (future.value.code, quantity.value.code) == ("skp.period_future", "skp.quantity_invalid")
    assert OutputEntry.objects.count() == 0


def test_output_decided_by_the_direct_leader_only(agency: Any) -> None:
    cascade = build_cascade(agency)
    entry = services.output_add(
        actor=agency.staff_a.user, rhk=cascade.staff_rhk, week=date(2026, 3, 2), output="x",
        today=TODAY,
    )  # fmt: skip
    with pytest.raises(PermissionDeniedError):
        services.output_accept(actor=agency.staff_a2.user, entry=entry)
    with pytest.raises(PermissionDeniedError):
        services.output_accept(actor=agency.admin, entry=entry)

    accepted = services.output_accept(actor=agency.head_a.user, entry=entry)

    assert (accepted.status, accepted.decided_by_id) == (ReportStatus.ACCEPTED, agency.head_a.pk)
    with pytest.raises(ConflictError):
        services.output_return(actor=agency.head_a.user, entry=entry, comment="x")
