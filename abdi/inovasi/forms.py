"""Forms of the innovation pages: they only parse input; the services decide."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from abdi.kinerja import metrics
from abdi.kinerja.models import Rhk

from .choices import CollaboratorKind, Stage
from .rules import STAGE_ORDER

__all__ = [
    "CollaboratorForm",
    "DecisionForm",
    "EvidenceForm",
    "InnovationForm",
    "MemberForm",
    "ProgressForm",
    "ReplicationForm",
    "SearchForm",
    "SettingsForm",
    "StageForm",
]

DATE = forms.DateInput(attrs={"type": "date"})


class InnovationForm(forms.Form):
    title = forms.CharField(label=_("Innovation title"), max_length=200)
    problem = forms.CharField(
        label=_("Problem it solves"), widget=forms.Textarea(attrs={"rows": 3})
    )
    idea = forms.CharField(label=_("Idea"), widget=forms.Textarea(attrs={"rows": 3}))
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices, initial=Stage.IDE)
    service_name = forms.CharField(
        label=_("Public service it improves"), max_length=200, required=False
    )
    rhk = forms.ModelChoiceField(
        label=_("Result (RHK) of my SKP it improves"), queryset=Rhk.objects.none(), required=False
    )
    metric = forms.ChoiceField(label=_("Metric it should move"), required=False)
    baseline_start = forms.DateField(label=_("Baseline from"), required=False, widget=DATE)
    baseline_end = forms.DateField(label=_("Baseline to"), required=False, widget=DATE)
    stakeholders = forms.CharField(
        label=_("Stakeholders"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line."),
    )  # fmt: skip
    partners = forms.CharField(
        label=_("Partners"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line."),
    )  # fmt: skip

    def __init__(self, *args: Any, rhks: Any = None, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = [("", _("— none —")), *metrics.metric_choices()]
        self.fields["rhk"].queryset = rhks if rhks is not None else Rhk.objects.none()
        if editing:
            for name in ("stage", "stakeholders", "partners"):
                del self.fields[name]

    def collaborators(self) -> list[tuple[str, str]]:
        """Return ``(kind, name)`` pairs from the two lists, one name a line."""
        pairs = []
        for field, kind in (("stakeholders", CollaboratorKind.STAKEHOLDER),
                            ("partners", CollaboratorKind.PARTNER)):  # fmt: skip
            for line in (self.cleaned_data.get(field) or "").splitlines():
                if line.strip():
                    pairs.append((kind.value, line.strip()[:200]))
        return pairs


class ProgressForm(forms.Form):
    text = forms.CharField(
        label=_("Progress update"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("New stage"), choices=Stage.choices)
    on = forms.DateField(label=_("Date"), required=False, widget=DATE)
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)

    def __init__(self, *args: Any, current: str = "", **kwargs: Any):
        super().__init__(*args, **kwargs)
        if current:
            later = STAGE_ORDER[STAGE_ORDER.index(current) + 1 :]
            self.fields["stage"].choices = [(s, Stage(s).label) for s in later]


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("File (PDF, image, Office)"), required=False)
    url = forms.URLField(label=_("or a link"), required=False, assume_scheme="https")
    description = forms.CharField(label=_("Description"), required=False, max_length=200)


class MemberForm(forms.Form):
    nip = forms.CharField(label=_("NIP of a colleague"), max_length=18)
    role = forms.CharField(label=_("Role"), required=False, max_length=200)


class CollaboratorForm(forms.Form):
    kind = forms.ChoiceField(label=_("Stakeholder or partner"), choices=CollaboratorKind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    role = forms.CharField(label=_("Role"), required=False, max_length=200)


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when returning it."),
    )  # fmt: skip


class ReplicationForm(forms.Form):
    title = forms.CharField(label=_("Title of your replication"), max_length=200, required=False)
    note = forms.CharField(label=_("Why you replicate it"), required=False, max_length=1000)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Keyword"), required=False, max_length=100)
    stage = forms.ChoiceField(
        label=_("Stage"), required=False, choices=[("", _("All stages")), *Stage.choices]
    )
    service = forms.CharField(label=_("Service"), required=False, max_length=100)
    other = forms.BooleanField(label=_("Other agencies only"), required=False)


class SettingsForm(forms.Form):
    dormant_months = forms.IntegerField(
        label=_("Months without an update before an innovation is dormant"),
        min_value=1, max_value=60,
    )  # fmt: skip
