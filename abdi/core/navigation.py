"""The navigation registry: each app adds its own menu entries.

An app registers a provider in its ``AppConfig.ready``::

    navigation.register("layanan", layanan_nav)

where ``layanan_nav(request, roles)`` returns ``NavItem`` entries for the signed-in user.
An area with a registered provider is built, so it leaves the "coming soon" list.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.functional import Promise

__all__ = [
    "MENU_SECONDS",
    "NavItem",
    "Provider",
    "items_for",
    "register",
    "registered_areas",
    "remembered",
]

# How long a user's menu, and its answers about them (do they organise learning, lead a
# team), are kept. The menu only links: every page checks access itself, so a new entry
# showing up to a minute late is the whole cost, against building it on every page.
MENU_SECONDS = 60


@dataclass(frozen=True)
class NavItem:
    url: str
    label: str | Promise


Provider = Callable[[HttpRequest, frozenset[str]], Iterable[NavItem]]

_providers: dict[str, Provider] = {}


def register(area: str, provider: Provider) -> None:
    """Add (or replace, on a reload) the menu entries of ``area``."""
    _providers[area] = provider


def registered_areas() -> frozenset[str]:
    return frozenset(_providers)


def items_for(request: HttpRequest, roles: frozenset[str]) -> list[NavItem]:
    """Every registered app's entries for this user, in registration order."""
    return [item for provider in _providers.values() for item in provider(request, roles)]


def remembered(question: str, user: Any, answer: Callable[[], bool]) -> bool:
    """Return ``answer()`` for ``user``, kept :data:`MENU_SECONDS` under ``question``."""
    key = f"menu.{question}:{user.pk}"
    found = cache.get(key)
    if found is None:
        found = bool(answer())
        cache.set(key, found, MENU_SECONDS)
    return bool(found)
