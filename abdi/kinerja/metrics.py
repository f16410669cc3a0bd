"""Metrics that an SKP indicator can be bound to, so its realisation is computed, not typed.

This is how Abdi is one system: the service, learning and innovation apps register metric
providers here (cases completed within SLA, unit IKM, JP earned…), and an officer's
indicator bound to one shows what the platform measured for the period.

Register a provider with :func:`register` at import time of the app's ``metrics`` module
(imported from its ``AppConfig.ready``)::

    @register("layanan.cases_completed", label=CASES_COMPLETED, unit=CASES)
    def cases_completed(subject: Employee | UnitKerja, start: date, end: date) -> Decimal | None:
        ...
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

__all__ = ["Metric", "compute", "get_metric", "metric_choices", "register"]

Provider = Callable[[Any, date, date], Decimal | None]


@dataclass(frozen=True)
class Metric:
    """A named measurement of an employee (or a unit) over a date range."""

    key: str
    label: str | Promise
    unit: str | Promise
    provider: Provider
    scope: str = "employee"  # or "unit"


_registry: dict[str, Metric] = {}


def register(
    key: str, *, label: str | Promise, unit: str | Promise, scope: str = "employee"
) -> Callable[[Provider], Provider]:
    """Register ``provider`` under ``key`` (``<app>.<name>``); keys are unique."""

    def decorator(provider: Provider) -> Provider:
        if key in _registry and _registry[key].provider is not provider:
            raise ValueError(f"Metric {key!r} is already registered.")
        _registry[key] = Metric(key=key, label=label, unit=unit, provider=provider, scope=scope)
        return provider

    return decorator


def get_metric(key: str) -> Metric | None:
    """Return the metric registered under ``key``, or None."""
    return _registry.get(key)


def metric_choices() -> list[tuple[str, str]]:
    """Return ``(key, "label (unit)")`` pairs for a select, sorted by label."""
    return sorted(
        ((m.key, f"{m.label} ({m.unit})") for m in _registry.values()), key=lambda c: c[1]
    )


def compute(key: str, subject: Any, start: date, end: date) -> Decimal | None:
    """Return the metric's value for ``subject`` between ``start`` and ``end`` inclusive."""
    metric = _registry.get(key)
    if metric is None:
        return None
    return metric.provider(subject, start, end)


@register(
    "kinerja.accepted_outputs",
    label=_("Accepted weekly outputs"),
    unit=_("outputs"),
)
def accepted_outputs(subject: Any, start: date, end: date) -> Decimal | None:
    """Sum the quantities of the employee's output entries the leader accepted in the range."""
    from .choices import ReportStatus
    from .models import OutputEntry

    total = OutputEntry.objects.filter(
        employee=subject, status=ReportStatus.ACCEPTED, week__gte=start, week__lte=end
    ).aggregate(total=Sum("quantity"))["total"]
    return total if total is not None else Decimal(0)
