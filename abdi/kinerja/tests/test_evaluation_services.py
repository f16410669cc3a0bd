"""Kinerja II services: ratings and predicate, 360, notes, calibration, consequences, appeals."""

from datetime import date
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from openpyxl import load_workbook

from abdi.core.exceptions import DomainError, PermissionDeniedError
from abdi.core.models import AuditEvent
from abdi.kinerja import services
from abdi.kinerja.choices import (
    ANNUAL,
    AppealStatus,
    EffectKind,
    FeedbackKind,
    PredicateSource,
    RuleTrigger,
)
from abdi.kinerja.evaluation import selectors
from abdi.kinerja.models import Appeal, CalibrationChange, Consequence, PeerReview, PeriodEvaluation
from abdi.kinerja.tests.evaluation_factories import (
    A,
    S,
    U,
    build_team,
    consequence_rules,
    rate,
    record,
    values,
)
from abdi.kinerja.tests.factories import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(agency: Any) -> Any:
    return build_team(agency)


def test_leader_rates_and_the_predicate_follows_the_matrix(agency, team):
    record(team.plans["staff_a"], 3, Decimal("2.5"))  # 2.5 of 10 by March = 100 % of 2.5
    evaluation = rate(agency, team.plans["staff_a"], 3, A, S)
    assert (evaluation.predicate, evaluation.matrix_predicate) == ("baik", "baik")
    assert evaluation.predicate_source == PredicateSource.MATRIX
    assert evaluation.evaluator == agency.head_a
    # Realisation met the pro-rated target exactly: the suggestion is Sesuai, the leader chose
    # Di Atas, and the difference is recorded.
    assert (evaluation.result_suggested, evaluation.result_basis) == (S, Decimal("1.0000"))
    assert evaluation.result_differs is True
    event = AuditEvent.objects.get(action="kinerja.evaluation.rated")
    assert event.after["result_differs_from_suggestion"] is True
    assert event.after["result_basis"] == "1.0000"


def test_rating_again_replaces_the_ratings_and_audits_before(agency, team):
    rate(agency, team.plans["staff_a"], 2, S, S)
    evaluation = rate(agency, team.plans["staff_a"], 2, U, U)
    assert evaluation.predicate == "sangat_kurang"
    assert PeriodEvaluation.objects.filter(employee=agency.staff_a).count() == 1
    last = AuditEvent.objects.filter(action="kinerja.evaluation.rated").order_by("pk").last()
    assert last.before["predicate"] == "baik"


def test_suggestion_without_realisation_is_empty(agency, team):
    evaluation = rate(agency, team.plans["staff_a2"], 1, S, S)
    assert (evaluation.result_suggested, evaluation.result_basis) == ("", None)
    assert evaluation.result_differs is False


@pytest.mark.parametrize("who", ["staff_a", "staff_a2", "head", "head_b"])
def test_only_the_direct_leader_rates(agency, team, who):
    actor = getattr(agency, who).user
    with pytest.raises(PermissionDeniedError) as info:
        services.evaluation_rate(
            actor=actor, plan=team.plans["staff_a"], period=1, result_rating=S,
            behaviour_rating=S, behaviour_values=values(), today=TODAY,
        )  # fmt: skip
    assert info.value.code == "evaluation.not_evaluator"
    assert not PeriodEvaluation.objects.exists()


def test_rating_needs_all_seven_values_and_known_ratings(agency, team):
    partial = values()
    partial.pop("loyal")
    with pytest.raises(DomainError) as info:
        services.evaluation_rate(
            actor=agency.head_a.user, plan=team.plans["staff_a"], period=1, result_rating=S,
            behaviour_rating=S, behaviour_values=partial, today=TODAY,
        )  # fmt: skip
    assert info.value.code == "evaluation.values_incomplete"
    with pytest.raises(DomainError) as info:
        services.evaluation_rate(
            actor=agency.head_a.user, plan=team.plans["staff_a"], period=1,
            result_rating="excellent", behaviour_rating=S, behaviour_values=values(), today=TODAY,
        )  # fmt: skip
    assert info.value.code == "evaluation.rating_invalid"
    with pytest.raises(DomainError) as info:
        services.evaluation_rate(
            actor=agency.head_a.user, plan=team.plans["staff_a"], period=5, result_rating=S,
            behaviour_rating=S, behaviour_values=values(), today=TODAY,
        )  # fmt: skip
    assert info.value.code == "skp.period_future"
    assert not PeriodEvaluation.objects.exists()


