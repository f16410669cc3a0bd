"""The performance year of the demo agency, loaded by ``make demo`` after the organisation.

Dinas Kependudukan dan Pencatatan Sipil of Pemerintah Kabupaten Sleman (see
:mod:`abdi.organisations.demo`) has its 2026 performance year open, with a monthly rhythm.
The head of office's SKP (JPT, results under the four perspectives) is cascaded to the
secretary and the four division heads, and from them to the sub-division heads and staff:
three to four levels of plans, most approved, a few still in draft, one waiting for the
division head's approval and one returned for changes. Realisations are reported for January
to October (some below target, some already accepted by the leader, the rest waiting), and
one archivist keeps a weekly output log.

Everything goes through :mod:`abdi.kinerja.services` with the owner, the leader or the agency
administrator as the actor, so the audit trail is the one a real agency would have. Times are
fixed (:data:`PLAN_NOW`, :data:`REPORT_TODAY`), so every run gives the same data.

Idempotent: nothing is done when the agency is missing or already has the demo year.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from abdi.organisations.demo import AGENCY_ADMIN_USERNAME, INSTANSI_CODE, Writer, demo_nips
from abdi.organisations.models import Employee, Instansi

from . import services
from .choices import Aspect, Cascade, CoreValue, Perspective, PlanStatus, ReportStatus, Rhythm
from .models import Indicator, OutputEntry, PerformanceYear, Realisation, Rhk, SkpPlan

__all__ = [
    "DEMO_YEAR",
    "PLANS",
    "KinerjaDemoResult",
    "seed_demo",
]

DEMO_YEAR = 2026
PLAN_DEADLINE = date(2026, 1, 31)
# Plans are drafted, submitted and approved in January, before the deadline (in UTC; the
# agency is in WIB, seven hours ahead).
PLAN_NOW = datetime(2026, 1, 12, 2, 0, tzinfo=UTC)
SUBMIT_NOW = datetime(2026, 1, 21, 3, 0, tzinfo=UTC)
APPROVE_NOW = datetime(2026, 1, 28, 4, 0, tzinfo=UTC)
# Realisations are reported in November: January (1) to October (10) have closed.
REPORT_TODAY = date(2026, 11, 20)
LAST_PERIOD = 10
MONTHS = 12
# Units of measure of a level (the value now), not of an amount that adds up over the year.
LEVEL_UNITS = frozenset({"persen", "nilai"})

# Plan states of the demo.
APPROVED, SUBMITTED, RETURNED, DRAFT = "approved", "submitted", "returned", "draft"

KUAN, KUAL, WAKTU = Aspect.KUANTITAS, Aspect.KUALITAS, Aspect.WAKTU
DERIVED, ADOPTED, OWN = Cascade.DERIVED, Cascade.ADOPTED, Cascade.OWN


# ---------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Iki:
    """An indicator (IKI) with its yearly target."""

    text: str
    target: str
    unit: str
    aspect: str = KUAN


@dataclass(frozen=True)
class Result:
    """A planned result (RHK): ``key`` names it for the results cascaded from it."""

    key: str
    text: str
    indicators: tuple[Iki, ...] = ()
    parent: str = ""  # key of the leader's result it supports
    cascade: str = DERIVED
    perspective: str = ""


@dataclass(frozen=True)
class DemoPlan:
    """One employee's SKP: results, state, and how the year is going.

    ``performance`` scales every realisation (1.00 = on target); realisations are reported
    up to ``reported`` and the leader has accepted them up to ``accepted``.
    """

    name: str  # as in abdi.organisations.demo.STAFF
    results: tuple[Result, ...]
    state: str = APPROVED
    performance: str = "1.00"
    reported: int = LAST_PERIOD
    accepted: int = 0
    note: str = ""  # on the latest realisation
    annex: bool = False
    expectations: bool = False  # the leader writes specific behaviour expectations


R, IK, P = Result, Iki, DemoPlan
PL, PB, PI, AN = (
    Perspective.PENERIMA_LAYANAN,
    Perspective.PROSES_BISNIS,
    Perspective.PENGUATAN_INTERNAL,
    Perspective.ANGGARAN,
)

# Leaders before their staff (a result's parent must exist when it is added).
PLANS: list[DemoPlan] = [
    # Kepala Dinas (JPT): own results under the four perspectives.
    P("Suharyanto Wibowo", (
        R("K1", "Meningkatnya kualitas pelayanan administrasi kependudukan", (
            IK("Indeks Kepuasan Masyarakat terhadap layanan administrasi kependudukan", "85",
              "nilai", KUAL),
        ), cascade=OWN, perspective=PL),
        R("K2", "Meningkatnya cakupan kepemilikan dokumen kependudukan", (
            IK("Persentase penduduk wajib KTP yang ber-KTP-el", "98", "persen"),
            IK("Persentase anak usia 0-17 tahun yang memiliki Kartu Identitas Anak", "80",
              "persen"),
        ), cascade=OWN, perspective=PL),
        R("K3", "Meningkatnya kualitas dan pemanfaatan data kependudukan", (
            IK("Persentase data kependudukan yang konsisten dan mutakhir", "99", "persen", KUAL),
            IK("Jumlah perangkat daerah dan lembaga pengguna data kependudukan", "20", "lembaga"),
        ), cascade=OWN, perspective=PB),
        R("K4", "Meningkatnya akuntabilitas kinerja Dinas", (
            IK("Nilai SAKIP Dinas Kependudukan dan Pencatatan Sipil", "75", "nilai", KUAL),
        ), cascade=OWN, perspective=PI),
        R("K5", "Terwujudnya pengelolaan anggaran Dinas yang efektif dan efisien", (
            IK("Persentase realisasi anggaran Dinas", "95", "persen"),
        ), cascade=OWN, perspective=AN),
    ), performance="0.93", accepted=6, annex=True),
    # Sekretariat
    P("Sri Endah Kusumawardani", (
        R("S1", "Tersusunnya dokumen perencanaan dan pelaporan kinerja Dinas tepat waktu", (
            IK("Jumlah dokumen perencanaan dan laporan kinerja yang disusun tepat waktu", "6",
              "dokumen", WAKTU),
        ), parent="K4"),
        R("S2", "Terselenggaranya administrasi keuangan dan kepegawaian yang tertib", (
            IK("Persentase SPJ yang diverifikasi tepat waktu", "100", "persen", WAKTU),
            IK("Persentase layanan kepegawaian yang diselesaikan sesuai standar", "100",
              "persen", KUAL),
        ), parent="K5"),
    ), performance="0.97", accepted=9, annex=True, expectations=True),
    P("Yohanes Bayu Prasetyo", (
        R("U1", "Terkelolanya layanan administrasi kepegawaian Dinas", (
            IK("Jumlah usulan layanan kepegawaian yang diproses", "120", "usulan"),
        ), parent="S2"),
        R("U2", "Tertatanya arsip dinamis Dinas", (
            IK("Jumlah berkas arsip dinamis yang ditata dan didigitalisasi", "1200", "berkas"),
        ), parent="S2"),
    ), performance="1.02", accepted=9),
    P("Fitri Handayani", (
        R("U2a", "Arsip dinamis Dinas yang tertata dan terdigitalisasi", (
            IK("Jumlah berkas arsip yang dialihmediakan", "1000", "berkas"),
            IK("Persentase berkas yang dapat ditemukan kembali dalam 5 menit", "95", "persen",
              KUAL),
        ), parent="U2"),
    ), performance="1.05", accepted=8, annex=True, expectations=True),
    P("Muhammad Rizky Ramadhan", (
        R("U1a", "Usulan kenaikan pangkat dan kenaikan gaji berkala yang diverifikasi", (
            IK("Jumlah usulan kenaikan pangkat dan gaji berkala yang diverifikasi", "80",
              "usulan"),
        ), parent="U1"),
    ), performance="0.88", reported=9),
    P("Ni Luh Putu Ayu Lestari", (
        R("R1", "Tersusunnya Renja, RKA dan LKjIP Dinas tepat waktu", (
            IK("Jumlah dokumen perencanaan dan pelaporan yang disusun", "4", "dokumen", WAKTU),
        ), parent="S1"),
        R("R2", "", parent="S2", cascade=ADOPTED),
    ), performance="0.95"),
    P("Nurul Hidayah", (
        R("R1a", "Dokumen perencanaan dan laporan kinerja yang disusun", (
            IK("Jumlah dokumen perencanaan dan laporan kinerja", "4", "dokumen"),
        ), parent="R1"),
    ), performance="1.00"),
    P("Kadek Wira Adnyana", (
        R("R2a", "SPJ belanja Dinas yang diverifikasi", (
            IK("Jumlah SPJ belanja yang diverifikasi", "600", "dokumen"),
        ), parent="R2"),
    ), performance="0.91"),
    # Bidang Pelayanan Pendaftaran Penduduk
    P("Ahmad Fauzi Nasution", (
        R("D1", "Meningkatnya penerbitan dokumen pendaftaran penduduk", (
            IK("Jumlah KTP-el yang dicetak", "18000", "keping"),
            IK("Jumlah Kartu Keluarga yang diterbitkan", "24000", "dokumen"),
        ), parent="K2"),
        R("D2", "Terlaksananya pelayanan pendaftaran penduduk sesuai standar pelayanan", (
            IK("Persentase dokumen pendaftaran penduduk yang diterbitkan tepat waktu", "95",
              "persen", WAKTU),
        ), parent="K1"),
    ), performance="0.96", accepted=9, annex=True, expectations=True),
    P("Zulkarnain Chaniago", (
        R("D1a", "Layanan jemput bola perekaman KTP-el bagi penduduk rentan", (
            IK("Jumlah kegiatan jemput bola perekaman KTP-el", "24", "kegiatan"),
            IK("Jumlah penduduk rentan yang direkam datanya", "600", "orang"),
        ), parent="D1"),
    ), performance="0.82", accepted=6,
      note="Dua kegiatan jemput bola di Kapanewon Cangkringan ditunda karena cuaca."),
    P("Maria Goreti Ngongo", (
        R("D2a", "Dokumen kependudukan yang diterbitkan tepat waktu", (
            IK("Jumlah dokumen kependudukan yang diterbitkan tepat waktu", "1500", "dokumen",
              WAKTU),
        ), parent="D2"),
    ), performance="1.04", accepted=9, expectations=True),
    P("Dwi Astuti", (
        R("D2b", "", parent="D2", cascade=ADOPTED),
    ), performance="0.98", reported=9),
    P("Sugeng Riyadi", (
        R("D1b", "Berkas permohonan KK dan pindah datang yang diverifikasi", (
            IK("Jumlah berkas permohonan yang diverifikasi", "3000", "berkas"),
        ), parent="D1"),
    ), state=SUBMITTED),
    P("Putri Anggraeni", (
        R("D1c", "Data perekaman KTP-el yang divalidasi", (
            IK("Jumlah data perekaman KTP-el yang divalidasi", "2400", "data"),
        ), parent="D1"),
    ), state=DRAFT),
    # Bidang Pelayanan Pencatatan Sipil
    P("Dyah Ayu Pramesti", (
        R("C1", "Meningkatnya cakupan kepemilikan akta pencatatan sipil", (
            IK("Persentase anak usia 0-18 tahun yang memiliki akta kelahiran", "98", "persen"),
            IK("Jumlah akta pencatatan sipil yang diterbitkan", "9000", "akta"),
        ), parent="K2"),
        R("C2", "Meningkatnya kualitas layanan pencatatan sipil", (
            IK("Indeks kepuasan layanan pencatatan sipil", "85", "nilai", KUAL),
        ), parent="K1"),
    ), performance="0.94", accepted=3, annex=True),
    P("Agus Triyono", (
        R("C2a", "Rekomendasi kebijakan peningkatan layanan pencatatan sipil", (
            IK("Jumlah rekomendasi kebijakan yang disampaikan kepada pimpinan", "4", "dokumen"),
        ), parent="C2"),
    ), performance="0.75",
      note="Kajian layanan akta perkawinan lintas agama masih menunggu data pengadilan."),
    P("Cut Nadia Rahmi", (
        R("C1a", "Akta kelahiran dan akta kematian yang diterbitkan", (
            IK("Jumlah akta kelahiran dan akta kematian yang diterbitkan", "6000", "akta"),
        ), parent="C1"),
    ), performance="1.01"),
    P("Asep Sunandar", (
        R("C1b", "", parent="C1", cascade=ADOPTED),
    ), performance="0.90"),
    P("Tri Wulandari", (
        R("C1c", "Berkas permohonan akta yang diverifikasi", (
            IK("Jumlah berkas", "2000", "berkas"),
        ), parent="C1"),
    ), state=RETURNED),
    # Bidang Pengelolaan Informasi Administrasi Kependudukan
    P("Andi Muhammad Ridwan", (
        R("P1", "Meningkatnya kualitas database kependudukan", (
            IK("Persentase data ganda yang ditindaklanjuti", "100", "persen", KUAL),
            IK("Persentase ketersediaan layanan SIAK terpusat", "99", "persen", KUAL),
        ), parent="K3"),
        R("P2", "Tersedianya data agregat kependudukan yang mutakhir", (
            IK("Jumlah dokumen data agregat kependudukan yang dipublikasikan", "2", "dokumen"),
        ), parent="K3"),
    ), performance="0.97"),
    P("Hendro Kusumo", (
        R("P1a", "Data ganda dan anomali data kependudukan yang ditindaklanjuti", (
            IK("Jumlah rekaman data ganda dan anomali yang ditindaklanjuti", "1200", "rekaman"),
        ), parent="P1"),
    ), performance="0.86"),
    P("Aditya Nugraha", (
        R("P1b", "Laporan pemantauan jaringan dan server SIAK", (
            IK("Jumlah laporan pemantauan bulanan", "12", "laporan"),
        ), parent="P1"),
    ), performance="1.00"),
    P("Febriana Lumban Gaol", (
        R("P2a", "", parent="P2", cascade=ADOPTED),
    ), performance="0.92"),
    # Bidang Pemanfaatan Data dan Inovasi Pelayanan
    P("Theresia Maria Sitompul", (
        R("I1", "Meningkatnya pemanfaatan data kependudukan oleh perangkat daerah dan lembaga", (
            IK("Jumlah perjanjian kerja sama pemanfaatan data yang ditandatangani", "20",
              "dokumen"),
        ), parent="K3"),
        R("I2", "Terwujudnya inovasi pelayanan administrasi kependudukan", (
            IK("Jumlah inovasi pelayanan yang diterapkan", "2", "inovasi"),
        ), parent="K1"),
    ), performance="0.89", annex=True),
    P("Yulia Rachmawati", (
        R("I1a", "Rekomendasi kebijakan pemanfaatan data kependudukan", (
            IK("Jumlah rekomendasi kebijakan pemanfaatan data", "4", "dokumen"),
        ), parent="I1"),
    ), performance="1.00", reported=9),
    P("Christian Wowor", (
        R("I2a", "Aplikasi layanan daring administrasi kependudukan yang dikembangkan", (
            IK("Jumlah modul aplikasi layanan daring yang diluncurkan", "3", "modul"),
        ), parent="I2"),
    ), performance="0.80",
      note="Integrasi dengan tanda tangan elektronik BSrE masih dalam uji coba."),
    P("La Ode Safrin", (
        R("I1b", "Fasilitasi hak akses data kependudukan bagi lembaga pengguna", (
            IK("Jumlah lembaga pengguna yang difasilitasi hak aksesnya", "20", "lembaga"),
        ), parent="I1"),
    ), state=DRAFT),
]  # fmt: skip

ANNEX = {
    "resources": [
        "Anggaran kegiatan pada DPA Dinas Kependudukan dan Pencatatan Sipil 2026",
        "Perangkat perekaman dan pencetakan KTP-el serta jaringan SIAK terpusat",
        "Dukungan sumber daya manusia pada unit kerja",
    ],
    "accountability": [
        "Realisasi dilaporkan setiap bulan paling lambat tanggal 5 bulan berikutnya",
        "Bukti dukung diunggah bersama laporan realisasi",
    ],
    "consequences": [
        "Capaian kinerja menjadi dasar pemberian tambahan penghasilan pegawai",
        "Capaian di bawah ekspektasi ditindaklanjuti dengan pembinaan oleh atasan langsung",
    ],
}

EXPECTATIONS: dict[str, str] = {
    CoreValue.BERORIENTASI_PELAYANAN: "Menanggapi keluhan pemohon paling lambat satu hari kerja",
    CoreValue.AKUNTABEL: "Menyampaikan laporan realisasi tepat waktu beserta bukti dukungnya",
    CoreValue.KOLABORATIF: "Aktif berbagi data dengan bidang lain untuk layanan terpadu",
}

RETURN_PLAN_COMMENT = (
    "Indikator belum menyebutkan standar waktu penyelesaian; lengkapi sebelum diajukan kembali."
)
RETURN_REALISATION_COMMENT = "Lampirkan rekap kegiatan dari aplikasi SIAK sebagai bukti dukung."

# The weekly output log of Fitri Handayani (Arsiparis): Monday of the week, what, how many,
# and whether her leader has already accepted it.
OUTPUTS: list[tuple[date, str, str, bool]] = [
    (date(2026, 10, 19), "Alih media arsip permohonan KK tahun 2019", "45", True),
    (date(2026, 10, 26), "Alih media arsip permohonan pindah datang tahun 2019", "38", True),
    (date(2026, 11, 2), "Penataan arsip kepegawaian Sekretariat", "52", True),
    (date(2026, 11, 9), "Alih media arsip akta kelahiran tahun 2020", "41", False),
    (date(2026, 11, 16), "Penyusunan daftar arsip aktif Bidang Pencatatan Sipil", "1", False),
]
OUTPUTS_OF = "Fitri Handayani"
FEEDBACK: list[tuple[str, str]] = [
    ("Zulkarnain Chaniago", "Jadwalkan ulang jemput bola yang tertunda pada November."),
    ("Maria Goreti Ngongo", "Capaian sangat baik; pertahankan ketepatan waktu layanan."),
    ("Ahmad Fauzi Nasution", "Percepat pencetakan KTP-el yang tertunda karena blangko."),
]

TWO = Decimal("0.01")


def realisation_value(iki: Indicator, performance: Decimal, period: int) -> Decimal:
    """Return the realisation to date at the end of ``period`` (deterministic).

    A level (percent, index) drifts up towards ``performance`` × target over the year; an
    amount accumulates month by month to ``performance`` × target over twelve months.
    """
    if iki.unit in LEVEL_UNITS:
        drift = Decimal("0.95") + Decimal("0.05") * period / LAST_PERIOD
        return (iki.target * performance * drift).quantize(TWO, rounding=ROUND_HALF_UP)
    amount = iki.target * performance * period / MONTHS
    return amount.quantize(Decimal(1), rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------------------------------
# Seeding
# ---------------------------------------------------------------------------------------


@dataclass
class KinerjaDemoResult:
    created: bool  # False when nothing was done (year already there, or no demo agency)
    year: PerformanceYear | None = None
    plans: Counter[str] = field(default_factory=Counter)  # by status
    rhks: int = 0
    indicators: int = 0
    realisations: Counter[str] = field(default_factory=Counter)  # by status
    outputs: int = 0
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def summary(self) -> str:
        """One line for the command's output, e.g. "Kinerja 2026: 26 rencana SKP (…)…"."""
        if self.year is None:
            return f"Kinerja {DEMO_YEAR}: no demo performance year."
        return (
            f"Kinerja {self.year.year}: {sum(self.plans.values())} rencana SKP "
            f"({self.plans[PlanStatus.APPROVED]} disetujui, "
            f"{self.plans[PlanStatus.SUBMITTED]} diajukan, {self.plans[PlanStatus.RETURNED]} "
            f"dikembalikan, {self.plans[PlanStatus.DRAFT]} draf), {self.rhks} RHK, "
            f"{self.indicators} indikator, {sum(self.realisations.values())} realisasi "
            f"({self.realisations[ReportStatus.ACCEPTED]} diterima, "
            f"{self.realisations[ReportStatus.SUBMITTED]} menunggu), "
            f"{self.outputs} output mingguan."
        )

    def count(self, year: PerformanceYear) -> None:
        self.year = year
        self.plans = Counter(
            SkpPlan.objects.filter(year=year, is_current=True).values_list("status", flat=True)
        )
        self.rhks = Rhk.objects.filter(plan__year=year, plan__is_current=True).count()
        self.indicators = Indicator.objects.filter(
            rhk__plan__year=year, rhk__plan__is_current=True
        ).count()
        self.realisations = Counter(
            Realisation.objects.filter(indicator__rhk__plan__year=year).values_list(
                "status", flat=True
            )
        )
        self.outputs = OutputEntry.objects.filter(rhk__plan__year=year).count()


