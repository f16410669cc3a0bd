"""Layanan's menu entries (registered in ``LayananConfig.ready``)."""

from collections.abc import Iterable

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from abdi.core.navigation import NavItem
from abdi.organisations.access import Role


def items(request: HttpRequest, roles: frozenset[str]) -> Iterable[NavItem]:
    if Role.CITIZEN in roles or not roles:
        yield NavItem(reverse("layanan:catalogue"), _("Services"))
    if Role.EMPLOYEE in roles:
        yield NavItem(reverse("layanan:queue"), _("Service queue"))
