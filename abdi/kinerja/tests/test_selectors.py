"""SKP reads: scoping, the cascade tree, progress roll-up, the role-result matrix, my team."""

from decimal import Decimal
from typing import Any

import pytest

from abdi.core.exceptions import NotFoundError
from abdi.kinerja import selectors, services
from abdi.kinerja.choices import Cascade, PlanStatus
from abdi.kinerja.tests.factories import TODAY, add_rhk, approve, build_cascade, draft_plan
from abdi.organisations.choices import PositionKind
from abdi.organisations.tests.factories import employee_with_position

pytestmark = pytest.mark.django_db


def test_plan_current_for_and_get_for_actor(agency: Any) -> None:
    cascade = build_cascade(agency)

    assert selectors.plan_current_for(agency.staff_a, cascade.year) == cascade.staff_plan
    assert selectors.plan_current_for(agency.staff_b, cascade.year) is None
    found = selectors.plan_get_for_actor(
        actor=agency.head.user, public_id=cascade.staff_plan.public_id
    )
    assert found == cascade.staff_plan
    with pytest.raises(NotFoundError) as exc:
        selectors.plan_get_for_actor(
            actor=agency.staff_a2.user, public_id=cascade.staff_plan.public_id
        )
    assert exc.value.code == "skp.plan_not_found"


def test_cascade_tree_three_levels_in_constant_queries(
    agency: Any, django_assert_num_queries: Any
) -> None:
    cascade = build_cascade(agency)
    b_plan = draft_plan(cascade.year, agency.head_b)
    add_rhk(b_plan, "Layanan B", parent=cascade.head_rhk)

    with django_assert_num_queries(2):
        tree = selectors.cascade_tree(year=cascade.year, root_plan=cascade.head_plan)
        [root] = tree.rhks
        texts = [
            (n.employee.name, n.rhk.text, [c.rhk.text for c in n.supporting])
            for n in root.supporting
        ]
        indicators = [i.text for i in root.rhk.indicators.all()]

    assert root.rhk == cascade.head_rhk
    assert texts == [
        ("Budi Santoso", "Layanan bidang A tepat waktu", ["Berkas layanan diverifikasi"]),
        ("Dewi Lestari", "Layanan B", []),
    ]
    assert indicators == ["Jumlah Indeks pelayanan publik meningkat"]


def test_progress_rolls_up_from_subordinates(agency: Any) -> None:
    cascade = build_cascade(agency)
    # Staff: 4 of 10 in period 1, then 8 of 10 (cumulative) in period 2.
    for period, value in [(1, 4), (2, 8)]:
        services.realisation_record(
            actor=agency.staff_a.user, indicator=cascade.staff_indicator, period=period,
            value=Decimal(value), today=TODAY,
        )  # fmt: skip
    # head_a: 5 of 10 in period 1, with nothing later.
    services.realisation_record(
        actor=agency.head_a.user, indicator=cascade.a_indicator, period=1, value=Decimal(5),
        today=TODAY,
    )  # fmt: skip

    upto_1 = selectors.rhk_progress_for_year(year=cascade.year, upto_period=1)
    upto_3 = selectors.rhk_progress_for_year(year=cascade.year, upto_period=3)

    assert upto_1[cascade.staff_rhk.pk] == Decimal("0.4")
    assert upto_1[cascade.a_rhk.pk] == Decimal("0.45")  # mean of own 0.5 and staff 0.4
    assert upto_1[cascade.head_rhk.pk] == Decimal("0.45")  # no own data: the supporter's
    assert upto_3[cascade.staff_rhk.pk] == Decimal("0.8")
    assert upto_3[cascade.a_rhk.pk] == Decimal("0.65")
    assert upto_3[cascade.head_rhk.pk] == Decimal("0.65")


def test_progress_ignores_returned_realisations(agency: Any) -> None:
    cascade = build_cascade(agency)
    realisation = services.realisation_record(
        actor=agency.staff_a.user, indicator=cascade.staff_indicator, period=1,
        value=Decimal(4), today=TODAY,
    )  # fmt: skip
    services.realisation_return(actor=agency.head_a.user, realisation=realisation, comment="x")

    progress = selectors.rhk_progress_for_year(year=cascade.year, upto_period=1)

    assert progress[cascade.staff_rhk.pk] is None
    assert progress[cascade.head_rhk.pk] is None