# --- 360 -------------------------------------------------------------------------------------


def review(reviewer, subject, year, comment, rating=S):
    return services.peer_review_submit(
        actor=reviewer.user, employee=subject, year=year, period=3, ratings=values(rating),
        comment=comment,
    )  # fmt: skip


def test_360_is_shown_only_from_three_responses_and_anonymously(agency, team):
    year = team.year
    review(agency.staff_a, agency.head_a, year, "Zaman berubah, beliau sigap", A)
    review(agency.staff_a2, agency.head_a, year, "Arahan jelas")
    assert selectors.peer_summary(agency.head_a, year, 3) is None  # two are not enough
    review(agency.head_b, agency.head_a, year, "", U)
    summary = selectors.peer_summary(agency.head_a, year, 3)
    assert summary.responses == 3
    first_label, counts = summary.values[0]
    assert first_label == "Berorientasi Pelayanan"
    assert counts == {"di_atas": 1, "sesuai": 1, "di_bawah": 1}
    # Comments come sorted, with no name, relation or order of submission.
    assert summary.comments == ["Arahan jelas", "Zaman berubah, beliau sigap"]
    rendered = repr(summary)
    for reviewer in (agency.staff_a, agency.staff_a2, agency.head_b):
        assert reviewer.name not in rendered
        assert reviewer.nip not in rendered
    assert "peer" not in rendered
    assert "subordinate" not in rendered


def test_360_only_from_peers_and_direct_reports_once(agency, team):
    year = team.year
    with pytest.raises(PermissionDeniedError) as info:
        review(agency.staff_b, agency.head_a, year, "bukan rekan")  # another division's staff
    assert info.value.code == "evaluation.not_reviewer"
    with pytest.raises(PermissionDeniedError):
        review(agency.head_a, agency.head_a, year, "diri sendiri")
    with pytest.raises(PermissionDeniedError):
        review(agency.head, agency.staff_a, year, "atasan bukan rekan")
    assert review(agency.staff_a2, agency.staff_a, year, "").relation == "peer"
    with pytest.raises(DomainError) as info:
        review(agency.staff_a2, agency.staff_a, year, "lagi")
    assert info.value.code == "evaluation.review_exists"
    assert PeerReview.objects.count() == 1


def test_feedback_notes_any_time_in_the_current_period(agency, team):
    note = services.feedback_note_add(
        actor=agency.head_a.user, employee=agency.staff_a, year=team.year,
        kind=FeedbackKind.PRAISE, text="Laporan rapi", today=date(2026, 5, 20),
    )  # fmt: skip
    assert note.period == 5
    assert list(selectors.feedback_notes_for(agency.staff_a, team.year, 5)) == [note]
    with pytest.raises(PermissionDeniedError):
        services.feedback_note_add(
            actor=agency.staff_b.user, employee=agency.staff_a, year=team.year,
            kind=FeedbackKind.CONCERN, text="?", today=date(2026, 5, 20),
        )  # fmt: skip


# --- Organisation predicate, curve, calibration ---------------------------------------------


def rate_everyone(agency, team, period, ratings):
    for who, (result, behaviour) in ratings.items():
        rate(agency, team.plans[who], period, result, behaviour)


ALL_GOOD = {
    "head": (S, S), "head_a": (S, S), "head_b": (A, S), "staff_a": (S, S),
    "staff_a2": (A, A), "staff_b": (S, S),
}  # fmt: skip


