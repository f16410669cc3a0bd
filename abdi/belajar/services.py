"""Every write of the belajar app: programmes, sessions, registration, attendance, JP.

Registration is burst-safe (scale.md §5): a seat is taken by one conditional ``UPDATE`` of
the session row (``taken < capacity``), the registration is inserted in the same
transaction (a unique (session, participant) constraint stops doubles) and an optional
``Idempotency-Key`` is stored with its answer in that transaction too. Nothing counts rows to
decide; rows are locked in one order, session before registration. A transaction that loses a
race at REPEATABLE READ or SERIALIZABLE is retried.
"""

import csv
import hashlib
import hmac
import io
import logging
import random
import time as time_module
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, TypeVar
from uuid import UUID

from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from abdi.core.audit import audit_record, snapshot
from abdi.core.changes import data_changed
from abdi.core.exceptions import full_clean
from abdi.organisations.access import employee_record_of
from abdi.organisations.models import Employee, Instansi

from . import conf, rules
from .access import can_create_programme, is_organiser
from .choices import AttendanceSource, Outcome, RegistrationStatus, SessionStatus
from .exceptions import BelajarConflict, BelajarError, BelajarErrorCode, BelajarForbidden
from .models import (
    Announcement,
    IdempotencyRecord,
    JpEntry,
    Programme,
    Recording,
    Registration,
    Session,
    SessionMessage,
)

__all__ = [
    "ImportSummary",
    "RegistrationResult",
    "announcement_publish",
    "attendance_checkin",
    "attendance_heartbeat",
    "attendance_import",
    "attendance_join",
    "idempotency_purge",
    "programme_add_organiser",
    "programme_create",
    "recording_add",
    "registrants_import",
    "registration_cancel",
    "registration_create",
    "session_close",
    "session_create",
    "session_message_send",
    "sessions_generate",
]

logger = logging.getLogger(__name__)

T = TypeVar("T")

PROGRAMME_FIELDS = ["title", "summary", "attendance_threshold", "is_published"]
SESSION_FIELDS = ["topic", "speakers", "starts_at", "ends_at", "capacity", "jp", "meeting_url"]
REGISTRATION_FIELDS = ["status", "queued_at", "confirmed_at", "cancelled_at"]
ATTENDANCE_FIELDS = ["minutes_present", "reported_minutes", "attended"]
# Joining opens this long before the start, for people who test their audio first.
JOIN_EARLY = timedelta(minutes=15)
# A transaction that lost a race at REPEATABLE READ/SERIALIZABLE is run again, after a short
# random pause that grows with each attempt (so contenders spread out instead of colliding).
RETRIES = 40
BACKOFF_SECONDS = 0.005
# PostgreSQL's serialization_failure and deadlock_detected.
RETRY_SQLSTATES = {"40001", "40P01"}


# --- Helpers ----------------------------------------------------------------------------------


def _require_organiser(actor: Any, programme: Programme) -> None:
    if not is_organiser(actor, programme):
        raise BelajarForbidden(
            _("Only the programme's organisers may do this."),
            code=BelajarErrorCode.NOT_ORGANISER,
        )


def _require_employee(actor: Any) -> Employee:
    employee = employee_record_of(actor)
    if employee is None:
        raise BelajarForbidden(
            _("Only civil servants (ASN) with an employee record may register."),
            code=BelajarErrorCode.NOT_EMPLOYEE,
        )
    return employee


def _retryable(exc: OperationalError) -> bool:
    cause = exc.__cause__
    return (
        getattr(cause, "sqlstate", None) in RETRY_SQLSTATES
        or getattr(cause, "pgcode", None) in RETRY_SQLSTATES
    )


def _with_retries(run: Callable[[], T]) -> T:
    """Run ``run`` (one transaction) again when PostgreSQL reports a lost race.

    Inside an outer transaction nothing can be retried, so the error propagates.
    """
    for attempt in range(RETRIES):
        try:
            return run()
        except OperationalError as exc:
            last = attempt == RETRIES - 1
            if last or not _retryable(exc) or transaction.get_connection().in_atomic_block:
                raise
            logger.info("Retrying a belajar transaction after %s.", exc.__cause__)
            time_module.sleep(random.uniform(0, BACKOFF_SECONDS * min(attempt + 1, 20)))  # noqa: S311
    raise AssertionError("unreachable")


def _request_hash(*parts: object) -> str:
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()


class _KeyTaken(Exception):
    """The idempotency key was stored by a request that committed first."""


class _AlreadyRegistered(Exception):
    """A concurrent request registered this person first; this transaction rolls back."""


def _check_key(key: str) -> str:
    key = key.strip()
    if len(key) > 255:
        raise BelajarError(
            _("The idempotency key is longer than 255 characters."),
            code=BelajarErrorCode.KEY_INVALID,
        )
    return key


def _store_key(
    actor: Any, key: str, request_hash: str, result: dict[str, str] | None = None
) -> IdempotencyRecord | None:
    """Store ``key`` (with its answer, if known) in the caller's transaction, or raise
    :class:`_KeyTaken` if it exists.

    A second request with the same key waits on the unique index until the first one ends;
    if the first committed, this one replays its answer. Registrations store the key as
    their last write before the seat, with the answer: a double tap has by then waited on
    the registration's own unique index.
    """
    if not key:
        return None
    try:
        return IdempotencyRecord.objects.create(
            user=actor, key=key, request_hash=request_hash, result=result or {}
        )
    except IntegrityError:
        # No savepoint: the caller's transaction ends with this exception and rolls back.
        raise _KeyTaken from None


