from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TimeZone(models.TextChoices):
    """Indonesia's three zones; working hours start 07:30 local time (Perpres 21/2023)."""

    WIB = "Asia/Jakarta", _("WIB (UTC+7)")
    WITA = "Asia/Makassar", _("WITA (UTC+8)")
    WIT = "Asia/Jayapura", _("WIT (UTC+9)")


class InstansiKind(models.TextChoices):
    KEMENTERIAN = "kementerian", _("Ministry")
    LEMBAGA = "lembaga", pgettext_lazy("kind of government body", "Agency")
    PROVINSI = "provinsi", _("Provincial government")
    KABUPATEN = "kabupaten", _("Regency government")
    KOTA = "kota", _("City government")


class PositionKind(models.TextChoices):
    JPT = "jpt", _("Senior executive (JPT)")
    ADMINISTRATOR = "administrator", _("Administrator")
    PENGAWAS = "pengawas", _("Supervisor")
    FUNGSIONAL = "fungsional", _("Functional")
    PELAKSANA = "pelaksana", _("Staff (pelaksana)")


class AsnKind(models.TextChoices):
    PNS = "PNS", _("Civil servant (PNS)")
    PPPK = "PPPK", _("Contract civil servant (PPPK)")


class Gender(models.TextChoices):
    MALE = "L", _("Male")
    FEMALE = "P", _("Female")


class EmployeeStatus(models.TextChoices):
    ACTIVE = "aktif", _("Active")
    LEAVE = "cuti", _("On leave")
    INACTIVE = "nonaktif", _("Inactive")
    RETIRED = "pensiun", _("Retired")


class ImportStatus(models.TextChoices):
    VALIDATING = "validating", _("Validating")
    INVALID = "invalid", _("Has problems")
    READY = "ready", _("Ready to import")
    APPLYING = "applying", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")
