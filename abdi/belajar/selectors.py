"""Reads of the belajar app, scoped to the actor; what the actor may not see is not found."""

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from abdi.core.exceptions import NotFoundError
from abdi.organisations.access import administered_instansi_ids, employee_of
from abdi.organisations.models import Employee

from . import conf, rules
from .access import is_organiser, organised_programme_filter
from .choices import RegistrationStatus
from .models import Certificate, JpEntry, Programme, Recording, Registration, Session

__all__ = [
    "certificates_for",
    "jp_entries_for",
    "jp_progress_for",
    "jp_team_progress",
    "programme_get",
    "programme_list",
    "programmes_organised",
    "recordings_for",
    "registration_for",
    "registrations_of",
    "session_get",
    "sessions_upcoming",
    "waitlist_position",
]


def _not_found() -> NotFoundError:
    return NotFoundError(_("Not found."))


def programme_list(*, actor: Any) -> QuerySet[Programme]:
    """Return published programmes, plus the unpublished ones the actor organises."""
    visible = Q(is_published=True)
    organised = organised_programme_filter(actor) if actor.is_authenticated else Q(pk__in=[])
    if organised is None:
        return Programme.objects.select_related("organiser")
    return Programme.objects.filter(visible | organised).distinct().select_related("organiser")


def programmes_organised(*, actor: Any) -> QuerySet[Programme]:
    """Return the programmes the actor organises."""
    condition = organised_programme_filter(actor)
    queryset = Programme.objects.select_related("organiser")
    return queryset if condition is None else queryset.filter(condition).distinct()


def programme_get(*, actor: Any, public_id: UUID | str) -> Programme:
    """Return a programme the actor may see (published, or one they organise)."""
    programme = Programme.objects.select_related("organiser").filter(public_id=public_id).first()
    if programme is None:
        raise _not_found()
    if not programme.is_published and not is_organiser(actor, programme):
        raise _not_found()
    return programme


def session_get(*, actor: Any, public_id: UUID | str) -> Session:
    """Return a session of a programme the actor may see."""
    session = (
        Session.objects.select_related("programme__organiser").filter(public_id=public_id).first()
    )
    if session is None:
        raise _not_found()
    if not session.programme.is_published and not is_organiser(actor, session.programme):
        raise _not_found()
    return session


def sessions_upcoming(*, programme: Programme, since: Any) -> QuerySet[Session]:
    """Return the programme's sessions that have not ended, earliest first."""
    return programme.sessions.filter(ends_at__gt=since).order_by("starts_at")


def registration_for(*, actor: Any, session: Session) -> Registration | None:
    """Return the actor's own registration for the session, or None."""
    if not getattr(actor, "is_authenticated", False):
        return None
    return Registration.objects.filter(session=session, participant=actor).first()


def waitlist_position(registration: Registration) -> int | None:
    """Return the 1-based place on the waiting list, or None when not waiting."""
    if registration.status != RegistrationStatus.WAITLISTED or registration.queued_at is None:
        return None
    ahead = Registration.objects.filter(
        Q(queued_at__lt=registration.queued_at)
        | Q(queued_at=registration.queued_at, pk__lt=registration.pk),
        session_id=registration.session_id,
        status=RegistrationStatus.WAITLISTED,
    ).count()
    return ahead + 1


def registrations_of(*, actor: Any) -> QuerySet[Registration]:
    """Return the actor's own registrations, newest session first."""
    return (
        Registration.objects.filter(participant=actor)
        .select_related("session__programme__organiser")
        .order_by("-session__starts_at")
    )


def registrations_for_organiser(*, actor: Any, session: Session) -> QuerySet[Registration]:
    """Return a session's registrations for one of its organisers."""
    if not is_organiser(actor, session.programme):
        raise _not_found()
    return (
        Registration.objects.filter(session=session)
        .select_related("employee__instansi", "participant")
        .order_by("status", "queued_at", "id")
    )


