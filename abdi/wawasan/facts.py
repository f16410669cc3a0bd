"""Rebuild the dashboards' facts, set-based: a handful of GROUP BY queries per agency period.

``refresh_period`` rebuilds an agency's month (or year, ``month`` 0) for every unit, or
for the units given; it is idempotent (delete and insert in one transaction), so running it
twice gives the same rows. Writers mark what they changed through
:func:`abdi.core.changes.data_changed`; :func:`mark_stale` records it and
:func:`refresh_stale` (a task queued after the writer's commit, at most one per few seconds;
every few minutes from beat; and before a dashboard reads) rebuilds just those unit months.
"""

import logging
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from abdi.belajar import conf as belajar_conf
from abdi.belajar.models import JpEntry
from abdi.inovasi.choices import ReviewStatus, Stage
from abdi.inovasi.models import Innovation
from abdi.kinerja.choices import PlanStatus, Predicate, ReportStatus
from abdi.kinerja.models import PerformanceYear, PeriodEvaluation, Realisation, SkpPlan
from abdi.layanan.choices import ApplicationStatus
from abdi.layanan.models import Application, Service, Survey
from abdi.layanan.rules import IKM_ELEMENT_KEYS
from abdi.organisations.choices import EmployeeStatus
from abdi.organisations.models import Employee, Instansi

from .models import ServiceFact, StaleFact, UnitFact
from .rules import Period, kinerja_period_ending

__all__ = [
    "IKM_KEYS",
    "PREDICATE_FIELDS",
    "STAFF_STATUSES",
    "STAGE_FIELDS",
    "mark_stale",
    "refresh_agency",
    "refresh_before_reading",
    "refresh_period",
    "refresh_stale",
]

logger = logging.getLogger(__name__)

#: Predicate value → UnitFact column (the values and the columns share their names).
PREDICATE_FIELDS = {value: value for value in Predicate.values}
IKM_KEYS = IKM_ELEMENT_KEYS
#: Innovation stage → UnitFact column.
STAGE_FIELDS = {stage: f"innovations_{stage}" for stage in Stage.values}
#: Employees counted in a unit's headcount (on leave is still on the staff).
STAFF_STATUSES = (EmployeeStatus.ACTIVE, EmployeeStatus.LEAVE)
OPEN_STATUSES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.IN_REVIEW,
    ApplicationStatus.APPROVED,
)
BATCH = 2000


def _local_bounds(period: Period, zone: str) -> tuple[datetime, datetime]:
    """The period as a half-open range of aware datetimes in the agency's zone."""
    tz = ZoneInfo(zone)
    start = datetime.combine(period.start, time.min, tzinfo=tz)
    end = datetime.combine(period.end + timedelta(days=1), time.min, tzinfo=tz)
    return start, end


class _UnitRows:
    """The UnitFact rows of one refresh, created on first use per unit."""

    def __init__(self, instansi: Instansi, period: Period, moment: datetime) -> None:
        self.rows: dict[int, UnitFact] = {}
        self.instansi, self.period, self.moment = instansi, period, moment

    def __getitem__(self, unit_id: int) -> UnitFact:
        row = self.rows.get(unit_id)
        if row is None:
            row = self.rows[unit_id] = UnitFact(
                instansi=self.instansi, unit_id=unit_id, year=self.period.year,
                month=self.period.month, refreshed_at=self.moment,
            )  # fmt: skip
        return row


def _scoped(queryset: QuerySet[Any], field: str, unit_ids: Collection[int] | None) -> QuerySet[Any]:
    return queryset if unit_ids is None else queryset.filter(**{f"{field}__in": unit_ids})


def _staff_facts(rows: _UnitRows, unit_ids: Collection[int] | None) -> None:
    # The position's agency too: it lets the join use the positions' agency index instead
    # of reading every position of the country.
    staff = Employee.objects.filter(
        instansi=rows.instansi, status__in=STAFF_STATUSES, position__instansi=rows.instansi
    )
    staff = _scoped(staff, "position__unit_id", unit_ids)
    for row in staff.values("position__unit_id").annotate(n=Count("pk")).order_by():
        rows[row["position__unit_id"]].employees = row["n"]


