"""Every write to SKP plans, realisations, evidence, feedback and the weekly output log.

Each service takes keyword-only arguments with the acting user, authorises, validates
through :mod:`abdi.kinerja.rules` and the model, runs in one transaction and appends one
audit event (``kinerja.<entity>.<verb>``). Writes inside one plan lock the plan row.
"""

from .appeals import (
    appeal_decide,
    appeal_file,
)
from .calibration import (
    annual_evaluations_compute,
    calibration_change,
    calibration_close,
    calibration_open,
    evaluation_settings_update,
    organisation_predicate_set,
)
from .consequences import (
    consequence_rule_add,
    consequence_rule_remove,
    consequences_recompute,
    period_close,
)
from .evaluation import (
    evaluation_rate,
    feedback_note_add,
    peer_review_submit,
)
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
    "appeal_decide",
    "appeal_file",
    "annual_evaluations_compute",
    "calibration_change",
    "calibration_close",
    "calibration_open",
    "evaluation_settings_update",
    "organisation_predicate_set",
    "consequence_rule_add",
    "consequence_rule_remove",
    "consequences_recompute",
    "period_close",
    "evaluation_rate",
    "feedback_note_add",
    "peer_review_submit",
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