def _answer(result: "RegistrationResult") -> dict[str, str]:
    """What a registration's idempotency key replays."""
    return {"registration": str(result.registration.public_id), "outcome": result.outcome}


def _key_exists(actor: Any, key: str) -> bool:
    return bool(key) and IdempotencyRecord.objects.filter(user=actor, key=key).exists()


def _stored(actor: Any, key: str, request_hash: str) -> IdempotencyRecord | None:
    """Return the stored answer for ``key``; refuse a key reused for another request."""
    if not key:
        return None
    record = IdempotencyRecord.objects.filter(user=actor, key=key).first()
    if record is None:
        return None
    if not hmac.compare_digest(record.request_hash, request_hash):
        raise BelajarError(
            _("This idempotency key was already used for a different request."),
            code=BelajarErrorCode.KEY_REUSED,
        )
    return record


def _now() -> datetime:
    return timezone.now()


# --- Programmes and sessions ----------------------------------------------------------------


@transaction.atomic
def programme_create(
    *,
    actor: Any,
    organiser: Instansi,
    title: str,
    summary: str = "",
    description: str = "",
    attendance_threshold: int = 75,
    is_published: bool = True,
) -> Programme:
    """Start a learning programme organised by ``organiser``; its administrators may."""
    if not can_create_programme(actor, organiser.pk):
        raise BelajarForbidden(
            _("Only the agency's administrators may start its programmes."),
            code=BelajarErrorCode.NOT_ORGANISER,
        )
    programme = Programme(
        organiser=organiser,
        title=title.strip(),
        summary=summary.strip(),
        description=description.strip(),
        attendance_threshold=attendance_threshold,
        is_published=is_published,
    )
    full_clean(programme, code=BelajarErrorCode.PROGRAMME_INVALID)
    programme.save()
    audit_record(
        actor=actor,
        action="belajar.programme.created",
        target=programme,
        instansi_id=organiser.pk,
        after=snapshot(programme, PROGRAMME_FIELDS),
    )
    return programme


@transaction.atomic
def programme_add_organiser(*, actor: Any, programme: Programme, user: Any) -> None:
    """Designate ``user`` (e.g. an employee of the training unit) an organiser of the programme."""
    _require_organiser(actor, programme)
    programme.organisers.add(user)
    audit_record(
        actor=actor,
        action="belajar.programme.organiser_added",
        target=programme,
        instansi_id=programme.organiser_id,
        after={"user": user.get_username()},
    )


def _default_jp(minutes: int) -> Decimal:
    return rules.jp_for_minutes(minutes, minutes_per_jp=conf.minutes_per_jp())


