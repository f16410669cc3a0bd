"""Pure rules of public services: the working-day SLA, the IKM score and the sample size.

No database, no settings: plain values in, plain values out. Every rule cites its source
(``docs/layanan.md`` explains the choices).
"""

import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from abdi.core.workdays import Calendar

__all__ = [
    "FRIDAY",
    "IKM_ELEMENT_KEYS",
    "WORKDAY_START",
    "IkmResult",
    "SlaClock",
    "due_date",
    "ikm_from_totals",
    "ikm_grade",
    "ikm_score",
    "format_tracking_code",
    "krejcie_morgan",
    "median",
    "new_tracking_code",
    "normalise_tracking_code",
    "receipt_day",
    "sla_state",
    "workday_end",
    "working_days_paused",
    "working_days_taken",
]

FRIDAY = 4

#: Perpres 21/2023: the working day starts at 07:30 local time.
WORKDAY_START = time(7, 30)
#: 7 h 30 min of work a day (37 h 30 min over five days) plus the break of Perpres 21/2023
#: (60 min, 90 min on Friday): the office closes at 16:00, on Friday at 16:30.
WORKDAY_END = time(16, 0)
WORKDAY_END_FRIDAY = time(16, 30)

IKM_ELEMENT_KEYS = ("u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9")
FOUR_PLACES = Decimal("0.0001")
TWO_PLACES = Decimal("0.01")


# --- SLA in working days ------------------------------------------------------------------


def workday_end(day: date) -> time:
    """Closing time of the office on ``day`` (Perpres 21/2023; Ramadan hours not modelled)."""
    return WORKDAY_END_FRIDAY if day.weekday() == FRIDAY else WORKDAY_END


def receipt_day(moment: datetime, zone: str, calendar: Calendar) -> date:
    """The working day on which a submission at ``moment`` counts as received.

    ``moment`` is read in the agency's zone (WIB/WITA/WIT, domain.md §8). Before closing
    time on a working day it counts that day (before 07:30 it waits for the office to open
    the same day); after closing time, or on a weekend, holiday or cuti bersama day, it
    counts from the next working day.
    """
    if moment.tzinfo is None:
        raise ValueError("moment must be timezone-aware")
    local = moment.astimezone(ZoneInfo(zone))
    day = local.date()
    if calendar.is_working_day(day) and local.time() < workday_end(day):
        return day
    return calendar.next_working_day(day)


def due_date(
    submitted_at: datetime,
    service_days: int,
    zone: str,
    calendar: Calendar,
    *,
    paused_days: int = 0,
) -> date:
    """The last working day of the service time (the case is due by its closing time).

    The day of receipt is day 0; a service time of ``n`` working days ends on the ``n``-th
    working day after it (0 means the same day). Working days spent waiting on the citizen
    (``paused_days``, see :func:`working_days_paused`) move the due date by as many working
    days (UU 25/2009 Pasal 21: the time runs from complete requirements).
    """
    if service_days < 0 or paused_days < 0:
        raise ValueError("service days and paused days must not be negative")
    start = receipt_day(submitted_at, zone, calendar)
    return calendar.add_working_days(start, service_days + paused_days)


def working_days_paused(
    paused_at: datetime, resumed_at: datetime, zone: str, calendar: Calendar
) -> int:
    """Working days the clock stood still while the case waited on the citizen.

    The clock stops when the officer asks for a correction and restarts on the day the
    corrected application counts as received (:func:`receipt_day`); the working days after
    the request's day up to and including that day are not counted. A correction sent back
    the same working day costs nothing.
    """
    stopped = paused_at.astimezone(ZoneInfo(zone)).date()
    restarted = receipt_day(resumed_at, zone, calendar)
    return calendar.count_working_days(stopped, restarted)


def working_days_taken(
    submitted_at: datetime,
    completed_at: datetime,
    zone: str,
    calendar: Calendar,
    *,
    paused_days: int = 0,
) -> int:
    """Working days from receipt to completion, without the days paused (never negative)."""
    start = receipt_day(submitted_at, zone, calendar)
    end = completed_at.astimezone(ZoneInfo(zone)).date()
    return max(0, calendar.count_working_days(start, end) - paused_days)


@dataclass(frozen=True)
class SlaClock:
    """Where a case stands against its due date on ``today``."""

    state: str  # a value of choices.SlaState
    working_days_left: int  # negative when past due


def sla_state(
    due: date, today: date, calendar: Calendar, *, near_days: int = 1, paused: bool = False
) -> SlaClock:
    """Classify an open case: past due after its due date, due soon within ``near_days``."""
    if today > due:
        return SlaClock("overdue", -calendar.count_working_days(due, today))
    left = calendar.count_working_days(today, due)
    if paused:
        return SlaClock("paused", left)
    return SlaClock("near" if left <= near_days else "on_track", left)


# --- IKM: PermenPANRB 14/2017 ---------------------------------------------------------------


