"""Reads of the innovation registry, scoped to the actor.

An innovation the actor may not see is reported as not found, like a missing one. Other
agencies' employees see endorsed innovations only (see :mod:`abdi.inovasi.access`).
"""

from typing import Any
from uuid import UUID

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from abdi.core.exceptions import NotFoundError
from abdi.organisations.access import employee_of

from .access import can_review, can_view, visible_filter
from .choices import ReviewStatus, Stage
from .models import Innovation, InnovationEvidence, InnovationMember, StageChange

__all__ = [
    "evidence_get_for_actor",
    "innovation_get_for_actor",
    "innovation_list_for_actor",
    "innovation_search",
    "replications_visible",
    "review_queue",
    "stage_counts",
]

_RELATED = ("instansi", "owner__position__unit", "unit", "replicates__instansi", "endorsed_by")


def innovation_list_for_actor(*, actor: Any) -> QuerySet[Innovation]:
    """Return every innovation the actor may see."""
    if not getattr(actor, "is_authenticated", False):
        return Innovation.objects.none()
    condition = visible_filter(actor)
    queryset = Innovation.objects.select_related(*_RELATED)
    return queryset if condition is None else queryset.filter(condition)


def innovation_search(
    *,
    actor: Any,
    q: str = "",
    stage: str = "",
    service: str = "",
    instansi_code: str = "",
    mine: bool = False,
    exclude_own_agency: bool = False,
    status: str = "",
) -> QuerySet[Innovation]:
    """Search the innovations the actor may see by keyword (title, problem, idea), stage,
    service and agency; ``mine``: those the actor owns or is in the team of."""
    queryset = innovation_list_for_actor(actor=actor)
    for word in q.split()[:8]:
        queryset = queryset.filter(
            Q(title__icontains=word) | Q(problem__icontains=word) | Q(idea__icontains=word)
        )
    if stage:
        queryset = queryset.filter(stage=stage)
    if service.strip():
        queryset = queryset.filter(service_name__icontains=service.strip())
    if instansi_code:
        queryset = queryset.filter(instansi__code=instansi_code)
    if status:
        queryset = queryset.filter(status=status)
    own = employee_of(actor)
    if mine:
        if own is None:
            return queryset.none()
        queryset = queryset.filter(
            Q(owner_id=own.pk)
            | Q(pk__in=InnovationMember.objects.filter(employee_id=own.pk).values("innovation_id"))
        )
    if exclude_own_agency and own is not None:
        queryset = queryset.exclude(instansi_id=own.instansi_id)
    return queryset.order_by("-created_at", "-id")


def review_queue(*, actor: Any) -> list[Innovation]:
    """Return the submitted innovations waiting for the actor's decision."""
    own = employee_of(actor)
    if own is None:
        return []
    candidates = (
        innovation_list_for_actor(actor=actor)
        .filter(status=ReviewStatus.SUBMITTED, instansi_id=own.instansi_id)
        .exclude(owner_id=own.pk)
        .order_by("submitted_at")
    )
    return [innovation for innovation in candidates if can_review(actor, innovation)]


def innovation_get_for_actor(*, actor: Any, public_id: UUID | str) -> Innovation:
    """Return an innovation with its team, history, evidence and replications, or raise
    :class:`NotFoundError` (also when the actor may not see it)."""
    innovation = (
        Innovation.objects.select_related(*_RELATED, "rhk", "skp_rhk")
        .prefetch_related(
            Prefetch("members", queryset=InnovationMember.objects.select_related("employee")),
            Prefetch("stage_history", queryset=StageChange.objects.order_by("changed_on", "id")),
            "collaborators",
            "evidence",
            "updates__author",
        )
        .filter(public_id=public_id)
        .first()
    )
    if innovation is None or not can_view(actor, innovation):
        raise NotFoundError(_("Innovation not found."), code="inovasi.not_found")
    return innovation


def replications_visible(*, actor: Any, innovation: Innovation) -> QuerySet[Innovation]:
    """Return the replications of ``innovation`` the actor may see (drafts stay private)."""
    return (
        innovation_list_for_actor(actor=actor).filter(replicates=innovation).order_by("created_at")
    )


def evidence_get_for_actor(*, actor: Any, public_id: UUID | str) -> InnovationEvidence:
    """Return an evidence file of an innovation the actor may see, or raise not found."""
    evidence = (
        InnovationEvidence.objects.select_related("innovation__owner__position")
        .filter(public_id=public_id)
        .exclude(file="")
        .first()
    )
    if evidence is None or not can_view(actor, evidence.innovation):
        raise NotFoundError(_("Evidence not found."), code="inovasi.evidence_not_found")
    return evidence


def stage_counts(*, instansi_id: int, unit_path: str = "") -> dict[str, dict[str, int]]:
    """Return ``{stage: {"total", "endorsed", "dormant"}}`` of an agency's innovations (of a
    unit subtree when ``unit_path`` is given), every stage present, in one query.

    For dashboards: the caller has already checked the actor may see the agency or unit.
    """
    queryset = Innovation.objects.filter(instansi_id=instansi_id)
    if unit_path:
        queryset = queryset.filter(unit__path__startswith=unit_path)
    rows = queryset.values("stage").annotate(
        total=Count("id"),
        endorsed=Count("id", filter=Q(status=ReviewStatus.ENDORSED)),
        dormant=Count("id", filter=Q(dormant_since__isnull=False)),
    )
    counts = {stage: {"total": 0, "endorsed": 0, "dormant": 0} for stage in Stage.values}
    for row in rows:
        counts[row["stage"]] = {key: row[key] for key in ("total", "endorsed", "dormant")}
    return counts
