"""Who may see and change what: every branch of ``access``."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from abdi.organisations import services
from abdi.organisations.access import (
    Role,
    can_admin_instansi,
    can_view_employee,
    roles_of,
    visible_employee_filter,
    visible_unit_filter,
)
from abdi.organisations.models import Employee, UnitKerja
from abdi.organisations.tests.factories import employee_with_position


def fresh(user):
    """Return the user reloaded, without the role caches of earlier calls."""
    return get_user_model().objects.get(pk=user.pk)


def visible_employees(user) -> set[int] | None:
    condition = visible_employee_filter(user)
    if condition is None:
        return None
    return set(Employee.objects.filter(condition).values_list("pk", flat=True))


def visible_units(user) -> set[int] | None:
    condition = visible_unit_filter(user)
    if condition is None:
        return None
    return set(UnitKerja.objects.filter(condition).values_list("pk", flat=True))


def pks(*records) -> set[int]:
    return {record.pk for record in records}


def everyone(agency) -> set[int]:
    return pks(
        agency.head, agency.head_a, agency.head_b, agency.staff_a, agency.staff_a2, agency.staff_b
    )


# --------------------------------------------------------------------------------------------
# roles_of
# --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_roles_of_platform_admin(platform_admin):
    assert roles_of(fresh(platform_admin)) == {Role.PLATFORM_ADMIN}


@pytest.mark.django_db
def test_roles_of_agency_admin(agency_admin):
    assert roles_of(fresh(agency_admin)) == {Role.AGENCY_ADMIN}


@pytest.mark.django_db
def test_roles_of_unit_head(unit_head):
    assert roles_of(fresh(unit_head)) == {Role.EMPLOYEE, Role.UNIT_HEAD}


@pytest.mark.django_db
def test_roles_of_employee(employee_user):
    assert roles_of(fresh(employee_user)) == {Role.EMPLOYEE}


@pytest.mark.django_db
def test_roles_of_citizen(citizen):
    assert roles_of(fresh(citizen.user)) == {Role.CITIZEN}


@pytest.mark.django_db
def test_roles_of_employee_without_position(agency):
    # given
    employee = services.employee_create(
        actor=agency.admin, instansi=agency.instansi, nip="198001012005011077", name="Tanpa Jabatan"
    )

    # then
    assert roles_of(fresh(employee.user)) == {Role.EMPLOYEE}


@pytest.mark.django_db
def test_roles_of_employee_who_also_administers_the_agency(agency):
    # given
    services.instansi_add_administrator(
        actor=agency.admin, instansi=agency.instansi, user=agency.staff_a.user
    )

    # then
    assert roles_of(fresh(agency.staff_a.user)) == {Role.EMPLOYEE, Role.AGENCY_ADMIN}


def test_roles_of_anonymous_user_is_empty():
    assert roles_of(AnonymousUser()) == set()


@pytest.mark.django_db
def test_roles_are_read_with_three_queries_then_cached(employee_user, django_assert_num_queries):
    # given
    user = fresh(employee_user)

    # when / then: administered agencies, employee record, citizen record
    with django_assert_num_queries(3):
        roles_of(user)
    with django_assert_num_queries(0):
        assert roles_of(user) == {Role.EMPLOYEE}


# --------------------------------------------------------------------------------------------
# can_admin_instansi
# --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_agency_admin_administers_own_agency_only(agency, other_agency):
    assert can_admin_instansi(fresh(agency.admin), agency.instansi.pk) is True
    assert can_admin_instansi(fresh(agency.admin), other_agency.instansi.pk) is False


@pytest.mark.django_db
def test_platform_admin_administers_every_agency(platform_admin, agency, other_agency):
    assert can_admin_instansi(fresh(platform_admin), agency.instansi.pk) is True
    assert can_admin_instansi(fresh(platform_admin), other_agency.instansi.pk) is True


@pytest.mark.django_db
def test_employees_and_citizens_administer_no_agency(agency, citizen):
    assert can_admin_instansi(fresh(agency.head.user), agency.instansi.pk) is False
    assert can_admin_instansi(fresh(agency.staff_a.user), agency.instansi.pk) is False
    assert can_admin_instansi(fresh(citizen.user), agency.instansi.pk) is False
    assert can_admin_instansi(AnonymousUser(), agency.instansi.pk) is False


# --------------------------------------------------------------------------------------------
# visible_employee_filter
# --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_employee_sees_self_and_chain_up_but_not_peers_or_other_divisions(agency, other_agency):
    # when
    seen = visible_employees(fresh(agency.staff_a.user))

    # then: head_a leads staff_a, head leads head_a; staff_a2 is a peer under the same leader
    assert seen == pks(agency.staff_a, agency.head_a, agency.head)
    assert agency.staff_a2.pk not in seen
    assert agency.staff_b.pk not in seen
    assert other_agency.staff_a.pk not in seen


@pytest.mark.django_db
def test_employee_sees_own_subordinates_at_every_depth(agency):
    # given a position below staff_a, and one below that
    junior = employee_with_position(
        actor=agency.admin, instansi=agency.instansi, unit=agency.division_a, title="Junior",
        name="Joko Junior", reports_to=agency.staff_a.position,
    )  # fmt: skip
    intern = employee_with_position(
        actor=agency.admin, instansi=agency.instansi, unit=agency.division_a, title="Magang",
        name="Intan Magang", reports_to=junior.position,
    )  # fmt: skip

    # when
    seen = visible_employees(fresh(agency.staff_a.user))

    # then
    assert seen == pks(agency.staff_a, agency.head_a, agency.head, junior, intern)


@pytest.mark.django_db
def test_employee_without_position_sees_only_self(agency):
    # given
    loner = services.employee_create(
        actor=agency.admin, instansi=agency.instansi, nip="198001012005011078", name="Sendiri"
    )

    # then
    assert visible_employees(fresh(loner.user)) == pks(loner)


@pytest.mark.django_db
def test_unit_head_sees_chain_subordinates_and_whole_unit_subtree(agency):
    # given someone in division A who reports straight to the head of the agency, and a
    # section below division A whose staff also report to the head of the agency
    expert = employee_with_position(
        actor=agency.admin, instansi=agency.instansi, unit=agency.division_a, title="Pakar",
        name="Pak Pakar", reports_to=agency.head.position,
    )  # fmt: skip
    section = services.unit_create(
        actor=agency.admin, instansi=agency.instansi, code="SEK-A1", name="Seksi A1",
        parent=agency.division_a,
    )  # fmt: skip
    section_staff = employee_with_position(
        actor=agency.admin, instansi=agency.instansi, unit=section, title="Staf Seksi",
        name="Sari Seksi", reports_to=agency.head.position,
    )  # fmt: skip

    # when
    seen = visible_employees(fresh(agency.head_a.user))

    # then
    assert seen == pks(
        agency.head, agency.head_a, agency.staff_a, agency.staff_a2, expert, section_staff
    )


@pytest.mark.django_db
def test_employee_who_is_not_a_unit_head_does_not_see_their_unit(agency):
    # given the same colleague in division A, outside staff_a's chain
    employee_with_position(
        actor=agency.admin, instansi=agency.instansi, unit=agency.division_a, title="Pakar",
        name="Pak Pakar", reports_to=agency.head.position,
    )  # fmt: skip

    # then
    assert visible_employees(fresh(agency.staff_a.user)) == pks(
        agency.staff_a, agency.head_a, agency.head
    )


@pytest.mark.django_db
def test_head_of_the_agency_sees_everyone_in_it(agency, other_agency):
    assert visible_employees(fresh(agency.head.user)) == everyone(agency)


@pytest.mark.django_db
def test_agency_admin_sees_all_of_their_agency_and_nothing_of_another(agency, other_agency):
    assert visible_employees(fresh(agency.admin)) == everyone(agency)
    assert visible_employees(fresh(other_agency.admin)) == everyone(other_agency)


@pytest.mark.django_db
def test_platform_admin_sees_every_employee(platform_admin, agency, other_agency):
    assert visible_employee_filter(fresh(platform_admin)) is None


@pytest.mark.django_db
def test_citizen_sees_no_employee(citizen, agency):
    assert visible_employees(fresh(citizen.user)) == set()


@pytest.mark.django_db
def test_anonymous_user_sees_no_employee(agency):
    assert visible_employees(AnonymousUser()) == set()


@pytest.mark.django_db
def test_visible_employees_cost_three_queries(agency, django_assert_num_queries):
    # given
    user = fresh(agency.head_a.user)

    # when / then: administered agencies, own employee record, then the filtered list
    with django_assert_num_queries(3):
        seen = visible_employees(user)
    assert len(seen) == 4


# --------------------------------------------------------------------------------------------
# visible_unit_filter
# --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_employee_sees_every_unit_of_their_agency_only(agency, other_agency):
    assert visible_units(fresh(agency.staff_a.user)) == pks(
        agency.root, agency.division_a, agency.division_b
    )


@pytest.mark.django_db
def test_agency_admin_sees_units_of_their_agency_only(agency, other_agency):
    assert visible_units(fresh(other_agency.admin)) == pks(
        other_agency.root, other_agency.division_a, other_agency.division_b
    )


@pytest.mark.django_db
def test_platform_admin_sees_every_unit(platform_admin):
    assert visible_unit_filter(fresh(platform_admin)) is None


@pytest.mark.django_db
def test_citizen_sees_no_unit(citizen, agency):
    assert visible_units(fresh(citizen.user)) == set()


# --------------------------------------------------------------------------------------------
# can_view_employee
# --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_can_view_employee_follows_the_visibility_filter(agency, other_agency, platform_admin):
    staff = fresh(agency.staff_a.user)

    assert can_view_employee(staff, agency.head_a) is True
    assert can_view_employee(staff, agency.staff_a2) is False
    assert can_view_employee(staff, other_agency.head) is False
    assert can_view_employee(fresh(platform_admin), other_agency.staff_b) is True
    assert can_view_employee(AnonymousUser(), agency.head) is False
