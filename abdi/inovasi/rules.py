"""Pure rules of the innovation registry: stages, the before/after windows, dormancy.

The stage cycle follows PP 38/2017 tentang Inovasi Daerah (tahap inisiatif, uji coba and
penerapan, Pasal 5–8), with replication (replikasi) of an innovation in use by another unit
or agency as the last stage. No database, no settings: the callers pass plain values.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from .choices import Stage

__all__ = [
    "STAGE_ORDER",
    "DormancyFacts",
    "add_months",
    "can_move_stage",
    "is_dormant",
    "latest_window",
    "relative_change",
]

STAGE_ORDER: tuple[str, ...] = (
    Stage.IDE.value,
    Stage.UJI_COBA.value,
    Stage.IMPLEMENTASI.value,
    Stage.REPLIKASI.value,
)
# Stages at which the innovation is in use, so its bound metric should show its effect.
IN_USE = frozenset({Stage.IMPLEMENTASI.value, Stage.REPLIKASI.value})


def can_move_stage(current: str, new: str) -> bool:
    """Return whether an innovation at ``current`` may be recorded as reaching ``new``.

    Stages only move forward (a step may be skipped: an idea tried elsewhere may go straight
    into use); a failed trial is a new innovation, not a step back.
    """
    if current not in STAGE_ORDER or new not in STAGE_ORDER:
        return False
    return STAGE_ORDER.index(new) > STAGE_ORDER.index(current)


def add_months(day: date, months: int) -> date:
    """Return ``day`` moved by ``months`` calendar months (negative: back), clamped to the
    month's last day (31 March - 1 month = 28/29 February)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def latest_window(
    baseline_start: date, baseline_end: date, today: date
) -> tuple[date, date] | None:
    """Return the "after" period to compare with the baseline: as long as the baseline,
    ending ``today``, and starting after the baseline ends; None if no day is left for it."""
    if baseline_end < baseline_start:
        raise ValueError("The baseline ends before it starts.")
    length = (baseline_end - baseline_start).days
    start = max(today - timedelta(days=length), baseline_end + timedelta(days=1))
    if start > today:
        return None
    return start, today


def relative_change(before: Decimal | None, after: Decimal | None) -> Decimal | None:
    """Return the change from ``before`` to ``after`` in percent (two decimals), or None
    when either is missing or the baseline is zero."""
    if before is None or after is None or before == 0:
        return None
    return ((after - before) * 100 / abs(before)).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass(frozen=True)
class DormancyFacts:
    """What the dormancy rule looks at, in the agency's own dates."""

    stage: str
    registered_on: date
    # The owner's latest progress update; the registration date when there is none.
    last_activity_on: date
    metric_bound: bool
    # Whether the bound metric gave a value for the latest period.
    metric_has_data: bool


def is_dormant(facts: DormancyFacts, *, today: date, months: int) -> bool:
    """Return whether an innovation is dormant ("mati suri") on ``today``.

    An innovation younger than ``months`` is never dormant. Older, it is dormant when its
    owner made no update for ``months`` months, or when its bound metric has no data for
    the latest period, or (without a bound metric) when it is in use yet measures nothing.
    """
    if months < 1:
        raise ValueError("months must be at least 1")
    threshold = add_months(today, -months)
    if facts.registered_on > threshold:
        return False
    if facts.last_activity_on <= threshold:
        return True
    if facts.metric_bound:
        return not facts.metric_has_data
    return facts.stage in IN_USE