class _Seeder:
    def __init__(self, instansi: Instansi, admin: Any) -> None:
        self.instansi = instansi
        self.admin = admin
        nips = demo_nips()
        by_nip = {
            e.nip: e
            for e in Employee.objects.filter(
                instansi=instansi, nip__in=[nips[p.name] for p in PLANS]
            ).select_related("user", "position")
        }
        self.employees = {p.name: by_nip.get(nips[p.name]) for p in PLANS}
        self.rhks: dict[str, Rhk] = {}
        self.plans: dict[str, SkpPlan] = {}
        # One user object per employee, so that services find its cached employee record.
        self.users = {e.pk: e.user for e in by_nip.values()}

    def missing(self) -> list[str]:
        return [name for name, e in self.employees.items() if e is None or e.user is None]

    def employee(self, name: str) -> Employee:
        employee = self.employees[name]
        assert employee is not None  # noqa: S101 - checked by missing()
        return employee

    def user(self, name: str) -> Any:
        return self.employee(name).user

    def decider(self, plan: SkpPlan) -> Any:
        """The direct leader's account, or the agency admin for the head of the agency."""
        if plan.assessor_id is None:
            return self.admin
        if plan.assessor_id not in self.users:
            self.users[plan.assessor_id] = Employee.objects.get(pk=plan.assessor_id).user
        return self.users[plan.assessor_id]

    def plan(self, year: PerformanceYear, demo: DemoPlan) -> SkpPlan:
        owner = self.user(demo.name)
        employee = self.employee(demo.name)
        plan = services.plan_create(actor=owner, year=year, employee=employee, now=PLAN_NOW)
        for result in demo.results:
            parent = self.rhks[result.parent] if result.parent else None
            rhk = services.rhk_add(
                actor=owner, plan=plan, text=result.text, parent=parent,
                cascade=result.cascade, perspective=result.perspective,
            )  # fmt: skip
            self.rhks[result.key] = rhk
            for iki in result.indicators:
                services.indicator_add(
                    actor=owner, rhk=rhk, aspect=iki.aspect, text=iki.text,
                    target=Decimal(iki.target), unit=iki.unit,
                )  # fmt: skip
        if demo.annex:
            services.plan_set_annex(actor=owner, plan=plan, **ANNEX)
        if demo.expectations:
            services.plan_set_behaviour_expectations(
                actor=self.decider(plan), plan=plan, expectations=EXPECTATIONS
            )
        if demo.state == DRAFT:
            return plan
        plan = services.plan_submit(actor=owner, plan=plan, now=SUBMIT_NOW)
        if demo.state == SUBMITTED:
            return plan
        if demo.state == RETURNED:
            return services.plan_return(
                actor=self.decider(plan), plan=plan, comment=RETURN_PLAN_COMMENT
            )
        return services.plan_approve(actor=self.decider(plan), plan=plan, now=APPROVE_NOW)

    def realisations(self, demo: DemoPlan, plan: SkpPlan) -> int:
        owner = self.user(demo.name)
        performance = Decimal(demo.performance)
        decider = self.decider(plan)
        recorded = 0
        indicators = list(Indicator.objects.filter(rhk__plan=plan).order_by("rhk", "order", "id"))
        for indicator in indicators:
            for period in range(1, demo.reported + 1):
                last = period == demo.reported
                realisation = services.realisation_record(
                    actor=owner, indicator=indicator, period=period,
                    value=realisation_value(indicator, performance, period),
                    note=demo.note if last else "", today=REPORT_TODAY,
                )  # fmt: skip
                recorded += 1
                if period <= demo.accepted:
                    services.realisation_accept(actor=decider, realisation=realisation)
        return recorded

    def outputs(self) -> None:
        owner = self.user(OUTPUTS_OF)
        rhk = self.rhks["U2a"]
        decider = self.decider(self.plans[OUTPUTS_OF])
        for week, text, quantity, accepted in OUTPUTS:
            entry = services.output_add(
                actor=owner, rhk=rhk, week=week, output=text, quantity=Decimal(quantity),
                today=REPORT_TODAY,
            )  # fmt: skip
            if accepted:
                services.output_accept(actor=decider, entry=entry)

    def follow_up(self) -> None:
        """The leaders' feedback and one realisation returned for correction."""
        for name, text in FEEDBACK:
            plan = self.plans[name]
            services.feedback_give(
                actor=self.decider(plan), rhk=plan.rhks.order_by("order", "id")[0],
                period=LAST_PERIOD, text=text,
            )  # fmt: skip
        plan = self.plans["Zulkarnain Chaniago"]
        pending = (
            Realisation.objects.filter(
                indicator__rhk__plan=plan, period=LAST_PERIOD, status=ReportStatus.SUBMITTED
            )
            .order_by("indicator__order", "indicator_id")
            .first()
        )
        if pending is not None:
            services.realisation_return(
                actor=self.decider(plan), realisation=pending, comment=RETURN_REALISATION_COMMENT
            )