def session_counts(session: Session) -> dict[str, int]:
    """Return how many registrations a session has per status (for organisers' pages)."""
    rows = Registration.objects.filter(session=session).values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}


def certificates_for(*, actor: Any) -> QuerySet[Certificate]:
    """Return the actor's own certificates."""
    return (
        Certificate.objects.filter(registration__participant=actor)
        .select_related("registration__session__programme")
        .order_by("-registration__session__starts_at")
    )


def recordings_for(*, programme: Programme) -> QuerySet[Recording]:
    """Return the programme's recordings library, newest first."""
    return programme.recordings.select_related("session")


def _year_range(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def jp_earned(employee: Employee, start: date, end: date) -> Decimal:
    """Return the JP the employee earned between ``start`` and ``end`` inclusive."""
    total = JpEntry.objects.filter(
        employee=employee, earned_on__gte=start, earned_on__lte=end
    ).aggregate(total=Sum("jp"))["total"]
    return (total if total is not None else Decimal(0)).quantize(rules.CENT)


def _team_filter(actor: Any) -> Q | None:
    """Return the employees whose JP the actor follows: their staff, or their agency's.

    A leader sees everyone below their position (and a unit head their unit's subtree);
    an agency administrator sees the agency; None means everyone (platform admins).
    """
    if actor.is_superuser:
        return None
    allowed = Q(instansi_id__in=administered_instansi_ids(actor))
    me = employee_of(actor)
    if me is not None and me.position is not None:
        allowed |= Q(position__chain__startswith=me.position.chain)
        if me.position.is_unit_head:
            allowed |= Q(position__unit__path__startswith=me.position.unit.path)
    return allowed


def _visible_employee(actor: Any, employee: Employee) -> bool:
    if not getattr(actor, "is_authenticated", False):
        return False
    if employee_of(actor) == employee:
        return True
    condition = _team_filter(actor)
    return condition is None or Employee.objects.filter(condition, pk=employee.pk).exists()


def jp_entries_for(*, actor: Any, employee: Employee, year: int) -> QuerySet[JpEntry]:
    """Return the employee's JP ledger for ``year``: for them, their leaders and agency admins."""
    if not _visible_employee(actor, employee):
        raise _not_found()
    start, end = _year_range(year)
    return JpEntry.objects.filter(employee=employee, earned_on__gte=start, earned_on__lte=end)


def jp_progress_for(*, actor: Any, employee: Employee, year: int) -> rules.JpProgress:
    """Return the employee's progress towards the yearly JP target."""
    if not _visible_employee(actor, employee):
        raise _not_found()
    start, end = _year_range(year)
    return rules.jp_progress(jp_earned(employee, start, end), target=conf.jp_target())


def jp_team_progress(
    *, actor: Any, year: int, instansi_id: int | None = None, limit: int = 500
) -> list[tuple[Employee, rules.JpProgress]]:
    """Return the progress of the employees the actor may see (their staff, or an agency).

    The actor's own record is left out; sorted by JP earned, least first, so those behind show
    at the top.
    """
    condition = _team_filter(actor)
    employees = Employee.objects.all() if condition is None else Employee.objects.filter(condition)
    me = employee_of(actor)
    if me is not None:
        employees = employees.exclude(pk=me.pk)
    if instansi_id is not None:
        employees = employees.filter(instansi_id=instansi_id)
    start, end = _year_range(year)
    employees = (
        employees.annotate(
            earned=Sum(
                "jp_entries__jp",
                filter=Q(jp_entries__earned_on__gte=start, jp_entries__earned_on__lte=end),
            )
        )
        .select_related("position__unit")
        .order_by("earned", "name")[:limit]
    )
    target = conf.jp_target()
    return [
        (e, rules.jp_progress((e.earned or Decimal(0)).quantize(rules.CENT), target=target))
        for e in employees
    ]
