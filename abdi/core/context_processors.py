from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from abdi.organisations.access import Role, roles_of

# The platform's areas; those not yet built are listed so people see what is coming.
AREAS = [
    ("kinerja", _("Performance")),
    ("layanan", _("Public services")),
    ("belajar", _("Learning")),
    ("kantor", _("Office")),
    ("inovasi", _("Innovation")),
    ("wawasan", _("Insights")),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Return the navigation entries for the signed-in user's roles."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_areas": []}
    roles = roles_of(user)
    items = []
    if Role.EMPLOYEE in roles:
        items.append({"url": reverse("organisations:profile"), "label": _("My profile")})
        items.append({"url": reverse("kinerja:plan-mine"), "label": _("Performance")})
    if roles & {Role.AGENCY_ADMIN, Role.PLATFORM_ADMIN, Role.EMPLOYEE}:
        items.append({"url": reverse("organisations:unit-list"), "label": _("Organisation")})
        items.append({"url": reverse("organisations:employee-list"), "label": _("Employees")})
    if roles & {Role.AGENCY_ADMIN, Role.PLATFORM_ADMIN}:
        items.append({"url": reverse("organisations:import-create"), "label": _("Import")})
    if Role.AGENCY_ADMIN in roles:
        items.append({"url": reverse("kinerja:manage"), "label": _("Manage performance")})
    if Role.CITIZEN in roles:
        items.append({"url": reverse("accounts:citizen-profile"), "label": _("My account")})
    areas = [] if roles == {Role.CITIZEN} else AREAS
    if Role.EMPLOYEE in roles:
        # Built: a link among the items above, no longer "coming soon".
        areas = [area for area in areas if area[0] != "kinerja"]
    return {"nav_items": items, "nav_areas": areas}
