"""The office's menu entries (registered in ``KantorConfig.ready``)."""

from collections.abc import Iterable

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from abdi.core.navigation import NavItem
from abdi.organisations.access import Role


def items(request: HttpRequest, roles: frozenset[str]) -> Iterable[NavItem]:
    if Role.EMPLOYEE in roles:
        yield NavItem(reverse("kantor:home"), _("Office"))
    if Role.AGENCY_ADMIN in roles:
        yield NavItem(reverse("kantor:manage"), _("Manage office"))
