"""Every write to SKP plans, realisations, evidence, feedback and the weekly output log.

Each service takes keyword-only arguments with the acting user, authorises, validates
through :mod:`abdi.kinerja.rules` and the model, runs in one transaction and appends one
audit event (``kinerja.<entity>.<verb>``). Writes inside one plan lock the plan row.
"""

from .outputs import (
    output_accept,
    output_add,
    output_return,
)
from .planning import (
    acting_assign,
    acting_end,
    indicator_add,
    indicator_remove,
    indicator_update,
    performance_year_open,
    plan_approve,
    plan_create,
    plan_return,
    plan_revise,
    plan_set_annex,
    plan_set_behaviour_expectations,
    plan_submit,
    rhk_add,
    rhk_add_contributor,
    rhk_remove,
    rhk_update,
)
from .reporting import (
    evidence_attach,
    feedback_give,
    realisation_accept,
    realisation_record,
    realisation_refresh_computed,
    realisation_return,
)

__all__ = [
    "acting_assign",
    "acting_end",
    "evidence_attach",
    "feedback_give",
    "indicator_add",
    "indicator_remove",
    "indicator_update",
    "output_accept",
    "output_add",
    "output_return",
    "performance_year_open",
    "plan_approve",
    "plan_create",
    "plan_return",
    "plan_revise",
    "plan_set_annex",
    "plan_set_behaviour_expectations",
    "plan_submit",
    "realisation_accept",
    "realisation_record",
    "realisation_refresh_computed",
    "realisation_return",
    "rhk_add",
    "rhk_add_contributor",
    "rhk_remove",
    "rhk_update",
]