def test_role_result_matrix_of_the_root_unit(agency: Any, django_assert_num_queries: Any) -> None:
    cascade = build_cascade(agency)
    a2_plan = draft_plan(cascade.year, agency.staff_a2)
    a2_rhk, _ = add_rhk(a2_plan, "Surat keluar", parent=cascade.a_rhk)
    own_rhk, _ = add_rhk(a2_plan, "Arsip digital", cascade=Cascade.OWN)

    with django_assert_num_queries(4):
        rows, columns = selectors.role_result_matrix(year=cascade.year, unit=agency.root)

    assert [column.employee.name for column in columns] == [
        "Budi Santoso", "Agus Wibowo", "Rina Marlina", "Dewi Lestari", "Hendra Gunawan",
    ]  # fmt: skip
    [row] = rows
    assert row.rhk == cascade.head_rhk
    assert [[rhk.text for rhk in cell.rhks] for cell in row.cells] == [
        ["Layanan bidang A tepat waktu"],
        ["Berkas layanan diverifikasi"],
        ["Surat keluar"],
        [],
        [],
    ]
    assert own_rhk.pk not in {rhk.pk for cell in row.cells for rhk in cell.rhks}
    assert a2_rhk.pk in {rhk.pk for rhk in row.cells[2].rhks}


def test_role_result_matrix_lists_contributors_from_other_units(agency: Any) -> None:
    year_cascade = build_cascade(agency)
    v2 = services.plan_revise(actor=agency.head_a.user, plan=year_cascade.a_plan, reason="x")
    services.rhk_add_contributor(
        actor=agency.head_a.user, rhk=v2.rhks.get(), employee=agency.staff_b, role="Data"
    )

    rows, columns = selectors.role_result_matrix(year=year_cascade.year, unit=agency.division_a)

    assert [(c.employee.name, c.external) for c in columns] == [
        ("Agus Wibowo", False), ("Rina Marlina", False), ("Hendra Gunawan", True),
    ]  # fmt: skip
    [row] = rows
    assert [([r.text for r in cell.rhks], cell.roles) for cell in row.cells] == [
        (["Berkas layanan diverifikasi"], []),
        ([], []),
        ([], ["Data"]),
    ]


def test_team_status_rows(agency: Any) -> None:
    cascade = build_cascade(agency)
    a2_plan = draft_plan(cascade.year, agency.staff_a2)
    add_rhk(a2_plan, "Surat keluar", parent=cascade.a_rhk)
    services.plan_submit(actor=agency.staff_a2.user, plan=a2_plan)
    services.realisation_record(
        actor=agency.staff_a.user, indicator=cascade.staff_indicator, period=3,
        value=Decimal(6), today=TODAY,
    )  # fmt: skip

    rows = selectors.team_status(leader=agency.head_a, year=cascade.year, today=TODAY)

    assert [(r.employee.name, r.plan_status, r.reported_latest, r.pending) for r in rows] == [
        ("Agus Wibowo", PlanStatus.APPROVED, True, 1),
        ("Rina Marlina", PlanStatus.SUBMITTED, None, 1),
    ]


def _team(agency: Any, year: Any, size: int) -> None:
    """Give head_b ``size`` subordinates in total, each with an approved, reported plan."""
    head_b_plan = draft_plan(year, agency.head_b)
    parent, _ = add_rhk(head_b_plan, "Layanan B", parent=None, cascade=Cascade.OWN)
    existing = [agency.staff_b]
    for number in range(size - 1):
        existing.append(
            employee_with_position(
                actor=agency.admin,
                instansi=agency.instansi,
                unit=agency.division_b,
                title=f"Staf {number}",
                name=f"Staf {number:02d}",
                reports_to=agency.head_b.position,
                kind=PositionKind.PELAKSANA,
            )  # fmt: skip
        )
    for employee in existing:
        plan = draft_plan(year, employee)
        _, indicator = add_rhk(plan, "Berkas", parent=parent)
        approve(plan, agency.head_b.user)
        services.realisation_record(
            actor=employee.user, indicator=indicator, period=3, value=Decimal(1), today=TODAY
        )
        services.output_add(
            actor=employee.user, rhk=indicator.rhk, week=TODAY, output="x", today=TODAY
        )


@pytest.mark.parametrize("size", [3, 200])
def test_team_status_queries_do_not_grow_with_the_team(
    agency: Any, django_assert_num_queries: Any, size: int
) -> None:
    cascade = build_cascade(agency)
    _team(agency, cascade.year, size)

    # The team (the positions head_b leads, their holders, the positions head_b acts on:
    # none here), then the plans, indicators, realisations and what waits.
    with django_assert_num_queries(8):
        rows = selectors.team_status(leader=agency.head_b, year=cascade.year, today=TODAY)

    assert len(rows) == size
    assert {(r.plan_status, r.reported_latest, r.pending) for r in rows} == {
        (PlanStatus.APPROVED, True, 2)
    }


