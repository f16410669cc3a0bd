"""``/api/v1/kinerja``: SKP planning, cascading, realisation, evidence and weekly outputs.

Every write goes through :mod:`abdi.kinerja.services` and every read through
:mod:`abdi.kinerja.selectors`; their refusals become problem+json documents. Records are
addressed by their ``public_id``; a record on a plan the actor may not see is "not found".
Amounts (targets, realisations, quantities, progress) are decimals written as strings
(``"12.50"``) so that nothing is lost to binary floating point; inputs take a string or a
number. Dates are ISO 8601.
"""

from . import evaluation as _evaluation  # noqa: F401 - registers the evaluation endpoints
from .planning import (
    indicator_add,
    indicator_remove,
    indicator_update,
    performance_year_list,
    performance_year_open,
    plan_approve,
    plan_create,
    plan_current,
    plan_document_pdf,
    plan_document_xlsx,
    plan_get,
    plan_return,
    plan_revise,
    plan_set_annex,
    plan_set_behaviour_expectations,
    plan_submit,
    rhk_add,
    rhk_contributor_add,
    rhk_feedback_give,
    rhk_remove,
    rhk_update,
)
from .reporting import (
    output_accept,
    output_add,
    output_evidence_attach,
    output_list,
    output_return,
    realisation_accept,
    realisation_evidence_attach,
    realisation_record,
    realisation_return,
)
from .schemas import router
from .team import (
    cascade_tree,
    metric_list,
    role_result_matrix,
    team_status,
)

__all__ = [
    "cascade_tree",
    "indicator_add",
    "indicator_remove",
    "indicator_update",
    "metric_list",
    "output_accept",
    "output_add",
    "output_evidence_attach",
    "output_list",
    "output_return",
    "performance_year_list",
    "performance_year_open",
    "plan_approve",
    "plan_create",
    "plan_current",
    "plan_document_pdf",
    "plan_document_xlsx",
    "plan_get",
    "plan_return",
    "plan_revise",
    "plan_set_annex",
    "plan_set_behaviour_expectations",
    "plan_submit",
    "realisation_accept",
    "realisation_evidence_attach",
    "realisation_record",
    "realisation_return",
    "rhk_add",
    "rhk_contributor_add",
    "rhk_feedback_give",
    "rhk_remove",
    "rhk_update",
    "role_result_matrix",
    "router",
    "team_status",
]