def _new_session(
    programme: Programme,
    *,
    topic: str,
    speakers: str,
    starts_at: datetime,
    ends_at: datetime,
    capacity: int,
    meeting_url: str,
    jp: Decimal | None,
) -> Session:
    minutes = int((ends_at - starts_at).total_seconds() // 60)
    session = Session(
        programme=programme,
        topic=topic.strip(),
        speakers=speakers.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        meeting_url=meeting_url.strip(),
        jp=jp if jp is not None else _default_jp(max(minutes, 0)),
    )
    full_clean(session, code=BelajarErrorCode.SESSION_INVALID)
    return session


@transaction.atomic
def session_create(
    *,
    actor: Any,
    programme: Programme,
    topic: str,
    starts_at: datetime,
    ends_at: datetime,
    capacity: int,
    meeting_url: str,
    speakers: str = "",
    jp: Decimal | None = None,
) -> Session:
    """Add one session; JP defaults to its length in JP (1 JP = 45 minutes by default)."""
    _require_organiser(actor, programme)
    session = _new_session(
        programme, topic=topic, speakers=speakers, starts_at=starts_at, ends_at=ends_at,
        capacity=capacity, meeting_url=meeting_url, jp=jp,
    )  # fmt: skip
    session.save()
    audit_record(
        actor=actor,
        action="belajar.session.created",
        target=session,
        instansi_id=programme.organiser_id,
        after=snapshot(session, SESSION_FIELDS),
    )
    return session


@transaction.atomic
def sessions_generate(
    *,
    actor: Any,
    programme: Programme,
    topic: str,
    first_day: date,
    last_day: date,
    weekdays: Iterable[int],
    at: time,
    minutes: int,
    capacity: int,
    meeting_url: str,
    speakers: str = "",
    jp: Decimal | None = None,
) -> list[Session]:
    """Add a session on each of ``weekdays`` at ``at`` (organiser's local time) in the range.

    "Tuesday and Thursday 09:00 WIB for a quarter" is ``weekdays=[1, 3]``, ``at=09:00``.
    """
    _require_organiser(actor, programme)
    try:
        starts = rules.recurrence(
            first_day=first_day, last_day=last_day, weekdays=weekdays, at=at,
            zone=programme.organiser.timezone,
        )  # fmt: skip
    except ValueError:
        starts = []
    if not starts or len(starts) > 400 or minutes <= 0:
        raise BelajarError(
            _("Choose weekdays, a length and a date range that give between 1 and 400 sessions."),
            code=BelajarErrorCode.RECURRENCE_INVALID,
        )
    sessions = [
        _new_session(
            programme,
            topic=topic,
            speakers=speakers,
            starts_at=start,
            ends_at=start + timedelta(minutes=minutes),
            capacity=capacity,
            meeting_url=meeting_url,
            jp=jp,
        )  # fmt: skip
        for start in starts
    ]
    Session.objects.bulk_create(sessions)
    audit_record(
        actor=actor,
        action="belajar.session.generated",
        target=programme,
        instansi_id=programme.organiser_id,
        after={
            "count": len(sessions),
            "first": starts[0].isoformat(),
            "last": starts[-1].isoformat(),
            "weekdays": sorted(set(weekdays)),
            "capacity": capacity,
        },
    )
    return sessions


@transaction.atomic
def announcement_publish(
    *, actor: Any, programme: Programme, title: str, body: str, published_at: datetime | None = None
) -> Announcement:
    """Publish an announcement of the programme (a public, shareable page and a feed item)."""
    _require_organiser(actor, programme)
    announcement = Announcement(
        programme=programme,
        title=title.strip(),
        body=body.strip(),
        published_at=published_at or _now(),
    )
    full_clean(announcement, code=BelajarErrorCode.ANNOUNCEMENT_INVALID)
    announcement.save()
    audit_record(
        actor=actor,
        action="belajar.announcement.published",
        target=announcement,
        instansi_id=programme.organiser_id,
        after={"title": announcement.title},
    )
    return announcement


@transaction.atomic
def recording_add(
    *,
    actor: Any,
    programme: Programme,
    title: str,
    url: str,
    session: Session | None = None,
    minutes: int | None = None,
) -> Recording:
    """Add a recording to the programme's library."""
    _require_organiser(actor, programme)
    if session is not None and session.programme_id != programme.pk:
        raise BelajarError(
            _("The session is not part of this programme."),
            code=BelajarErrorCode.RECORDING_INVALID,
            field="session",
        )
    recording = Recording(
        programme=programme, session=session, title=title.strip(), url=url.strip(), minutes=minutes
    )
    full_clean(recording, code=BelajarErrorCode.RECORDING_INVALID)
    recording.save()
    audit_record(
        actor=actor,
        action="belajar.recording.added",
        target=recording,
        instansi_id=programme.organiser_id,
        after={"title": recording.title, "url": recording.url},
    )
    return recording


# --- Registration ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegistrationResult:
    """What a registration request did: the registration and its outcome.

    ``replayed`` is true when the answer came from a stored idempotency key.
    """

    registration: Registration
    outcome: str
    replayed: bool = False


def _require_registrable(session: Session, now: datetime) -> None:
    if session.status != SessionStatus.SCHEDULED:
        raise BelajarConflict(
            _("This session is closed for registration."), code=BelajarErrorCode.SESSION_CLOSED
        )
    if now >= session.ends_at:
        raise BelajarConflict(
            _("This session has already ended."), code=BelajarErrorCode.SESSION_CLOSED
        )


def _take_seat(session_id: int) -> int | None:
    """Take one seat with one conditional ``UPDATE``; return the seats now taken, or None
    when the session is full or no longer open."""
    # RETURNING (PostgreSQL, SQLite 3.35+) gives the count the seat made, with no read.
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {connection.ops.quote_name(Session._meta.db_table)} "  # noqa: S608 - ours
            "SET taken = taken + 1 "
            "WHERE id = %s AND status = %s AND taken < capacity RETURNING taken",
            [session_id, SessionStatus.SCHEDULED],
        )
        row = cursor.fetchone()
    return None if row is None else int(row[0])


# Advisory-lock namespace of the waiting-list gate ("be" for belajar), beside the session id.
GATE_NAMESPACE = 0x6265


def _waitlist_gate(session_id: int, *, exclusive: bool) -> None:
    """Take the session's waiting-list gate until the transaction ends (PostgreSQL).

    People joining the waiting list take it shared (they never wait for each other); a
    cancellation takes it exclusively before it frees a seat, so it waits for the queuers in
    flight and then sees their entries when it promotes, and queuers arriving meanwhile find
    the freed seat. SQLite runs one writer at a time, so it needs no gate.
    """
    if connection.vendor != "postgresql":
        return
    function = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s, %s)", [GATE_NAMESPACE, session_id])


class _NoSeat(Exception):
    """The fast path found no seat (or a cancelled registration to revive); queue instead."""


def _save_registration(registration: Registration) -> None:
    try:
        registration.save()
    except IntegrityError:
        # No savepoint: the caller's transaction ends with this exception and rolls back.
        raise _AlreadyRegistered from None


def _audit_registration(
    by: Any, registration: Registration, employee: Employee, session: Session
) -> None:
    audit_record(
        actor=by,
        action="belajar.registration.created",
        target=registration,
        target_label=f"{employee.nip} · {session.topic}"[:255],
        instansi_id=session.programme.organiser_id,
        after=snapshot(registration, REGISTRATION_FIELDS),
    )


