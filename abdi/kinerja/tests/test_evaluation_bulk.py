"""Recomputing consequences writes only the difference and ends where a fresh computation does."""

import random
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction

from abdi.core.models import AuditEvent
from abdi.kinerja import services
from abdi.kinerja.choices import Rating
from abdi.kinerja.evaluation import bulk
from abdi.kinerja.evaluation.bulk import ConsequenceChanges
from abdi.kinerja.models import Consequence, ConsequenceRule, PeriodEvaluation
from abdi.kinerja.tests.evaluation_factories import A, S, U, build_team, consequence_rules, rate
from abdi.kinerja.tests.factories import TODAY
from abdi.organisations.choices import EmployeeStatus
from abdi.organisations.models import Employee

pytestmark = pytest.mark.django_db

PERIODS = [1, 2, 3]
LONG_AGO = datetime(2026, 1, 1, tzinfo=UTC)

Key = tuple[int, int, int]  # (period, employee, rule)


@pytest.fixture
def closed(agency: Any) -> Any:
    """Three closed monthly periods with Kurang repeated, Butuh Perbaikan, Sangat Baik, missing."""
    team = build_team(agency)
    consequence_rules(agency)
    for period in PERIODS:
        rate(agency, team.plans["staff_a"], period, S, U)  # Kurang, repeated from period 2
        rate(agency, team.plans["staff_a2"], period, U, S)  # Butuh Perbaikan
        rate(agency, team.plans["head_b"], period, A, A)  # Sangat Baik
        rate(agency, team.plans["head_a"], period, S, S)  # Baik: no rule
    # head and staff_b are never evaluated: "missing" in every closed period.
    for period in PERIODS:
        services.period_close(actor=agency.admin, year=team.year, period=period, today=TODAY)
    # Unchanged rows must keep this time; a row written again would get the current one.
    Consequence.objects.update(updated_at=LONG_AGO)
    return team


def stored(year: Any) -> dict[Key, tuple[Any, ...]]:
    """Every consequence of the year by key: its id, timestamps and values."""
    return {
        (c.period, c.employee_id, c.rule_id): (
            c.pk,
            c.created_at,
            c.updated_at,
            c.predicate,
            c.effect,
            c.tpp_percent,
        )
        for c in Consequence.objects.filter(year=year)
    }


def values(rows: dict[Key, tuple[Any, ...]]) -> dict[Key, tuple[Any, ...]]:
    return {key: row[3:] for key, row in rows.items()}


def from_scratch(year: Any) -> dict[Key, tuple[Any, ...]]:
    """The consequences a computation from nothing gives, leaving the database as it was."""
    with transaction.atomic():
        sid = transaction.savepoint()
        Consequence.objects.filter(year=year).delete()
        bulk.recompute_consequences(year=year, periods=PERIODS)
        fresh = values(stored(year))
        transaction.savepoint_rollback(sid)
    return fresh


def change_rating(employee: Employee, period: int, result: str, behaviour: str) -> None:
    # A rating corrected in a closed period (by data repair or import), outside the services.
    PeriodEvaluation.objects.filter(employee=employee, period=period).update(
        result_rating=result, behaviour_rating=behaviour
    )


def test_one_changed_rating_rewrites_only_that_employees_rows(agency, closed):
    before = stored(closed.year)
    change_rating(agency.staff_a2, 3, S, U)  # Butuh Perbaikan → Kurang, not repeated
    count = services.consequences_recompute(actor=agency.admin, year=closed.year)
    after = stored(closed.year)
    changed = {key for key in before.keys() ^ after.keys() if key[:2] == (3, agency.staff_a2.pk)}
    assert changed == before.keys() ^ after.keys()
    assert sorted(after[key][4] for key in changed if key in after) == ["tpp"]  # K: TPP 85 %
    assert sorted(before[key][4] for key in changed if key in before) == ["coaching", "tpp"]
    # Every other row is the same row: same id, same timestamps, same values.
    assert {k: v for k, v in after.items() if k not in changed} == {
        k: v for k, v in before.items() if k not in changed
    }
    assert count == len(after) == 21  # 22 - 2 + 1
    audit = AuditEvent.objects.get(action="kinerja.consequences.recomputed")
    assert audit.after["consequences"] == 21
    assert values(after) == from_scratch(closed.year)


