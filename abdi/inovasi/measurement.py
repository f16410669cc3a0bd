"""The bound metric of an innovation before (baseline) and after (the latest period)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from abdi.kinerja import metrics

from . import rules
from .models import Innovation

__all__ = ["Comparison", "Reading", "compare", "latest", "subject_of"]


@dataclass(frozen=True)
class Reading:
    """The metric's value over one period; ``value`` is None when there is no data."""

    start: date | None
    end: date | None
    value: Decimal | None


@dataclass(frozen=True)
class Comparison:
    key: str
    label: str
    unit: str
    baseline: Reading
    latest: Reading
    change_percent: Decimal | None


def subject_of(innovation: Innovation) -> Any:
    """Return what the metric measures: the owner's unit for a unit metric, else the owner."""
    metric = metrics.get_metric(innovation.metric)
    if metric is not None and metric.scope == "unit":
        return innovation.unit
    return innovation.owner


def _read(innovation: Innovation, start: date, end: date) -> Reading:
    subject = subject_of(innovation)
    value = None if subject is None else metrics.compute(innovation.metric, subject, start, end)
    return Reading(start=start, end=end, value=value)


def latest(innovation: Innovation, today: date) -> Reading:
    """Return the bound metric over the latest period (as long as the baseline, to today)."""
    if (
        not innovation.metric
        or innovation.baseline_start is None
        or innovation.baseline_end is None
    ):
        return Reading(start=None, end=None, value=None)
    window = rules.latest_window(innovation.baseline_start, innovation.baseline_end, today)
    if window is None:
        return Reading(start=None, end=None, value=None)
    return _read(innovation, *window)


def compare(innovation: Innovation, today: date) -> Comparison | None:
    """Return the baseline and latest readings of the bound metric, or None if unbound."""
    metric = metrics.get_metric(innovation.metric) if innovation.metric else None
    if metric is None or innovation.baseline_start is None or innovation.baseline_end is None:
        return None
    before = _read(innovation, innovation.baseline_start, innovation.baseline_end)
    after = latest(innovation, today)
    return Comparison(
        key=metric.key,
        label=str(metric.label),
        unit=str(metric.unit),
        baseline=before,
        latest=after,
        change_percent=rules.relative_change(before.value, after.value),
    )
