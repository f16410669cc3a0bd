"""unique_or_none: a lookup by a unique key, without the ORDER BY that .first() adds.
CompiledQuery: a read compiled to SQL once, making the instances its queryset makes.
set_prefetched: rows it read put where prefetch_related puts them."""

from datetime import date, datetime

import pytest
from django.core.exceptions import MultipleObjectsReturned
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from abdi.core.queries import CompiledQuery, CompiledQueryError, set_prefetched, unique_or_none
from abdi.organisations.models import Employee, Position


def test_it_returns_the_one_row_without_ordering(agency):
    rows = Employee.objects.select_related("position__unit").filter(pk=agency.staff_a.pk)

    with CaptureQueriesContext(connection) as queries:
        found = unique_or_none(rows)

    assert found == agency.staff_a
    assert found.position.unit == agency.staff_a.position.unit  # joined, no further query
    assert len(queries) == 1
    assert "ORDER BY" not in queries[0]["sql"]


def test_it_returns_none_when_nothing_matches(agency):
    assert unique_or_none(Employee.objects.filter(nip="000000000000000000")) is None


def test_it_refuses_a_lookup_that_was_not_unique(agency):
    with pytest.raises(Employee.MultipleObjectsReturned):
        unique_or_none(Employee.objects.filter(instansi=agency.instansi))


# --- CompiledQuery ---------------------------------------------------------------------------


def employee_with_unit(pk):
    return Employee.objects.select_related("position__unit", "instansi").filter(pk=pk)


# Calls of ``build`` to compile a query: twice, with two sets of stand-ins, to check that the
# arguments pass through unchanged.
COMPILING = 2


def counting(build):
    """``build``, counting how often it is called (each call compiles its queryset)."""
    calls = []

    def counted(*args):
        calls.append(args)
        return build(*args)

    return counted, calls


def same_fields(found, expected):
    assert found.__class__ is expected.__class__
    return {f.attname: getattr(found, f.attname) for f in found._meta.concrete_fields} == {
        f.attname: getattr(expected, f.attname) for f in expected._meta.concrete_fields
    }


def test_a_compiled_query_makes_the_instances_the_queryset_makes(agency):
    compiled = CompiledQuery(employee_with_unit)
    expected = employee_with_unit(agency.staff_a.pk).get()

    with CaptureQueriesContext(connection) as queries:
        found = compiled.one_or_none(agency.staff_a.pk)
        unit, instansi = found.position.unit, found.instansi  # joined, no further query

    assert len(queries) == 1  # run through Django's cursor: logged and counted
    assert same_fields(found, expected)
    assert same_fields(found.position, expected.position)
    assert same_fields(unit, expected.position.unit)
    assert same_fields(instansi, expected.instansi)
    assert found.created_at == expected.created_at
    assert found.created_at.tzinfo is not None
    assert found._state.adding is False
    assert found._state.db == "default"


def test_it_compiles_once_and_runs_again_with_other_arguments(agency):
    build, calls = counting(employee_with_unit)
    compiled = CompiledQuery(build)

    first = compiled.one_or_none(agency.staff_a.pk)
    second = compiled.one_or_none(agency.head_a.pk)
    again = compiled.one_or_none(agency.staff_a.pk)

    assert (first, second, again) == (agency.staff_a, agency.head_a, agency.staff_a)
    assert second.position.unit == agency.head_a.position.unit
    assert len(calls) == COMPILING  # with the stand-ins only


def test_the_session_user_comes_with_its_identity_and_annotation(agency):
    from abdi.accounts.backends import IdentityModelBackend
    from abdi.organisations.access import with_identity

    user = agency.staff_a.user
    expected = with_identity(type(user)._default_manager.filter(pk=user.pk)).get()

    found = IdentityModelBackend().get_user(user.pk)

    assert same_fields(found, expected)
    assert found.abdi_administers is expected.abdi_administers is False
    with CaptureQueriesContext(connection) as queries:
        assert found.employee.position.unit == agency.staff_a.position.unit
    assert len(queries) == 0