def _kinerja_facts(rows: _UnitRows, unit_ids: Collection[int] | None) -> None:
    year = PerformanceYear.objects.filter(instansi=rows.instansi, year=rows.period.year).first()
    if year is None:
        return
    unit = "employee__position__unit_id"
    plans = SkpPlan.objects.filter(
        year=year,
        is_current=True,
        employee__instansi=rows.instansi,
        employee__position__instansi=rows.instansi,
    )
    plans = _scoped(plans, unit, unit_ids)
    if rows.period.is_year:
        counted = plans.values(unit).annotate(
            started=Count("pk"), approved=Count("pk", filter=Q(status=PlanStatus.APPROVED))
        )
        for row in counted.order_by():
            rows[row[unit]].plans_started = row["started"]
            rows[row[unit]].plans_approved = row["approved"]
    period = kinerja_period_ending(rows.period.month, year.rhythm)
    if period is None:
        return
    if period:
        approved = plans.filter(status=PlanStatus.APPROVED)
        for row in approved.values(unit).annotate(due=Count("pk")).order_by():
            rows[row[unit]].reports_due = row["due"]
        reported = Realisation.objects.filter(
            indicator__rhk__plan=OuterRef("pk"), period=period
        ).exclude(status=ReportStatus.DRAFT)
        # Filtered on, the reports are joined to the plans once (a semi-join). Counted in the
        # select list instead, they were looked for plan by plan, through every result and
        # indicator of the plans not reported yet: the month the S1 bench reports on took
        # 3.4 s to rebuild that way, 0.4 s this way (docs/deploy.md §11, tenth round).
        for row in (
            approved.filter(Exists(reported)).values(unit).annotate(done=Count("pk")).order_by()
        ):
            rows[row[unit]].reports_done = row["done"]
    evaluations = PeriodEvaluation.objects.filter(
        year=year,
        period=period,
        employee__instansi=rows.instansi,
        employee__position__instansi=rows.instansi,
    ).exclude(predicate="")
    evaluations = _scoped(evaluations, unit, unit_ids)
    for row in evaluations.values(unit, "predicate").annotate(n=Count("pk")).order_by():
        setattr(rows[row[unit]], PREDICATE_FIELDS[row["predicate"]], row["n"])


def _learning_facts(rows: _UnitRows, unit_ids: Collection[int] | None) -> None:
    unit = "employee__position__unit_id"
    entries = JpEntry.objects.filter(
        employee__instansi=rows.instansi,
        earned_on__gte=rows.period.start,
        earned_on__lte=rows.period.end,
        employee__position__instansi=rows.instansi,
    )
    entries = _scoped(entries, unit, unit_ids)
    for row in entries.values(unit).annotate(jp=Sum("jp")).order_by():
        rows[row[unit]].jp = row["jp"] or Decimal(0)
    if rows.period.is_year:
        met = (
            entries.values("employee_id", unit)
            .annotate(total=Sum("jp"))
            .filter(total__gte=belajar_conf.jp_target())
            .values_list(unit, flat=True)
            .order_by()
        )
        for unit_id, count in Counter(met).items():
            rows[unit_id].jp_met = count


def _innovation_facts(rows: _UnitRows, unit_ids: Collection[int] | None) -> None:
    innovations = Innovation.objects.filter(instansi=rows.instansi, unit__isnull=False).exclude(
        status=ReviewStatus.DRAFT
    )
    innovations = _scoped(innovations, "unit_id", unit_ids)
    counted = innovations.values("unit_id", "stage").annotate(
        n=Count("pk"), dormant=Count("pk", filter=Q(dormant_since__isnull=False))
    )
    for row in counted.order_by():
        fact = rows[row["unit_id"]]
        setattr(fact, STAGE_FIELDS[row["stage"]], row["n"])
        fact.innovations_dormant += row["dormant"]


