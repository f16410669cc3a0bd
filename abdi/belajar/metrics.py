"""The "JP earned" metric an SKP indicator (Kompeten) can be bound to."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from abdi.kinerja.metrics import register

__all__ = ["jp_earned"]


@register("belajar.jp_earned", label=_("JP earned (learning hours)"), unit=_("JP"))
def jp_earned(subject: Any, start: date, end: date) -> Decimal | None:
    """Return the JP the employee earned in attended learning sessions between the dates."""
    from .selectors import jp_earned as earned

    return earned(subject, start, end)
