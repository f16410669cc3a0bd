"""Reads scoped to the actor: orbits, lists and their query counts."""

import uuid

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from abdi.core.exceptions import NotFoundError
from abdi.organisations import selectors, services
from abdi.organisations.tests.factories import employee_with_position


def fresh(user):
    return get_user_model().objects.get(pk=user.pk)


def names(employees) -> list[str]:
    return [e.name for e in employees]


# --------------------------------------------------------------------------------------------
# employee_orbit
# --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_orbit_of_staff_names_leader_and_chain_from_the_top(agency):
    # when
    orbit = selectors.employee_orbit(employee=agency.staff_a)

    # then
    assert orbit.employee == agency.staff_a
    assert orbit.leader == agency.head_a
    assert names(orbit.chain) == ["Siti Rahmawati", "Budi Santoso"]
    assert orbit.subordinates == []


@pytest.mark.django_db
def test_orbit_of_a_division_head_lists_direct_reports_by_name(agency):
    # when
    orbit = selectors.employee_orbit(employee=agency.head_a)

    # then
    assert orbit.leader == agency.head
    assert names(orbit.chain) == ["Siti Rahmawati"]
    assert names(orbit.subordinates) == ["Agus Wibowo", "Rina Marlina"]


@pytest.mark.django_db
def test_orbit_of_the_top_has_no_leader(agency):
    # when
    orbit = selectors.employee_orbit(employee=agency.head)

    # then
    assert orbit.leader is None
    assert orbit.chain == []
    assert names(orbit.subordinates) == ["Budi Santoso", "Dewi Lestari"]


@pytest.mark.django_db
def test_orbit_of_an_employee_without_position_is_empty(agency):
    # given
    loner = services.employee_create(
        actor=agency.admin, instansi=agency.instansi, nip="198001012005011079", name="Sendiri"
    )

    # when
    orbit = selectors.employee_orbit(employee=loner)

    # then
    assert (orbit.leader, orbit.chain, orbit.subordinates) == (None, [], [])


@pytest.mark.django_db
def test_orbit_skips_a_vacant_leader_position(agency):
    # given a vacant section head between head_a and a new analyst
    vacant = services.position_create(
        actor=agency.admin, unit=agency.division_a, title="Kepala Seksi (lowong)",
        reports_to=agency.head_a.position,
    )  # fmt: skip
    analyst = employee_with_position(
        actor=agency.admin, instansi=agency.instansi, unit=agency.division_a, title="Analis Seksi",
        name="Citra Analis", reports_to=vacant,
    )  # fmt: skip

    # when
    analyst_orbit = selectors.employee_orbit(employee=analyst)
    leader_orbit = selectors.employee_orbit(employee=agency.head_a)

    # then the analyst reports to the next holder up, and that holder sees them
    assert analyst_orbit.leader == agency.head_a
    assert names(analyst_orbit.chain) == ["Siti Rahmawati", "Budi Santoso"]
    assert names(leader_orbit.subordinates) == ["Agus Wibowo", "Rina Marlina", "Citra Analis"]


@pytest.mark.django_db
def test_orbit_skips_several_vacant_leader_positions(agency):
    # given two vacant levels between head_b and a new analyst
    vacant_1 = services.position_create(
        actor=agency.admin, unit=agency.division_b, title="Kepala Seksi",
        reports_to=agency.head_b.position,
    )  # fmt: skip
    vacant_2 = services.position_create(
        actor=agency.admin, unit=agency.division_b, title="Kepala Subseksi", reports_to=vacant_1
    )
    analyst = employee_with_position(
        actor=agency.admin, instansi=agency.instansi, unit=agency.division_b, title="Analis",
        name="Doni Analis", reports_to=vacant_2,
    )  # fmt: skip

    # when
    analyst_orbit = selectors.employee_orbit(employee=analyst)
    leader_orbit = selectors.employee_orbit(employee=agency.head_b)

    # then
    assert analyst_orbit.leader == agency.head_b
    assert names(analyst_orbit.chain) == ["Siti Rahmawati", "Dewi Lestari"]
    assert names(leader_orbit.subordinates) == ["Hendra Gunawan", "Doni Analis"]


