"""Set-based recomputation of predicates and consequences for a whole agency.

A handful of statements whatever the number of employees: predicates are one ``UPDATE``
with the matrix as a ``CASE``; consequences are one ``DELETE`` and two ``INSERT … SELECT``
(evaluated employees, then employees with no evaluation). The SQL is standard (window
functions, ``CASE``) and runs on SQLite and PostgreSQL alike. Callers hold the transaction.
"""

from collections.abc import Sequence
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

__all__ = ["matrix_case", "recompute_consequences", "recompute_predicates"]


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
    # Rows already right are not rewritten: a recomputation that changes little writes little.
    changed = queryset.exclude(Q(matrix_predicate=case) & Q(predicate=predicate))
    return changed.update(matrix_predicate=case, predicate=predicate)


# For each trigger, the predicates that count towards ``min_repeats``: the trigger itself and
# those on the same side of "Baik" further from it ("Kurang" repeated counts Sangat Kurang too).
_REPEATS: dict[str, tuple[str, ...]] = {
    RuleTrigger.SANGAT_BAIK: ("sangat_baik",),
    RuleTrigger.BAIK: ("sangat_baik", "baik"),
    RuleTrigger.BUTUH_PERBAIKAN: ("butuh_perbaikan", "kurang", "sangat_kurang"),
    RuleTrigger.KURANG: ("kurang", "sangat_kurang"),
    RuleTrigger.SANGAT_KURANG: ("sangat_kurang",),
}


def _quoted(values: Sequence[str]) -> str:
    # Constants from this module only (never user input), so inlining them is safe.
    return ", ".join("'{}'".format(value.replace("'", "")) for value in values)


def _in_list(column: str, values: Sequence[int]) -> tuple[str, list[int]]:
    return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)


def recompute_consequences(
    *, year: PerformanceYear, periods: Sequence[int], employee_ids: Sequence[int] | None = None
) -> int:
    """Replace the consequences of ``periods`` (all employees, or ``employee_ids``).

    An evaluated employee gets every active rule of the agency whose trigger is their
    predicate and whose ``min_repeats`` is reached: the count of the year's periods up to
    this one with the trigger's predicate or one further from "Baik" (see ``_REPEATS``).
    The annual evaluation (period 0) counts on its own. An active employee with no predicate
    for a closed period among ``periods`` gets the rules triggered by "missing". Return the
    rows written.
    """
    if not periods:
        return 0
    stale = Consequence.objects.filter(year=year, period__in=periods)
    if employee_ids is not None:
        stale = stale.filter(employee_id__in=employee_ids)
    stale._raw_delete(stale.db)  # no signals or cascades on consequences: one DELETE
    if not ConsequenceRule.objects.filter(instansi_id=year.instansi_id, active=True).exists():
        return 0
    table = Consequence._meta.db_table
    evaluations = PeriodEvaluation._meta.db_table
    rule_table = ConsequenceRule._meta.db_table
    employees = Employee._meta.db_table
    counts = ",\n".join(
        f"SUM(CASE WHEN predicate IN ({_quoted(members)}) THEN 1 ELSE 0 END) OVER w AS c_{key}"
        for key, members in _REPEATS.items()
    )
    reached = " ".join(f"WHEN '{key}' THEN e.c_{key}" for key in _REPEATS)
    period_sql, period_params = _in_list("e.period", list(periods))
    params: list[Any] = []
    employee_sql = ""
    if employee_ids is not None:
        employee_sql, employee_params = _in_list("e.employee_id", list(employee_ids))
        employee_sql = " AND " + employee_sql
    else:
        employee_params = []
    now = timezone.now()
    evaluated = f"""
        INSERT INTO {table}
            (created_at, updated_at, year_id, period, employee_id, rule_id, predicate, effect,
             tpp_percent)
        SELECT %s, %s, %s, e.period, e.employee_id, r.id, e.predicate, r.effect, r.tpp_percent
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
    params = [now, now, year.pk, year.pk, year.instansi_id, True, *period_params, *employee_params]
    written = 0
    with connection.cursor() as cursor:
        cursor.execute(evaluated, params)
        written += max(cursor.rowcount, 0)
        missing_employee_sql = employee_sql.replace("e.employee_id", "p.id")
        closure_sql, closure_params = _in_list("c.period", list(periods))
        closures = PeriodClosure._meta.db_table
        # One statement for every period: the closures of the year name the periods.
        missing = f"""
            INSERT INTO {table}
                (created_at, updated_at, year_id, period, employee_id, rule_id, predicate,
                 effect, tpp_percent)
            SELECT %s, %s, c.year_id, c.period, p.id, r.id, r."trigger", r.effect, r.tpp_percent
            FROM {employees} p
            JOIN {closures} c ON c.year_id = %s AND {closure_sql}
            JOIN {rule_table} r
              ON r.instansi_id = p.instansi_id AND r.active = %s AND r."trigger" = %s
            WHERE p.instansi_id = %s AND p.status = %s{missing_employee_sql}
              AND NOT EXISTS (
                  SELECT 1 FROM {evaluations} v
                  WHERE v.employee_id = p.id AND v.year_id = c.year_id AND v.period = c.period
                    AND v.predicate <> ''
              )
        """  # noqa: S608 - table names and module constants only; values are parameters
        cursor.execute(
            missing,
            [
                now, now, year.pk, *closure_params, True, RuleTrigger.MISSING.value,
                year.instansi_id, EmployeeStatus.ACTIVE.value, *employee_params,
            ],
        )  # fmt: skip
        written += max(cursor.rowcount, 0)
    return written


def evaluated_filter(year: PerformanceYear, period: int) -> Q:
    """Return the filter of the period's evaluations that carry a predicate."""
    return Q(year=year, period=period) & ~Q(predicate="")
