"""Pure rules of employee performance management (PermenPANRB 6/2022).

No ORM, no settings: plain values in, plain values out. The regulation leaves the frequency
of periodic evaluation to the agency ("sesuai kebutuhan organisasi"), abolished the old
weighted formula, and keeps realisation-versus-target as the measure of work results.
"""

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

__all__ = [
    "EvaluationPeriod",
    "achievement",
    "deadline_passed",
    "evaluation_periods",
    "monday_of",
    "period_containing",
    "rhk_progress",
    "rolled_up_progress",
]

_MONTHS_PER_PERIOD = {"monthly": 1, "quarterly": 3, "semester": 6}
# Achievement above target counts, but one indicator far above target must not hide others
# below it in a roll-up: cap each indicator at 150 % (an agency choice, documented here).
ACHIEVEMENT_CAP = Decimal("1.5")
_FOUR_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class EvaluationPeriod:
    """One periodic evaluation window of a performance year, numbered from 1."""

    index: int
    start: date
    end: date


def evaluation_periods(year: int, rhythm: str) -> list[EvaluationPeriod]:
    """Return the year's evaluation periods for ``rhythm`` (monthly, quarterly, semester)."""
    try:
        months = _MONTHS_PER_PERIOD[rhythm]
    except KeyError:
        raise ValueError(f"Unknown evaluation rhythm: {rhythm!r}") from None
    periods = []
    for index, first_month in enumerate(range(1, 13, months), start=1):
        last_month = first_month + months - 1
        last_day = calendar.monthrange(year, last_month)[1]
        periods.append(
            EvaluationPeriod(index, date(year, first_month, 1), date(year, last_month, last_day))
        )
    return periods


def period_containing(day: date, rhythm: str) -> EvaluationPeriod:
    """Return the evaluation period of ``day``'s year that contains it."""
    for period in evaluation_periods(day.year, rhythm):
        if period.start <= day <= period.end:
            return period
    raise AssertionError("unreachable: periods cover the whole year")


def deadline_passed(deadline: date, now: datetime, zone: str) -> bool:
    """Return whether ``now`` is after the end of ``deadline`` in the agency's time zone.

    A deadline date means "until the end of that day where the agency is": 23:59:59 WIB in
    Jakarta is already the next day in Jayapura (WIT).
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    end = datetime.combine(deadline + timedelta(days=1), time.min, tzinfo=ZoneInfo(zone))
    return now >= end


def monday_of(day: date) -> date:
    """Return the Monday of ``day``'s ISO week: output log entries are kept per week."""
    return day - timedelta(days=day.weekday())


def achievement(realised: Decimal | None, target: Decimal) -> Decimal | None:
    """Return realisation ÷ target, capped at :data:`ACHIEVEMENT_CAP`; None when unknown.

    A zero target is met by any realisation (1.0) and by none (None).
    """
    if realised is None:
        return None
    if target == 0:
        return Decimal(1)
    ratio = min(Decimal(realised) / Decimal(target), ACHIEVEMENT_CAP)
    return max(ratio, Decimal(0)).quantize(_FOUR_PLACES, rounding=ROUND_HALF_UP)


def rhk_progress(achievements: Sequence[Decimal | None]) -> Decimal | None:
    """Return an RHK's progress: the mean achievement of its indicators that have data."""
    known = [a for a in achievements if a is not None]
    if not known:
        return None
    return (sum(known, Decimal(0)) / len(known)).quantize(_FOUR_PLACES, rounding=ROUND_HALF_UP)


def rolled_up_progress(
    own: Mapping[int, Decimal | None], children: Mapping[int, Sequence[int]]
) -> dict[int, Decimal | None]:
    """Return every RHK's progress with the progress of the RHKs that support it folded in.

    ``own`` maps each RHK id to the progress of its own indicators; ``children`` maps an
    RHK id to the ids of the subordinates' RHKs that intervene on it. An RHK's rolled-up
    progress is the mean of its own progress and its children's rolled-up progress, over
    those that have data: a leader's result advances as the results cascaded from it do.
    Evaluated bottom-up without recursion, so deep organisations are fine.
    """
    result: dict[int, Decimal | None] = {}
    order: list[int] = []
    seen: set[int] = set()
    for root in own:
        stack = [(root, False)]
        while stack:
            node, expanded = stack.pop()
            if expanded:
                order.append(node)
                continue
            if node in seen:
                continue
            seen.add(node)
            stack.append((node, True))
            stack.extend((child, False) for child in children.get(node, ()) if child not in seen)
    for node in order:
        parts = [own.get(node)] + [result.get(child) for child in children.get(node, ())]
        result[node] = rhk_progress(parts)
    return result
