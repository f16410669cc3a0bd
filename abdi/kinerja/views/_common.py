"""Helpers shared by the SKP pages."""

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.http import Http404, HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from abdi.core.exceptions import NotFoundError
from abdi.core.frames import CSRF_SLOT, kept_key
from abdi.core.queries import CompiledQuery
from abdi.organisations.access import employee_of
from abdi.organisations.models import Employee

from .. import rules, selectors
from ..access import can_view_plan
from ..choices import PlanStatus, YearStatus
from ..models import (
    PerformanceYear,
    SkpPlan,
)
from ..templatetags.kinerja_nav import leads_a_team_for

EDITABLE = (PlanStatus.DRAFT, PlanStatus.RETURNED)
PLAN_RELATED = selectors.PLAN_RELATED
# How long a rendered partial is kept (kept_partial). Its key changes with every row it
# shows; people's and units' names are not in the key, so a new name shows within this time.
KEPT_SECONDS = 300


def kept_partial(
    request: HttpRequest,
    name: str,
    key: Sequence[Any],
    context: Callable[[], dict[str, Any]],
    template: str,
) -> SafeString:
    """Render ``template`` with ``context()``, or take it from the cache if ``key`` matches.

    ``key`` must hold everything the partial depends on: the viewer, the language and a
    fingerprint of the rows it shows (ADR 0006). The partial is kept with a placeholder
    for the CSRF token, which each visit replaces with its own.
    """
    cache_key = kept_key(f"kinerja.{name}", key)
    html = cache.get(cache_key)
    if html is None:
        html = render_to_string(template, {**context(), "csrf_token": CSRF_SLOT}, request)
        cache.set(cache_key, html, KEPT_SECONDS)
    # Rendered by our own template, escaped there; the token is Django's own.
    return mark_safe(str(html).replace(CSRF_SLOT, get_token(request)))  # noqa: S308


def tabs_shown(request: HttpRequest) -> list[Any]:
    """What the Kinerja tabs (``_nav.html``) show for the viewer, for a kept frame's key
    (:func:`core.frames.render_framed`): "My team" only for leaders."""
    return [leads_a_team_for(request)]


def kept_fragments(name: str, keys: dict[Any, Sequence[Any]]) -> dict[Any, SafeString]:
    """The parts of a partial kept under ``keys`` (as :func:`kept_partial`'s key), in one
    read; a part not found is absent. Parts hold the CSRF placeholder, as partials do."""
    cache_keys = {part: kept_key(f"kinerja.{name}", key) for part, key in keys.items()}
    found = cache.get_many(list(cache_keys.values()))
    # Rendered by our own templates, escaped there.
    return {
        part: mark_safe(found[cache_key])  # noqa: S308
        for part, cache_key in cache_keys.items()
        if cache_key in found
    }


def keep_fragments(name: str, keys: dict[Any, Sequence[Any]], html: dict[Any, str]) -> None:
    """Keep the parts ``html`` rendered, each under its key, for :func:`kept_fragments`."""
    cache.set_many(
        {kept_key(f"kinerja.{name}", keys[part]): html[part] for part in html}, KEPT_SECONDS
    )


# --- Helpers ---------------------------------------------------------------------------------


def _me(request: HttpRequest) -> Employee:
    """Return the signed-in employee, or 404 for anyone who is not one."""
    employee = employee_of(request.user)
    if employee is None:
        raise Http404
    return employee


_OPEN_YEARS = CompiledQuery(
    lambda instansi_id: (
        PerformanceYear.objects.select_related("instansi")
        .filter(instansi_id=instansi_id, status=YearStatus.OPEN)
        .order_by("-year")
    )
)


def _open_year(employee: Employee) -> PerformanceYear | None:
    """Return the working year: the open year of today's date in the agency's zone.

    Opening next year's period in advance must not take people out of the year they are
    still reporting in; without an open current year, the latest open one is used.
    """
    years = _OPEN_YEARS.all(employee.instansi_id)
    if not years:
        return None
    this_year = _today(years[0]).year
    return next((y for y in years if y.year == this_year), years[0])


def _today(year: PerformanceYear) -> date:
    return year.instansi.local_date()


def _started_periods(year: PerformanceYear) -> list[rules.EvaluationPeriod]:
    today = _today(year)
    return [p for p in rules.evaluation_periods(year.year, year.rhythm) if p.start <= today]


def _period_choices(periods: list[rules.EvaluationPeriod]) -> list[tuple[int, str]]:
    return [(p.index, f"{p.index} ({p.start:%d/%m}–{p.end:%d/%m})") for p in reversed(periods)]


def _percent(value: Decimal | None) -> int | None:
    return None if value is None else int((value * 100).to_integral_value())


def _plan(plan_id: Any) -> SkpPlan:
    return SkpPlan.objects.select_related(*PLAN_RELATED).get(pk=plan_id)


def _plan_for(request: HttpRequest, public_id: Any) -> SkpPlan:
    try:
        return selectors.plan_get_for_actor(actor=request.user, public_id=public_id)
    except NotFoundError as exc:
        raise Http404 from exc


def _visible(request: HttpRequest, model: Any, public_id: Any, plan_path: str) -> Any:
    """Return the object whose plan (at ``plan_path``) the actor may see, or 404."""
    related = [f"{plan_path}__{name}" for name in PLAN_RELATED]
    obj = model.objects.select_related(*related).filter(public_id=public_id).first()
    if obj is None:
        raise Http404
    plan = obj
    for part in plan_path.split("__"):
        plan = getattr(plan, part)
    if not can_view_plan(request.user, plan):
        raise Http404
    return obj


def _plan_url(request: HttpRequest, plan: SkpPlan) -> str:
    me = employee_of(request.user)
    if me is not None and me.pk == plan.employee_id and plan.is_current:
        return reverse("kinerja:plan-mine")
    return reverse("kinerja:plan-detail", kwargs={"public_id": plan.public_id})


def _require_plan_owner(request: HttpRequest, plan: SkpPlan) -> None:
    """Only the plan's owner changes it: 404 for everyone else, leaders included."""
    me = employee_of(request.user)
    if me is None or me.pk != plan.employee_id:
        raise Http404


def _selected_period(
    request: HttpRequest, periods: list[rules.EvaluationPeriod]
) -> rules.EvaluationPeriod | None:
    """The period asked for with ``?periode=N`` if it has started, else the latest started."""
    by_index = {p.index: p for p in periods}
    try:
        asked = int(request.GET.get("periode", ""))
    except ValueError:
        asked = 0
    return by_index.get(asked) or (periods[-1] if periods else None)
