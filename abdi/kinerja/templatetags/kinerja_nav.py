"""``{% leads_a_team as show_team %}``: whether the Kinerja tabs offer "My team"."""

from typing import Any

from django import template

from abdi.core.navigation import remembered
from abdi.organisations.access import employee_of
from abdi.organisations.models import Position

from ..access import acting_position_ids

register = template.Library()


@register.simple_tag(takes_context=True)
def leads_a_team(context: Any) -> bool:
    return leads_a_team_for(context.get("request"))


def leads_a_team_for(request: Any) -> bool:
    """True when the signed-in employee's position leads another, or they act (Plt/Plh) as one.

    Kept a minute (``navigation.remembered``): the team page checks who leads whom itself.
    """
    employee = employee_of(getattr(request, "user", None))
    if employee is None or employee.position_id is None:
        return False
    position_id = employee.position_id

    def leads() -> bool:
        if Position.objects.filter(reports_to_id=position_id).exists():
            return True
        return bool(acting_position_ids(employee))

    return remembered("leads-a-team", request.user, leads)