@pytest.mark.django_db
def test_orbit_does_not_reach_past_a_held_position(agency):
    # given someone below staff_a, who holds their position
    employee_with_position(
        actor=agency.admin, instansi=agency.instansi, unit=agency.division_a, title="Junior",
        name="Joko Junior", reports_to=agency.staff_a.position,
    )  # fmt: skip

    # when
    orbit = selectors.employee_orbit(employee=agency.head_a)

    # then Joko is staff_a's subordinate, not head_a's
    assert names(orbit.subordinates) == ["Agus Wibowo", "Rina Marlina"]


@pytest.mark.django_db
def test_orbit_with_a_vacant_top_has_no_leader(agency):
    # given the head of the agency leaves their position
    services.employee_update(
        actor=agency.admin, employee=agency.head, name=agency.head.name, position=None
    )

    # when
    orbit = selectors.employee_orbit(employee=agency.head_a)

    # then
    assert orbit.leader is None
    assert orbit.chain == []


@pytest.mark.django_db
def test_orbit_costs_a_fixed_number_of_queries(agency, django_assert_num_queries):
    # when / then: chain holders, direct reports, vacant direct-report positions
    with django_assert_num_queries(3):
        orbit = selectors.employee_orbit(employee=agency.head_a)
        [s.position.unit.name for s in [*orbit.chain, *orbit.subordinates]]


# --------------------------------------------------------------------------------------------
# Lists
# --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_instansi_list_for_actor_by_role(agency, other_agency, platform_admin, citizen):
    def codes(user) -> list[str]:
        return list(
            selectors.instansi_list_for_actor(actor=fresh(user)).values_list("code", flat=True)
        )

    assert codes(agency.admin) == ["kab-contoh"]
    assert codes(agency.staff_a.user) == ["kab-contoh"]
    assert codes(other_agency.admin) == ["kota-lain"]
    assert codes(platform_admin) == ["kab-contoh", "kota-lain"]
    assert codes(citizen.user) == []


@pytest.mark.django_db
def test_unit_list_for_actor_is_in_tree_order_with_heads(agency, other_agency):
    # when
    units = list(selectors.unit_list_for_actor(actor=fresh(agency.admin)))

    # then
    assert [(u.name, u.employee_count) for u in units] == [
        ("Dinas Utama", 1),
        ("Bidang A", 3),
        ("Bidang B", 2),
    ]
    assert [[h.holder.name for h in u.head_positions] for u in units] == [
        ["Siti Rahmawati"],
        ["Budi Santoso"],
        ["Dewi Lestari"],
    ]


@pytest.mark.django_db
def test_unit_list_for_actor_is_empty_for_another_agencys_admin(agency, other_agency):
    # when
    units = selectors.unit_list_for_actor(actor=fresh(other_agency.admin), instansi=agency.instansi)

    # then
    assert list(units) == []


def _count_unit_list_queries(user, instansi) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        units = list(selectors.unit_list_for_actor(actor=fresh(user), instansi=instansi))
        for unit in units:
            [head.holder for head in unit.head_positions if hasattr(head, "holder")]
            _ = (unit.instansi.name, unit.parent.name if unit.parent else None)
    # fresh() itself is one query
    return len(queries) - 1, len(units)