@transaction.atomic
def _register_seated(
    *, participant: Any, employee: Employee, session: Session, key: str, request_hash: str,
    source: str, by: Any, now: datetime,
) -> RegistrationResult:  # fmt: skip
    """Write a confirmed registration, then take the seat as the last statement.

    ``session`` is the request's own read: the seat's conditional ``UPDATE`` checks again
    that it is open and has room. The session row is locked only from that ``UPDATE`` to the
    commit, so registrations of one session follow each other as fast as the database
    commits. Without a seat the whole transaction is rolled back (:class:`_NoSeat`); a
    person with a row already is refused by the unique index (:class:`_AlreadyRegistered`).
    """
    _require_registrable(session, now)
    registration = Registration(
        session=session, participant=participant, employee=employee, source=source,
        status=RegistrationStatus.CONFIRMED, queued_at=now, confirmed_at=now,
    )  # fmt: skip
    _save_registration(registration)
    _audit_registration(by, registration, employee, session)
    result = RegistrationResult(registration, Outcome.CONFIRMED)
    _store_key(participant, key, request_hash, _answer(result))
    taken = _take_seat(session.pk)
    if taken is None:
        raise _NoSeat
    session.taken = taken
    return result


@transaction.atomic
def _register_queued(
    *, participant: Any, employee: Employee, session: Session, key: str, request_hash: str,
    source: str, by: Any, now: datetime, waitlist: bool, fixed_time: bool = False,
    revive: int | None = None,
) -> RegistrationResult:  # fmt: skip
    """Take a seat freed meanwhile, or join the waiting list behind the gate; with
    ``revive`` (the id of the person's cancelled registration), bring that row back.

    The place in the queue is the time the gate was passed (not the time the request
    arrived): a cancellation frees its seat holding the gate exclusively, so it promotes
    only among entries it can see, and it sees every entry stamped before it took the gate;
    a seat freed before this passed the gate is taken here.
    """
    _require_registrable(session, now)
    _waitlist_gate(session.pk, exclusive=False)
    if not fixed_time:
        now = _now()
    taken = _take_seat(session.pk)
    if taken is None and not waitlist:
        raise BelajarConflict(
            _("This session is full."),
            code=BelajarErrorCode.SESSION_FULL,
            params={"session": session.topic},
        )
    if taken is not None:
        session.taken = taken
    if revive is None:
        registration = Registration(session=session, participant=participant, employee=employee)
    else:
        registration = Registration.objects.select_for_update().get(pk=revive)
        if registration.status != RegistrationStatus.CANCELLED:
            raise _AlreadyRegistered
        registration.session = session
    seated = taken is not None
    registration.status = RegistrationStatus.CONFIRMED if seated else RegistrationStatus.WAITLISTED
    registration.queued_at = now
    registration.confirmed_at = now if seated else None
    registration.cancelled_at = None
    registration.source = source
    _save_registration(registration)
    _audit_registration(by, registration, employee, session)
    result = RegistrationResult(registration, Outcome.CONFIRMED if seated else Outcome.WAITLISTED)
    _store_key(participant, key, request_hash, _answer(result))
    return result


def _cancelled_registration(session_id: int, participant: Any) -> int | None:
    """The id of the person's cancelled registration of the session, if that is their row."""
    row = (
        Registration.objects.filter(session_id=session_id, participant_id=participant.pk)
        .values_list("pk", "status")
        .order_by()[:1]
    )
    found = list(row)
    if found and found[0][1] == RegistrationStatus.CANCELLED:
        return int(found[0][0])
    return None


def _register(
    *, waitlist: bool = True, fixed_time: bool = False, looks_full: bool = False, **kwargs: Any
) -> RegistrationResult:
    """Register once: the fast path for a free seat, else the queue path.

    ``looks_full`` (the session was full when the request read it) goes to the queue path
    at once; it still takes a seat freed meanwhile. Neither path reads before it writes: a
    person already registered is found by the unique index, which refuses their second row
    (:class:`_AlreadyRegistered`, answered by :func:`registration_create`), and a cancelled
    registration is then brought back. ``fixed_time`` keeps the given ``now`` for the queue
    stamp too (demo data, tests).
    """
    if not looks_full:
        try:
            return _register_seated(**kwargs)
        except _NoSeat:
            pass
        except _AlreadyRegistered:
            # A double tap whose first request has committed: registration_create replays
            # that answer, with no second transaction.
            if _key_exists(kwargs["participant"], kwargs["key"]):
                raise _KeyTaken from None
    try:
        return _register_queued(waitlist=waitlist, fixed_time=fixed_time, **kwargs)
    except _AlreadyRegistered:
        revive = _cancelled_registration(kwargs["session"].pk, kwargs["participant"])
        if revive is None:
            raise
    return _register_queued(waitlist=waitlist, fixed_time=fixed_time, revive=revive, **kwargs)


def _replay(record: IdempotencyRecord) -> RegistrationResult:
    registration = Registration.objects.select_related("session__programme").get(
        public_id=UUID(record.result["registration"])
    )
    return RegistrationResult(registration, record.result["outcome"], replayed=True)


