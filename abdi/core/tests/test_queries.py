"""unique_or_none: a lookup by a unique key, without the ORDER BY that .first() adds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from abdi.core.queries import unique_or_none
from abdi.organisations.models import Employee


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
