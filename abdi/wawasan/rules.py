"""Pure rules of the dashboards: periods, shares, medians from histograms, chart scales.

No ORM, no settings: plain values in, plain values out.
"""

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

__all__ = [
    "MONTHS_PER_PERIOD",
    "Period",
    "bar_percent",
    "kinerja_period_ending",
    "median_from_histogram",
    "merge_histograms",
    "share",
]

#: Months per evaluation period for each rhythm of a performance year.
MONTHS_PER_PERIOD = {"monthly": 1, "quarterly": 3, "semester": 6}

_ONE_PLACE = Decimal("0.1")


@dataclass(frozen=True)
class Period:
    """A dashboard period: one month of a year, or the whole year (``month`` 0)."""

    year: int
    month: int = 0

    def __post_init__(self) -> None:
        if not 1900 <= self.year <= 9999:
            raise ValueError(f"year out of range: {self.year}")
        if not 0 <= self.month <= 12:
            raise ValueError(f"month out of range: {self.month}")

    @property
    def is_year(self) -> bool:
        return self.month == 0

    @property
    def months(self) -> range:
        """The calendar months the period covers."""
        return range(1, 13) if self.is_year else range(self.month, self.month + 1)

    @property
    def start(self) -> date:
        return date(self.year, self.month or 1, 1)

    @property
    def end(self) -> date:
        """The last day of the period."""
        last_month = self.month or 12
        return date(self.year, last_month, calendar.monthrange(self.year, last_month)[1])

    @classmethod
    def containing(cls, day: date) -> "Period":
        return cls(day.year, day.month)


def kinerja_period_ending(month: int, rhythm: str) -> int | None:
    """Return the evaluation period of a year with ``rhythm`` that ends in ``month``.

    Month 0 (the whole year) is the annual evaluation, period 0. A quarterly year has
    periods ending in March, June, September and December; other months return None.
    """
    if month == 0:
        return 0
    size = MONTHS_PER_PERIOD[rhythm]
    if month % size:
        return None
    return month // size


def share(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    """``part`` as a percentage of ``whole`` with one decimal, or None when ``whole`` is 0."""
    if not whole:
        return None
    return (Decimal(100) * Decimal(part) / Decimal(whole)).quantize(_ONE_PLACE, ROUND_HALF_UP)


def median_from_histogram(histogram: Mapping[int, int]) -> Decimal | None:
    """The median of the values counted in ``histogram`` ({value: how many}), or None.

    The mean of the middle two for an even count, as ``layanan.rules.median``; the
    histogram lets the median of many months and units be combined without the raw rows.
    """
    total = sum(count for count in histogram.values() if count > 0)
    if not total:
        return None
    ordered = sorted((value, count) for value, count in histogram.items() if count > 0)
    wanted = [(total - 1) // 2, total // 2]  # 0-based positions of the middle value(s)
    found: list[int] = []
    seen = 0
    for value, count in ordered:
        while wanted and wanted[0] < seen + count:
            found.append(value)
            wanted.pop(0)
        seen += count
    return (Decimal(found[0]) + Decimal(found[1])) / 2


def merge_histograms(histograms: Sequence[Mapping[str | int, int]]) -> dict[int, int]:
    """Add histograms whose keys may be strings (as stored in JSON)."""
    merged: dict[int, int] = {}
    for histogram in histograms:
        for value, count in histogram.items():
            merged[int(value)] = merged.get(int(value), 0) + int(count)
    return merged


def bar_percent(value: int | Decimal, largest: int | Decimal) -> int:
    """Width of a bar in percent of the largest bar of its chart (0–100, whole numbers)."""
    if not largest or value <= 0:
        return 0
    return max(1, min(100, int((Decimal(value) * 100 / Decimal(largest)).to_integral_value())))