def registration_create(
    *,
    actor: Any,
    session: Session,
    idempotency_key: str = "",
    source: str = "web",
    waitlist: bool = True,
    now: datetime | None = None,
) -> RegistrationResult:
    """Register the actor (an employee of any agency) for ``session``: a seat or the waiting list.

    Safe under bursts and double sends: a repeated request (same key, or none) answers with
    the registration that exists; the same key with another request is refused. Each attempt
    is one transaction, run again if PostgreSQL reports a lost race. With ``waitlist=False`` a
    full session is refused (``belajar.session_full``) instead of queueing.
    """
    employee = _require_employee(actor)
    key = _check_key(idempotency_key)
    request_hash = _request_hash("register", session.public_id, waitlist)
    # A replayed key is found when the transaction tries to store it (_KeyTaken below): one
    # query less for every first request, the common case under a burst.

    def attempt() -> RegistrationResult:
        return _register(
            participant=actor, employee=employee, session=session, key=key,
            request_hash=request_hash, source=source, by=actor, now=now or _now(),
            fixed_time=now is not None,
            waitlist=waitlist, looks_full=session.taken >= session.capacity,
        )  # fmt: skip

    try:
        return _with_retries(attempt)
    except _KeyTaken:
        stored = _stored(actor, key, request_hash)
        if stored is None:
            raise BelajarConflict(
                _("A request with this idempotency key is still being processed."),
                code=BelajarErrorCode.KEY_IN_FLIGHT,
            ) from None
        return _replay(stored)
    except _AlreadyRegistered:
        # A concurrent request registered this person first: a double tap replays its answer.
        stored = _stored(actor, key, request_hash)
        if stored is not None:
            return _replay(stored)
        registration = Registration.objects.get(session=session, participant=actor)
        registration.session = session
        return RegistrationResult(registration, Outcome.ALREADY)


def _promote(session: Session, now: datetime) -> list[Registration]:
    """Fill free seats from the waiting list, first queued first; the session row is locked."""
    promoted: list[Registration] = []
    while True:
        candidate = (
            Registration.objects.select_for_update()
            .filter(session=session, status=RegistrationStatus.WAITLISTED)
            .order_by("queued_at", "id")
            .first()
        )
        if candidate is None or _take_seat(session.pk) is None:
            return promoted
        candidate.status = RegistrationStatus.CONFIRMED
        candidate.confirmed_at = now
        candidate.save(update_fields=["status", "confirmed_at", "updated_at"])
        audit_record(
            actor=None,
            action="belajar.registration.promoted",
            target=candidate,
            instansi_id=session.programme.organiser_id,
            after=snapshot(candidate, REGISTRATION_FIELDS),
        )
        promoted.append(candidate)


def _notify_promoted(promoted: list[Registration]) -> None:
    if not promoted:
        return
    from .tasks import notify_promoted

    ids = [r.pk for r in promoted]
    transaction.on_commit(lambda: notify_promoted.delay(ids), robust=True)


@transaction.atomic
def _cancel(*, actor: Any, registration_id: int, key: str, request_hash: str) -> Registration:
    record = _store_key(actor, key, request_hash)
    session_id = Registration.objects.values_list("session_id", flat=True).get(pk=registration_id)
    # Lock order: the waiting-list gate, the session row, then registrations.
    _waitlist_gate(session_id, exclusive=True)
    session = Session.objects.select_for_update().select_related("programme").get(pk=session_id)
    registration = Registration.objects.select_for_update().get(pk=registration_id)
    if registration.participant_id != actor.pk and not is_organiser(actor, session.programme):
        raise BelajarForbidden(
            _("Only the participant or an organiser may cancel this registration."),
            code=BelajarErrorCode.NOT_REGISTERED,
        )
    now = _now()
    if registration.status != RegistrationStatus.CANCELLED:
        if now >= session.starts_at:
            raise BelajarConflict(
                _("A session that has started can no longer be cancelled."),
                code=BelajarErrorCode.SESSION_STARTED,
            )
        before = snapshot(registration, REGISTRATION_FIELDS)
        was_confirmed = registration.status == RegistrationStatus.CONFIRMED
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = now
        registration.confirmed_at = None
        registration.save(update_fields=["status", "cancelled_at", "confirmed_at", "updated_at"])
        audit_record(
            actor=actor,
            action="belajar.registration.cancelled",
            target=registration,
            instansi_id=session.programme.organiser_id,
            before=before,
            after=snapshot(registration, REGISTRATION_FIELDS),
        )
        if was_confirmed:
            Session.objects.filter(pk=session.pk).update(taken=F("taken") - 1)
            _notify_promoted(_promote(session, now))
    if record is not None:
        record.result = {"registration": str(registration.public_id), "outcome": "cancelled"}
        record.save(update_fields=["result"])
    return registration


def registration_cancel(
    *, actor: Any, registration: Registration, idempotency_key: str = ""
) -> Registration:
    """Cancel a registration before the session starts; the waiting list moves up in order.

    Cancelling twice is harmless. The freed seat goes to the first person on the waiting
    list in the same transaction, and they are told after it commits.
    """
    key = _check_key(idempotency_key)
    request_hash = _request_hash("cancel", registration.public_id)
    stored = _stored(actor, key, request_hash)
    if stored is not None:
        return Registration.objects.get(pk=registration.pk)
    try:
        return _with_retries(
            lambda: _cancel(
                actor=actor, registration_id=registration.pk, key=key, request_hash=request_hash
            )
        )
    except _KeyTaken:
        _stored(actor, key, request_hash)
        return Registration.objects.get(pk=registration.pk)


# --- Tabular imports (registrants, attendance reports) ---------------------------------------


