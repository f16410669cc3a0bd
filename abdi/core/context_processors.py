from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from abdi.organisations.access import Role, roles_of

from . import navigation

# The platform's areas; those no app has registered menu entries for yet are listed so
# people see what is coming.
AREAS = [
    ("kinerja", _("Performance")),
    ("layanan", _("Public services")),
    ("belajar", _("Learning")),
    ("kantor", _("Office")),
    ("inovasi", _("Innovation")),
    ("wawasan", _("Insights")),
]


def navigation_items(request: HttpRequest) -> dict[str, Any]:
    """Return the navigation entries for the signed-in user's roles."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_areas": []}
    roles = frozenset(roles_of(user))
    items: list[Any] = []
    if Role.EMPLOYEE in roles:
        items.append({"url": reverse("organisations:profile"), "label": _("My profile")})
    if roles & {Role.AGENCY_ADMIN, Role.PLATFORM_ADMIN, Role.EMPLOYEE}:
        items.append({"url": reverse("organisations:unit-list"), "label": _("Organisation")})
        items.append({"url": reverse("organisations:employee-list"), "label": _("Employees")})
    if roles & {Role.AGENCY_ADMIN, Role.PLATFORM_ADMIN}:
        items.append({"url": reverse("organisations:import-create"), "label": _("Import")})
    items.extend(
        {"url": item.url, "label": item.label} for item in navigation.items_for(request, roles)
    )
    if Role.CITIZEN in roles:
        items.append({"url": reverse("accounts:citizen-profile"), "label": _("My account")})
    built = navigation.registered_areas()
    areas = [] if roles == {Role.CITIZEN} else [a for a in AREAS if a[0] not in built]
    return {"nav_items": items, "nav_areas": areas}
