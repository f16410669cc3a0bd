import pytest

from abdi.organisations.selectors import employee_orbit


@pytest.mark.django_db
def test_agency_fixture_builds_three_levels(agency):
    orbit = employee_orbit(employee=agency.staff_a)
    assert orbit.leader == agency.head_a
    assert [e.pk for e in orbit.chain] == [agency.head.pk, agency.head_a.pk]
    assert {e.pk for e in employee_orbit(employee=agency.head).subordinates} == {
        agency.head_a.pk,
        agency.head_b.pk,
    }