def _dialect(text: str) -> Any:
    """Guess the delimiter (comma, semicolon or tab); a one-column file is plain CSV."""
    try:
        return csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _rows(content: bytes, filename: str) -> list[dict[str, Any]]:
    """Return the rows of a CSV or Excel file as dicts keyed by lower-case header."""
    name = filename.lower()
    try:
        if name.endswith(".xlsx"):
            from openpyxl import load_workbook

            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
            values: list[list[Any]] = [list(row) for row in sheet.iter_rows(values_only=True)]
        else:
            text = content.decode("utf-8-sig")
            values = [list(row) for row in csv.reader(io.StringIO(text), _dialect(text))]
    except Exception as exc:  # noqa: BLE001 - any unreadable file is the same refusal
        raise BelajarError(
            _("The file could not be read; upload a CSV or Excel (.xlsx) file with a header row."),
            code=BelajarErrorCode.IMPORT_FILE,
            field="file",
        ) from exc
    if not values:
        return []
    header = [str(h or "").strip().lower() for h in values[0]]
    return [
        {
            h: ("" if v is None else v if isinstance(v, datetime) else str(v).strip())
            for h, v in zip(header, row, strict=False)
        }
        for row in values[1:]
        if any(v not in (None, "") for v in row)
    ]


NIP_HEADERS = ("nip",)
EMAIL_HEADERS = ("email", "e-mail", "surel", "user email")


def _identifier(row: dict[str, Any]) -> tuple[str, str]:
    for header in NIP_HEADERS:
        if row.get(header):
            return "nip", str(row[header]).replace(" ", "")
    for header in EMAIL_HEADERS:
        if row.get(header):
            return "email", str(row[header]).lower()
    return "", ""


def _employees_by_identifier(rows: list[dict[str, Any]]) -> dict[tuple[str, str], Employee]:
    ids = [_identifier(r) for r in rows]
    nips = {v for k, v in ids if k == "nip"}
    emails = {v for k, v in ids if k == "email"}
    found: dict[tuple[str, str], Employee] = {}
    employees = Employee.objects.filter(user__isnull=False).select_related("user")
    for employee in employees.filter(
        Q(nip__in=nips) | Q(email__in=emails) | Q(user__email__in=emails)
    ):
        found[("nip", employee.nip)] = employee
        for email in (employee.email, employee.user.email if employee.user else ""):
            if email:
                found[("email", email.lower())] = employee
    return found


@dataclass
class ImportSummary:
    """What an import did, row by row problems included (row numbers count the header as 1)."""

    confirmed: int = 0
    waitlisted: int = 0
    already: int = 0
    updated: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)


def registrants_import(
    *, actor: Any, session: Session, content: bytes, filename: str
) -> ImportSummary:
    """Register the employees listed by NIP or email (any agency) in a CSV/Excel file.

    The organiser's second way in, through the same seat counter: each row is its own short
    transaction, so a large import never holds the session row against a registration burst.
    """
    _require_organiser(actor, session.programme)
    rows = _rows(content, filename)
    employees = _employees_by_identifier(rows)
    summary = ImportSummary()
    seen: set[int] = set()
    for number, row in enumerate(rows, start=2):
        identifier = _identifier(row)
        employee = employees.get(identifier)
        if employee is None or employee.user is None:
            summary.problems.append((number, str(_("No employee with this NIP or email."))))
            continue
        if employee.pk in seen:
            summary.already += 1
            continue
        seen.add(employee.pk)
        participant = employee.user

        def attempt(
            participant: Any = participant, employee: Employee = employee
        ) -> RegistrationResult:
            return _register(
                participant=participant, employee=employee, session=session, key="",
                request_hash="", source="import", by=actor, now=_now(),
            )  # fmt: skip

        try:
            result = _with_retries(attempt)
        except _AlreadyRegistered:
            summary.already += 1
            continue
        except BelajarConflict as exc:
            summary.problems.append((number, exc.message))
            break
        if result.outcome == Outcome.CONFIRMED:
            summary.confirmed += 1
        elif result.outcome == Outcome.WAITLISTED:
            summary.waitlisted += 1
        else:
            summary.already += 1
    return summary


# --- Attendance --------------------------------------------------------------------------------


def _registration_for(actor: Any, session: Session) -> Registration:
    registration = (
        Registration.objects.select_for_update()
        .filter(session=session, participant=actor, status=RegistrationStatus.CONFIRMED)
        .first()
    )
    if registration is None:
        raise BelajarForbidden(
            _("You have no confirmed seat in this session."), code=BelajarErrorCode.NOT_REGISTERED
        )
    return registration


def _require_running(session: Session, now: datetime) -> None:
    if now < session.starts_at - JOIN_EARLY:
        raise BelajarConflict(
            _("The session has not started yet."), code=BelajarErrorCode.SESSION_NOT_STARTED
        )
    if now > session.ends_at or session.status != SessionStatus.SCHEDULED:
        raise BelajarConflict(
            _("This session has already ended."), code=BelajarErrorCode.SESSION_CLOSED
        )


def _seen(registration: Registration, now: datetime, source: str) -> None:
    if registration.first_seen_at is None:
        registration.first_seen_at = now
    registration.last_seen_at = now
    if registration.attendance_source != AttendanceSource.REPORT:
        registration.attendance_source = source
    registration.save(
        update_fields=["first_seen_at", "last_seen_at", "attendance_source", "updated_at"]
    )


@transaction.atomic
def attendance_join(*, actor: Any, session: Session, now: datetime | None = None) -> str:
    """Record that the participant joined (or rejoined) and return the meeting link."""
    now = now or _now()
    registration = _registration_for(actor, session)
    _require_running(session, now)
    first = registration.first_seen_at is None
    _seen(registration, now, AttendanceSource.JOIN)
    if first:
        audit_record(
            actor=actor,
            action="belajar.attendance.joined",
            target=registration,
            instansi_id=session.programme.organiser_id,
            after={"at": now.isoformat()},
        )
    return session.meeting_url