@pytest.mark.django_db
def test_unit_list_for_actor_query_count_does_not_grow_with_units(agency):
    # given
    small_count, small_units = _count_unit_list_queries(agency.admin, agency.instansi)
    for n in range(30):
        unit = services.unit_create(
            actor=agency.admin, instansi=agency.instansi, code=f"SEK-{n}", name=f"Seksi {n}",
            parent=agency.division_a if n % 2 else agency.division_b,
        )  # fmt: skip
        if n % 3 == 0:
            employee_with_position(
                actor=agency.admin, instansi=agency.instansi, unit=unit, title=f"Kepala {n}",
                name=f"Kepala Seksi {n}", is_unit_head=True,
            )  # fmt: skip

    # when
    large_count, large_units = _count_unit_list_queries(agency.admin, agency.instansi)

    # then: roles (2), units (1), head positions (1)
    assert (small_units, large_units) == (3, 33)
    assert small_count == large_count == 4


@pytest.mark.django_db
def test_employee_list_for_actor_query_count_does_not_grow_with_employees(agency):
    # given
    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            employees = list(selectors.employee_list_for_actor(actor=fresh(agency.admin)))
            [(e.instansi.name, e.position.unit.name if e.position else None) for e in employees]
        return len(queries) - 1, len(employees)

    small = count()
    for n in range(20):
        employee_with_position(
            actor=agency.admin, instansi=agency.instansi, unit=agency.division_b,
            title=f"Staf {n}", name=f"Staf {n}", reports_to=agency.head_b.position,
        )  # fmt: skip

    # when
    large = count()

    # then
    assert (small[1], large[1]) == (6, 26)
    assert small[0] == large[0] == 3


@pytest.mark.django_db
def test_employee_list_for_actor_filters_by_unit_subtree_and_search(agency):
    admin = fresh(agency.admin)

    in_division_a = selectors.employee_list_for_actor(actor=admin, unit=agency.division_a)
    by_name = selectors.employee_list_for_actor(actor=admin, search="lestari")
    nip = agency.staff_b.nip
    by_spaced_nip = selectors.employee_list_for_actor(actor=admin, search=f"{nip[:8]} {nip[8:14]}")

    assert names(in_division_a) == ["Agus Wibowo", "Budi Santoso", "Rina Marlina"]
    assert names(by_name) == ["Dewi Lestari"]
    assert agency.staff_b.name in names(by_spaced_nip)


@pytest.mark.django_db
def test_employee_get_for_actor_hides_a_forbidden_employee_as_not_found(agency):
    staff = fresh(agency.staff_a.user)

    found = selectors.employee_get_for_actor(actor=staff, public_id=agency.head.public_id)
    with pytest.raises(NotFoundError) as forbidden:
        selectors.employee_get_for_actor(actor=staff, public_id=agency.staff_a2.public_id)
    with pytest.raises(NotFoundError) as missing:
        selectors.employee_get_for_actor(actor=staff, public_id=uuid.uuid4())

    assert found == agency.head
    assert forbidden.value.code == missing.value.code == "employee.not_found"
    assert forbidden.value.message == missing.value.message


@pytest.mark.django_db
def test_position_list_for_actor_is_in_chain_order(agency, other_agency):
    # when
    positions = selectors.position_list_for_actor(
        actor=fresh(agency.staff_b.user), instansi=agency.instansi
    )

    # then: each leader before those who report to them
    titles = [p.title for p in positions]
    assert titles[0] == "Kepala Dinas"
    assert titles.index("Kepala Bidang A") < titles.index("Analis A")
    assert titles.index("Kepala Bidang B") < titles.index("Analis B")
    assert len(titles) == 6
    assert (
        list(
            selectors.position_list_for_actor(
                actor=fresh(other_agency.admin), instansi=agency.instansi
            )
        )
        == []
    )


@pytest.mark.django_db
def test_unit_get_for_actor_hides_another_agencys_unit(agency, other_agency):
    with pytest.raises(NotFoundError) as caught:
        selectors.unit_get_for_actor(
            actor=fresh(agency.staff_a.user), public_id=other_agency.root.public_id
        )

    assert caught.value.code == "unit.not_found"
    assert (
        selectors.unit_get_for_actor(
            actor=fresh(agency.staff_a.user), public_id=agency.root.public_id
        )
        == agency.root
    )