def test_progress_for_a_plan_is_the_years_figures_for_its_own_cascade(agency: Any) -> None:
    # Given head → head_a → staff_a and head → head_b, with realisations at two levels.
    cascade = build_cascade(agency)
    b_plan = draft_plan(cascade.year, agency.head_b)
    b_rhk, _ = add_rhk(b_plan, "Layanan B", parent=cascade.head_rhk)
    for actor, indicator, value in [
        (agency.staff_a, cascade.staff_indicator, 4),
        (agency.head_a, cascade.a_indicator, 5),
    ]:
        services.realisation_record(
            actor=actor.user, indicator=indicator, period=1, value=Decimal(value), today=TODAY
        )
    year_wide = selectors.rhk_progress_for_year(year=cascade.year, upto_period=1)

    # When a plan's progress is read on its own.
    staff = selectors.rhk_progress_for_plan(plan=cascade.staff_plan, upto_period=1)
    leader = selectors.rhk_progress_for_plan(plan=cascade.a_plan, upto_period=1)
    head = selectors.rhk_progress_for_plan(plan=cascade.head_plan, upto_period=1)

    # Then each holds its results and those below them, with the agency-wide figures.
    assert staff == {cascade.staff_rhk.pk: Decimal("0.4")}
    assert leader == {cascade.a_rhk.pk: Decimal("0.45"), cascade.staff_rhk.pk: Decimal("0.4")}
    assert head == year_wide
    assert set(head) == {cascade.head_rhk.pk, cascade.a_rhk.pk, cascade.staff_rhk.pk, b_rhk.pk}


def test_progress_for_a_plan_takes_the_latest_counted_realisation_in_one_query(
    agency: Any, django_assert_num_queries: Any
) -> None:
    # Given: period 1 reported at 2.50, period 2 at 3.75 but returned, period 3 at 9.
    cascade = build_cascade(agency)
    reported = [
        services.realisation_record(
            actor=agency.staff_a.user,
            indicator=cascade.staff_indicator,
            period=period,
            value=Decimal(value),
            today=TODAY,
        )  # fmt: skip
        for period, value in [(1, "2.50"), (2, "3.75"), (3, "9")]
    ]
    services.realisation_return(actor=agency.head_a.user, realisation=reported[1], comment="Ulang")
    year_wide = selectors.rhk_progress_for_year(year=cascade.year, upto_period=2)

    with django_assert_num_queries(1):
        leader = selectors.rhk_progress_for_plan(plan=cascade.a_plan, upto_period=2)

    # Then period 1's value counts (2.50 of a target of 10), as across the agency.
    assert leader[cascade.staff_rhk.pk] == Decimal("0.25")
    assert leader == {pk: year_wide[pk] for pk in leader}
    assert selectors.rhk_progress_for_plan(plan=cascade.a_plan, upto_period=3)[
        cascade.staff_rhk.pk
    ] == Decimal("0.9")


def test_progress_for_a_large_cascade_reads_the_years_rows_in_one_pass(
    agency: Any, monkeypatch: Any
) -> None:
    cascade = build_cascade(agency)
    services.realisation_record(
        actor=agency.staff_a.user, indicator=cascade.staff_indicator, period=1,
        value=Decimal(4), today=TODAY,
    )  # fmt: skip
    monkeypatch.setattr(selectors, "_CASCADE_LOOKUP_LIMIT", 1)

    leader = selectors.rhk_progress_for_plan(plan=cascade.a_plan, upto_period=1)

    assert leader == {cascade.a_rhk.pk: Decimal("0.4"), cascade.staff_rhk.pk: Decimal("0.4")}


def test_progress_for_a_plan_that_is_no_longer_current_is_empty(agency: Any) -> None:
    cascade = build_cascade(agency)
    services.plan_revise(actor=agency.staff_a.user, plan=cascade.staff_plan, reason="Mutasi")
    cascade.staff_plan.refresh_from_db()

    assert selectors.rhk_progress_for_plan(plan=cascade.staff_plan, upto_period=1) == {}


def test_plan_page_and_approval_read_the_plans_cascade_not_the_agency(
    agency: Any, client: Any, monkeypatch: Any
) -> None:
    # Given an approved cascade and staff_a2's plan waiting for head_a.
    cascade = build_cascade(agency)
    waiting = draft_plan(cascade.year, agency.staff_a2)
    add_rhk(waiting, "Surat keluar", parent=cascade.a_rhk)
    services.plan_submit(actor=agency.staff_a2.user, plan=waiting)

    # When the agency-wide progress is off limits (it read every plan of a 100,000-ASN
    # agency on each request: bench/skp_deadline.py).
    def agency_wide(**kwargs: Any) -> None:
        raise AssertionError("a single plan read the whole agency's progress")

    monkeypatch.setattr(selectors, "rhk_progress_for_year", agency_wide)
    client.force_login(agency.staff_a.user)
    page = client.get("/kinerja/")
    client.force_login(agency.head_a.user)
    approved = client.post(f"/api/v1/kinerja/plans/{waiting.public_id}/approve")

    # Then the plan page and the approval answer from the plan's own cascade.
    assert page.status_code == 200
    assert page.context["sections"][0].rows[0].rhk == cascade.staff_rhk
    assert approved.status_code == 200
    assert approved.json()["status"] == PlanStatus.APPROVED