def test_the_difference_is_counted(agency, closed):
    change_rating(agency.staff_a2, 3, S, U)
    assert bulk.recompute_predicates(year_ids=[closed.year.pk], periods=PERIODS) == 1
    changes = bulk.recompute_consequences(year=closed.year, periods=PERIODS)
    assert changes == ConsequenceChanges(rows=21, inserted=1, updated=0, deleted=2)


def test_recompute_with_nothing_changed_writes_nothing(agency, closed):
    before = stored(closed.year)
    assert bulk.recompute_predicates(year_ids=[closed.year.pk], periods=PERIODS) == 0
    changes = bulk.recompute_consequences(year=closed.year, periods=PERIODS)
    assert changes == ConsequenceChanges(rows=len(before), inserted=0, updated=0, deleted=0)
    assert stored(closed.year) == before


def test_an_edited_rule_updates_its_rows_in_place(agency, closed):
    missing = ConsequenceRule.objects.get(instansi=agency.instansi, trigger="missing")
    ConsequenceRule.objects.filter(pk=missing.pk).update(tpp_percent=Decimal(70))
    before = stored(closed.year)
    changes = bulk.recompute_consequences(year=closed.year, periods=PERIODS)
    after = stored(closed.year)
    assert changes == ConsequenceChanges(rows=len(before), inserted=0, updated=6, deleted=0)
    assert after.keys() == before.keys()
    for key, row in after.items():
        assert row[:2] == before[key][:2]  # same id and creation time
        if key[2] == missing.pk:
            assert (row[2] > LONG_AGO, row[5]) == (True, Decimal("70.00"))
        else:
            assert row == before[key]
    assert values(after) == from_scratch(closed.year)


def test_a_granted_appeal_rewrites_only_the_appealed_period(agency, closed):
    before = stored(closed.year)
    evaluation = PeriodEvaluation.objects.get(employee=agency.staff_a2, period=3)
    appeal = services.appeal_file(
        actor=agency.staff_a2.user, evaluation=evaluation, reason="Data terlambat",
        requested="baik", today=date(2026, 4, 13),
    )  # fmt: skip
    services.appeal_decide(
        actor=agency.head.user, appeal=appeal, grant=True, reason="Bukti lengkap",
        predicate="baik",
    )  # fmt: skip
    after = stored(closed.year)
    gone = {key for key in before if key[:2] == (3, agency.staff_a2.pk)}
    assert len(gone) == 2
    # Periods 1 and 2 of the same employee, and everyone else, are not written.
    assert after == {k: v for k, v in before.items() if k not in gone}
    assert AuditEvent.objects.get(action="kinerja.appeal.decided").after["consequences"] == 4


def test_random_changes_end_where_a_fresh_computation_does(agency, closed):
    rng = random.Random(4)
    evaluations = list(PeriodEvaluation.objects.filter(year=closed.year))
    rules = list(ConsequenceRule.objects.filter(instansi=agency.instansi))
    employees = list(Employee.objects.filter(instansi=agency.instansi))
    ratings = [*Rating.values, ""]  # "" leaves the evaluation without a predicate: missing
    for _round in range(12):
        for _change in range(rng.randint(1, 4)):
            kind = rng.choice(["rating", "rating", "rule", "percent", "status"])
            if kind == "rating":
                evaluation = rng.choice(evaluations)
                PeriodEvaluation.objects.filter(pk=evaluation.pk).update(
                    result_rating=rng.choice(ratings), behaviour_rating=rng.choice(ratings)
                )
            elif kind == "rule":
                rule = rng.choice(rules)
                ConsequenceRule.objects.filter(pk=rule.pk).update(active=rng.random() < 0.6)
            elif kind == "percent":
                rule = rng.choice([r for r in rules if r.effect == "tpp"])
                ConsequenceRule.objects.filter(pk=rule.pk).update(
                    tpp_percent=Decimal(rng.choice([60, 65, 80, 85, 90]))
                )
            else:
                employee = rng.choice(employees)
                Employee.objects.filter(pk=employee.pk).update(
                    status=rng.choice([EmployeeStatus.ACTIVE, EmployeeStatus.INACTIVE])
                )
        bulk.recompute_predicates(year_ids=[closed.year.pk], periods=PERIODS)
        changes = bulk.recompute_consequences(year=closed.year, periods=PERIODS)
        now = values(stored(closed.year))
        assert now == from_scratch(closed.year)
        assert changes.rows == len(now)
