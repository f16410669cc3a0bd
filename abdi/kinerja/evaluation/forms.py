"""Forms of the evaluation pages: they only parse input; the services decide and write."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ..choices import (
    BERAKHLAK,
    AnnualPolicy,
    EffectKind,
    FeedbackKind,
    OrgPredicate,
    Predicate,
    Rating,
    RuleTrigger,
)

__all__ = [
    "AppealDecisionForm",
    "AppealForm",
    "CalibrationChangeForm",
    "ClosePeriodForm",
    "EvaluationForm",
    "NoteForm",
    "OrgPredicateForm",
    "PeerReviewForm",
    "RuleForm",
    "SettingsForm",
]

_RATING_CHOICES = [("", "—"), *Rating.choices]


class _ValuesMixin(forms.Form):
    """One rating (and optionally a note) per BerAKHLAK value: fields ``v_<value>``."""

    with_notes = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value, label, guides in BERAKHLAK:
            self.fields[f"v_{value}"] = forms.ChoiceField(
                label=label, choices=_RATING_CHOICES, required=False,
                help_text=" · ".join(guides),
            )  # fmt: skip
            if self.with_notes:
                self.fields[f"n_{value}"] = forms.CharField(
                    label=_("Note"), required=False, max_length=500
                )

    def value_ratings(self) -> dict[str, dict[str, str]]:
        """Return the ratings as the service expects; unrated values are left out."""
        data = self.cleaned_data
        return {
            value: {"rating": data[f"v_{value}"], "note": data.get(f"n_{value}", "")}
            for value, _label, _guides in BERAKHLAK
            if data.get(f"v_{value}")
        }

    def value_fields(self) -> list[tuple[Any, Any]]:
        return [
            (self[f"v_{value}"], self[f"n_{value}"] if self.with_notes else None)
            for value, _label, _guides in BERAKHLAK
        ]


class EvaluationForm(_ValuesMixin):
    with_notes = True
    result_rating = forms.ChoiceField(
        label=_("Work result rating"), choices=_RATING_CHOICES, required=False
    )
    behaviour_rating = forms.ChoiceField(
        label=_("Work behaviour rating"), choices=_RATING_CHOICES, required=False
    )
    note = forms.CharField(
        label=_("Leader's note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PeerReviewForm(_ValuesMixin):
    comment = forms.CharField(
        label=_("Comment (shown without your name)"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip


class NoteForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=FeedbackKind.choices)
    text = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CalibrationChangeForm(forms.Form):
    predicate = forms.ChoiceField(label=_("New predicate"), choices=Predicate.choices)
    reason = forms.CharField(label=_("Reason"), required=False)


class AppealForm(forms.Form):
    requested = forms.ChoiceField(
        label=_("Predicate requested"), choices=[("", "—"), *Predicate.choices], required=False
    )
    reason = forms.CharField(
        label=_("Grounds of the appeal"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AppealDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("grant", _("Grant")), ("reject", _("Reject"))]
    )
    predicate = forms.ChoiceField(
        label=_("New predicate"), choices=[("", "—"), *Predicate.choices], required=False
    )
    reason = forms.CharField(label=_("Reason for the decision"), required=False)


class SettingsForm(forms.Form):
    annual_policy = forms.ChoiceField(
        label=_("Annual predicate policy"), choices=AnnualPolicy.choices
    )
    appeal_working_days = forms.IntegerField(label=_("Working days to appeal"), min_value=0)


class OrgPredicateForm(forms.Form):
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    predicate = forms.ChoiceField(label=_("Organisation predicate"), choices=OrgPredicate.choices)

    def __init__(self, *args: Any, units: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("Whole agency"))]
        choices += [(str(unit.public_id), unit.name) for unit in units]
        self.fields["unit"].choices = choices  # type: ignore[attr-defined]


class RuleForm(forms.Form):
    trigger = forms.ChoiceField(label=_("When the predicate is"), choices=RuleTrigger.choices)
    min_repeats = forms.IntegerField(label=_("Periods in a row"), min_value=0, initial=1)
    effect = forms.ChoiceField(label=_("Effect"), choices=EffectKind.choices)
    tpp_percent = forms.DecimalField(
        label=_("TPP paid (%)"), required=False, max_digits=5, decimal_places=2
    )
    description = forms.CharField(label=_("Description"), required=False, max_length=300)


class ClosePeriodForm(forms.Form):
    period = forms.TypedChoiceField(label=_("Period"), coerce=int)

    def __init__(self, *args: Any, periods: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = list(periods)  # type: ignore[attr-defined]
