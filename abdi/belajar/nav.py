"""Belajar's menu entries (registered in ``BelajarConfig.ready``)."""

from collections.abc import Iterable

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from abdi.core.navigation import NavItem, remembered
from abdi.organisations.access import Role

from .access import organised_programme_filter
from .models import Programme


def items(request: HttpRequest, roles: frozenset[str]) -> Iterable[NavItem]:
    if not roles & {Role.EMPLOYEE, Role.AGENCY_ADMIN, Role.PLATFORM_ADMIN}:
        return  # citizens cannot register; the programme pages stay public by link
    yield NavItem(reverse("belajar:programme-list"), _("Learning"))
    if Role.EMPLOYEE in roles:
        yield NavItem(reverse("belajar:jp-mine"), _("My JP"))
    user = request.user
    if Role.AGENCY_ADMIN in roles or Role.PLATFORM_ADMIN in roles:
        yield NavItem(reverse("belajar:organise"), _("Organise learning"))
    elif user.is_authenticated:
        condition = organised_programme_filter(user)
        if condition is not None and remembered(
            "organises-learning", user, Programme.objects.filter(condition).exists
        ):
            yield NavItem(reverse("belajar:organise"), _("Organise learning"))
