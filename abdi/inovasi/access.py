"""Who may see, change and review an innovation. One condition per line; every branch is tested.

Drafts, submitted and returned innovations are private to the owner, their team, the
owner's leaders up the chain of command (and an acting leader), and the agency's
administrators. An endorsed innovation is public to every employee of every agency, so
that others can find it and replicate it.
"""

from typing import Any

from django.db.models import Q

from abdi.core.trees import path_ids
from abdi.kinerja.access import acting_leaders, acting_position_ids, may_decide
from abdi.organisations.access import administered_instansi_ids, employee_of
from abdi.organisations.models import Position

from .choices import ReviewStatus
from .models import Innovation, InnovationMember

__all__ = ["can_change", "can_review", "can_view", "is_team", "visible_filter"]


def visible_filter(user: Any) -> Q | None:
    """Return the filter of innovations ``user`` may see; None means all of them."""
    if user.is_superuser:
        return None
    allowed = Q(instansi_id__in=administered_instansi_ids(user))
    viewer = employee_of(user)
    if viewer is None:
        return allowed
    allowed |= Q(status=ReviewStatus.ENDORSED)
    allowed |= Q(owner_id=viewer.pk)
    allowed |= Q(
        pk__in=InnovationMember.objects.filter(employee_id=viewer.pk).values("innovation_id")
    )
    led_positions = list(acting_position_ids(viewer))
    if viewer.position_id is not None:
        led_positions.append(viewer.position_id)
    chains = Position.objects.filter(pk__in=led_positions).values_list("chain", flat=True)
    for chain in chains:
        # Everyone whose chain of command runs through a position the viewer holds or acts on.
        allowed |= Q(owner__position__chain__startswith=chain, instansi_id=viewer.instansi_id)
    return allowed


def can_view(user: Any, innovation: Innovation) -> bool:
    """Return whether ``user`` may see ``innovation``."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    if innovation.instansi_id in administered_instansi_ids(user):
        return True
    viewer = employee_of(user)
    if viewer is None:
        return False
    if innovation.status == ReviewStatus.ENDORSED:
        return True
    if viewer.pk == innovation.owner_id:
        return True
    if is_team(viewer.pk, innovation):
        return True
    owner_position = innovation.owner.position
    if owner_position is None:
        return False
    if viewer.instansi_id != innovation.instansi_id:
        return False
    # Leaders up the chain of command (not the owner's own position, the last id).
    if viewer.position_id is not None and viewer.position_id in path_ids(owner_position.chain)[:-1]:
        return True
    return any(acting.pk == viewer.pk for acting in acting_leaders(innovation.owner))


def is_team(employee_id: int, innovation: Innovation) -> bool:
    """Return whether the employee is in the innovation's team (the owner included)."""
    if employee_id == innovation.owner_id:
        return True
    return innovation.members.filter(employee_id=employee_id).exists()


def can_change(user: Any, innovation: Innovation) -> bool:
    """Return whether ``user`` is the owner, who alone changes the innovation."""
    own = employee_of(user)
    return own is not None and own.pk == innovation.owner_id


def can_review(user: Any, innovation: Innovation) -> bool:
    """Return whether ``user`` reviews ``innovation``: the owner's direct (or acting) leader,
    or the agency administrator for a head of agency without a leader on the platform."""
    if can_change(user, innovation):
        return False
    return may_decide(user, innovation.owner)
