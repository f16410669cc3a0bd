"""Who may see which letter. One condition per line; every branch is tested.

Before signing a letter is seen only by its drafter and the officials on its paraf route.
Once signed, the access class decides:

- ``biasa``: every employee of the agency (and its administrators);
- ``terbatas``: the people it went through (drafter, route, recipients, dispositions) and
  the agency's administrators (the archivists);
- ``rahasia``: only the people it went through.
"""

from typing import Any

from django.db.models import Q

from abdi.organisations.access import administered_instansi_ids, employee_of

from .choices import AccessClass, LetterStatus
from .models import Letter

__all__ = ["can_view_letter", "involved_filter", "visible_letter_filter"]


def involved_filter(employee_id: int) -> Q:
    """Return the letters an employee drafted, initialled, signed or received."""
    return (
        Q(drafter_id=employee_id)
        | Q(pk__in=Letter.objects.filter(steps__employee_id=employee_id).values("pk"))
        | Q(pk__in=Letter.objects.filter(dispositions__recipient_id=employee_id).values("pk"))
    )


def visible_letter_filter(user: Any) -> Q | None:
    """Return the filter of letters ``user`` may open; None means all of them."""
    if user.is_superuser:
        return None
    signed = Q(status=LetterStatus.SIGNED)
    administered = administered_instansi_ids(user)
    allowed = signed & Q(instansi_id__in=administered) & ~Q(access_class=AccessClass.RAHASIA)
    employee = employee_of(user)
    if employee is not None:
        allowed |= involved_filter(employee.pk)
        allowed |= signed & Q(instansi_id=employee.instansi_id, access_class=AccessClass.BIASA)
    return allowed


def can_view_letter(user: Any, letter: Letter) -> bool:
    """Return whether ``user`` may open ``letter``."""
    if not getattr(user, "is_authenticated", False):
        return False
    condition = visible_letter_filter(user)
    if condition is None:
        return True
    return Letter.objects.filter(condition, pk=letter.pk).exists()
