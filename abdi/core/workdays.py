"""Working days of Indonesian government offices (pure; no database).

Offices work Monday to Friday (Perpres 21/2023, Pasal 3). National holidays and *cuti
bersama* (collective leave) are fixed each year by a joint decree (SKB) of the ministers of
Religious Affairs, Manpower and PANRB; the ``holidays`` package carries them as the
``public`` and ``government`` categories of country ``ID``. Cuti bersama closes offices
(it is taken from annual leave), though a front-line service may choose to stay open, so it
is a per-calendar switch. The SKB can change mid-year: a :class:`Calendar` takes extra
closed days and extra open days on top of the package's list.

Dates here are calendar dates in the office's own zone; convert an instant with
``Instansi.local_date`` (or ``timezone.localtime(moment, zone).date()``) first.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays

__all__ = ["DEFAULT", "Calendar", "official_holidays"]

SATURDAY = 5


@lru_cache(maxsize=256)
def official_holidays(year: int, *, cuti_bersama: bool) -> dict[date, str]:
    """National holidays (and, if asked, cuti bersama) of ``year``, named in Indonesian."""
    categories = ("public", "government") if cuti_bersama else ("public",)
    days = holidays.country_holidays("ID", years=year, categories=categories, language="id")
    return dict(days.items())


@dataclass(frozen=True)
class Calendar:
    """Which days an office works.

    ``cuti_bersama``: whether collective-leave days close the office (the default).
    ``extra_closed`` / ``extra_open``: corrections to the published list (a decree that
    moved a day); ``extra_open`` wins over every other rule except the weekend.
    """

    cuti_bersama: bool = True
    extra_closed: frozenset[date] = frozenset()
    extra_open: frozenset[date] = frozenset()

    def holiday_name(self, day: date) -> str | None:
        """The holiday's name when ``day`` is a holiday, else None (weekends are not named)."""
        if day in self.extra_open:
            return None
        if day in self.extra_closed:
            return "Hari libur (ketetapan instansi)"
        return official_holidays(day.year, cuti_bersama=self.cuti_bersama).get(day)

    def is_working_day(self, day: date) -> bool:
        if day.weekday() >= SATURDAY:
            return False
        return self.holiday_name(day) is None

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def working_day_on_or_after(self, day: date) -> date:
        return day if self.is_working_day(day) else self.next_working_day(day)

    def add_working_days(self, day: date, count: int) -> date:
        """The ``count``-th working day after ``day`` (``day`` itself when count is 0)."""
        if count < 0:
            raise ValueError("count must not be negative")
        for _ in range(count):
            day = self.next_working_day(day)
        return day

    def working_days(self, start: date, end: date) -> Iterator[date]:
        """Working days in the half-open range ``(start, end]``."""
        day = start
        while day < end:
            day += timedelta(days=1)
            if self.is_working_day(day):
                yield day

    def count_working_days(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 if end ≤ start)."""
        return sum(1 for _ in self.working_days(start, end))


DEFAULT = Calendar()
