"""Pure rules of learning sessions: recurrence, JP, attendance threshold, JP progress.

No database, request or settings here; callers pass the configured values in.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_DOWN, Decimal
from zoneinfo import ZoneInfo

__all__ = [
    "Interval",
    "JpProgress",
    "attended",
    "jp_for_minutes",
    "jp_progress",
    "minutes_present",
    "recurrence",
]

CENT = Decimal("0.01")


def recurrence(
    *, first_day: date, last_day: date, weekdays: Iterable[int], at: time, zone: str
) -> list[datetime]:
    """Return the aware start times on ``weekdays`` (Monday = 0) from ``first_day`` to ``last_day``.

    Times are wall-clock in the organiser's ``zone`` (WIB, WITA, WIT: no daylight saving,
    domain.md §8), so "Tuesday and Thursday 09:00 WIB" stays 09:00 all year.
    """
    days = set(weekdays)
    if not days or not days <= set(range(7)):
        raise ValueError("weekdays must be a non-empty subset of 0..6")
    if last_day < first_day:
        raise ValueError("last_day is before first_day")
    tz = ZoneInfo(zone)
    starts: list[datetime] = []
    day = first_day
    while day <= last_day:
        if day.weekday() in days:
            starts.append(datetime.combine(day, at, tzinfo=tz))
        day += timedelta(days=1)
    return starts


def jp_for_minutes(minutes: int, *, minutes_per_jp: int = 45) -> Decimal:
    """Return the JP a learning activity of ``minutes`` earns, rounded down to 0.01.

    1 JP = 45 minutes in LAN's usual definition (Peraturan LAN 10/2018); agencies may differ,
    so the length of a JP is a parameter.
    """
    if minutes < 0 or minutes_per_jp <= 0:
        raise ValueError("minutes must be >= 0 and minutes_per_jp > 0")
    return (Decimal(minutes) / Decimal(minutes_per_jp)).quantize(CENT, rounding=ROUND_DOWN)


@dataclass(frozen=True)
class Interval:
    start: datetime
    end: datetime


def minutes_present(intervals: Iterable[Interval], *, start: datetime, end: datetime) -> int:
    """Return the whole minutes the intervals cover inside the session, overlaps counted once.

    A participant who rejoins appears in the meeting report several times; time before the
    session opens or after it ends does not count.
    """
    clipped = sorted(
        (max(i.start, start), min(i.end, end)) for i in intervals if i.end > start and i.start < end
    )
    total = timedelta(0)
    current_start: datetime | None = None
    current_end: datetime | None = None
    for a, b in clipped:
        if b <= a:
            continue
        if current_end is None or a > current_end:
            if current_start is not None and current_end is not None:
                total += current_end - current_start
            current_start, current_end = a, b
        elif b > current_end:
            current_end = b
    if current_start is not None and current_end is not None:
        total += current_end - current_start
    return int(total.total_seconds() // 60)


def attended(minutes: int, *, session_minutes: int, threshold_percent: int) -> bool:
    """Return whether ``minutes`` present reach ``threshold_percent`` of the session.

    The organiser sets the threshold (75 % by default); a session of no length is attended
    by anyone present at all.
    """
    if not 0 <= threshold_percent <= 100:
        raise ValueError("threshold_percent must be within 0..100")
    if session_minutes <= 0:
        return minutes > 0
    return minutes * 100 >= session_minutes * threshold_percent


@dataclass(frozen=True)
class JpProgress:
    earned: Decimal
    target: Decimal
    remaining: Decimal
    percent: int
    met: bool


def jp_progress(earned: Decimal, *, target: Decimal = Decimal(20)) -> JpProgress:
    """Return progress towards the yearly JP target (PP 11/2017 Pasal 203 jo. PP 17/2020: 20 JP).

    ``percent`` is capped at 100 for display; ``remaining`` never goes below zero.
    """
    if target <= 0:
        return JpProgress(earned, target, Decimal(0), 100, True)
    remaining = max(target - earned, Decimal(0))
    percent = min(int(earned * 100 / target), 100)
    return JpProgress(earned, target, remaining, percent, earned >= target)
