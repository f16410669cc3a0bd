"""Innovation metrics an SKP indicator can be bound to (registered with ``kinerja.metrics``).

An innovation is *live* at the end of a period when it was endorsed by then, had reached
implementation (or replication) by then, and is not flagged dormant since on or before then.
Per employee: the live innovations they own or are in the team of. Per unit: those registered
in the unit (the owner's unit at registration) and its sub-units.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from abdi.kinerja.metrics import register
from abdi.organisations.models import Employee, UnitKerja

from .choices import ReviewStatus
from .models import Innovation, InnovationMember, StageChange
from .rules import IN_USE

__all__ = ["innovations_live", "unit_innovations_live"]

INNOVATIONS = _("innovations")


def _live(queryset: QuerySet[Innovation], end: date) -> Decimal:
    in_use = StageChange.objects.filter(to_stage__in=IN_USE, changed_on__lte=end).values(
        "innovation_id"
    )
    count = (
        queryset.filter(status=ReviewStatus.ENDORSED, endorsed_at__date__lte=end, pk__in=in_use)
        .exclude(dormant_since__lte=end)
        .count()
    )
    return Decimal(count)


@register("inovasi.innovations_live", label=_("Live innovations"), unit=INNOVATIONS)
def innovations_live(subject: Any, start: date, end: date) -> Decimal | None:
    """Endorsed innovations in use at the end of the period that the employee owns or is in."""
    if not isinstance(subject, Employee):
        return None
    teams = InnovationMember.objects.filter(employee_id=subject.pk).values("innovation_id")
    return _live(Innovation.objects.filter(Q(owner_id=subject.pk) | Q(pk__in=teams)), end)


@register(
    "inovasi.unit_innovations_live",
    label=_("Unit's live innovations"),
    unit=INNOVATIONS,
    scope="unit",
)
def unit_innovations_live(subject: Any, start: date, end: date) -> Decimal | None:
    """Endorsed innovations in use at the end of the period, of the unit and its sub-units."""
    unit = subject if isinstance(subject, UnitKerja) else None
    if isinstance(subject, Employee) and subject.position_id is not None:
        unit = UnitKerja.objects.filter(positions__pk=subject.position_id).first()
    if unit is None:
        return None
    return _live(
        Innovation.objects.filter(unit__path__startswith=unit.path, instansi_id=unit.instansi_id),
        end,
    )