def test_curve_report_flags_agency_and_units(agency, team):
    rate_everyone(agency, team, 3, ALL_GOOD)
    services.organisation_predicate_set(actor=agency.admin, year=team.year, predicate="baik")
    report = selectors.curve_report(team.year, 3)
    assert report.agency.total == 6
    assert report.agency.counts == {"baik": 5, "sangat_baik": 1}
    # Baik: at most 70 % Baik (5/6 = 83 %) and at least one BP or K.
    assert [b.code for b in report.agency.breaches] == ["curve.b_max", "curve.bp_k_required"]
    assert {unit.label for unit in report.breached_units} >= {"Dinas Utama", "Bidang A"}
    assert len(report.nine_box[0][2]) == 1  # result Di Atas × behaviour Di Atas
    # A unit with its own predicate is checked against it.
    services.organisation_predicate_set(
        actor=agency.admin, year=team.year, predicate="istimewa", unit=agency.division_b
    )
    report = selectors.curve_report(team.year, 3)
    unit_b = next(unit for unit in report.units if unit.label == "Bidang B")
    # Istimewa expects most of Bidang B Sangat Baik; both of its people are Baik.
    assert unit_b.org_predicate == "istimewa"
    assert [b.code for b in unit_b.breaches] == ["curve.sb_most"]


def test_org_predicate_only_by_the_agency_admin(agency, team):
    with pytest.raises(PermissionDeniedError):
        services.organisation_predicate_set(
            actor=agency.head.user, year=team.year, predicate="baik"
        )


def test_calibration_changes_with_reason_updates_curve_and_closes(agency, team):
    rate_everyone(agency, team, 3, ALL_GOOD)
    services.organisation_predicate_set(actor=agency.admin, year=team.year, predicate="baik")
    session = services.calibration_open(actor=agency.head.user, year=team.year, period=3)
    staff = PeriodEvaluation.objects.get(employee=agency.staff_a, period=3)
    with pytest.raises(DomainError) as info:
        services.calibration_change(
            actor=agency.head.user, session=session, evaluation=staff,
            predicate="butuh_perbaikan", reason="  ",
        )  # fmt: skip
    assert info.value.code == "skp.reason_required"
    with pytest.raises(PermissionDeniedError):
        services.calibration_change(
            actor=agency.head_a.user, session=session, evaluation=staff,
            predicate="butuh_perbaikan", reason="bukan panel",
        )  # fmt: skip
    services.calibration_change(
        actor=agency.head.user, session=session, evaluation=staff,
        predicate="butuh_perbaikan", reason="Target utama belum tercapai",
    )  # fmt: skip
    staff.refresh_from_db()
    assert (staff.predicate, staff.matrix_predicate) == ("butuh_perbaikan", "baik")
    assert staff.predicate_source == PredicateSource.CALIBRATION
    assert selectors.curve_report(team.year, 3).agency.breaches == []
    event = AuditEvent.objects.get(action="kinerja.calibration.changed")
    assert (event.before, event.reason) == ({"predicate": "baik"}, "Target utama belum tercapai")
    services.calibration_close(actor=agency.head.user, session=session, note="Selesai")
    with pytest.raises(DomainError) as info:
        services.calibration_change(
            actor=agency.head.user, session=session, evaluation=staff, predicate="baik",
            reason="lagi",
        )  # fmt: skip
    assert info.value.code == "calibration.session_closed"
    assert CalibrationChange.objects.count() == 1
    assert AuditEvent.objects.get(action="kinerja.calibration.closed").after["changes"] == 1


def test_calibration_panel_member_may_change(agency, team):
    rate_everyone(agency, team, 3, ALL_GOOD)
    session = services.calibration_open(
        actor=agency.admin, year=team.year, period=3, panel=[agency.head_b]
    )
    staff = PeriodEvaluation.objects.get(employee=agency.staff_a, period=3)
    services.calibration_change(
        actor=agency.head_b.user, session=session, evaluation=staff, predicate="kurang",
        reason="Panel",
    )  # fmt: skip
    with pytest.raises(DomainError) as info:
        services.calibration_open(actor=agency.admin, year=team.year, period=3)
    assert info.value.code == "calibration.session_open"


# --- Consequences ----------------------------------------------------------------------------


@pytest.fixture
def rules(agency):
    return consequence_rules(agency)


def effects(employee, period):
    return sorted(
        (c.effect, c.tpp_percent, c.rule.description)
        for c in Consequence.objects.filter(employee=employee, period=period)
    )