def _service_facts(
    instansi: Instansi, period: Period, unit_ids: Collection[int] | None, moment: datetime
) -> list[ServiceFact]:
    facts: dict[tuple[int, int], ServiceFact] = {}

    def fact(unit_id: int, service_id: int) -> ServiceFact:
        key = (unit_id, service_id)
        if key not in facts:
            facts[key] = ServiceFact(
                instansi=instansi, unit_id=unit_id, service_id=service_id, year=period.year,
                month=period.month, refreshed_at=moment,
            )  # fmt: skip
        return facts[key]

    today = instansi.local_date(moment)
    applications = _scoped(Application.objects.filter(instansi=instansi), "unit_id", unit_ids)
    received = applications.filter(received_on__gte=period.start, received_on__lte=period.end)
    counted = received.values("unit_id", "service_id").annotate(
        submitted=Count("pk"),
        in_progress=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        waiting=Count("pk", filter=Q(status=ApplicationStatus.NEEDS_CORRECTION)),
        rejected=Count("pk", filter=Q(status=ApplicationStatus.REJECTED)),
        completed=Count("pk", filter=Q(status=ApplicationStatus.COMPLETED)),
        overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, due_date__lt=today)),
    )
    for row in counted.order_by():
        target = fact(row["unit_id"], row["service_id"])
        target.submitted, target.in_progress = row["submitted"], row["in_progress"]
        target.waiting_citizen, target.rejected = row["waiting"], row["rejected"]
        target.completed_of_received, target.overdue_open = row["completed"], row["overdue"]
    start, end = _local_bounds(period, instansi.timezone)
    completed = applications.filter(
        status=ApplicationStatus.COMPLETED, completed_at__gte=start, completed_at__lt=end
    )
    by_days = completed.values("unit_id", "service_id", "working_days_taken").annotate(
        n=Count("pk"), within=Count("pk", filter=Q(within_sla=True))
    )
    for row in by_days.order_by():
        target = fact(row["unit_id"], row["service_id"])
        target.completed += row["n"]
        target.within_sla += row["within"]
        days = str(row["working_days_taken"] or 0)
        target.days_histogram[days] = target.days_histogram.get(days, 0) + row["n"]
    # By the agency's few services, so each is one range scan of (service, answered_on).
    service_ids = list(Service.objects.filter(instansi=instansi).values_list("pk", flat=True))
    surveys = Survey.objects.filter(
        service_id__in=service_ids, answered_on__gte=period.start, answered_on__lte=period.end
    )
    surveys = _scoped(surveys, "unit_id", unit_ids)
    sums = surveys.values("unit_id", "service_id").annotate(
        respondents=Count("pk"), **{key: Sum(key) for key in IKM_KEYS}
    )
    summed: Iterable[Any] = sums.order_by()
    for row in summed:
        target = fact(row["unit_id"], row["service_id"])
        target.respondents = row["respondents"]
        for key in IKM_KEYS:
            setattr(target, key, row[key] or 0)
    return list(facts.values())


def refresh_period(
    *,
    instansi: Instansi,
    period: Period,
    unit_ids: Collection[int] | None = None,
    now: datetime | None = None,
) -> int:
    """Rebuild the facts of ``instansi`` for ``period`` (all units, or ``unit_ids``).

    Idempotent: the period's rows are replaced in one transaction. Returns the number of
    rows written.
    """
    moment = now or timezone.now()
    rows = _UnitRows(instansi, period, moment)
    with transaction.atomic():
        # Two refreshes of one agency period (two web workers after two writes) take turns:
        # each deletes and inserts the period's rows, so running side by side they would
        # collide on the unique key.
        _lock(_period_key(instansi.pk, period))
        _staff_facts(rows, unit_ids)
        _kinerja_facts(rows, unit_ids)
        _learning_facts(rows, unit_ids)
        if period.is_year:
            _innovation_facts(rows, unit_ids)
        services = [] if period.is_year else _service_facts(instansi, period, unit_ids, moment)
        for model in (UnitFact, ServiceFact):
            stale = model.objects.filter(instansi=instansi, year=period.year, month=period.month)
            _scoped(stale, "unit_id", unit_ids).delete()
        UnitFact.objects.bulk_create(rows.rows.values(), batch_size=BATCH)
        ServiceFact.objects.bulk_create(services, batch_size=BATCH)
    return len(rows.rows) + len(services)


def refresh_agency(
    *,
    instansi: Instansi,
    year: int,
    months: Iterable[int] | None = None,
    now: datetime | None = None,
) -> int:
    """Rebuild a year of an agency: every month given (default all twelve) and the year."""
    written = 0
    for month in [*(months if months is not None else range(1, 13)), 0]:
        written += refresh_period(instansi=instansi, period=Period(year, month), now=now)
    return written


# Marks a unit month and its year stale, or marks them again (mark_stale): both backends
# take this upsert; bulk_create(update_conflicts=True) took 0.98 ms against its 0.57 ms.
_MARK_STALE = f"""
    INSERT INTO {StaleFact._meta.db_table} (instansi_id, unit_id_value, year, month, marked_at)
    VALUES (%s, %s, %s, %s, %s), (%s, %s, %s, %s, %s)
    ON CONFLICT (instansi_id, unit_id_value, year, month)
    DO UPDATE SET marked_at = excluded.marked_at
"""  # noqa: S608 - the table's name is the model's own; values go as parameters


