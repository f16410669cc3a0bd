"""Wawasan's menu entry (registered in ``WawasanConfig.ready``)."""

from collections.abc import Iterable

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from abdi.core.navigation import NavItem
from abdi.organisations.access import Role


def items(request: HttpRequest, roles: frozenset[str]) -> Iterable[NavItem]:
    if roles & {Role.PLATFORM_ADMIN, Role.AGENCY_ADMIN, Role.UNIT_HEAD}:
        yield NavItem(reverse("wawasan:home"), _("Insights"))