def test_it_returns_none_or_refuses_more_than_one_row(agency):
    by_agency = CompiledQuery(lambda instansi_id: Employee.objects.filter(instansi_id=instansi_id))
    assert CompiledQuery(employee_with_unit).one_or_none(-1) is None
    with pytest.raises(Employee.MultipleObjectsReturned):
        by_agency.one_or_none(agency.instansi.pk)
    assert sorted(by_agency.all(agency.instansi.pk), key=lambda e: e.pk) == sorted(
        Employee.objects.filter(instansi=agency.instansi), key=lambda e: e.pk
    )


def test_a_uuid_is_compiled_where_it_passes_through_and_read_either_way(agency):
    build, calls = counting(lambda public_id: Employee.objects.filter(public_id=public_id))
    compiled = CompiledQuery(build)

    for _ in range(3):
        assert compiled.one_or_none(agency.staff_a.public_id) == agency.staff_a

    # PostgreSQL takes the UUID as it is; SQLite stores it as text, so the queryset runs.
    assert len(calls) == COMPILING + (0 if connection.vendor == "postgresql" else 3)


def test_a_list_is_compiled_once_for_each_length(agency):
    build, calls = counting(
        lambda instansi_id, pks: Employee.objects.filter(instansi_id=instansi_id, pk__in=pks)
    )
    compiled = CompiledQuery(build)
    one, two = [agency.staff_a.pk], [agency.staff_a.pk, agency.head_a.pk]

    assert compiled.all(agency.instansi.pk, one) == [agency.staff_a]
    assert {e.pk for e in compiled.all(agency.instansi.pk, two)} == set(two)
    assert {e.pk for e in compiled.all(agency.instansi.pk, two[::-1])} == set(two)
    assert compiled.all(agency.instansi.pk + 1000, two) == []
    assert len(calls) == 2 * COMPILING  # one length, then the other


def test_an_argument_of_another_type_runs_the_queryset(agency):
    build, calls = counting(lambda pks: Employee.objects.filter(pk__in=pks))
    compiled = CompiledQuery(build)

    assert compiled.all([]) == []  # an empty list: Django answers without a query
    mixed = (agency.staff_a.pk, str(agency.staff_a.pk))
    assert compiled.all(mixed) == [agency.staff_a]
    assert calls == [([],), (mixed,)]


def test_a_date_is_compiled_where_it_passes_through(agency):
    build, calls = counting(lambda day: Employee.objects.filter(created_at__date__lte=day))
    compiled = CompiledQuery(build)
    today = timezone.localdate(agency.staff_a.created_at)

    for _ in range(2):
        assert agency.staff_a in compiled.all(today)
        assert compiled.all(date(2000, 1, 1)) == []
    assert len(calls) == COMPILING + (0 if connection.vendor == "postgresql" else 4)


def test_it_refuses_a_prefetch_or_values(agency):
    with pytest.raises(CompiledQueryError, match="no prefetches"):
        CompiledQuery(lambda pk: Employee.objects.prefetch_related("user").filter(pk=pk)).all(1)
    with pytest.raises(CompiledQueryError, match="values()"):
        CompiledQuery(lambda pk: Employee.objects.filter(pk=pk).values("nip")).all(1)