@transaction.atomic
def attendance_heartbeat(*, actor: Any, session: Session, now: datetime | None = None) -> bool:
    """Extend the participant's presence to ``now`` while the session runs (the page pings)."""
    now = now or _now()
    if not session.starts_at - JOIN_EARLY <= now <= session.ends_at:
        return False
    updated = Registration.objects.filter(
        session=session,
        participant=actor,
        status=RegistrationStatus.CONFIRMED,
        first_seen_at__isnull=False,
    ).update(last_seen_at=now, updated_at=now)
    return updated == 1


@transaction.atomic
def attendance_checkin(
    *, actor: Any, session: Session, code: str, now: datetime | None = None
) -> Registration:
    """Check in with the code the organiser shows during the session (at the start and the end)."""
    now = now or _now()
    registration = _registration_for(actor, session)
    _require_running(session, now)
    if not hmac.compare_digest(code.strip(), session.checkin_code):
        raise BelajarError(
            _("This check-in code is not the session's code."),
            code=BelajarErrorCode.CHECKIN_CODE,
            field="code",
        )
    _seen(registration, now, AttendanceSource.CHECKIN)
    audit_record(
        actor=actor,
        action="belajar.attendance.checked_in",
        target=registration,
        instansi_id=session.programme.organiser_id,
        after={"at": now.isoformat()},
    )
    return registration


def _moment(value: Any, session: Session) -> datetime | None:
    """Read a report's join/leave time; a naive time is in the organiser's zone."""
    if value in (None, ""):
        return None
    moment: datetime | None = None
    if isinstance(value, datetime):
        moment = value
    else:
        text = str(value).strip()
        for pattern in (
            "%Y-%m-%d %H:%M:%S",
            "%Y-%m-%d %H:%M",
            "%d/%m/%Y %H:%M:%S",
            "%d/%m/%Y %H:%M",
            "%m/%d/%Y %I:%M:%S %p",
        ):
            try:
                moment = datetime.strptime(text, pattern)  # noqa: DTZ007 - zone added below
                break
            except ValueError:
                continue
        if moment is None:
            try:
                moment = datetime.fromisoformat(text)
            except ValueError:
                return None
    if moment is None:
        return None
    if timezone.is_naive(moment):
        from zoneinfo import ZoneInfo

        moment = moment.replace(tzinfo=ZoneInfo(session.programme.organiser.timezone))
    return moment


def _duration(value: Any) -> int | None:
    try:
        return max(int(float(str(value).replace(",", "."))), 0)
    except (TypeError, ValueError):
        return None


DURATION_HEADERS = ("duration", "duration (minutes)", "durasi", "durasi (menit)", "minutes")
JOIN_HEADERS = ("join", "join time", "joined", "masuk")
LEAVE_HEADERS = ("leave", "leave time", "left", "keluar")


def _first(row: dict[str, Any], headers: tuple[str, ...]) -> Any:
    for header in headers:
        if row.get(header) not in (None, ""):
            return row[header]
    return None


@transaction.atomic
def attendance_import(
    *, actor: Any, session: Session, content: bytes, filename: str
) -> ImportSummary:
    """Read the meeting tool's attendance report (email/NIP, join, leave, duration).

    A participant's rows (rejoins) are merged: join/leave intervals inside the session are
    counted once; rows with only a duration add up. If the session was already closed, its
    attendance is decided again.
    """
    session = (
        Session.objects.select_for_update()
        .select_related("programme__organiser")
        .get(pk=session.pk)
    )
    _require_organiser(actor, session.programme)
    rows = _rows(content, filename)
    employees = _employees_by_identifier(rows)
    intervals: dict[int, list[rules.Interval]] = defaultdict(list)
    extra: dict[int, int] = defaultdict(int)
    summary = ImportSummary()
    for number, row in enumerate(rows, start=2):
        employee = employees.get(_identifier(row))
        if employee is None:
            summary.problems.append((number, str(_("No employee with this NIP or email."))))
            continue
        joined = _moment(_first(row, JOIN_HEADERS), session)
        left = _moment(_first(row, LEAVE_HEADERS), session)
        if joined is not None and left is not None:
            intervals[employee.pk].append(rules.Interval(joined, left))
            continue
        minutes = _duration(_first(row, DURATION_HEADERS))
        if minutes is None:
            summary.problems.append((number, str(_("Give join and leave times or a duration."))))
            continue
        extra[employee.pk] += minutes
    registrations = Registration.objects.select_for_update().filter(
        session=session,
        status=RegistrationStatus.CONFIRMED,
        employee_id__in=set(intervals) | set(extra),
    )
    for registration in registrations:
        minutes = rules.minutes_present(
            intervals[registration.employee_id], start=session.starts_at, end=session.ends_at
        )
        reported = min(minutes + extra[registration.employee_id], session.minutes)
        registration.reported_minutes = reported
        registration.attendance_source = AttendanceSource.REPORT
        registration.save(update_fields=["reported_minutes", "attendance_source", "updated_at"])
        summary.updated += 1
    not_registered = len(set(intervals) | set(extra)) - summary.updated
    if not_registered:
        summary.problems.append(
            (
                0,
                str(
                    _("%(count)s people in the report have no seat in the session.")
                    % {"count": not_registered}
                ),
            )
        )
    audit_record(
        actor=actor,
        action="belajar.attendance.imported",
        target=session,
        instansi_id=session.programme.organiser_id,
        after={"file": filename, "updated": summary.updated, "problems": len(summary.problems)},
    )
    if session.status == SessionStatus.CLOSED:
        _decide(session, actor)
        _queue_certificates(session.pk)
    return summary


