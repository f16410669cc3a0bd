"""Regulated labels of employee performance management (PermenPANRB 6/2022), defined once."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Rhythm(models.TextChoices):
    """How often results are evaluated during the year; the regulation leaves it to the agency."""

    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    SEMESTER = "semester", _("Per semester")


class YearStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved")
    SUPERSEDED = "superseded", _("Superseded by a revision")


class RhkKind(models.TextChoices):
    UTAMA = "utama", _("Main result")
    TAMBAHAN = "tambahan", _("Additional result")


class Perspective(models.TextChoices):
    """The four perspectives of a senior executive's (JPT) SKP."""

    PENERIMA_LAYANAN = "penerima_layanan", _("Service recipients")
    PROSES_BISNIS = "proses_bisnis", _("Business process")
    PENGUATAN_INTERNAL = "penguatan_internal", _("Internal strengthening")
    ANGGARAN = "anggaran", _("Budget")


class Cascade(models.TextChoices):
    """How an RHK relates to the leader's RHK it supports (intervensi)."""

    ADOPTED = "adopted", _("Adopted as-is from the leader")
    DERIVED = "derived", _("Derived from the leader's RHK")
    OWN = "own", _("Own or additional result")


class Aspect(models.TextChoices):
    KUANTITAS = "kuantitas", _("Quantity")
    KUALITAS = "kualitas", _("Quality")
    WAKTU = "waktu", _("Time")
    BIAYA = "biaya", _("Cost")


class CoreValue(models.TextChoices):
    """BerAKHLAK, the ASN core values (SE MenPANRB 20/2021)."""

    BERORIENTASI_PELAYANAN = "berorientasi_pelayanan", _("Service-oriented")
    AKUNTABEL = "akuntabel", _("Accountable")
    KOMPETEN = "kompeten", _("Competent")
    HARMONIS = "harmonis", _("Harmonious")
    LOYAL = "loyal", _("Loyal")
    ADAPTIF = "adaptif", _("Adaptive")
    KOLABORATIF = "kolaboratif", _("Collaborative")


class ActingKind(models.TextChoices):
    """How an official stands in for a leader: Plt for a vacancy or a long absence, Plh for
    a short one (SE Kepala BKN 1/2021)."""

    PLT = "plt", _("Acting official (Plt)")
    PLH = "plh", _("Daily acting official (Plh)")


class ReportStatus(models.TextChoices):
    """State of a periodic realisation or of a weekly output entry."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for correction")
    ACCEPTED = "accepted", _("Accepted")


class Rating(models.TextChoices):
    """Rating of work results or of work behaviour against the expectation (PermenPANRB 6/2022)."""

    DI_ATAS = "di_atas", _("Above expectations")
    SESUAI = "sesuai", _("Meets expectations")
    DI_BAWAH = "di_bawah", _("Below expectations")


class Predicate(models.TextChoices):
    """Predikat kinerja pegawai, best first (PermenPANRB 6/2022, the 3×3 quadrant)."""

    SANGAT_BAIK = "sangat_baik", _("Very good")
    BAIK = "baik", _("Good")
    BUTUH_PERBAIKAN = "butuh_perbaikan", _("Needs improvement")
    KURANG = "kurang", _("Poor / misconduct")
    SANGAT_KURANG = "sangat_kurang", _("Very poor")


class OrgPredicate(models.TextChoices):
    """Predikat kinerja organisasi (SE MenPANRB 3/2023)."""

    ISTIMEWA = "istimewa", _("Outstanding")
    BAIK = "baik", _("Good")
    BUTUH_PERBAIKAN = "butuh_perbaikan", _("Needs improvement")
    KURANG = "kurang", _("Poor")
    SANGAT_KURANG = "sangat_kurang", _("Very poor")


class PredicateSource(models.TextChoices):
    """Where an employee's predicate comes from: the matrix, or a recorded change of it."""

    MATRIX = "matrix", _("Rating matrix")
    CALIBRATION = "calibration", _("Calibration")
    APPEAL = "appeal", _("Appeal")


class FeedbackKind(models.TextChoices):
    PRAISE = "praise", _("Praise")
    CONCERN = "concern", _("Concern")