def test_values_list_gives_the_values_flat_or_as_tuples(agency):
    build, calls = counting(
        lambda instansi_id: (
            Employee.objects.filter(instansi_id=instansi_id)
            .order_by("nip")
            .values_list("nip", "created_at")
        )
    )
    flat = CompiledQuery(
        lambda instansi_id: (
            Employee.objects.filter(instansi_id=instansi_id)
            .order_by("position_id")
            .values_list("position_id", flat=True)
            .distinct()
        )
    )
    pairs = CompiledQuery(build)
    expected = list(build(agency.instansi.pk))

    for _ in range(2):
        assert pairs.all(agency.instansi.pk) == expected
        assert flat.all(agency.instansi.pk) == list(flat.build(agency.instansi.pk))
    assert all(isinstance(created, datetime) for _nip, created in expected)
    assert len(calls) == 1 + COMPILING
    # One value, or None; more than one is an error, as queryset.get() makes it.
    one = CompiledQuery(lambda pk: Employee.objects.filter(pk=pk).values_list("nip", flat=True))
    assert one.one_or_none(agency.staff_a.pk) == agency.staff_a.nip
    assert one.one_or_none(-1) is None
    with pytest.raises(MultipleObjectsReturned):
        flat.one_or_none(agency.instansi.pk)


@pytest.mark.django_db(transaction=True)
def test_a_lock_is_taken_inside_a_transaction_only(agency):
    locked = CompiledQuery(
        lambda pk: (
            Employee.objects.select_for_update(of=("self",))
            .select_related("position")
            .filter(pk=pk)
        )
    )
    with pytest.raises(TransactionManagementError):
        locked.one_or_none(agency.staff_a.pk)

    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        found = locked.one_or_none(agency.staff_a.pk)

    assert found == agency.staff_a
    assert found.position == agency.staff_a.position
    if connection.features.has_select_for_update:
        assert "FOR UPDATE" in queries[-1]["sql"]


def test_a_string_where_a_uuid_goes_runs_the_queryset(agency):
    compiled = CompiledQuery(lambda public_id: Employee.objects.filter(public_id=public_id))

    assert compiled.one_or_none(str(agency.staff_a.public_id)) == agency.staff_a


def test_a_small_integer_column_takes_its_argument(agency):
    from abdi.kinerja.models import PerformanceYear

    build, calls = counting(
        lambda instansi_id, year: PerformanceYear.objects.filter(instansi_id=instansi_id, year=year)
    )
    compiled = CompiledQuery(build)
    made = PerformanceYear.objects.create(
        instansi=agency.instansi, year=2026, plan_deadline=date(2026, 1, 31)
    )

    assert compiled.all(agency.instansi.pk, 2026) == [made]
    assert compiled.all(agency.instansi.pk, 2025) == []
    assert len(calls) == COMPILING


def test_an_argument_used_twice_goes_in_both_places(agency):
    from django.db.models import Q

    build, calls = counting(
        lambda pk: Employee.objects.filter(Q(pk=pk) | Q(position__reports_to__holder__pk=pk))
    )
    compiled = CompiledQuery(build)
    head = agency.head_a

    expected = set(build(head.pk))
    assert set(compiled.all(head.pk)) == expected
    assert set(compiled.all(agency.staff_a.pk)) == set(build(agency.staff_a.pk))
    assert head in expected
    assert len(expected) > 1
    assert len(calls) == 1 + COMPILING + 1  # the checks, and compiling once


def test_a_constant_equal_to_a_stand_in_runs_the_queryset(agency):
    build, calls = counting(
        lambda pk: Employee.objects.filter(pk=pk).exclude(instansi_id=30_001 + 1_000)
    )
    compiled = CompiledQuery(build)

    assert compiled.one_or_none(agency.staff_a.pk) == agency.staff_a
    assert compiled.one_or_none(agency.head_a.pk) == agency.head_a
    assert len(calls) == COMPILING + 2  # the two compilations disagreed: the queryset runs


def test_set_prefetched_gives_the_relation_its_rows_without_a_query(agency):
    unit = agency.division_a
    compiled = CompiledQuery(lambda unit_id: Position.objects.filter(unit_id=unit_id))
    expected = list(unit.positions.all())

    set_prefetched(unit, "positions", compiled.all(unit.pk))
    with CaptureQueriesContext(connection) as queries:
        given = list(unit.positions.all())

    assert len(queries) == 0
    assert given == expected
    assert [p.title for p in given] == [p.title for p in expected]
