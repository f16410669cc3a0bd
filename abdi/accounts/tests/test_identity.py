"""The signed-in user's identity (employee, citizen, administrator) in the user's own query."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from abdi.accounts.backends import IdentityModelBackend
from abdi.organisations.access import Role, administered_instansi_ids, employee_of, roles_of

User = get_user_model()


@pytest.mark.django_db
def test_a_session_user_comes_with_the_employee_record(employee_user, django_assert_num_queries):
    # given an employee's account
    backend = IdentityModelBackend()

    # when the session's user is loaded, one query brings the employee, position and unit
    with django_assert_num_queries(1):
        user = backend.get_user(employee_user.pk)
    with django_assert_num_queries(0):
        employee = employee_of(user)
        assert employee is not None
        assert employee.user_id == employee_user.pk
        assert employee.position is not None
        assert employee.position.unit.name
        assert roles_of(user) == {Role.EMPLOYEE}
        assert administered_instansi_ids(user) == set()


@pytest.mark.django_db
def test_a_citizen_and_an_administrator_are_known_from_the_same_query(
    citizen, agency_admin, agency, django_assert_num_queries
):
    backend = IdentityModelBackend()
    with django_assert_num_queries(1):
        person = backend.get_user(citizen.user.pk)
    with django_assert_num_queries(0):
        assert roles_of(person) == {Role.CITIZEN}
        assert person.citizen.nik == citizen.nik

    # an administrator: which agencies is read when first asked, once
    with django_assert_num_queries(1):
        admin = backend.get_user(agency_admin.pk)
    with django_assert_num_queries(1):
        assert administered_instansi_ids(admin) == {agency.instansi.pk}
    with django_assert_num_queries(0):
        assert Role.AGENCY_ADMIN in roles_of(admin)


@pytest.mark.django_db
def test_an_inactive_or_unknown_user_is_nobody(employee_user):
    backend = IdentityModelBackend()
    assert backend.get_user(10**9) is None
    User.objects.filter(pk=employee_user.pk).update(is_active=False)
    assert backend.get_user(employee_user.pk) is None


@pytest.mark.django_db
def test_a_page_reads_the_employee_with_the_user(employee_user):
    # given a signed-in employee (the session through the configured backend)
    client = Client()
    client.force_login(employee_user)

    # when the profile page is shown, the employee record is not read apart from the user
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/organisasi/profil/")
    assert response.status_code == 200
    own_employee_reads = [
        q["sql"] for q in queries if '"organisations_employee"."user_id" = ' in q["sql"]
    ]
    assert own_employee_reads == []
