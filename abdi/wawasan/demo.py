"""Dashboard facts for the demo agency: every month of the demo years and the years.

Run after the other apps' demos (``manage.py seed_demo``), so the dashboards open on real
figures. Safe to run again: a refresh replaces the period's rows.
"""

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from abdi.kinerja.models import PerformanceYear
from abdi.organisations.demo import INSTANSI_CODE
from abdi.organisations.models import Instansi

from . import facts

__all__ = ["DemoResult", "seed_demo"]


@dataclass
class DemoResult:
    notes: list[str] = field(default_factory=list)
    rows: int = 0


def seed_demo(*, stdout: Any = None) -> DemoResult:
    """Rebuild the demo agency's facts for its performance years and the current year."""
    result = DemoResult()
    instansi = Instansi.objects.filter(code=INSTANSI_CODE).first()
    if instansi is None:
        result.notes.append("Wawasan demo skipped: the demo agency is not loaded.")
        return result
    years = set(PerformanceYear.objects.filter(instansi=instansi).values_list("year", flat=True))
    years.add(instansi.local_date(timezone.now()).year)
    for year in sorted(years):
        result.rows += facts.refresh_agency(instansi=instansi, year=year)
    if stdout is not None:
        stdout.write(f"Wawasan: {result.rows} dashboard facts for {sorted(years)}.\n")
    return result
