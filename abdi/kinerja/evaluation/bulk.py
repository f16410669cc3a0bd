"""Set-based recomputation of predicates and consequences for a whole agency.

A handful of statements whatever the number of employees. Predicates are one ``UPDATE``
with the matrix as a ``CASE`` that writes only the rows whose predicate changes.
Consequences due are computed by two ``INSERT … SELECT`` (evaluated employees, then
employees with no evaluation). When the periods have none yet (a period closed for the
first time) these insert the rows; otherwise they fill a temporary table of keys, and the
difference is applied: one ``DELETE`` of the rows no longer due, one ``UPDATE`` of the rows
whose rule was edited, one ``INSERT`` of the rows missing. An unchanged row is not written
and keeps its id and timestamps. The SQL is standard (window functions, ``CASE``) and runs
on SQLite and PostgreSQL; only the anti-joins are written per database. Callers hold the
transaction.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from abdi.organisations.choices import EmployeeStatus
from abdi.organisations.models import Employee

from ..choices import ANNUAL, PredicateSource, RuleTrigger
from ..models import (
    Consequence,
    ConsequenceRule,
    PerformanceYear,
    PeriodClosure,
    PeriodEvaluation,
)
from . import rules

__all__ = ["ConsequenceChanges", "matrix_case", "recompute_consequences", "recompute_predicates"]


def matrix_case() -> Case:
    """Return the predicate matrix of :mod:`.rules` as an SQL ``CASE`` (one source of truth)."""
    return Case(
        *(
            When(result_rating=result, behaviour_rating=behaviour, then=Value(predicate))
            for (result, behaviour), predicate in rules.PREDICATE_MATRIX.items()
        ),
        default=Value(""),
    )


def recompute_predicates(*, year_ids: Sequence[int], periods: Sequence[int] | None = None) -> int:
    """Recompute every matrix predicate of the years (and periods); keep recorded changes.

    A predicate changed by calibration or an appeal keeps its value; its matrix predicate is
    refreshed all the same. Return the number of rows changed.
    """
    queryset = PeriodEvaluation.objects.filter(year_id__in=year_ids)
    if periods is not None:
        queryset = queryset.filter(period__in=periods)
    case = matrix_case()
    predicate = Case(
        When(predicate_source=PredicateSource.MATRIX, then=case), default=F("predicate")
    )
    # Only rows whose predicate differs are written: an UPDATE that sets the same value still
    # writes a new row version and, on PostgreSQL, an entry in every index of the table. Both
    # columns are NOT NULL and the CASE always yields a value, so "<>" is "IS DISTINCT FROM".
    changed = queryset.exclude(Q(matrix_predicate=case) & Q(predicate=predicate))
    return changed.update(matrix_predicate=case, predicate=predicate)


@dataclass(frozen=True)
class ConsequenceChanges:
    """What a recomputation of consequences did.

    ``rows`` is the number of consequences the periods (and employees) have now; the others
    count the rows written to get there.
    """

    rows: int
    inserted: int
    updated: int
    deleted: int


# For each trigger, the predicates that count towards ``min_repeats``: the trigger itself and
# those on the same side of "Baik" further from it ("Kurang" repeated counts Sangat Kurang too).
_REPEATS: dict[str, tuple[str, ...]] = {
    RuleTrigger.SANGAT_BAIK: ("sangat_baik",),
    RuleTrigger.BAIK: ("sangat_baik", "baik"),
    RuleTrigger.BUTUH_PERBAIKAN: ("butuh_perbaikan", "kurang", "sangat_kurang"),
    RuleTrigger.KURANG: ("kurang", "sangat_kurang"),
    RuleTrigger.SANGAT_KURANG: ("sangat_kurang",),
}

# The keys of the consequences due, for one recomputation, dropped at its end. A consequence
# is identified by (year, period, employee, rule): its predicate, effect and TPP percentage
# are the rule's trigger, effect and percentage.
_DUE = "kinerja_consequence_due"
_KEY = ("period", "employee_id", "rule_id")


def _quoted(values: Sequence[str]) -> str:
    # Constants from this module only (never user input), so inlining them is safe.
    return ", ".join("'{}'".format(value.replace("'", "")) for value in values)


def _in_list(column: str, values: Sequence[int]) -> tuple[str, list[int]]:
    return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)


def _same_key(alias: str, other: str) -> str:
    return " AND ".join(f"{alias}.{column} = {other}.{column}" for column in _KEY)


def recompute_consequences(
    *, year: PerformanceYear, periods: Sequence[int], employee_ids: Sequence[int] | None = None
) -> ConsequenceChanges:
    """Bring the consequences of ``periods`` (all employees, or ``employee_ids``) up to date.

    An evaluated employee gets every active rule of the agency whose trigger is their
    predicate and whose ``min_repeats`` is reached: the count of the year's periods up to
    this one with the trigger's predicate or one further from "Baik" (see ``_REPEATS``).
    The annual evaluation (period 0) counts on its own. An active employee with no predicate
    for a closed period among ``periods`` gets the rules triggered by "missing". Rows no
    longer due are deleted, missing ones inserted, rows whose rule was edited updated; the
    others are not written.
    """
    if not periods:
        return ConsequenceChanges(rows=0, inserted=0, updated=0, deleted=0)
    existing = Consequence.objects.filter(year=year, period__in=periods)
    if employee_ids is not None:
        existing = existing.filter(employee_id__in=employee_ids)
    if not ConsequenceRule.objects.filter(instansi_id=year.instansi_id, active=True).exists():
        deleted = existing._raw_delete(existing.db)  # no signals or cascades on consequences
        return ConsequenceChanges(rows=0, inserted=0, updated=0, deleted=deleted)
    now = timezone.now()
    with connection.cursor() as cursor:
        if not existing.exists():  # a period closed for the first time: nothing to compare
            rows = _insert_due(cursor, year, periods, employee_ids, now=now)
            return ConsequenceChanges(rows=rows, inserted=rows, updated=0, deleted=0)
        cursor.execute(f"DROP TABLE IF EXISTS {_DUE}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {_DUE} "
            "(period smallint NOT NULL, employee_id bigint NOT NULL, rule_id bigint NOT NULL)"
        )
        rows = _insert_due(cursor, year, periods, employee_ids, now=None)
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {_DUE}")  # temporary tables get no autovacuum
        changes = _apply_due(cursor, year, periods, employee_ids, rows=rows, now=now)
        # On an error the caller's transaction rolls the table back with everything else.
        cursor.execute(f"DROP TABLE {_DUE}")
    return changes


def _insert_due(
    cursor: Any,
    year: PerformanceYear,
    periods: Sequence[int],
    employee_ids: Sequence[int] | None,
    *,
    now: datetime | None,
) -> int:
    """Insert the consequences due; return their number.

    With ``now``, whole rows go straight into the consequence table; without, only their
    keys go into the temporary table ``_DUE``.
    """
    evaluations = PeriodEvaluation._meta.db_table
    rule_table = ConsequenceRule._meta.db_table
    employees = Employee._meta.db_table
    closures = PeriodClosure._meta.db_table
    params: list[Any] = []
    if now is None:
        into, values = f"{_DUE} (period, employee_id, rule_id)", ""
    else:
        into = (
            f"{Consequence._meta.db_table} (period, employee_id, rule_id, created_at, "
            "updated_at, year_id, predicate, effect, tpp_percent)"
        )
        values = ', %s, %s, %s, r."trigger", r.effect, r.tpp_percent'
        params = [now, now, year.pk]
    counts = ",\n".join(
        f"SUM(CASE WHEN predicate IN ({_quoted(members)}) THEN 1 ELSE 0 END) OVER w AS c_{key}"
        for key, members in _REPEATS.items()
    )
    reached = " ".join(f"WHEN '{key}' THEN e.c_{key}" for key in _REPEATS)
    period_sql, period_params = _in_list("e.period", list(periods))
    employee_sql = ""
    employee_params: list[int] = []
    if employee_ids is not None:
        employee_sql, employee_params = _in_list("e.employee_id", list(employee_ids))
        employee_sql = " AND " + employee_sql
    evaluated = f"""
        INSERT INTO {into}
        SELECT e.period, e.employee_id, r.id{values}
        FROM (
            SELECT employee_id, period, predicate, {counts}
            FROM {evaluations}
            WHERE year_id = %s AND predicate <> ''
            WINDOW w AS (
                PARTITION BY employee_id, CASE WHEN period = {ANNUAL} THEN 0 ELSE 1 END
                ORDER BY period ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
            )
        ) e
        JOIN {rule_table} r
          ON r.instansi_id = %s AND r.active = %s AND r."trigger" = e.predicate
         AND (CASE r."trigger" {reached} ELSE 0 END) >= r.min_repeats
        WHERE {period_sql}{employee_sql}
    """  # noqa: S608 - table names and module constants only; values are parameters
    cursor.execute(
        evaluated,
        [*params, year.pk, year.instansi_id, True, *period_params, *employee_params],
    )
    rows = max(cursor.rowcount, 0)
    closure_sql, closure_params = _in_list("c.period", list(periods))
    # One statement for every period: the closures of the year name the periods.
    missing = f"""
        INSERT INTO {into}
        SELECT c.period, p.id, r.id{values}
        FROM {employees} p
        JOIN {closures} c ON c.year_id = %s AND {closure_sql}
        JOIN {rule_table} r
          ON r.instansi_id = p.instansi_id AND r.active = %s AND r."trigger" = %s
        WHERE p.instansi_id = %s AND p.status = %s{employee_sql.replace("e.employee_id", "p.id")}
          AND NOT EXISTS (
              SELECT 1 FROM {evaluations} v
              WHERE v.employee_id = p.id AND v.year_id = c.year_id AND v.period = c.period
                AND v.predicate <> ''
          )
    """  # noqa: S608 - table names and module constants only; values are parameters
    cursor.execute(
        missing,
        [
            *params, year.pk, *closure_params, True, RuleTrigger.MISSING.value,
            year.instansi_id, EmployeeStatus.ACTIVE.value, *employee_params,
        ],
    )  # fmt: skip
    return rows + max(cursor.rowcount, 0)


def _apply_due(
    cursor: Any,
    year: PerformanceYear,
    periods: Sequence[int],
    employee_ids: Sequence[int] | None,
    *,
    rows: int,
    now: datetime,
) -> ConsequenceChanges:
    """Make the consequences in scope those of ``_DUE``: delete, update, insert the difference."""
    table = Consequence._meta.db_table
    rule_table = ConsequenceRule._meta.db_table
    scope_sql, scope_params = _in_list(f"{table}.period", list(periods))
    scope_sql = f"{table}.year_id = %s AND {scope_sql}"
    scope_params = [year.pk, *scope_params]
    if employee_ids is not None:
        employee_sql, employee_params = _in_list(f"{table}.employee_id", list(employee_ids))
        scope_sql += f" AND {employee_sql}"
        scope_params += employee_params
    keys = ", ".join(_KEY)
    if connection.vendor == "postgresql":
        # Planned as hashed anti-joins. (Table names and module constants only, never input.)
        gone = f"NOT EXISTS (SELECT 1 FROM {_DUE} t WHERE {_same_key('t', table)})"  # noqa: S608
        gone_params: list[Any] = []
        new = f"""
            SELECT {keys} FROM {_DUE} t
            WHERE NOT EXISTS (
                SELECT 1 FROM {table} WHERE {table}.year_id = %s AND {_same_key("t", table)}
            )
        """  # noqa: S608
    else:
        # SQLite runs a correlated subquery row by row, and NOT IN over several columns
        # slowly; EXCEPT sorts each side once.
        gone = f"""({keys}) IN (
            SELECT {keys} FROM {table} WHERE {scope_sql} EXCEPT SELECT {keys} FROM {_DUE}
        )"""  # noqa: S608
        gone_params = scope_params
        new = f"SELECT {keys} FROM {_DUE} EXCEPT SELECT {keys} FROM {table} WHERE year_id = %s"  # noqa: S608
    cursor.execute(
        f"DELETE FROM {table} WHERE {scope_sql} AND {gone}",  # noqa: S608
        [*scope_params, *gone_params],
    )
    deleted = max(cursor.rowcount, 0)
    # Every row left is due, and a due row's values are its rule's: they differ only where
    # the agency edited the rule since the last recomputation.
    distinct = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    cursor.execute(
        f"""
        UPDATE {table}
        SET updated_at = %s, predicate = r."trigger", effect = r.effect,
            tpp_percent = r.tpp_percent
        FROM {rule_table} r
        WHERE r.id = {table}.rule_id AND {scope_sql}
          AND ({table}.predicate <> r."trigger" OR {table}.effect <> r.effect
               OR {table}.tpp_percent {distinct} r.tpp_percent)
        """,  # noqa: S608 - table names and module constants only; values are parameters
        [now, *scope_params],
    )
    updated = max(cursor.rowcount, 0)
    cursor.execute(
        f"""
        INSERT INTO {table}
            (created_at, updated_at, year_id, period, employee_id, rule_id, predicate, effect,
             tpp_percent)
        SELECT %s, %s, %s, t.period, t.employee_id, t.rule_id, r."trigger", r.effect,
               r.tpp_percent
        FROM ({new}) t
        JOIN {rule_table} r ON r.id = t.rule_id
        """,  # noqa: S608 - table names and module constants only; values are parameters
        [now, now, year.pk, year.pk],
    )
    inserted = max(cursor.rowcount, 0)
    return ConsequenceChanges(rows=rows, inserted=inserted, updated=updated, deleted=deleted)


def evaluated_filter(year: PerformanceYear, period: int) -> Q:
    """Return the filter of the period's evaluations that carry a predicate."""
    return Q(year=year, period=period) & ~Q(predicate="")
