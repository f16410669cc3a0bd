"""Pages of the SKP: my plan, my team, the cascade, the role-result matrix, the output log.

Views stay thin: a form parses, a service decides and writes, a refusal comes back as 422
with the service's message on the form. htmx requests get the plan partial back.
"""

from .outputs import (
    outputs,
)
from .plan import (
    IndicatorRow,
    RhkRow,
    Section,
    indicator_create,
    indicator_delete,
    indicator_update,
    plan_annex,
    plan_approve,
    plan_create,
    plan_detail,
    plan_expectations,
    plan_mine,
    plan_pdf,
    plan_return,
    plan_revise,
    plan_submit,
    plan_xlsx,
    rhk_contributor_add,
    rhk_create,
    rhk_delete,
    rhk_update,
)
from .reporting import (
    evidence_file,
    feedback_create,
    realisation_create,
    realisation_decide,
)
from .team import (
    TreeItem,
    cascade,
    matrix,
    matrix_xlsx,
    output_decide,
    team,
)

__all__ = [
    "IndicatorRow",
    "RhkRow",
    "Section",
    "TreeItem",
    "cascade",
    "evidence_file",
    "feedback_create",
    "indicator_create",
    "indicator_delete",
    "indicator_update",
    "matrix",
    "matrix_xlsx",
    "output_decide",
    "outputs",
    "plan_annex",
    "plan_approve",
    "plan_create",
    "plan_detail",
    "plan_expectations",
    "plan_mine",
    "plan_pdf",
    "plan_return",
    "plan_revise",
    "plan_submit",
    "plan_xlsx",
    "realisation_create",
    "realisation_decide",
    "rhk_contributor_add",
    "rhk_create",
    "rhk_delete",
    "rhk_update",
    "team",
]