def mark_stale(*, source: str, instansi_id: int, unit_id: int | None, on: date) -> None:
    """Listener of :func:`abdi.core.changes.data_changed`: record the unit month and its
    year as stale inside the writer's transaction, and refresh them after it commits."""
    # Re-marking moves ``marked_at`` on, so a refresh that read the data before this write
    # committed leaves the mark for the next one.
    moment = connection.ops.adapt_datetimefield_value(timezone.now())
    marks = [(instansi_id, unit_id or 0, on.year, month, moment) for month in (on.month, 0)]
    with connection.cursor() as cursor:
        cursor.execute(_MARK_STALE, [value for mark in marks for value in mark])
    # robust: a failed refresh is logged and left to the next one; the write stands.
    transaction.on_commit(_drain_soon, robust=True)


_DRAIN_QUEUED = "wawasan:drain-queued"


def drain_window_seconds() -> int:
    """Writes within this many seconds share one drain, queued by the first of them: under
    a stream of writes the facts are rebuilt once per window, not once per write.

    ``ABDI_WAWASAN_DRAIN_SECONDS`` (default 60). Rebuilding a 100,000-employee agency's
    month costs seconds of database time; once a minute is a small share of the machine,
    and a dashboard read applies the marks still waiting before it reads.
    """
    return max(1, settings.ABDI_WAWASAN_DRAIN_SECONDS)


def _drain_soon() -> None:
    """Queue a drain for the end of the window, unless this window has one already.

    With a worker the drain runs when the window closes and sees every write of it; run
    eagerly (no broker) it runs now, and the marks of the window's later writes wait for
    the next window, beat, or the next dashboard read (:func:`refresh_before_reading`).
    """
    from . import tasks

    window = drain_window_seconds()
    if cache.add(_DRAIN_QUEUED, True, timeout=window):
        tasks.refresh_stale_facts.apply_async(countdown=window)


def refresh_before_reading() -> int:
    """Apply the marks still waiting before a dashboard reads the facts (one cheap query
    when there are none); returns the number handled, 0 while another drain runs."""
    if not StaleFact.objects.exists():
        return 0
    return refresh_stale()


def refresh_stale(*, limit: int = 500) -> int:
    """Rebuild the unit months marked stale (oldest first, up to ``limit`` marks).

    One drain runs at a time: while another is running this returns 0 at once, and the
    marks it did not see wait for the next drain (after the next write, and every five
    minutes from beat). A mark is removed only if it was not renewed while its refresh ran.
    Returns the number of marks handled.
    """
    with transaction.atomic():
        if not _try_lock(_DRAIN_KEY):
            return 0
        started = timezone.now()
        marks = list(StaleFact.objects.order_by("marked_at")[:limit])
        groups: dict[tuple[int, int, int], set[int]] = defaultdict(set)
        for mark in marks:
            groups[(mark.instansi_id, mark.year, mark.month)].add(mark.unit_id_value)
        agencies = Instansi.objects.in_bulk({key[0] for key in groups})
        for (instansi_id, year, month), unit_ids in groups.items():
            instansi = agencies.get(instansi_id)
            if instansi is None:
                continue
            scope = None if 0 in unit_ids else unit_ids
            refresh_period(instansi=instansi, period=Period(year, month), unit_ids=scope)
        StaleFact.objects.filter(pk__in=[m.pk for m in marks], marked_at__lte=started).delete()
    if marks:
        logger.info("Refreshed %s stale fact groups.", len(groups))
    return len(marks)


# --- Locks (PostgreSQL advisory locks; SQLite runs one writer at a time anyway) -------------

#: The first key of every wawasan advisory lock ("WAWA").
_NAMESPACE = 0x57415741
_DRAIN_KEY = 0


def _period_key(instansi_id: int, period: Period) -> int:
    """A lock key per agency period (collisions only make two refreshes take turns)."""
    return 1 + (instansi_id * 10_000 + period.year * 13 + period.month) % 2_000_000_000


def _lock(key: int) -> None:
    """Wait for the transaction-scoped lock ``key``."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_NAMESPACE, key])


def _try_lock(key: int) -> bool:
    """Take the transaction-scoped lock ``key`` if it is free."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [_NAMESPACE, key])
        return bool(cursor.fetchone()[0])
