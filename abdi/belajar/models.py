"""Models of the belajar app: programmes, sessions, registrations, attendance, JP, certificates."""

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from abdi.core.models import BaseModel, PublicIdModel

from .choices import AttendanceSource, RegistrationStatus, SessionStatus

__all__ = [
    "Announcement",
    "Certificate",
    "IdempotencyRecord",
    "JpEntry",
    "Programme",
    "Recording",
    "Registration",
    "Session",
    "SessionMessage",
]


def _checkin_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


class Programme(PublicIdModel):
    """A learning programme (e.g. ASN Belajar) run by one agency, with recurring sessions.

    Its organisers are the organiser agency's administrators plus the users listed here.
    """

    organiser = models.ForeignKey(
        "organisations.Instansi",
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="learning_programmes",
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organisers"),
        blank=True,
        related_name="organised_programmes",
    )
    attendance_threshold = models.PositiveSmallIntegerField(
        _("attendance threshold (%)"),
        default=75,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    is_published = models.BooleanField(_("published"), default=True)

    class Meta:
        verbose_name = _("learning programme")
        verbose_name_plural = _("learning programmes")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class Session(PublicIdModel):
    """One session of a programme; ``taken`` counts confirmed seats against ``capacity``.

    ``taken`` only changes through one conditional ``UPDATE`` (see ``services``), so it is
    never above ``capacity``; the check constraint is the database's guarantee of it.
    """

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="sessions"
    )
    topic = models.CharField(_("topic"), max_length=200)
    speakers = models.CharField(_("speakers"), max_length=300, blank=True)
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("capacity"))
    taken = models.PositiveIntegerField(_("seats taken"), default=0)
    meeting_url = models.URLField(_("meeting link"), max_length=500)
    jp = models.DecimalField(_("JP earned"), max_digits=5, decimal_places=2)
    checkin_code = models.CharField(_("check-in code"), max_length=6, default=_checkin_code)
    status = models.CharField(
        _("status"), max_length=12, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    closed_at = models.DateTimeField(_("attendance decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(taken__lte=F("capacity")),
                name="belajar_session_not_overbooked",
                violation_error_message=_("A session cannot have more seats taken than it has."),
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="belajar_session_ends_after_start",
                violation_error_message=_("A session must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(jp__gte=0),
                name="belajar_session_jp_not_negative",
                violation_error_message=_("JP cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.topic} ({self.starts_at:%Y-%m-%d %H:%M})"

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.taken, 0)

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class Registration(PublicIdModel):
    """A person's place in a session: confirmed, on the waiting list (in order) or cancelled.

    One row per (session, participant), enforced by the database: a double submit can never
    register twice. The attendance fields are filled by the join link, check-ins and the
    meeting tool's report; ``attended`` is decided when the session is closed.
    """

    # No index of its own: the unique constraint and the queue index both lead with it, and
    # every index is one more write per registration in a burst.
    session = models.ForeignKey(
        Session,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="registrations",
        db_index=False,
    )
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="learning_registrations",
    )
    employee = models.ForeignKey(
        "organisations.Employee",
        verbose_name=_("employee"),
        on_delete=models.CASCADE,
        related_name="learning_registrations",
    )
    status = models.CharField(_("status"), max_length=12, choices=RegistrationStatus.choices)
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=12, default="web")
    first_seen_at = models.DateTimeField(_("first seen at"), null=True, blank=True)
    last_seen_at = models.DateTimeField(_("last seen at"), null=True, blank=True)
    reported_minutes = models.PositiveIntegerField(_("minutes in the meeting report"), default=0)
    minutes_present = models.PositiveIntegerField(_("minutes present"), default=0)
    attendance_source = models.CharField(
        _("attendance source"), max_length=10, choices=AttendanceSource.choices, blank=True
    )
    attended = models.BooleanField(_("attended"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["session", "queued_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "participant"],
                name="belajar_registration_once_per_session",
                violation_error_message=_("This person is already registered for the session."),
            ),
        ]
        indexes = [models.Index(fields=["session", "status", "queued_at", "id"])]

    def __str__(self) -> str:
        return f"{self.participant} · {self.session}"


class IdempotencyRecord(models.Model):
    """An answer stored under a client's ``Idempotency-Key`` (IETF draft), per user.

    Written in the same transaction as the change it answers, so a key exists exactly when
    its change was committed; a replay with the same key returns the stored result.
    """

    # Indexed by the unique (user, key) constraint, which leads with it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    key = models.CharField(_("key"), max_length=255)
    request_hash = models.CharField(_("request hash"), max_length=64)
    result = models.JSONField(_("result"), default=dict)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="belajar_idempotency_key_once")
        ]

    def __str__(self) -> str:
        return self.key


class JpEntry(BaseModel):
    """JP credited to an employee; one entry per attended registration."""

    employee = models.ForeignKey(
        "organisations.Employee",
        verbose_name=_("employee"),
        on_delete=models.CASCADE,
        related_name="jp_entries",
    )
    registration = models.OneToOneField(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="jp_entry",
    )
    earned_on = models.DateField(_("earned on"), db_index=True)
    jp = models.DecimalField(_("JP"), max_digits=5, decimal_places=2, default=Decimal(0))
    description = models.CharField(_("description"), max_length=300)

    class Meta:
        verbose_name = _("JP entry")
        verbose_name_plural = _("JP entries")
        ordering = ["-earned_on", "-id"]

    def __str__(self) -> str:
        return f"{self.employee} +{self.jp} JP"


class Certificate(PublicIdModel):
    """The certificate of an attended registration; its PDF and code live in ``verifikasi``."""

    registration = models.OneToOneField(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="certificate",
    )
    code = models.CharField(_("verification code"), max_length=64, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.code or str(self.public_id)


class Announcement(PublicIdModel):
    """A public announcement of a programme, shareable (Open Graph) and in the feed."""

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="announcements",
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    published_at = models.DateTimeField(_("published at"), db_index=True)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Recording(PublicIdModel):
    """A recording of a programme's session, listed in the programme's library."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="recordings"
    )
    session = models.ForeignKey(
        Session,
        verbose_name=_("session"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recordings",
    )
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"), max_length=500)
    minutes = models.PositiveIntegerField(_("length (minutes)"), null=True, blank=True)

    class Meta:
        verbose_name = _("recording")
        verbose_name_plural = _("recordings")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class SessionMessage(BaseModel):
    """A message an organiser sent to every registrant of a session."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="messages"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sender"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("message to registrants")
        verbose_name_plural = _("messages to registrants")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject
