"""Reads of SKP plans, the cascade, progress and team status, scoped to the actor.

A plan the actor may not see is reported as not found. Tree and matrix reads load the
year's current plans in a fixed number of queries and assemble the structure in Python.
"""

import decimal
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, overload
from uuid import UUID

from django.db import connection
from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from abdi.core.exceptions import NotFoundError
from abdi.core.queries import CompiledQuery
from abdi.organisations.models import Employee, UnitKerja
from abdi.organisations.selectors import position_subordinates

from . import rules
from .access import acting_position_ids, can_view_plan
from .choices import PlanStatus, ReportStatus
from .models import (
    Indicator,
    OutputEntry,
    PerformanceYear,
    Realisation,
    Rhk,
    RhkContributor,
    SkpPlan,
)

__all__ = [
    "PLAN_RELATED",
    "CascadeNode",
    "CascadePlan",
    "Fingerprint",
    "MatrixCell",
    "MatrixColumn",
    "MatrixRow",
    "TeamRow",
    "cascade_tree",
    "plan_current_for",
    "plan_get_for_actor",
    "plan_page_fingerprint",
    "rhk_progress_for_plan",
    "rhk_progress_for_year",
    "role_result_matrix",
    "team_members",
    "team_page_fingerprint",
    "team_status",
]

# Realisations that count towards progress: reported and not sent back for correction.
_COUNTED = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)


# What the plan page shows of a plan besides its own columns.
PLAN_RELATED = ("year__instansi", "employee__position__unit", "position", "assessor")
_CURRENT_PLAN = CompiledQuery(
    lambda employee_id, year_id: SkpPlan.objects.select_related(*PLAN_RELATED).filter(
        employee_id=employee_id, year_id=year_id, is_current=True
    )
)
_PLAN_BY_PUBLIC_ID = CompiledQuery(
    lambda public_id: SkpPlan.objects.select_related(*PLAN_RELATED).filter(public_id=public_id)
)


def plan_current_for(employee: Employee, year: PerformanceYear) -> SkpPlan | None:
    """Return the employee's current plan version for ``year``, or None.

    With what the plan page shows of it (the same joins as :func:`plan_get_for_actor`).
    """
    return _CURRENT_PLAN.one_or_none(employee.pk, year.pk)


def plan_get_for_actor(*, actor: Any, public_id: UUID | str) -> SkpPlan:
    """Return a plan the actor may see or raise :class:`NotFoundError` (also when forbidden)."""
    plan = _PLAN_BY_PUBLIC_ID.one_or_none(public_id)
    if plan is None or not can_view_plan(actor, plan):
        raise NotFoundError(_("Plan not found."), code="skp.plan_not_found")
    return plan


# --- Cascade ---------------------------------------------------------------------------------


@dataclass
class CascadeNode:
    """A result (RHK), its owner, and the subordinates' results that support it."""

    rhk: Rhk
    employee: Employee
    supporting: list["CascadeNode"] = field(default_factory=list)


@dataclass
class CascadePlan:
    """A plan at the top of a cascade, with its results as trees."""

    plan: SkpPlan
    rhks: list[CascadeNode]


def _current_rhks(year: PerformanceYear) -> list[Rhk]:
    return list(
        Rhk.objects.filter(plan__year=year, plan__is_current=True)
        .select_related("plan__employee__position")
        .prefetch_related(Prefetch("indicators", queryset=Indicator.objects.order_by("order")))
        .order_by("plan__employee__position__chain", "kind", "order", "id")
    )


def cascade_tree(*, year: PerformanceYear, root_plan: SkpPlan) -> CascadePlan:
    """Return ``root_plan``'s results with the supporting results below them, to any depth.

    Two queries (results and their indicators), whatever the size of the agency.
    """
    rhks = _current_rhks(year)
    if not root_plan.is_current:
        rhks += list(
            Rhk.objects.filter(plan=root_plan)
            .select_related("plan__employee__position")
            .prefetch_related("indicators")
        )
    nodes = {rhk.pk: CascadeNode(rhk=rhk, employee=rhk.plan.employee) for rhk in rhks}
    for rhk in rhks:
        if rhk.parent_id in nodes and rhk.plan_id != root_plan.pk:
            nodes[rhk.parent_id].supporting.append(nodes[rhk.pk])
    roots = [nodes[rhk.pk] for rhk in rhks if rhk.plan_id == root_plan.pk]
    return CascadePlan(plan=root_plan, rhks=roots)


# --- Progress --------------------------------------------------------------------------------


# One row per indicator: (result's id, target, latest counted realisation up to a period).
_TargetAndLatest = tuple[int, Decimal, Decimal | None]


def _progress(
    links: Sequence[tuple[int, int | None]], indicators: Iterable[_TargetAndLatest]
) -> dict[int, Decimal | None]:
    """Roll up the progress of the results ``links`` lists (id, supported result's id).

    ``indicators`` may hold more than those results' rows.
    """
    achievements: dict[int, list[Decimal | None]] = defaultdict(list)
    for rhk_id, target, value in indicators:
        achievements[rhk_id].append(rules.achievement(value, target))
    own = {pk: rules.rhk_progress(achievements.get(pk, [])) for pk, _parent in links}
    children: dict[int, list[int]] = defaultdict(list)
    for pk, parent_id in links:
        if parent_id in own:
            children[parent_id].append(pk)
    return rules.rolled_up_progress(own, children)


def _latest_realised(
    indicators: QuerySet[Indicator], realisations: QuerySet[Realisation], upto_period: int
) -> list[_TargetAndLatest]:
    """Each indicator of ``indicators`` with its latest counted realisation up to a period.

    The rows are read unordered: the models' default orderings would join every row up to
    the agency only to sort rows whose order does not matter here.
    """
    latest: dict[int, tuple[int, Decimal | None]] = {}
    for indicator_id, period, value in (
        realisations.filter(period__lte=upto_period, status__in=_COUNTED)
        .order_by()
        .values_list("indicator_id", "period", "value")
    ):
        if indicator_id not in latest or latest[indicator_id][0] < period:
            latest[indicator_id] = (period, value)
    return [
        (rhk_id, target, latest.get(indicator_id, (0, None))[1])
        for indicator_id, rhk_id, target in indicators.order_by().values_list(
            "pk", "rhk_id", "target"
        )
    ]


def rhk_progress_for_year(*, year: PerformanceYear, upto_period: int) -> dict[int, Decimal | None]:
    """Return each current result's progress up to a period, rolled up through the cascade.

    A result's own progress is the mean achievement of its indicators, each from its latest
    counted realisation up to ``upto_period`` (realisations are cumulative to date); a
    leader's result also folds in the results that support it (rules.rolled_up_progress).
    Three queries over the whole agency; for one plan, :func:`rhk_progress_for_plan`.
    """
    current = Rhk.objects.filter(plan__year=year, plan__is_current=True)
    links = list(current.order_by().values_list("pk", "parent_id"))
    return _progress(links, _latest_realised(*_year_rows(year.pk), upto_period))


def _year_rows(year_id: int) -> tuple[QuerySet[Indicator], QuerySet[Realisation]]:
    """The indicators and realisations of the year's current plans."""
    return (
        Indicator.objects.filter(rhk__plan__year_id=year_id, rhk__plan__is_current=True),
        Realisation.objects.filter(
            indicator__rhk__plan__year_id=year_id, indicator__rhk__plan__is_current=True
        ),
    )


# A plan's results and the current results of its year supporting them, to any depth, with
# the result each supports: a recursive query (PostgreSQL and SQLite) down the links. With
# ``changed``, each result also carries its last change (CHANGED(r), for the fingerprint).
def _cascade_tree(*, changed: bool = False) -> str:
    names, columns = (", changed", ", CHANGED(r)") if changed else ("", "")
    return f"""
    WITH RECURSIVE tree(id, parent_id{names}) AS (
        SELECT r.id, r.parent_id{columns} FROM kinerja_rhk r WHERE r.plan_id = %(plan)s
        UNION
        SELECT r.id, r.parent_id{columns} FROM kinerja_rhk r
        JOIN tree ON r.parent_id = tree.id
        JOIN kinerja_skpplan p ON p.id = r.plan_id
        WHERE p.year_id = %(year)s AND p.is_current = %(current)s
    )
"""  # noqa: S608 - constants only, values go as parameters


_CASCADE_TREE = _cascade_tree()
# The cascade's links, then the indicators of its results, each with its latest counted
# realisation up to a period (the unique index on indicator and period finds it): one walk
# down the cascade. Past _CASCADE_LOOKUP_LIMIT results the indicators are not looked up.
_CASCADE_PROGRESS = (
    _CASCADE_TREE  # noqa: S608 - constants only, values go as parameters
    + """
    SELECT 'link', id, parent_id, CAST(NULL AS NUMERIC), CAST(NULL AS NUMERIC) FROM tree
    UNION ALL
    SELECT 'indicator', i.rhk_id, NULL, i.target, (
        SELECT x.value FROM kinerja_realisation x
        WHERE x.indicator_id = i.id AND x.period <= %(upto)s
            AND x.status IN (COUNTED)
        ORDER BY x.period DESC LIMIT 1
    )
    FROM kinerja_indicator i
    WHERE i.rhk_id IN (SELECT id FROM tree) AND (SELECT COUNT(*) FROM tree) <= %(limit)s
""".replace("COUNTED", ", ".join(f"%(counted{i})s" for i in range(len(_COUNTED))))
)
# Past this many results below a plan (the head of a large agency's), reading the year's
# indicators and realisations in one pass beats looking them up result by result.
_CASCADE_LOOKUP_LIMIT = 20_000


def _cascade_params(plan: SkpPlan) -> dict[str, Any]:
    return {"plan": plan.pk, "year": plan.year_id, "current": True}


_DECIMAL_CONTEXT = decimal.Context(prec=15)  # as django.db.backends.sqlite3.operations
_CENT = Decimal("0.01")  # the places of Indicator.target and Realisation.value


@overload
def _decimal(value: None) -> None: ...
@overload
def _decimal(value: float | Decimal) -> Decimal: ...
def _decimal(value: float | Decimal | None) -> Decimal | None:
    """A NUMERIC column read by raw SQL as the ORM reads it: psycopg gives a Decimal; SQLite
    a float or an int, made a Decimal of the column's places as Django's converter does."""
    if value is None or isinstance(value, Decimal):
        return value
    exact = _DECIMAL_CONTEXT.create_decimal_from_float(float(value))
    return exact.quantize(_CENT)


def rhk_progress_for_plan(*, plan: SkpPlan, upto_period: int) -> dict[int, Decimal | None]:
    """Return the progress of ``plan``'s results and of those supporting them, to any depth.

    The same figures as :func:`rhk_progress_for_year` for these results, reading only the
    plan's own cascade: a staff member's plan page no longer reads the whole agency. One
    query (and the year's rows past _CASCADE_LOOKUP_LIMIT results below); nothing for a plan
    that is no longer current (its results are not counted).
    """
    if not plan.is_current:
        return {}
    params = {
        **_cascade_params(plan),
        "upto": upto_period,
        "limit": _CASCADE_LOOKUP_LIMIT,
        **{f"counted{i}": status.value for i, status in enumerate(_COUNTED)},
    }
    links: list[tuple[int, int | None]] = []
    indicators: list[_TargetAndLatest] = []
    with connection.cursor() as cursor:
        cursor.execute(_CASCADE_PROGRESS, params)
        for kind, pk, parent_id, target, value in cursor.fetchall():
            if kind == "link":
                links.append((pk, parent_id))
            else:
                indicators.append((pk, _decimal(target), _decimal(value)))
    if len(links) > _CASCADE_LOOKUP_LIMIT:
        indicators = _latest_realised(*_year_rows(plan.year_id), upto_period)
    return _progress(links, indicators)


# Per table the page reads: the number of rows, the sum of their ids and the sum of their
# last-change times (CHANGED(alias) becomes the vendor's expression), over the whole page and,
# for what one result's part of the page shows, per result of the plan (the second column).
# "tree" is the cascade below the plan (_CASCADE_TREE), whose rows move the progress shown;
# "own" the plan's own results.
_PAGE_FINGERPRINT = (
    _cascade_tree(changed=True).rstrip()  # noqa: S608 - constants only, values as parameters
    + """,
    -- The tree's results carry their own change, and its indicators are read once: for a
    -- leader with thousands of results below, a third fewer pages read than by reading the
    -- results again and the indicators twice.
    ind AS (
        SELECT i.id, CHANGED(i) AS changed FROM kinerja_indicator i
        WHERE i.rhk_id IN (SELECT id FROM tree)
    ),
    own AS (SELECT id, parent_id FROM kinerja_rhk WHERE plan_id = %(plan)s)
    SELECT 'rhk', CAST(NULL AS BIGINT), COUNT(*), SUM(t.id), SUM(t.changed) FROM tree t
    UNION ALL SELECT 'indicator', NULL, COUNT(*), SUM(i.id), SUM(i.changed) FROM ind i
    UNION ALL SELECT 'realisation', NULL, COUNT(*), SUM(x.id), SUM(CHANGED(x))
        FROM kinerja_realisation x JOIN ind i ON i.id = x.indicator_id
    UNION ALL SELECT 'own', r.id, COUNT(*), SUM(r.id), SUM(CHANGED(r))
        FROM kinerja_rhk r WHERE r.plan_id = %(plan)s GROUP BY r.id
    UNION ALL SELECT 'supported', o.id, COUNT(*), SUM(s.id), SUM(CHANGED(s))
        FROM own o JOIN kinerja_rhk s ON s.id = o.parent_id GROUP BY o.id
    UNION ALL SELECT 'own indicator', i.rhk_id, COUNT(*), SUM(i.id), SUM(CHANGED(i))
        FROM kinerja_indicator i WHERE i.rhk_id IN (SELECT id FROM own) GROUP BY i.rhk_id
    UNION ALL SELECT 'own realisation', i.rhk_id, COUNT(*), SUM(x.id), SUM(CHANGED(x))
        FROM kinerja_realisation x JOIN kinerja_indicator i ON i.id = x.indicator_id
        WHERE i.rhk_id IN (SELECT id FROM own) GROUP BY i.rhk_id
    UNION ALL SELECT 'evidence', i.rhk_id, COUNT(*), SUM(e.id), SUM(CHANGED(e))
        FROM kinerja_evidence e JOIN kinerja_realisation x ON x.id = e.realisation_id
        JOIN kinerja_indicator i ON i.id = x.indicator_id
        WHERE i.rhk_id IN (SELECT id FROM own) GROUP BY i.rhk_id
    UNION ALL SELECT 'output evidence', o.rhk_id, COUNT(*), SUM(e.id), SUM(CHANGED(e))
        FROM kinerja_evidence e JOIN kinerja_outputentry o ON o.id = e.output_id
        WHERE o.rhk_id IN (SELECT id FROM own) GROUP BY o.rhk_id
    UNION ALL SELECT 'feedback', f.rhk_id, COUNT(*), SUM(f.id), SUM(CHANGED(f))
        FROM kinerja_rhkfeedback f WHERE f.rhk_id IN (SELECT id FROM own) GROUP BY f.rhk_id
    UNION ALL SELECT 'contributor', c.rhk_id, COUNT(*), SUM(c.id), SUM(CHANGED(c))
        FROM kinerja_rhkcontributor c WHERE c.rhk_id IN (SELECT id FROM own) GROUP BY c.rhk_id
    UNION ALL SELECT 'output', o.rhk_id, COUNT(*), SUM(o.id), SUM(CHANGED(o))
        FROM kinerja_outputentry o WHERE o.rhk_id IN (SELECT id FROM own) GROUP BY o.rhk_id
"""
)
_CHANGED = re.compile(r"CHANGED\((\w)\)")


@dataclass(frozen=True)
class Fingerprint:
    """What a fingerprint query read: a digest of every row (its ``str``), and per table the
    number of rows, so that a page rendered under it can skip reading empty tables; rows
    counted per result also give that result's own digest (:meth:`of_rhk`)."""

    digest: str
    # (table, result's id or None, number of rows, digest of the row)
    rows: tuple[tuple[str, int | None, int, str], ...]

    def __str__(self) -> str:
        return self.digest

    def has_rows(self, *tables: str) -> bool:
        return any(count for name, _rhk, count, _part in self.rows if name in tables)

    def of_rhk(self, rhk_id: int) -> str:
        """The digest of the rows counted for this result alone."""
        return ";".join(part for _name, rhk, _count, part in self.rows if rhk == rhk_id)


def plan_page_fingerprint(*, plan: SkpPlan) -> Fingerprint:
    """Return a fingerprint whose digest changes whenever a row the plan page shows changes.

    It covers the plan's results and those supporting them to any depth (their progress
    rolls up), their indicators and realisations, the results the plan's own support, and
    the plan's evidence, feedback, contributors and weekly outputs. Per table: the number
    of rows and the sums of their ids and of their last-change times. A save changes the
    last sum even when it commits after a later one (a maximum would miss it); an insert or
    a delete changes the first two. One query. People's and units' names are not covered:
    a page kept under this digest is kept only briefly (``views._common.KEPT_SECONDS``).
    """
    return _fingerprint(_PAGE_FINGERPRINT, _cascade_params(plan))


# The team page's rows, counted per table as in _PAGE_FINGERPRINT: the members' plans of the
# year with their results, indicators and realisations, and the members' weekly outputs with
# their evidence. MEMBERS becomes one placeholder per member.
_TEAM_FINGERPRINT = """
    WITH plans AS (
        SELECT id FROM kinerja_skpplan WHERE year_id = %s AND employee_id IN (MEMBERS)
    )
    SELECT 'plan', CAST(NULL AS BIGINT), COUNT(*), SUM(p.id), SUM(CHANGED(p))
        FROM kinerja_skpplan p WHERE p.id IN (SELECT id FROM plans)
    UNION ALL SELECT 'rhk', NULL, COUNT(*), SUM(r.id), SUM(CHANGED(r))
        FROM kinerja_rhk r WHERE r.plan_id IN (SELECT id FROM plans)
    UNION ALL SELECT 'indicator', NULL, COUNT(*), SUM(i.id), SUM(CHANGED(i))
        FROM kinerja_indicator i JOIN kinerja_rhk r ON r.id = i.rhk_id
        WHERE r.plan_id IN (SELECT id FROM plans)
    UNION ALL SELECT 'realisation', NULL, COUNT(*), SUM(x.id), SUM(CHANGED(x))
        FROM kinerja_realisation x JOIN kinerja_indicator i ON i.id = x.indicator_id
        JOIN kinerja_rhk r ON r.id = i.rhk_id WHERE r.plan_id IN (SELECT id FROM plans)
    UNION ALL SELECT 'output', NULL, COUNT(*), SUM(o.id), SUM(CHANGED(o))
        FROM kinerja_outputentry o WHERE o.employee_id IN (MEMBERS)
    UNION ALL SELECT 'evidence', NULL, COUNT(*), SUM(e.id), SUM(CHANGED(e))
        FROM kinerja_evidence e JOIN kinerja_outputentry o ON o.id = e.output_id
        WHERE o.employee_id IN (MEMBERS)
"""


def _fingerprint(sql: str, params: Any) -> Fingerprint:
    """Run a fingerprint query (CHANGED(alias) becoming the vendor's expression)."""
    if connection.vendor == "postgresql":
        changed = r"EXTRACT(EPOCH FROM \1.updated_at)"
    else:  # SQLite keeps timestamps as text; julianday() reads them to the millisecond.
        changed = r"julianday(\1.updated_at)"
    with connection.cursor() as cursor:
        cursor.execute(_CHANGED.sub(changed, sql), params)
        found = sorted(cursor.fetchall(), key=lambda row: (row[0], row[1] or 0))
    rows = tuple(
        (name, rhk, count, f"{name}:{rhk or ''}:{count}:{ids}:{when}")
        for name, rhk, count, ids, when in found
    )
    return Fingerprint(digest=";".join(part for *_rest, part in rows), rows=rows)


def team_page_fingerprint(*, year: PerformanceYear, members: Sequence[Employee]) -> Fingerprint:
    """Return a digest that changes whenever a row the team page shows changes (one query).

    The members themselves (names, positions) are the caller's to key on: it has them.
    """
    ids = [employee.pk for employee in members]
    slots = ", ".join(["%s"] * len(ids))
    sql = _TEAM_FINGERPRINT.replace("MEMBERS", slots)
    return _fingerprint(sql, [year.pk, *ids, *ids, *ids])


# --- Matriks Peran Hasil ---------------------------------------------------------------------


@dataclass(frozen=True)
class MatrixColumn:
    """An employee of the unit's subtree, or a contributor from another unit."""

    employee: Employee
    external: bool = False


@dataclass
class MatrixCell:
    """What one employee does for one of the head's results: their results, their roles."""

    rhks: list[Rhk] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.rhks or self.roles)


@dataclass
class MatrixRow:
    """One result of the unit head, with a cell per column."""

    rhk: Rhk
    cells: list[MatrixCell]


def role_result_matrix(
    *, year: PerformanceYear, unit: UnitKerja
) -> tuple[list[MatrixRow], list[MatrixColumn]]:
    """Return the unit's role–result matrix (Matriks Peran Hasil).

    Rows are the results of the unit head's current plan; columns are the employees of the
    unit's subtree below the head, then contributors from other units. A cell holds the
    employee's results that support the row's result, directly or through intermediate
    leaders, and the roles of contributors. Four queries.
    """
    head = (
        Employee.objects.filter(position__unit=unit, position__is_unit_head=True)
        .select_related("position")
        .first()
    )
    if head is None:
        return [], []
    staff = list(
        Employee.objects.filter(position__unit__path__startswith=unit.path)
        .exclude(pk=head.pk)
        .select_related("position__unit")
        .order_by("position__chain")
    )
    rhks = list(
        Rhk.objects.filter(plan__year=year, plan__is_current=True)
        .select_related("plan")
        .order_by("kind", "order", "id")
    )
    row_rhks = [rhk for rhk in rhks if rhk.plan.employee_id == head.pk]
    by_id = {rhk.pk: rhk for rhk in rhks}
    # The head's result each result serves, following parent links upwards.
    row_of: dict[int, int | None] = {rhk.pk: rhk.pk for rhk in row_rhks}

    def find_row(rhk_id: int) -> int | None:
        trail: list[int] = []
        current: int | None = rhk_id
        while current is not None and current not in row_of and current not in trail:
            trail.append(current)
            parent = by_id.get(current)
            current = parent.parent_id if parent is not None else None
        found = row_of.get(current) if current is not None else None
        for visited in trail:
            row_of[visited] = found
        return found

    contributors = list(
        RhkContributor.objects.filter(rhk__in=[rhk.pk for rhk in rhks])
        .select_related("employee__position__unit")
        .order_by("employee__name")
    )
    columns = [MatrixColumn(employee=employee) for employee in staff]
    index = {column.employee.pk: i for i, column in enumerate(columns)}
    rows = [MatrixRow(rhk=rhk, cells=[]) for rhk in row_rhks]
    row_index = {row.rhk.pk: i for i, row in enumerate(rows)}
    for contributor in contributors:
        if find_row(contributor.rhk_id) is not None and contributor.employee_id not in index:
            index[contributor.employee_id] = len(columns)
            columns.append(MatrixColumn(employee=contributor.employee, external=True))
    for row in rows:
        row.cells = [MatrixCell() for _column in columns]
    for rhk in rhks:
        owner = rhk.plan.employee_id
        if owner == head.pk or owner not in index:
            continue
        target = find_row(rhk.pk)
        if target is not None:
            rows[row_index[target]].cells[index[owner]].rhks.append(rhk)
    for contributor in contributors:
        target = find_row(contributor.rhk_id)
        if target is not None:
            cell = rows[row_index[target]].cells[index[contributor.employee_id]]
            cell.roles.append(contributor.role)
    return rows, columns


# --- My team ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamRow:
    """A direct subordinate's SKP status, as their leader sees it."""

    employee: Employee
    plan: SkpPlan | None
    plan_status: str | None
    # Whether every indicator has a counted realisation for the latest closed period;
    # None when no period has closed yet or the plan is not approved.
    reported_latest: bool | None
    pending: int  # items waiting for the leader: submitted plan, realisations, outputs


def _latest_closed_period(year: PerformanceYear, today: date) -> int | None:
    closed = [p.index for p in rules.evaluation_periods(year.year, year.rhythm) if p.end < today]
    return closed[-1] if closed else None


def team_members(*, leader: Employee, today: date) -> list[Employee]:
    """Return the leader's team: the direct subordinates, then, while ``leader`` acts (Plt/Plh)
    on a position today, those that position leads (the acting official decides on their
    records)."""
    if leader.position_id is None:
        subordinates = []
    else:
        subordinates = position_subordinates(position_ids=[leader.position_id])
    covered = acting_position_ids(leader, today=today)
    if covered:
        seen = {leader.pk, *(employee.pk for employee in subordinates)}
        for employee in position_subordinates(position_ids=covered):
            if employee.pk not in seen:
                seen.add(employee.pk)
                subordinates.append(employee)
    return subordinates


def team_status(
    *,
    leader: Employee,
    year: PerformanceYear,
    today: date | None = None,
    members: list[Employee] | None = None,
) -> list[TeamRow]:
    """Return the SKP status of each team member (:func:`team_members`, unless given), in a
    fixed number of queries."""
    if today is None:
        today = year.instansi.local_date()
    subordinates = team_members(leader=leader, today=today) if members is None else members
    if not subordinates:
        return []
    ids = [employee.pk for employee in subordinates]
    plans = {
        plan.employee_id: plan
        for plan in SkpPlan.objects.filter(year=year, employee_id__in=ids, is_current=True)
    }
    period = _latest_closed_period(year, today)
    indicators: dict[int, set[int]] = defaultdict(set)
    reported: dict[int, set[int]] = defaultdict(set)
    approved_ids = [p.pk for p in plans.values() if p.status == PlanStatus.APPROVED]
    if period is not None and approved_ids:
        for indicator_id, plan_id in Indicator.objects.filter(
            rhk__plan_id__in=approved_ids
        ).values_list("pk", "rhk__plan_id"):
            indicators[plan_id].add(indicator_id)
        for indicator_id, plan_id in Realisation.objects.filter(
            indicator__rhk__plan_id__in=approved_ids, period=period, status__in=_COUNTED
        ).values_list("indicator_id", "indicator__rhk__plan_id"):
            reported[plan_id].add(indicator_id)
    pending_realisations = dict(
        Realisation.objects.filter(
            indicator__rhk__plan__year=year,
            indicator__rhk__plan__employee_id__in=ids,
            indicator__rhk__plan__is_current=True,
            status=ReportStatus.SUBMITTED,
        )
        .values_list("indicator__rhk__plan__employee_id")
        .annotate(count=Count("pk"))
        .values_list("indicator__rhk__plan__employee_id", "count")
    )
    pending_outputs = dict(
        OutputEntry.objects.filter(
            employee_id__in=ids, rhk__plan__year=year, status=ReportStatus.SUBMITTED
        )
        .values_list("employee_id")
        .annotate(count=Count("pk"))
        .values_list("employee_id", "count")
    )
    rows = []
    for employee in subordinates:
        plan = plans.get(employee.pk)
        reported_latest: bool | None = None
        if plan is not None and plan.status == PlanStatus.APPROVED and period is not None:
            reported_latest = indicators[plan.pk] <= reported[plan.pk]
        pending = pending_realisations.get(employee.pk, 0) + pending_outputs.get(employee.pk, 0)
        if plan is not None and plan.status == PlanStatus.SUBMITTED:
            pending += 1
        rows.append(
            TeamRow(
                employee=employee,
                plan=plan,
                plan_status=plan.status if plan is not None else None,
                reported_latest=reported_latest,
                pending=pending,
            )
        )
    return rows
