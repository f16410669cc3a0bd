"""Team status, cascade, role-result matrix and metrics."""

from decimal import Decimal
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja.pagination import LimitOffsetPagination, paginate

from abdi.organisations import selectors as org_selectors
from abdi.organisations.models import Employee

from .. import metrics, rules, selectors
from ._common import (
    _me,
    _year,
)
from .schemas import (
    CascadeOut,
    MatrixOut,
    MetricOut,
    TeamRowOut,
    router,
)

__all__ = [
    "cascade_tree",
    "metric_list",
    "role_result_matrix",
    "team_status",
]


# --- Team, cascade, matrix, metrics ----------------------------------------------------------


@router.get("/team", response=list[TeamRowOut], operation_id="team_status")
@paginate(LimitOffsetPagination)
def team_status(request: HttpRequest, year: int | None = None) -> Any:
    """List your direct subordinates' SKP status and what waits for your decision."""
    leader = _me(request)
    return selectors.team_status(leader=leader, year=_year(request, year))


def _cascade_nodes(
    tree: selectors.CascadePlan, progress: dict[int, Decimal | None]
) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = []

    def walk(node: selectors.CascadeNode, parent: UUID | None, depth: int) -> None:
        nodes.append({
            "rhk_id": node.rhk.public_id, "parent_id": parent, "plan_id": node.rhk.plan.public_id,
            "employee": node.employee, "kind": node.rhk.kind, "text": node.rhk.text,
            "depth": depth, "progress": progress.get(node.rhk.pk),
        })  # fmt: skip
        for child in node.supporting:
            walk(child, node.rhk.public_id, depth + 1)

    for root in tree.rhks:
        walk(root, None, 0)
    return nodes


@router.get("/cascade", response=CascadeOut, operation_id="cascade_tree")
def cascade_tree(request: HttpRequest, year: int | None = None, instansi: str | None = None) -> Any:
    """Return the agency's cascade from the head's current plan, as a flat list of nodes."""
    performance_year = _year(request, year, instansi)
    head = (
        Employee.objects.filter(
            instansi_id=performance_year.instansi_id,
            position__is_unit_head=True,
            position__unit__parent__isnull=True,
        )
        .order_by("position__chain")
        .first()
    )
    root_plan = selectors.plan_current_for(head, performance_year) if head else None
    if root_plan is None:
        return {"root_plan_id": None, "nodes": []}
    tree = selectors.cascade_tree(year=performance_year, root_plan=root_plan)
    periods = rules.evaluation_periods(performance_year.year, performance_year.rhythm)
    progress = selectors.rhk_progress_for_year(year=performance_year, upto_period=len(periods))
    return {"root_plan_id": root_plan.public_id, "nodes": _cascade_nodes(tree, progress)}


@router.get("/matrix", response=MatrixOut, operation_id="role_result_matrix")
def role_result_matrix(request: HttpRequest, unit: UUID, year: int | None = None) -> Any:
    """Return a unit's role–result matrix: the head's results × the staff's contributions."""
    unit_obj = org_selectors.unit_get_for_actor(actor=request.user, public_id=unit)
    performance_year = _year(request, year, unit_obj.instansi.code)
    rows, columns = selectors.role_result_matrix(year=performance_year, unit=unit_obj)
    return {"rows": rows, "columns": columns}


@router.get("/metrics", response=list[MetricOut], operation_id="metric_list")
@paginate(LimitOffsetPagination)
def metric_list(request: HttpRequest) -> Any:
    """List the platform metrics an indicator can be bound to, sorted by label."""
    found = [metrics.get_metric(key) for key, _label in metrics.metric_choices()]
    return [
        {"key": metric.key, "label": str(metric.label), "unit": str(metric.unit)}
        for metric in found
        if metric is not None
    ]
