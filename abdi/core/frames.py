"""A page's frame, kept apart from its body.

The frame is everything a page shows around its body: ``base.html``'s head, menu and account bar,
and the page's own title, heading and tabs. It changes far less often than the body. Pages
whose body is kept (ADR 0006) still rendered their frame at every visit, which took about a
third of a kept visit (docs/deploy.md §11, ninth round).

:func:`render_framed` keeps the rendered frame, with slots for the body and the CSRF token.
Its key holds everything the frame shows:

- the viewer, their name and whether they are staff;
- their menu, as built for them (:func:`abdi.core.context_processors.menu_of`);
- the language and the page's address (the language form comes back to it);
- what the caller says its template shows besides (``key``).

A frame is therefore never shown for a state it was not rendered from. It is kept only while
its menu could be kept (``MENU_SECONDS``), which also bounds how long a new release's frame
takes to show. A page with messages waiting is not kept: the messages show once.

:func:`empty_fields` is the small sibling for forms: the fields of an empty form, rendered
once per process and language and reused under each form's own prefix.
"""

import hashlib
from collections.abc import Hashable, Sequence
from functools import lru_cache
from typing import Any

from django import forms
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from .context_processors import menu_of
from .navigation import MENU_SECONDS

__all__ = [
    "BODY_SLOT",
    "CSRF_SLOT",
    "FRAME_SECONDS",
    "empty_fields",
    "kept_key",
    "render_framed",
]

# Stands for the CSRF token in kept HTML; each visit puts its own token in its place.
CSRF_SLOT = "abdi-csrf-slot-9c41e7"
# Stands for the body in a kept frame.
BODY_SLOT = "abdi-body-slot-5d2f8a"
# Stands for a form's prefix in its fields rendered once (empty_fields).
PREFIX_SLOT = "abdi-prefix-slot-e17b40"
FRAME_SECONDS = MENU_SECONDS


def kept_key(name: str, key: Sequence[Any]) -> str:
    """The cache key of kept HTML named ``name`` under ``key``, in the active language."""
    digest = hashlib.sha256("|".join(map(str, [*key, get_language()])).encode()).hexdigest()
    return f"{name}:{digest}"


def render_framed(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    body_name: str,
    body: str,
    key: Sequence[Any],
    status: int = 200,
) -> HttpResponse:
    """Render ``template``, a page extending ``base.html``, with ``body`` as ``context[body_name]``.

    ``body`` is HTML rendered already and holds this visit's CSRF token. ``key`` must hold
    what the template shows from ``context`` besides the body.
    """
    if len(get_messages(request)):
        return render(request, template, {**context, body_name: body}, status=status)
    user = request.user
    cache_key = kept_key(
        "frame",
        [
            template,
            user.pk,
            str(user),
            user.is_staff,
            menu_of(request),
            request.get_full_path(),
            *key,
        ],
    )
    frame = cache.get(cache_key)
    if frame is None:
        placeholders = {body_name: mark_safe(BODY_SLOT), "csrf_token": CSRF_SLOT}  # noqa: S308
        frame = render_to_string(template, {**context, **placeholders}, request)
        cache.set(cache_key, frame, FRAME_SECONDS)
    before, _slot, after = frame.partition(BODY_SLOT)
    token = get_token(request)
    return HttpResponse(
        before.replace(CSRF_SLOT, token) + body + after.replace(CSRF_SLOT, token), status=status
    )


def empty_fields(
    template: str, form_class: type[forms.Form], prefix: str | None = None, **options: Hashable
) -> SafeString:
    """The fields of ``form_class(prefix=prefix, **options)``, unbound, as ``template`` renders
    them (``form`` in its context).

    An empty form's fields depend only on its class, its options, its prefix and the language,
    none of which change while a process runs: they are rendered once per process for the
    options and the language, with a placeholder for the prefix, and each use puts its own
    prefix in. A page listing a form per row no longer renders the same fields once a row.
    ``options`` must be hashable (tuples, not lists) and plain text (no lazy translations,
    whose language would be that of the first use).
    """
    html = _empty_fields(
        template, form_class, prefix is not None, tuple(options.items()), get_language()
    )
    # Rendered by our own template, escaped there; the prefix is the caller's own name.
    return mark_safe(html.replace(PREFIX_SLOT, prefix) if prefix is not None else html)  # noqa: S308


@lru_cache(maxsize=256)
def _empty_fields(
    template: str,
    form_class: type[forms.Form],
    prefixed: bool,
    options: tuple[tuple[str, Hashable], ...],
    language: str,
) -> str:
    named: dict[str, Any] = dict(options)  # the form's own keyword arguments
    form = form_class(prefix=PREFIX_SLOT if prefixed else None, **named)
    return render_to_string(template, {"form": form})
