"""Forms of the SKP pages: they only parse input; the services decide and write."""

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from abdi.organisations.forms import PositionChoiceField
from abdi.organisations.models import Employee, Instansi, Position

from . import metrics
from .choices import BERAKHLAK, ActingKind, Aspect, Cascade, Perspective, RhkKind, Rhythm
from .models import Rhk, SkpPlan


class RhkChoiceField(forms.ModelChoiceField):
    """A result chosen by its public id; the label is its text."""

    def label_from_instance(self, obj: Any) -> str:
        return obj.text


class RhkForm(forms.Form):
    """A new result (RHK). ``parent`` accepts any current result of the year, so that the
    service, not the form, explains why a result is not the leader's to support."""

    # Not required here: the service explains an empty result in its own words.
    text = forms.CharField(
        label=_("Planned result"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    kind = forms.ChoiceField(
        label=_("Main or additional"), choices=RhkKind.choices, initial=RhkKind.UTAMA
    )
    cascade = forms.ChoiceField(
        label=_("Cascade"), choices=Cascade.choices, initial=Cascade.DERIVED
    )
    parent = RhkChoiceField(
        label=_("Leader's result supported"),
        queryset=Rhk.objects.none(),
        required=False,
        to_field_name="public_id",
    )
    perspective = forms.ChoiceField(
        label=_("Perspective"), choices=[("", "---------"), *Perspective.choices], required=False
    )

    def __init__(
        self, *args: Any, plan: SkpPlan, leader_rhks: list[Rhk], is_jpt: bool, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        parent = self.fields["parent"]
        parent.queryset = Rhk.objects.filter(  # type: ignore[attr-defined]
            plan__year_id=plan.year_id, plan__is_current=True
        ).select_related("plan")
        # Offer only the direct leader's results; anything else is refused by the service.
        parent.widget.choices = [("", "---------")] + [(r.public_id, r.text) for r in leader_rhks]
        if not is_jpt:
            del self.fields["perspective"]
        if not leader_rhks:
            self.fields["cascade"].initial = Cascade.OWN


class IndicatorForm(forms.Form):
    aspect = forms.ChoiceField(label=_("Aspect"), choices=Aspect.choices)
    text = forms.CharField(
        label=_("Indicator"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    target = forms.DecimalField(label=_("Target"), max_digits=14, decimal_places=2)
    unit = forms.CharField(label=_("Unit of measure"), max_length=50)
    metric = forms.ChoiceField(label=_("Bound metric"), required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = [  # type: ignore[attr-defined]
            ("", _("None: the employee reports it")),
            *metrics.metric_choices(),
        ]


class RhkEditForm(forms.Form):
    """Change a result's wording, kind or perspective (the cascade link stays)."""

    # Not required here: the service explains an empty result in its own words.
    text = forms.CharField(
        label=_("Planned result"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    kind = forms.ChoiceField(label=_("Main or additional"), choices=RhkKind.choices)
    perspective = forms.ChoiceField(
        label=_("Perspective"), choices=[("", "---------"), *Perspective.choices], required=False
    )

    def __init__(self, *args: Any, is_jpt: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if not is_jpt:
            del self.fields["perspective"]


class ContributorForm(forms.Form):
    """A contributor to a result, named by NIP: any employee of the agency, of any unit."""

    nip = forms.CharField(
        label=_("Contributor's NIP"),
        max_length=18,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    role = forms.CharField(label=_("Role in this result"), max_length=200, required=False)

    def __init__(self, *args: Any, instansi_id: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.instansi_id = instansi_id

    def clean_nip(self) -> Employee:
        nip = "".join(self.cleaned_data["nip"].split())
        employee = (
            Employee.objects.filter(instansi_id=self.instansi_id, nip=nip)
            .select_related("position__unit")
            .first()
        )
        if employee is None:
            raise forms.ValidationError(
                gettext("No employee of this agency has the NIP %(nip)s."),
                code="unknown_nip",
                params={"nip": nip},
            )
        return employee


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


class AnnexForm(forms.Form):
    """The annex (lampiran): one item per line in each list."""

    resources = forms.CharField(
        label=_("Resource support"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    accountability = forms.CharField(
        label=_("Accountability scheme"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    consequences = forms.CharField(
        label=_("Consequences"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        return {name: _lines(data.get(name, "")) for name in self.fields}


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the revision"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ExpectationsForm(forms.Form):
    """The leader's specific behaviour expectation for each BerAKHLAK value."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for value, name, guides in BERAKHLAK:
            self.fields[str(value)] = forms.CharField(
                label=name,
                required=False,
                help_text="; ".join(guides),
                widget=forms.Textarea(attrs={"rows": 2}),
            )


class EvidenceFields(forms.Form):
    file = forms.FileField(label=_("Evidence file"), required=False)
    url = forms.URLField(
        label=_("or evidence link"), required=False, max_length=500, assume_scheme="https"
    )


class RealisationForm(EvidenceFields):
    period = forms.TypedChoiceField(label=_("Period"), coerce=int)
    value = forms.DecimalField(label=_("Realisation"), max_digits=14, decimal_places=2)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    field_order = ["period", "value", "note", "file", "url"]

    def __init__(self, *args: Any, periods: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = periods  # type: ignore[attr-defined]


class DecisionForm(forms.Form):
    """Accept, or return with a comment, a submitted realisation or output entry."""

    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("return", _("Return"))])
    comment = forms.CharField(label=_("Comment"), required=False)


class FeedbackForm(forms.Form):
    period = forms.TypedChoiceField(label=_("Period"), coerce=int)
    text = forms.CharField(label=_("Feedback"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, periods: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = periods  # type: ignore[attr-defined]


class OutputForm(EvidenceFields):
    week = forms.DateField(label=_("Week"), widget=forms.DateInput(attrs={"type": "date"}))
    rhk = RhkChoiceField(label=_("Result"), queryset=Rhk.objects.none(), to_field_name="public_id")
    output = forms.CharField(label=_("What was produced"), widget=forms.Textarea(attrs={"rows": 2}))
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=10, decimal_places=2, initial=1)
    location = forms.CharField(label=_("Where (optional)"), max_length=200, required=False)

    field_order = ["week", "rhk", "output", "quantity", "location", "file", "url"]

    def __init__(self, *args: Any, plan: SkpPlan | None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        rhks = Rhk.objects.filter(plan=plan) if plan is not None else Rhk.objects.none()
        self.fields["rhk"].queryset = rhks  # type: ignore[attr-defined]


# --- Agency administration: performance years and acting officials ---------------------------


class DateInput(forms.DateInput):
    input_type = "date"


class PerformanceYearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    rhythm = forms.ChoiceField(
        label=_("Evaluation rhythm"), choices=Rhythm.choices, initial=Rhythm.MONTHLY
    )
    plan_deadline = forms.DateField(label=_("Planning deadline"), widget=DateInput)
    report_days = forms.IntegerField(
        label=_("Days to report after a period"), min_value=0, max_value=60, initial=5
    )


class EmployeeChoiceField(forms.ModelChoiceField):
    """An employee chosen by public id; the label tells equal names apart by position."""

    def label_from_instance(self, obj: Any) -> str:
        title = obj.position.title if obj.position is not None else gettext("no position")
        return f"{obj.full_name} — {title}"


class ActingAssignForm(forms.Form):
    position = PositionChoiceField(
        label=_("Position covered"), queryset=Position.objects.none(), to_field_name="public_id"
    )
    acting = EmployeeChoiceField(
        label=_("Acting official"), queryset=Employee.objects.none(), to_field_name="public_id"
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ActingKind.choices, initial=ActingKind.PLT)
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput)
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput, required=False)
    # Not required here: the service explains an empty reason in its own words.
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, instansi: Instansi, **kwargs: Any):
        super().__init__(*args, **kwargs)
        position_field = self.fields["position"]
        acting_field = self.fields["acting"]
        assert isinstance(position_field, forms.ModelChoiceField)
        assert isinstance(acting_field, forms.ModelChoiceField)
        position_field.queryset = (
            Position.objects.filter(instansi=instansi)
            .select_related("unit", "holder")
            .order_by("chain")
        )
        acting_field.queryset = (
            Employee.objects.filter(instansi=instansi)
            .select_related("position")
            .order_by("name", "id")
        )


class ActingEndForm(forms.Form):
    ends_on = forms.DateField(label=_("Last day"), widget=DateInput)
