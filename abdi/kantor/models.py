"""Official letters (naskah dinas): templates, numbering, versions, the paraf chain,
signing keys, distribution and dispositions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from abdi.core.models import BaseModel, PublicIdModel

from .choices import AccessClass, LetterKind, LetterStatus, ParafDecision, RecipientKind

__all__ = [
    "Attachment",
    "Classification",
    "Disposition",
    "Letter",
    "LetterTemplate",
    "LetterVersion",
    "NumberCounter",
    "ParafStep",
    "Recipient",
    "SigningKey",
]

DEFAULT_PATTERN = "{seq}/{klasifikasi}/{unit}/{year}"


class Classification(PublicIdModel):
    """An archive classification code (kode klasifikasi arsip) with its retention period."""

    instansi = models.ForeignKey(
        "organisations.Instansi",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="letter_classifications",
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    retention_years = models.PositiveSmallIntegerField(_("retention period (years)"), default=5)

    class Meta:
        verbose_name = _("classification code")
        verbose_name_plural = _("classification codes")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["instansi", "code"],
                name="kantor_classification_unique",
                violation_error_message=_("This classification code already exists."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class LetterTemplate(PublicIdModel):
    """An agency's template for one kind of letter: letterhead (kop surat) and numbering."""

    instansi = models.ForeignKey(
        "organisations.Instansi",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="letter_templates",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=LetterKind.choices)
    name = models.CharField(_("name"), max_length=200)
    kop_title = models.CharField(_("letterhead title"), max_length=200)
    kop_subtitle = models.CharField(_("letterhead subtitle"), max_length=200, blank=True)
    kop_address = models.CharField(_("letterhead address"), max_length=300, blank=True)
    numbering_pattern = models.CharField(
        _("numbering pattern"), max_length=100, default=DEFAULT_PATTERN
    )
    place = models.CharField(_("place of signing"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("letter template")
        verbose_name_plural = _("letter templates")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["instansi", "name"],
                name="kantor_template_name_unique",
                violation_error_message=_("A template with this name already exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class NumberCounter(models.Model):
    """The last number given under one template in one year; locked while a letter is signed."""

    template = models.ForeignKey(
        LetterTemplate, verbose_name=_("template"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("number counter")
        verbose_name_plural = _("number counters")
        constraints = [
            models.UniqueConstraint(fields=["template", "year"], name="kantor_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.template} {self.year}: {self.last}"


class Letter(PublicIdModel):
    """An official letter from its draft to its signed, numbered and archived PDF."""

    instansi = models.ForeignKey(
        "organisations.Instansi",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="letters",
    )
    template = models.ForeignKey(
        LetterTemplate, verbose_name=_("template"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=LetterKind.choices)
    classification = models.ForeignKey(
        Classification,
        verbose_name=_("classification"),
        on_delete=models.PROTECT,
        related_name="letters",
    )
    access_class = models.CharField(
        _("access class"), max_length=10, choices=AccessClass.choices, default=AccessClass.BIASA
    )
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    drafter = models.ForeignKey(
        "organisations.Employee",
        verbose_name=_("drafter"),
        on_delete=models.PROTECT,
        related_name="drafted_letters",
    )
    unit = models.ForeignKey(
        "organisations.UnitKerja",
        verbose_name=_("sending unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    signer_position = models.ForeignKey(
        "organisations.Position",
        verbose_name=_("signing official's position"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=LetterStatus.choices, default=LetterStatus.DRAFT
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    round = models.PositiveIntegerField(_("submission round"), default=0)
    number = models.CharField(_("number"), max_length=120, blank=True, db_index=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("sequence"), null=True, blank=True)
    signed_by = models.ForeignKey(
        "organisations.Employee",
        verbose_name=_("signed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True, db_index=True)
    letter_date = models.DateField(_("letter date"), null=True, blank=True, db_index=True)
    signed_file = models.FileField(_("signed PDF"), upload_to="kantor/letters/%Y/", blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    verification_code = models.CharField(_("verification code"), max_length=32, blank=True)
    retain_until = models.DateField(_("retain until"), null=True, blank=True)

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["instansi", "status", "letter_date"], name="kantor_letter_archive"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "year", "sequence"],
                condition=Q(sequence__isnull=False),
                name="kantor_letter_sequence_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}" if self.number else self.subject


class LetterVersion(BaseModel):
    """The subject and body of a letter as they stood at one version; never changed."""

    letter = models.ForeignKey(
        Letter, verbose_name=_("letter"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    author = models.ForeignKey(
        "organisations.Employee",
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("letter version")
        verbose_name_plural = _("letter versions")
        ordering = ["letter", "number"]
        constraints = [
            models.UniqueConstraint(fields=["letter", "number"], name="kantor_version_unique"),
        ]

    def __str__(self) -> str:
        return f"v{self.number}"


class Recipient(BaseModel):
    """One addressee: an internal unit (its head receives it), a person, or an outsider."""

    letter = models.ForeignKey(
        Letter, verbose_name=_("letter"), on_delete=models.CASCADE, related_name="recipients"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=RecipientKind.choices)
    unit = models.ForeignKey(
        "organisations.UnitKerja",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    employee = models.ForeignKey(
        "organisations.Employee",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    is_copy = models.BooleanField(_("copy (tembusan)"), default=False)

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        ordering = ["is_copy", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind=RecipientKind.UNIT, unit__isnull=False, employee__isnull=True)
                    | Q(kind=RecipientKind.EMPLOYEE, employee__isnull=False, unit__isnull=True)
                    | Q(kind=RecipientKind.EXTERNAL, unit__isnull=True, employee__isnull=True)
                ),
                name="kantor_recipient_kind",
                violation_error_message=_("A recipient is a unit, a person or an outsider."),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.unit_id:
            return self.unit.name if self.unit else ""
        if self.employee_id:
            return self.employee.full_name if self.employee else ""
        return self.name


class Attachment(PublicIdModel):
    """A file attached to a letter (lampiran), its type checked by content."""

    letter = models.ForeignKey(
        Letter, verbose_name=_("letter"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to="kantor/attachments/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.original_name


class ParafStep(BaseModel):
    """One official on the way up to the signer in one submission round: paraf or return."""

    letter = models.ForeignKey(
        Letter, verbose_name=_("letter"), on_delete=models.CASCADE, related_name="steps"
    )
    round = models.PositiveIntegerField(_("submission round"))
    order = models.PositiveSmallIntegerField(_("order"))
    position = models.ForeignKey(
        "organisations.Position", verbose_name=_("position"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    employee = models.ForeignKey(
        "organisations.Employee", verbose_name=_("official"), on_delete=models.PROTECT,
        related_name="paraf_steps",
    )  # fmt: skip
    is_signer = models.BooleanField(_("signing official"), default=False)
    decision = models.CharField(
        _("decision"), max_length=12, choices=ParafDecision.choices, default=ParafDecision.PENDING
    )
    version = models.PositiveIntegerField(_("version decided on"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("paraf step")
        verbose_name_plural = _("paraf steps")
        ordering = ["letter", "round", "order"]
        constraints = [
            models.UniqueConstraint(fields=["letter", "round", "order"], name="kantor_step_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.round}.{self.order} {self.employee}"


class SigningKey(BaseModel):
    """An agency's signing certificate; its private key is a file under the key folder.

    Old certificates stay recorded (``is_active`` false) so letters they signed still verify.
    """

    instansi = models.ForeignKey(
        "organisations.Instansi",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="signing_keys",
    )
    subject = models.CharField(_("subject"), max_length=300)
    issuer = models.CharField(_("issuer"), max_length=300)
    serial = models.CharField(_("serial number"), max_length=100)
    fingerprint = models.CharField(_("SHA-256 fingerprint"), max_length=64, unique=True)
    not_before = models.DateTimeField(_("valid from"))
    not_after = models.DateTimeField(_("valid until"))
    certificate = models.BinaryField(_("certificate (DER)"))
    chain = models.BinaryField(_("issuer chain (concatenated PEM)"), default=b"", blank=True)
    key_file = models.CharField(_("key file"), max_length=300)
    is_demo = models.BooleanField(_("demo certificate"), default=False)
    is_active = models.BooleanField(_("in use"), default=True)
    installed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("installed by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("signing certificate")
        verbose_name_plural = _("signing certificates")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["instansi"], condition=Q(is_active=True), name="kantor_one_active_key"
            ),
        ]

    def __str__(self) -> str:
        return self.subject


class Disposition(PublicIdModel):
    """A letter in someone's inbox: its distribution (no sender) or a disposition (disposisi).

    A recipient disposes to subordinates with an instruction and a deadline; they may dispose
    further down. The tree of a letter shows who read, acted and replied.
    """

    letter = models.ForeignKey(
        Letter, verbose_name=_("letter"), on_delete=models.CASCADE, related_name="dispositions"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("disposed from"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="children",
    )  # fmt: skip
    sender = models.ForeignKey(
        "organisations.Employee", verbose_name=_("from"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="dispositions_sent",
    )  # fmt: skip
    recipient = models.ForeignKey(
        "organisations.Employee", verbose_name=_("to"), on_delete=models.PROTECT,
        related_name="inbox",
    )  # fmt: skip
    is_copy = models.BooleanField(_("copy (tembusan)"), default=False)
    instruction = models.TextField(_("instruction"), blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    acted_at = models.DateTimeField(_("acted at"), null=True, blank=True)
    reply = models.TextField(_("reply"), blank=True)
    overdue_at = models.DateTimeField(_("flagged overdue at"), null=True, blank=True)

    class Meta:
        verbose_name = _("disposition")
        verbose_name_plural = _("dispositions")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["recipient", "acted_at"], name="kantor_inbox"),
            models.Index(fields=["deadline", "acted_at"], name="kantor_disposition_due"),
        ]

    def __str__(self) -> str:
        return f"{self.letter} → {self.recipient}"