def seed_demo(*, stdout: Writer | None = None) -> KinerjaDemoResult:
    """Open the demo agency's 2026 performance year with its cascaded plans; safe to rerun.

    Run after :func:`abdi.organisations.demo.seed_demo`. Progress lines go to ``stdout``.
    """

    def say(message: str) -> None:
        if stdout is not None:
            stdout.write(message + "\n")

    started = time.monotonic()
    result = KinerjaDemoResult(created=False)
    instansi = Instansi.objects.filter(code=INSTANSI_CODE).first()
    if instansi is None:
        result.notes.append("No demo agency: the performance year was not loaded.")
        return result
    with transaction.atomic():
        year = PerformanceYear.objects.filter(instansi=instansi, year=DEMO_YEAR).first()
        if year is not None:
            say(f"The performance year {DEMO_YEAR} of {instansi.name} is already present.")
            result.count(year)
            say(result.summary)
            return result
        admin = get_user_model().objects.filter(username=AGENCY_ADMIN_USERNAME).first()
        if admin is None or not instansi.administrators.filter(pk=admin.pk).exists():
            result.notes.append(
                f"{AGENCY_ADMIN_USERNAME!r} does not administer the demo agency: "
                "the performance year was not loaded."
            )
            return result
        seeder = _Seeder(instansi, admin)
        missing = seeder.missing()
        if missing:
            result.notes.append(
                f"Demo employees missing ({', '.join(missing)}): "
                "the performance year was not loaded."
            )
            return result
        say(f"Opening the performance year {DEMO_YEAR} with cascaded SKP plans…")
        year = services.performance_year_open(
            actor=admin, instansi=instansi, year=DEMO_YEAR, rhythm=Rhythm.MONTHLY,
            plan_deadline=PLAN_DEADLINE,
        )  # fmt: skip
        for demo in PLANS:
            seeder.plans[demo.name] = seeder.plan(year, demo)
        for demo in PLANS:
            plan = seeder.plans[demo.name]
            if plan.status == PlanStatus.APPROVED:
                seeder.realisations(demo, plan)
        seeder.outputs()
        seeder.follow_up()
        from .demo_evaluation import seed_evaluation

        seed_evaluation(year=year, admin=admin, decider=seeder.decider, say=say)
        result.created = True
        result.count(year)
    result.seconds = time.monotonic() - started
    say(f"{result.summary} ({result.seconds:.1f} s)")
    return result
