"""Consequence rules and closing a period: predicates final, consequences computed, set-based.

PermenPANRB 6/2022 (tindak lanjut) and the agencies' TPP regulations (domain.md §1.9, §7):
each agency sets what a predicate leads to; Abdi applies the rules when a period closes.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from abdi.core.audit import audit_record
from abdi.core.workdays import DEFAULT as WORKDAYS
from abdi.organisations.models import Instansi
from abdi.organisations.services import require_instansi_admin

from ..choices import ANNUAL, EffectKind, RuleTrigger
from ..evaluation import bulk, rules
from ..evaluation.selectors import evaluation_settings_for
from ..exceptions import EvaluationErrorCode, SkpConflict, SkpError
from ..models import ConsequenceRule, PerformanceYear, PeriodClosure
from ._common import _period, _require_text, facts_changed

__all__ = [
    "consequence_rule_add",
    "consequence_rule_remove",
    "consequences_recompute",
    "period_close",
]


@transaction.atomic
def consequence_rule_add(
    *,
    actor: Any,
    instansi: Instansi,
    trigger: str,
    effect: str,
    description: str,
    tpp_percent: Decimal | None = None,
    min_repeats: int = 1,
) -> ConsequenceRule:
    """Add an agency rule: ``trigger`` (a predicate, or "missing") → ``effect``."""
    require_instansi_admin(actor, instansi)
    if trigger not in RuleTrigger.values or effect not in EffectKind.values:
        raise SkpError(
            _("Choose a known predicate and effect."), code=EvaluationErrorCode.RULE_INVALID
        )
    if effect == EffectKind.TPP and (tpp_percent is None or not 0 <= tpp_percent <= 100):
        raise SkpError(
            _("A TPP rule needs a percentage from 0 to 100."),
            code=EvaluationErrorCode.RULE_INVALID, field="tpp_percent",
        )  # fmt: skip
    if effect != EffectKind.TPP:
        tpp_percent = None
    if min_repeats < 1:
        raise SkpError(
            _("A rule applies from the first period at least."),
            code=EvaluationErrorCode.RULE_INVALID, field="min_repeats",
        )  # fmt: skip
    description = _require_text(
        description, "skp.text_required", _("Describe the rule."), "description"
    )
    rule = ConsequenceRule.objects.create(
        instansi=instansi, trigger=trigger, effect=effect, tpp_percent=tpp_percent,
        min_repeats=min_repeats, description=description,
    )  # fmt: skip
    audit_record(
        actor=actor, action="kinerja.consequence_rule.added", target=rule, instansi_id=instansi.pk,
        after={
            "trigger": trigger, "effect": effect, "min_repeats": min_repeats,
            "tpp_percent": str(tpp_percent) if tpp_percent is not None else None,
        },
    )  # fmt: skip
    return rule


@transaction.atomic
def consequence_rule_remove(*, actor: Any, rule: ConsequenceRule) -> ConsequenceRule:
    """Deactivate a rule: consequences already computed keep naming it; new ones don't."""
    require_instansi_admin(actor, rule.instansi)
    rule.active = False
    rule.save(update_fields=["active", "updated_at"])
    audit_record(
        actor=actor, action="kinerja.consequence_rule.deactivated", target=rule,
        instansi_id=rule.instansi_id, before={"active": True}, after={"active": False},
    )  # fmt: skip
    return rule


def _closed_periods(year: PerformanceYear) -> list[int]:
    return list(PeriodClosure.objects.filter(year=year).values_list("period", flat=True))


@transaction.atomic
def period_close(
    *, actor: Any, year: PerformanceYear, period: int, today: date | None = None
) -> PeriodClosure:
    """Close a period (0 = the year): predicates become final and consequences are computed.

    Set-based: predicates are recomputed in one statement and the consequences of the whole
    agency in a fixed few (:mod:`..evaluation.bulk`). The appeal window opens for the
    agency's number of working days (:mod:`abdi.core.workdays`).
    """
    require_instansi_admin(actor, year.instansi)
    if period != ANNUAL:
        _period(year, period)
    today = today or year.instansi.local_date()
    deadline = rules.appeal_deadline(
        today, evaluation_settings_for(year.instansi_id).appeal_working_days, WORKDAYS
    )
    try:
        with transaction.atomic():
            closure = PeriodClosure.objects.create(
                year=year, period=period, closed_on=today, appeal_deadline=deadline,
                closed_by=actor,
            )  # fmt: skip
    except IntegrityError:
        raise SkpConflict(
            _("The period is already closed."), code=EvaluationErrorCode.PERIOD_CLOSED
        ) from None
    predicates = bulk.recompute_predicates(year_ids=[year.pk], periods=[period])
    written = bulk.recompute_consequences(year=year, periods=[period]).rows
    audit_record(
        actor=actor, action="kinerja.period.closed", target=closure, instansi_id=year.instansi_id,
        after={
            "period": period, "appeal_deadline": deadline.isoformat(),
            "predicates": predicates, "consequences": written,
        },
    )  # fmt: skip
    facts_changed(year, period)
    return closure


@transaction.atomic
def consequences_recompute(*, actor: Any, year: PerformanceYear) -> int:
    """Recompute the predicates and consequences of every closed period of the year.

    After the agency changes its rules. Set-based; only the rows that change are written.
    Return the number of consequences the closed periods have.
    """
    require_instansi_admin(actor, year.instansi)
    periods = _closed_periods(year)
    bulk.recompute_predicates(year_ids=[year.pk], periods=periods)
    written = bulk.recompute_consequences(year=year, periods=periods).rows
    audit_record(
        actor=actor, action="kinerja.consequences.recomputed", target=year,
        instansi_id=year.instansi_id, after={"periods": periods, "consequences": written},
    )  # fmt: skip
    return written