class ReviewerRelation(models.TextChoices):
    """Who may give 360 input (PP 30/2019: peers at the same level and direct reports)."""

    PEER = "peer", _("Peer")
    SUBORDINATE = "subordinate", _("Direct report")


class AnnualPolicy(models.TextChoices):
    """How the annual ratings are derived from the periodic ones (no official formula)."""

    AVERAGE = "average", _("Average of the periodic ratings")
    LATEST = "latest", _("Latest periodic ratings")
    LOWEST = "lowest", _("Lowest periodic ratings")


class SessionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class EffectKind(models.TextChoices):
    """What a predicate leads to (PermenPANRB 6/2022 tindak lanjut; PP 30/2019)."""

    TPP = "tpp", _("Performance allowance (TPP)")
    COACHING = "coaching", _("Coaching plan")
    IMPROVEMENT_PLAN = "improvement_plan", _("Performance improvement plan")
    DISCIPLINE_FLAG = "discipline_flag", _("Discipline review")
    RECOGNITION = "recognition", _("Recognition")
    TALENT_POOL = "talent_pool", _("Talent pool nomination")


class RuleTrigger(models.TextChoices):
    """What a consequence rule matches: a predicate, or no evaluation for the period."""

    SANGAT_BAIK = "sangat_baik", _("Very good")
    BAIK = "baik", _("Good")
    BUTUH_PERBAIKAN = "butuh_perbaikan", _("Needs improvement")
    KURANG = "kurang", _("Poor / misconduct")
    SANGAT_KURANG = "sangat_kurang", _("Very poor")
    MISSING = "missing", _("No evaluation")


class AppealStatus(models.TextChoices):
    FILED = "filed", _("Filed")
    GRANTED = "granted", _("Granted")
    REJECTED = "rejected", _("Rejected")


# Period number of the annual evaluation (periodic ones are numbered from 1).
ANNUAL = 0


# The 21 behaviour guides (panduan perilaku), three per core value, with the values' own
# Indonesian names as printed on the SKP form (SE MenPANRB 20/2021; PermenPANRB 6/2022).
BERAKHLAK: tuple[tuple[str, str, tuple[str, str, str]], ...] = (
    (
        CoreValue.BERORIENTASI_PELAYANAN,
        "Berorientasi Pelayanan",
        (
            "memahami dan memenuhi kebutuhan masyarakat",
            "ramah, cekatan, solutif, dan dapat diandalkan",
            "melakukan perbaikan tiada henti",
        ),
    ),
    (
        CoreValue.AKUNTABEL,
        "Akuntabel",
        (
            "melaksanakan tugas dengan jujur, bertanggung jawab, cermat, disiplin, dan "
            "berintegritas tinggi",
            "menggunakan kekayaan dan barang milik negara secara bertanggung jawab, efektif, "
            "dan efisien",
            "tidak menyalahgunakan kewenangan jabatan",
        ),
    ),
    (
        CoreValue.KOMPETEN,
        "Kompeten",
        (
            "meningkatkan kompetensi diri untuk menjawab tantangan yang selalu berubah",
            "membantu orang lain belajar",
            "melaksanakan tugas dengan kualitas terbaik",
        ),
    ),
    (
        CoreValue.HARMONIS,
        "Harmonis",
        (
            "menghargai setiap orang apapun latar belakangnya",
            "suka menolong orang lain",
            "membangun lingkungan kerja yang kondusif",
        ),
    ),
    (
        CoreValue.LOYAL,
        "Loyal",
        (
            "memegang teguh ideologi Pancasila, UUD 1945, setia kepada NKRI serta pemerintahan "
            "yang sah",
            "menjaga nama baik sesama ASN, pimpinan, instansi, dan negara",
            "menjaga rahasia jabatan dan negara",
        ),
    ),
    (
        CoreValue.ADAPTIF,
        "Adaptif",
        (
            "cepat menyesuaikan diri menghadapi perubahan",
            "terus berinovasi dan mengembangkan kreativitas",
            "bertindak proaktif",
        ),
    ),
    (
        CoreValue.KOLABORATIF,
        "Kolaboratif",
        (
            "memberi kesempatan kepada berbagai pihak untuk berkontribusi",
            "terbuka dalam bekerja sama untuk menghasilkan nilai tambah",
            "menggerakkan pemanfaatan berbagai sumber daya untuk tujuan bersama",
        ),
    ),
)
