"""Kinerja's menu entries (registered in ``KinerjaConfig.ready``)."""

from collections.abc import Iterable

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from abdi.core.navigation import NavItem
from abdi.organisations.access import Role


def items(request: HttpRequest, roles: frozenset[str]) -> Iterable[NavItem]:
    if Role.EMPLOYEE in roles:
        yield NavItem(reverse("kinerja:plan-mine"), _("Performance"))
    if Role.AGENCY_ADMIN in roles:
        yield NavItem(reverse("kinerja:manage"), _("Manage performance"))
        yield NavItem(reverse("kinerja:evaluation-manage"), _("Manage evaluation"))
