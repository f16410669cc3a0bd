"""Reads: the queue in constant queries, scoped to the officer's units; the public status."""

from typing import Any

import pytest

from abdi.core.exceptions import NotFoundError
from abdi.layanan import selectors, services
from abdi.layanan.tests.factories import submit
from abdi.organisations.tests.factories import build_citizen

pytestmark = pytest.mark.django_db


def test_queue_reads_in_constant_queries(
    agency: Any, service: Any, django_assert_max_num_queries: Any
) -> None:
    for index in range(6):
        submit(build_citizen(username=f"q{index}@example.id"), service)
    officer = agency.staff_a.user
    officer = type(officer).objects.get(pk=officer.pk)  # no cached employee record

    with django_assert_max_num_queries(3):
        rows = selectors.queue_for_officer(actor=officer)

    assert len(rows) == 6
    assert {row.clock.state for row in rows} == {"overdue"}  # submitted in March 2026


def test_queue_scope_and_mine_only(agency: Any, citizen: Any, service: Any) -> None:
    application = submit(citizen, service)
    assert selectors.queue_for_officer(actor=agency.staff_b.user) == []
    assert len(selectors.queue_for_officer(actor=agency.head.user)) == 1
    assert selectors.queue_for_officer(actor=agency.staff_a.user, mine_only=True) == []
    services.application_claim(actor=agency.staff_a.user, application=application)
    mine = selectors.queue_for_officer(actor=agency.staff_a.user, mine_only=True)
    assert [row.mine for row in mine] == [True]


def test_an_open_service_is_read_once_and_each_caller_gets_its_own_copy(
    service: Any, django_assert_num_queries: Any
) -> None:
    first = selectors.service_get(public_id=service.public_id)
    with django_assert_num_queries(0):
        second = selectors.service_get(public_id=service.public_id)
        assert [field.key for field in second.fields.all()] == ["no_kk", "alasan"]
        assert [doc.key for doc in second.documents.all()] == ["kk", "foto"]
        assert second.instansi.timezone == first.instansi.timezone

    second.name = "Changed by one caller"
    assert selectors.service_get(public_id=service.public_id).name == service.name


def test_public_status_needs_the_matching_nik(citizen: Any, service: Any) -> None:
    application = submit(citizen, service)
    found = selectors.application_public_status(
        tracking_code=application.display_code.lower(), nik=citizen.nik
    )
    assert found.pk == application.pk
    # Only what the public page shows is read: not the answers, the citizen or the officer.
    assert {"data", "citizen_id", "assignee_id", "correction_note"} <= found.get_deferred_fields()
    with pytest.raises(NotFoundError):
        selectors.application_public_status(
            tracking_code=application.tracking_code,
            nik=citizen.nik[:-1] + str((int(citizen.nik[-1]) + 1) % 10),
        )
    with pytest.raises(NotFoundError):
        selectors.application_public_status(tracking_code="", nik=citizen.nik)