def _decide(session: Session, actor: Any) -> list[int]:
    """Decide attendance of every confirmed registration and credit JP; return attendees' ids."""
    programme = session.programme
    attendees: list[int] = []
    registrations = Registration.objects.select_for_update().filter(
        session=session, status=RegistrationStatus.CONFIRMED
    )
    for registration in registrations.select_related("employee"):
        window = 0
        if registration.first_seen_at is not None and registration.last_seen_at is not None:
            window = rules.minutes_present(
                [rules.Interval(registration.first_seen_at, registration.last_seen_at)],
                start=session.starts_at,
                end=session.ends_at,
            )
        minutes = max(window, registration.reported_minutes)
        attended = rules.attended(
            minutes,
            session_minutes=session.minutes,
            threshold_percent=programme.attendance_threshold,
        )
        # Attendance once decided is not taken back by a later, shorter report.
        attended = attended or bool(registration.attended)
        if (registration.minutes_present, registration.attended) != (minutes, attended):
            registration.minutes_present = minutes
            registration.attended = attended
            registration.save(update_fields=["minutes_present", "attended", "updated_at"])
        if attended:
            attendees.append(registration.pk)
            _credit_jp(registration, session)
    return attendees


def _credit_jp(registration: Registration, session: Session) -> JpEntry:
    """Credit the session's JP once per attended registration."""
    entry, created = JpEntry.objects.get_or_create(
        registration=registration,
        defaults={
            "employee_id": registration.employee_id,
            "jp": session.jp,
            "earned_on": session.programme.organiser.local_date(session.starts_at),
            "description": f"{session.programme.title}: {session.topic}"[:300],
        },
    )
    if created:
        audit_record(
            actor=None,
            action="belajar.jp.credited",
            target=entry,
            target_label=f"{registration.employee.nip} +{entry.jp} JP",
            instansi_id=registration.employee.instansi_id,
            after={"jp": str(entry.jp), "earned_on": entry.earned_on.isoformat()},
        )
        employee = registration.employee
        data_changed(
            source="belajar", instansi_id=employee.instansi_id,
            unit_id=employee.position.unit_id if employee.position else None, on=entry.earned_on,
        )  # fmt: skip
    return entry


@transaction.atomic
def session_close(*, actor: Any, session: Session, now: datetime | None = None) -> list[int]:
    """Decide who attended an ended session, credit their JP and queue their certificates.

    Safe to run again (by the organiser after a late report, or by the scheduled job): JP is
    credited once per registration and a certificate is issued once.
    """
    session = (
        Session.objects.select_for_update()
        .select_related("programme__organiser")
        .get(pk=session.pk)
    )
    if actor is not None:
        _require_organiser(actor, session.programme)
    now = now or _now()
    if now < session.ends_at:
        raise BelajarConflict(
            _("Attendance is decided after the session ends."),
            code=BelajarErrorCode.SESSION_NOT_ENDED,
        )
    if session.status == SessionStatus.CANCELLED:
        raise BelajarConflict(
            _("This session was cancelled."), code=BelajarErrorCode.SESSION_CLOSED
        )
    attendees = _decide(session, actor)
    if session.status != SessionStatus.CLOSED:
        session.status = SessionStatus.CLOSED
        session.closed_at = now
        session.save(update_fields=["status", "closed_at", "updated_at"])
        audit_record(
            actor=actor,
            action="belajar.session.closed",
            target=session,
            instansi_id=session.programme.organiser_id,
            after={"attended": len(attendees)},
        )
    _queue_certificates(session.pk)
    return attendees


def _queue_certificates(session_id: int) -> None:
    from .tasks import issue_certificates

    transaction.on_commit(lambda: issue_certificates.delay(session_id), robust=True)


# --- Messages ---------------------------------------------------------------------------------


@transaction.atomic
def session_message_send(
    *, actor: Any, session: Session, subject: str, body: str
) -> SessionMessage:
    """Send a message to everyone registered (seat or waiting list); delivered after commit."""
    _require_organiser(actor, session.programme)
    message = SessionMessage(
        session=session, sender=actor, subject=subject.strip(), body=body.strip()
    )
    full_clean(message, code=BelajarErrorCode.MESSAGE_INVALID)
    message.recipients = (
        Registration.objects.filter(session=session)
        .exclude(status=RegistrationStatus.CANCELLED)
        .count()
    )
    message.save()
    audit_record(
        actor=actor,
        action="belajar.session.messaged",
        target=session,
        instansi_id=session.programme.organiser_id,
        after={"subject": message.subject, "recipients": message.recipients},
    )
    from .tasks import deliver_session_message

    message_id = message.pk
    transaction.on_commit(lambda: deliver_session_message.delay(message_id), robust=True)
    return message


def idempotency_purge(*, now: datetime | None = None) -> int:
    """Forget stored idempotency answers older than the replay window; return how many."""
    cutoff = (now or _now()) - timedelta(hours=conf.idempotency_hours())
    deleted, _detail = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
