"""Appointment slots: booking, full slots, and no overbooking under concurrent clients."""

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import connection, connections
from django.utils import timezone

from abdi.core.exceptions import ConflictError, PermissionDeniedError, ValidationError
from abdi.layanan import services
from abdi.layanan.models import AppointmentSlot, Booking
from abdi.layanan.tests.factories import make_service, submit
from abdi.organisations.tests.factories import build_citizen


def publish(service: Any, actor: Any, capacity: int) -> AppointmentSlot:
    start = timezone.now() + timedelta(days=2)
    return services.slot_publish(
        actor=actor, service=service, starts_at=start, ends_at=start + timedelta(hours=2),
        capacity=capacity, place="Ruang perekaman",
    )  # fmt: skip


@pytest.fixture
def biometric(agency: Any) -> Any:
    return make_service(
        agency, code="ktp-biometrik", needs_appointment=True, appointment_note="Perekaman"
    )


@pytest.mark.django_db
def test_only_the_unit_head_or_an_admin_publishes(agency: Any, biometric: Any) -> None:
    with pytest.raises(PermissionDeniedError):
        publish(biometric, agency.staff_a.user, 2)
    assert publish(biometric, agency.head_a.user, 2).capacity == 2
    assert publish(biometric, agency.admin, 3).capacity == 3
    with pytest.raises(ValidationError):
        publish(biometric, agency.admin, 0)


@pytest.mark.django_db
def test_booking_takes_a_place_until_the_slot_is_full(agency: Any, biometric: Any) -> None:
    slot = publish(biometric, agency.head_a.user, 1)
    first = submit(build_citizen(username="a@example.id"), biometric)
    second = submit(build_citizen(username="b@example.id"), biometric)

    booking = services.slot_book(actor=first.citizen.user, application=first, slot=slot)
    with pytest.raises(ConflictError) as full:
        services.slot_book(actor=second.citizen.user, application=second, slot=slot)
    with pytest.raises(ConflictError) as twice:
        services.slot_book(actor=first.citizen.user, application=first, slot=slot)

    assert (full.value.code, twice.value.code) == ("layanan.slot_full", "layanan.booking_exists")
    slot.refresh_from_db()
    assert (slot.booked, Booking.objects.count(), booking.application_id) == (1, 1, first.pk)

    services.booking_cancel(actor=first.citizen.user, booking=booking)
    slot.refresh_from_db()
    assert slot.booked == 0
    services.slot_book(actor=second.citizen.user, application=second, slot=slot)


@pytest.mark.django_db
def test_booking_needs_an_appointment_service_and_a_future_slot(
    agency: Any, biometric: Any, service: Any, citizen: Any
) -> None:
    slot = publish(biometric, agency.head_a.user, 5)
    plain = submit(citizen, service)
    with pytest.raises(ValidationError) as exc:
        services.slot_book(actor=citizen.user, application=plain, slot=slot)
    assert exc.value.code == "layanan.no_appointment"
    mine = submit(citizen, biometric)
    with pytest.raises(ConflictError) as late:
        services.slot_book(
            actor=citizen.user, application=mine, slot=slot,
            now=slot.starts_at + timedelta(minutes=1),
        )  # fmt: skip
    assert late.value.code == "layanan.slot_past"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_clients_never_overbook_a_slot(agency: Any, biometric: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite serialises every writer, so it cannot show a race; run with "
            "DATABASE_URL=postgres://… to check the conditional counter under concurrency"
        )
    capacity, clients = 5, 24
    slot = publish(biometric, agency.head_a.user, capacity)
    applications = [
        submit(build_citizen(username=f"p{i}@example.id"), biometric,
               now=datetime(2026, 3, 10, 3, 0, tzinfo=UTC))
        for i in range(clients)
    ]  # fmt: skip
    barrier = threading.Barrier(clients)
    outcomes: list[str] = []
    lock = threading.Lock()

    def book(application: Any) -> None:
        try:
            barrier.wait()
            services.slot_book(actor=application.citizen.user, application=application, slot=slot)
            result = "booked"
        except ConflictError as exc:
            result = exc.code
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=book, args=(a,)) for a in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    slot.refresh_from_db()
    assert outcomes.count("booked") == capacity
    assert outcomes.count("layanan.slot_full") == clients - capacity
    assert slot.booked == capacity
    assert Booking.objects.filter(slot=slot).count() == capacity
