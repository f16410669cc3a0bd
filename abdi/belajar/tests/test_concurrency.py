"""A registration burst against a real PostgreSQL: hundreds of clients, tens of seats.

Each client runs in a worker thread with its own database connection; 10 % of clients send
their request twice at the same moment (some with the same Idempotency-Key, some without),
and the organiser's import of registrants runs alongside as a second writer path. The
assertions are exact: capacity confirmed, no duplicates, a consistent waiting list that
moves up in order on cancellations. Run at READ COMMITTED and at REPEATABLE READ.
"""

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from abdi.belajar import services
from abdi.belajar.choices import Outcome, RegistrationStatus
from abdi.belajar.models import Registration, Session

from .factories import participants, programme, session

pytestmark = [pytest.mark.django_db(transaction=True)]

CAPACITY = 30
CLIENTS = 300
IMPORTED = 60  # of which 20 also register themselves through the web
# Worker threads = concurrent database connections (PostgreSQL allows 100 for everyone).
WORKERS = 40


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            "Needs PostgreSQL: SQLite serialises every writer on one database lock, so it "
            "cannot show a race; run with DATABASE_URL=postgres://…"
        )


def _run_in_thread(isolation: str, go: threading.Event, work):
    def run(*args):
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL {isolation}"
                )
                cursor.execute("SHOW default_transaction_isolation")
                assert cursor.fetchone()[0] == isolation.lower()
            go.wait(timeout=60)
            return work(*args)
        finally:
            connections.close_all()

    return run


@pytest.mark.parametrize("isolation", ["READ COMMITTED", "REPEATABLE READ"])
def test_a_burst_never_overbooks_nor_duplicates(agency, other_agency, isolation):
    prog = programme(agency)
    s = session(prog, capacity=CAPACITY)
    web_users = participants(agency.instansi, CLIENTS // 2, prefix="web-a") + participants(
        other_agency.instansi, CLIENTS - CLIENTS // 2, prefix="web-b"
    )
    imported_only = participants(other_agency.instansi, IMPORTED - 20, prefix="imp")
    imported = imported_only + web_users[:20]
    csv = ("nip\n" + "".join(f"{u.employee.nip}\n" for u in imported)).encode()
    doubled = set(range(0, CLIENTS, 10))  # 10 % send twice
    jobs: list[tuple[int, str]] = []
    for i in range(CLIENTS):
        key = f"key-{i}" if i % 20 != 5 else ""  # a few clients send no key at all
        jobs.append((i, key))
        if i in doubled:
            jobs.append((i, key))

    go = threading.Event()
    outcomes: list[tuple[int, str, int, bool]] = []
    lock = threading.Lock()

    def register(job: tuple[int, str]) -> None:
        i, key = job
        result = services.registration_create(actor=web_users[i], session=s, idempotency_key=key)
        with lock:
            outcomes.append((i, result.outcome, result.registration.pk, result.replayed))

    def import_registrants() -> object:
        return services.registrants_import(
            actor=agency.admin, session=s, content=csv, filename="peserta.csv"
        )

    run_register = _run_in_thread(isolation, go, register)
    run_import = _run_in_thread(isolation, go, lambda _job: import_registrants())
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        # The import starts with the first wave of clients.
        futures = [pool.submit(run_import, None)]
        futures += [pool.submit(run_register, job) for job in jobs]
        # Let every worker connect and wait, then release them at once.
        time.sleep(1)
        go.set()
        results = [f.result(timeout=300) for f in futures]
    summary = results[0]

    s = Session.objects.get(pk=s.pk)
    registrations = Registration.objects.filter(session=s)
    distinct_people = CLIENTS + len(imported_only)
    confirmed = registrations.filter(status=RegistrationStatus.CONFIRMED)
    waitlisted = registrations.filter(status=RegistrationStatus.WAITLISTED)

    assert confirmed.count() == CAPACITY
    assert s.taken == CAPACITY
    assert registrations.count() == distinct_people
    assert max(Counter(registrations.values_list("participant_id", flat=True)).values()) == 1
    assert waitlisted.count() == distinct_people - CAPACITY
    # Every answer for one client names one registration; the second of a pair says
    # "already" or replays, never a second seat.
    by_client: dict[int, set[int]] = {}
    for i, _outcome, registration_id, _replayed in outcomes:
        by_client.setdefault(i, set()).add(registration_id)
    assert all(len(ids) == 1 for ids in by_client.values())
    assert (
        sum(1 for o in outcomes if o[1] == Outcome.CONFIRMED and not o[3]) + summary.confirmed
        == CAPACITY
    )
    assert summary.confirmed + summary.waitlisted + summary.already == IMPORTED

    # The waiting list has one strict order, and cancellations promote it in that order.
    queue = list(waitlisted.order_by("queued_at", "id").values_list("pk", flat=True))
    leaving = list(confirmed.order_by("pk")[:5])
    for registration in leaving:
        services.registration_cancel(actor=registration.participant, registration=registration)
    promoted = set(
        registrations.filter(pk__in=queue, status=RegistrationStatus.CONFIRMED).values_list(
            "pk", flat=True
        )
    )
    assert promoted == set(queue[:5])
    assert Session.objects.get(pk=s.pk).taken == CAPACITY
    assert registrations.filter(status=RegistrationStatus.CONFIRMED).count() == CAPACITY


def test_cancellations_during_a_burst_leave_no_seat_free_while_people_wait(agency):
    """Cancellations racing the queue: every freed seat goes to the first person waiting."""
    capacity, clients, leavers_count = 20, 200, 10
    s = session(programme(agency), capacity=capacity)
    leavers = participants(agency.instansi, leavers_count, prefix="leaver")
    leaving = [services.registration_create(actor=u, session=s).registration for u in leavers]
    users = participants(agency.instansi, clients, prefix="burst")
    jobs: list[tuple[str, int]] = [("register", i) for i in range(clients)]
    for n in range(leavers_count):  # spread the cancellations through the burst
        jobs.insert(15 + n * 18, ("cancel", n))

    def work(job: tuple[str, int]) -> None:
        kind, i = job
        if kind == "cancel":
            services.registration_cancel(actor=leavers[i], registration=leaving[i])
        else:
            services.registration_create(actor=users[i], session=s, idempotency_key=f"c-{i}")

    go = threading.Event()
    run = _run_in_thread("READ COMMITTED", go, work)
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        futures = [pool.submit(run, job) for job in jobs]
        time.sleep(1)
        go.set()
        for future in futures:
            future.result(timeout=300)

    registrations = Registration.objects.filter(session=s)
    confirmed = registrations.filter(status=RegistrationStatus.CONFIRMED)
    waiting = registrations.filter(status=RegistrationStatus.WAITLISTED)
    assert Session.objects.get(pk=s.pk).taken == capacity
    assert confirmed.count() == capacity
    assert registrations.filter(status=RegistrationStatus.CANCELLED).count() == leavers_count
    assert waiting.count() == clients - capacity
    # Whoever was promoted had queued before everyone still waiting.
    promoted = [r for r in confirmed if r.confirmed_at != r.queued_at]
    first_waiting = waiting.order_by("queued_at", "id").first()
    assert all((r.queued_at, r.pk) < (first_waiting.queued_at, first_waiting.pk) for r in promoted)