def test_closing_a_period_computes_consequences_set_based(
    agency, team, rules, django_assert_max_num_queries
):
    rate(agency, team.plans["staff_a"], 2, S, U)  # Kurang in period 2
    rate(agency, team.plans["staff_a"], 3, A, U)  # Kurang again in period 3
    rate(agency, team.plans["staff_a2"], 3, U, S)  # Butuh Perbaikan
    rate(agency, team.plans["head_b"], 3, A, A)  # Sangat Baik
    rate(agency, team.plans["head_a"], 3, S, S)  # Baik: no rule
    # head and staff_b are not evaluated in period 3: "missing".
    with django_assert_max_num_queries(20):
        services.period_close(actor=agency.admin, year=team.year, period=3, today=TODAY)
    assert effects(agency.staff_a, 3) == [
        ("discipline_flag", None, "K berulang: pemeriksaan disiplin"),
        ("improvement_plan", None, "K berulang: rencana perbaikan"),
        ("tpp", Decimal("85.00"), "K: TPP 85%"),
    ]
    assert effects(agency.staff_a2, 3) == [
        ("coaching", None, "BP: rencana pembinaan"),
        ("tpp", Decimal("90.00"), "BP: TPP 90%"),
    ]
    assert effects(agency.head_b, 3) == [("talent_pool", None, "SB: talent pool")]
    assert effects(agency.head_a, 3) == []
    assert effects(agency.staff_b, 3) == [("tpp", Decimal("65.00"), "Tanpa evaluasi: TPP 65%")]
    assert effects(agency.head, 3) == [("tpp", Decimal("65.00"), "Tanpa evaluasi: TPP 65%")]
    closure = AuditEvent.objects.get(action="kinerja.period.closed")
    assert closure.after["consequences"] == 8
    # A closed period refuses new ratings.
    with pytest.raises(DomainError) as info:
        rate(agency, team.plans["head_a"], 3, A, A)
    assert info.value.code == "evaluation.period_closed"


def test_single_kurang_is_not_repeated(agency, team, rules):
    rate(agency, team.plans["staff_a"], 3, S, U)
    services.period_close(actor=agency.admin, year=team.year, period=3, today=TODAY)
    assert [e[0] for e in effects(agency.staff_a, 3)] == ["tpp"]


def test_consequence_rules_are_validated(agency):
    with pytest.raises(DomainError) as info:
        services.consequence_rule_add(
            actor=agency.admin, instansi=agency.instansi, trigger="kurang", effect="tpp",
            tpp_percent=Decimal(120), description="x",
        )  # fmt: skip
    assert info.value.code == "consequence.rule_invalid"
    with pytest.raises(PermissionDeniedError):
        services.consequence_rule_add(
            actor=agency.head.user, instansi=agency.instansi, trigger="kurang",
            effect="coaching", description="x",
        )  # fmt: skip


def test_payroll_export_has_one_row_per_employee(agency, team, rules):
    rate(agency, team.plans["staff_a2"], 3, U, S)
    services.period_close(actor=agency.admin, year=team.year, period=3, today=TODAY)
    sheet = load_workbook(BytesIO(selectors.consequences_xlsx(team.year, 3))).active
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows[agency.staff_a2.nip][3:6] == ("Butuh Perbaikan", 90.0, "Rencana pembinaan")
    assert rows[agency.staff_b.nip][3:5] == ("Tidak ada evaluasi", 65.0)
    assert len(rows) == 6


# --- Appeals ---------------------------------------------------------------------------------


def test_appeal_granted_by_the_leaders_leader_recomputes(agency, team, rules):
    rate(agency, team.plans["staff_a2"], 3, U, S)
    services.period_close(actor=agency.admin, year=team.year, period=3, today=date(2026, 4, 10))
    evaluation = PeriodEvaluation.objects.get(employee=agency.staff_a2, period=3)
    with pytest.raises(PermissionDeniedError):
        services.appeal_file(actor=agency.head_a.user, evaluation=evaluation, reason="x")
    appeal = services.appeal_file(
        actor=agency.staff_a2.user, evaluation=evaluation, reason="Data realisasi terlambat masuk",
        requested="baik", today=date(2026, 4, 20),
    )  # fmt: skip
    assert appeal.deadline == date(2026, 4, 30)  # 14 working days after Friday 10 April
    with pytest.raises(PermissionDeniedError):  # the direct leader does not decide
        services.appeal_decide(actor=agency.head_a.user, appeal=appeal, grant=True,
                               reason="x", predicate="baik")  # fmt: skip
    services.appeal_decide(
        actor=agency.head.user, appeal=appeal, grant=True, reason="Bukti lengkap",
        predicate="baik",
    )  # fmt: skip
    appeal.refresh_from_db()
    evaluation.refresh_from_db()
    assert (appeal.status, appeal.predicate_after, appeal.decider) == (
        AppealStatus.GRANTED, "baik", agency.head,
    )  # fmt: skip
    assert (evaluation.predicate, evaluation.predicate_source) == ("baik", PredicateSource.APPEAL)
    assert effects(agency.staff_a2, 3) == []
    with pytest.raises(DomainError) as info:
        services.appeal_decide(actor=agency.head.user, appeal=appeal, grant=False, reason="x")
    assert info.value.code == "appeal.decided"


