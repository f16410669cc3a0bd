"""Forms of the belajar pages; they only parse input for the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

__all__ = [
    "AnnouncementForm",
    "CheckinForm",
    "FileForm",
    "GenerateForm",
    "MessageForm",
    "OrganiserForm",
    "ProgrammeForm",
    "RecordingForm",
    "RevokeForm",
]

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class ProgrammeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), max_length=300, required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    attendance_threshold = forms.IntegerField(
        label=_("Attendance threshold (%)"),
        min_value=1,
        max_value=100,
        initial=75,
        help_text=_("Share of the session a participant must attend to earn JP and a certificate."),
    )


class GenerateForm(forms.Form):
    topic = forms.CharField(label=_("Topic"), max_length=200)
    speakers = forms.CharField(label=_("Speakers"), max_length=300, required=False)
    first_day = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    last_day = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Days"), choices=WEEKDAYS, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    at = forms.TimeField(
        label=_("Start time (organiser's local time)"),
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    minutes = forms.IntegerField(label=_("Length (minutes)"), min_value=15, max_value=600)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=1_000_000)
    meeting_url = forms.URLField(label=_("Meeting link"), max_length=500, assume_scheme="https")
    jp = forms.DecimalField(
        label=_("JP per session"),
        min_value=0,
        max_digits=5,
        decimal_places=2,
        required=False,
        help_text=_("Leave empty to count the length in JP (1 JP = 45 minutes)."),
    )


class AnnouncementForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea)


class RecordingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    url = forms.URLField(label=_("Link"), max_length=500, assume_scheme="https")
    minutes = forms.IntegerField(label=_("Length (minutes)"), min_value=1, required=False)


class OrganiserForm(forms.Form):
    nip = forms.CharField(label=_("NIP of the organiser"), max_length=18)


class FileForm(forms.Form):
    file = forms.FileField(label=_("CSV or Excel file"))


class MessageForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea)


class CheckinForm(forms.Form):
    code = forms.CharField(
        label=_("Check-in code"),
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)
