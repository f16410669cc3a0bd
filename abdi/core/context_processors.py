from typing import Any

from django.core.cache import cache
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import get_language
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
    """Return the navigation entries for the signed-in user's roles.

    Built when a template first shows them, and once per request: a partial rendered with
    the request (most do not show the menu) costs nothing, a second template no more.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_areas": []}
    return {
        "nav_items": SimpleLazyObject(lambda: menu_of(request)[0]),
        "nav_areas": SimpleLazyObject(lambda: menu_of(request)[1]),
    }


def menu_of(request: HttpRequest) -> tuple[list[dict[str, Any]], list[tuple[str, Any]]]:
    """The menu ``base.html`` shows the signed-in user: its entries and the areas still to
    come (none for a visitor); built once per request."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return [], []
    menu = getattr(request, "_abdi_menu", None)
    if menu is None:
        menu = request._abdi_menu = _Menu(request)  # type: ignore[attr-defined]
    return menu.built


class _Menu:
    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    @cached_property
    def built(self) -> tuple[list[dict[str, Any]], list[tuple[str, Any]]]:
        """The entries and the areas still to come, kept a while for the user and language
        (:data:`navigation.MENU_SECONDS`: the menu only links, every page checks access)."""
        user = self.request.user
        key = f"menu.built:{user.pk}:{get_language()}"
        found = cache.get(key)
        if found is None:
            found = self._build()
            cache.set(key, found, navigation.MENU_SECONDS)
        return found

    def _build(self) -> tuple[list[dict[str, Any]], list[tuple[str, Any]]]:
        request = self.request
        roles = frozenset(roles_of(request.user))
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
        # Kept as text, in the language of the key.
        return (
            [{"url": item["url"], "label": str(item["label"])} for item in items],
            [(code, str(label)) for code, label in areas],
        )