def test_appeal_window_and_open_period(agency, team):
    evaluation = rate(agency, team.plans["staff_a"], 3, U, S)
    with pytest.raises(DomainError) as info:
        services.appeal_file(actor=agency.staff_a.user, evaluation=evaluation, reason="x")
    assert info.value.code == "evaluation.period_not_closed"
    services.evaluation_settings_update(
        actor=agency.admin, instansi=agency.instansi, annual_policy="average",
        appeal_working_days=3,
    )  # fmt: skip
    services.period_close(actor=agency.admin, year=team.year, period=3, today=date(2026, 4, 10))
    with pytest.raises(DomainError) as info:
        services.appeal_file(
            actor=agency.staff_a.user, evaluation=evaluation, reason="x", today=date(2026, 4, 16)
        )
    assert info.value.code == "appeal.late"
    assert not Appeal.objects.exists()


def test_appeal_of_a_division_head_is_recorded_by_the_admin(agency, team):
    evaluation = rate(agency, team.plans["head_a"], 3, U, S)
    services.period_close(actor=agency.admin, year=team.year, period=3, today=date(2026, 4, 10))
    appeal = services.appeal_file(
        actor=agency.head_a.user, evaluation=evaluation, reason="x", today=date(2026, 4, 13)
    )
    with pytest.raises(PermissionDeniedError):
        services.appeal_decide(actor=agency.head.user, appeal=appeal, grant=False, reason="x")
    services.appeal_decide(actor=agency.admin, appeal=appeal, grant=False, reason="Sesuai data")
    appeal.refresh_from_db()
    assert (appeal.status, appeal.predicate_after) == (AppealStatus.REJECTED, "butuh_perbaikan")


# --- Annual ----------------------------------------------------------------------------------


def test_annual_predicate_from_periodic_by_policy(agency, team):
    rate(agency, team.plans["staff_a"], 1, A, S)
    rate(agency, team.plans["staff_a"], 2, S, S)
    rate(agency, team.plans["staff_a"], 3, U, S)
    assert services.annual_evaluations_compute(actor=agency.admin, year=team.year) == 1
    annual = PeriodEvaluation.objects.get(employee=agency.staff_a, period=ANNUAL)
    assert (annual.result_rating, annual.behaviour_rating, annual.predicate) == (S, S, "baik")
    services.evaluation_settings_update(
        actor=agency.admin, instansi=agency.instansi, annual_policy="latest",
        appeal_working_days=14,
    )  # fmt: skip
    services.annual_evaluations_compute(actor=agency.admin, year=team.year)
    annual.refresh_from_db()
    assert (annual.result_rating, annual.predicate) == (U, "butuh_perbaikan")
    assert PeriodEvaluation.objects.filter(period=ANNUAL).count() == 1


def test_history_lists_predicates_and_consequences(agency, team, rules):
    rate(agency, team.plans["staff_a2"], 3, U, S)
    services.period_close(actor=agency.admin, year=team.year, period=3, today=TODAY)
    (row,) = selectors.employee_history(agency.staff_a2)
    assert row.evaluation.predicate == "butuh_perbaikan"
    assert sorted(c.effect for c in row.consequences) == [EffectKind.COACHING, EffectKind.TPP]
    assert row.closure is not None


def test_rule_trigger_values_match_predicates():
    from abdi.kinerja.choices import Predicate

    assert set(Predicate.values) | {"missing"} == set(RuleTrigger.values)
