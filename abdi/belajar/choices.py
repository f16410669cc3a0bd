"""Labels of the belajar (learning) app, defined once."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["AttendanceSource", "Outcome", "RegistrationStatus", "SessionStatus"]


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class Outcome(models.TextChoices):
    """What a registration request did; a replay reports the first request's outcome."""

    CONFIRMED = "confirmed", _("Seat confirmed")
    WAITLISTED = "waitlisted", _("Added to the waiting list")
    ALREADY = "already", _("Already registered")


class AttendanceSource(models.TextChoices):
    JOIN = "join", _("Join link")
    CHECKIN = "checkin", _("Check-in code")
    REPORT = "report", _("Meeting report")