@dataclass(frozen=True)
class IkmResult:
    """The survey index of one unit, service or period (domain.md §2)."""

    respondents: int
    nrr: dict[str, Decimal]  # average score per element, 4 decimals
    ikm: Decimal  # 1–4, 4 decimals
    converted: Decimal  # ×25: 25–100, 2 decimals
    grade: str  # A–D
    weight: Decimal | None  # None: exact 1/9


def ikm_grade(converted: Decimal) -> str:
    """Mutu pelayanan from the converted score (the regulation's table; gaps closed)."""
    if converted >= Decimal("88.31"):
        return "A"
    if converted >= Decimal("76.61"):
        return "B"
    if converted >= Decimal("65.00"):
        return "C"
    return "D"


def ikm_score(
    responses: Iterable[Mapping[str, int | None]], *, weight: Decimal | None = None
) -> IkmResult | None:
    """Compute the IKM of ``responses`` (each maps ``u1``…``u9`` to 1–4 or None).

    NRR per element = total ÷ respondents who answered it; IKM = Σ NRR × weight; converted
    = IKM × 25. The regulation's weight is 1/9, which its worked example rounds to 0.11:
    by default the exact 1/9 is used (IKM = mean of the nine NRR); pass
    ``weight=Decimal("0.11")`` to reproduce official spreadsheets. Intermediate values keep
    4 decimals. Returns None when nobody answered.
    """
    totals = dict.fromkeys(IKM_ELEMENT_KEYS, 0)
    counts = dict.fromkeys(IKM_ELEMENT_KEYS, 0)
    respondents = 0
    for response in responses:
        respondents += 1
        for key in IKM_ELEMENT_KEYS:
            value = response.get(key)
            if value is None:
                continue
            if not 1 <= value <= 4:
                raise ValueError(f"{key} must be between 1 and 4, not {value}")
            totals[key] += value
            counts[key] += 1
    return ikm_from_totals(totals, counts, respondents, weight=weight)


def ikm_from_totals(
    totals: Mapping[str, int],
    counts: Mapping[str, int],
    respondents: int,
    *,
    weight: Decimal | None = None,
) -> IkmResult | None:
    """Compute the IKM from each element's total score and number of answers.

    The same computation as :func:`ikm_score`, for callers that hold sums (the dashboards'
    precomputed facts) instead of the individual responses.
    """
    if not respondents or not any(counts.get(key, 0) for key in IKM_ELEMENT_KEYS):
        return None
    nrr = {
        key: (Decimal(totals[key]) / counts[key]).quantize(FOUR_PLACES, ROUND_HALF_UP)
        for key in IKM_ELEMENT_KEYS
        if counts.get(key, 0)
    }
    if weight is None:
        ikm = (sum(nrr.values(), Decimal(0)) / len(nrr)).quantize(FOUR_PLACES, ROUND_HALF_UP)
    else:
        ikm = sum(
            ((value * weight).quantize(FOUR_PLACES, ROUND_HALF_UP) for value in nrr.values()),
            Decimal(0),
        )
    converted = (ikm * 25).quantize(TWO_PLACES, ROUND_HALF_UP)
    return IkmResult(respondents, nrr, ikm, converted, ikm_grade(converted), weight)


def krejcie_morgan(population: int) -> int:
    """Minimum respondents for a population of ``population`` (Krejcie & Morgan, 1970).

    s = χ²·N·P(1−P) / (d²(N−1) + χ²·P(1−P)) with χ² = 3.841, P = 0.5, d = 0.05, rounded to
    the nearest integer like the published table (N=100 → 80, N=1,000 → 278).
    """
    if population <= 0:
        return 0
    chi2, p, d = Decimal("3.841"), Decimal("0.5"), Decimal("0.05")
    spread = chi2 * p * (1 - p)
    size = spread * population / (d * d * (population - 1) + spread)
    return int(size.quantize(Decimal(1), ROUND_HALF_UP))


def median(values: Sequence[int]) -> Decimal | None:
    """The median of ``values`` (mean of the middle two for an even count), or None."""
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return Decimal(ordered[middle])
    return (Decimal(ordered[middle - 1]) + Decimal(ordered[middle])) / 2


# --- Tracking codes ---------------------------------------------------------------------------

#: No 0/O, 1/I/L, 5/S, 2/Z, 8/B: a code read over the phone or from a blurred screen has
#: one reading. 25 symbols × 10 places ≈ 46 bits: not guessable, and the status page also
#: needs the NIK and is rate-limited.
TRACKING_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
TRACKING_LENGTH = 10


def new_tracking_code() -> str:
    """A random tracking code of :data:`TRACKING_LENGTH` symbols (stored without dashes)."""
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))


def format_tracking_code(code: str) -> str:
    """Group the code for reading: ``ABCDE-FGHJK``."""
    return f"{code[:5]}-{code[5:]}" if len(code) == TRACKING_LENGTH else code


def normalise_tracking_code(text: str) -> str:
    """The stored form of a typed code: upper case, spaces and dashes dropped."""
    return "".join(ch for ch in text.upper() if ch.isalnum())
