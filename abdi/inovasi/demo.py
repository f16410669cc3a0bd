"""The inovasi part of the demo agency (loaded by ``manage.py seed_demo``).

Pemerintah Kabupaten Sleman (see :mod:`abdi.organisations.demo`) has a few innovations at
different stages: an archivist's digital archive, endorsed, in use, bound to her accepted
weekly outputs (the kinerja demo logs them) and replicated by the BKPSDM; an online queue
for KTP-el waiting for the division head's review; a village data dashboard still an idea;
and a pick-up service for birth certificates that went quiet for eight months and is
flagged dormant (its owner and leader notified).

Everything goes through :mod:`abdi.inovasi.services` with the owner or the leader as actor,
so the audit trail is the one a real agency would have. Only the registration and last
activity times of the quiet innovation are moved back, to give it its history.

Idempotent: an innovation already present (same owner and title) is left alone.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from abdi.kinerja.access import direct_leader
from abdi.organisations.demo import INSTANSI_CODE
from abdi.organisations.models import Employee, Instansi

from . import services
from .choices import CollaboratorKind, Stage
from .models import Innovation

__all__ = ["DemoResult", "seed_demo"]

ARCHIVE = "e-Arsip Kependudukan: alih media arsip permohonan"
QUEUE = "Antrean daring perekaman KTP-el"
DASHBOARD = "Dasbor data kependudukan untuk pemerintah desa"
PICKUP = "Jemput bola akta kelahiran di posyandu"
REPLICA = "e-Arsip Kepegawaian"
QUIET_DAYS = 240


@dataclass
class DemoResult:
    notes: list[str] = field(default_factory=list)
    created: int = 0


def _employee(instansi: Instansi, name: str) -> Employee | None:
    return (
        Employee.objects.select_related("user", "position")
        .filter(instansi=instansi, name=name, user__isnull=False)
        .first()
    )


def _present(owner: Employee, title: str) -> bool:
    return Innovation.objects.filter(owner=owner, title=title).exists()


def _endorse(innovation: Innovation, owner: Employee, note: str) -> Innovation:
    services.innovation_submit(actor=owner.user, innovation=innovation)
    leader = direct_leader(owner)
    if leader is None or leader.user is None:
        raise RuntimeError(f"The demo employee {owner.name} has no leader with an account.")
    return services.innovation_endorse(actor=leader.user, innovation=innovation, note=note)


def _archive(instansi: Instansi, result: DemoResult) -> Innovation | None:
    owner = _employee(instansi, "Fitri Handayani")
    if owner is None:
        return None
    if _present(owner, ARCHIVE):
        return Innovation.objects.get(owner=owner, title=ARCHIVE)
    colleague = _employee(instansi, "Sumarni")
    members = [services.MemberIn(employee=colleague, role="Pemindai")] if colleague else []
    innovation = services.innovation_register(
        actor=owner.user, title=ARCHIVE,
        problem="Arsip permohonan KK dan pindah datang tersimpan dalam map kertas; mencari "
                "satu berkas bisa memakan setengah hari dan berkas rawan rusak.",
        idea="Alih media arsip ke PDF bertanda indeks NIK dan nomor KK, disimpan di server "
             "dinas, dicari lewat aplikasi; target 40 berkas per minggu.",
        stage=Stage.UJI_COBA, service_name="Penerbitan Kartu Keluarga",
        metric="kinerja.accepted_outputs",
        baseline_start=date(2026, 10, 1), baseline_end=date(2026, 10, 25),
        members=members,
        collaborators=[
            services.CollaboratorIn(kind=CollaboratorKind.PARTNER,
                                    name="Dinas Perpustakaan dan Kearsipan", role="Pendampingan"),
            services.CollaboratorIn(kind=CollaboratorKind.STAKEHOLDER,
                                    name="Bidang Pelayanan Pendaftaran Penduduk"),
        ],
    )  # fmt: skip
    services.stage_move(
        actor=owner.user, innovation=innovation, stage=Stage.IMPLEMENTASI,
        note="Dipakai untuk seluruh arsip KK 2019.",
    )  # fmt: skip
    services.evidence_attach(
        actor=owner.user, innovation=innovation,
        url="https://disdukcapil.slemankab.go.id/e-arsip", description="Halaman aplikasi",
    )  # fmt: skip
    services.progress_add(
        actor=owner.user, innovation=innovation,
        text="Arsip KK 2019 selesai dialihmediakan; berlanjut ke arsip akta kelahiran 2020.",
    )  # fmt: skip
    _endorse(innovation, owner, "Layak diterapkan di seluruh bidang.")
    result.created += 1
    return innovation


def _queue(instansi: Instansi, result: DemoResult) -> None:
    owner = _employee(instansi, "Dwi Astuti")
    if owner is None or _present(owner, QUEUE):
        return
    innovation = services.innovation_register(
        actor=owner.user, title=QUEUE,
        problem="Warga datang sejak subuh untuk mendapat nomor antrean perekaman KTP-el.",
        idea="Warga memilih jam kedatangan lewat ponsel; loket memanggil sesuai jadwal.",
        stage=Stage.UJI_COBA, service_name="Perekaman KTP-el",
        metric="layanan.unit_median_completion_days",
        baseline_start=date(2026, 1, 1), baseline_end=date(2026, 3, 31),
        collaborators=[services.CollaboratorIn(kind=CollaboratorKind.STAKEHOLDER,
                                               name="Kecamatan Depok")],
    )  # fmt: skip
    services.innovation_submit(actor=owner.user, innovation=innovation)
    result.created += 1


def _dashboard(instansi: Instansi, result: DemoResult) -> None:
    owner = _employee(instansi, "Christian Wowor")
    if owner is None or _present(owner, DASHBOARD):
        return
    services.innovation_register(
        actor=owner.user, title=DASHBOARD,
        problem="Desa meminta data penduduk lewat surat dan menunggu berminggu-minggu.",
        idea="Dasbor agregat (tanpa NIK) per padukuhan yang diperbarui setiap bulan.",
        stage=Stage.IDE, service_name="Pemanfaatan data kependudukan",
    )  # fmt: skip
    result.created += 1


def _pickup(instansi: Instansi, result: DemoResult) -> None:
    owner = _employee(instansi, "Asep Sunandar")
    if owner is None or _present(owner, PICKUP):
        return
    innovation = services.innovation_register(
        actor=owner.user, title=PICKUP,
        problem="Banyak bayi belum memiliki akta kelahiran karena orang tua jauh dari kantor.",
        idea="Petugas menerima berkas akta kelahiran saat jadwal posyandu di desa.",
        stage=Stage.IMPLEMENTASI, service_name="Penerbitan Akta Kelahiran",
    )  # fmt: skip
    _endorse(innovation, owner, "Lanjutkan dan laporkan hasilnya tiap bulan.")
    # Its history: registered eight months ago, no update since.
    moment = timezone.now() - timedelta(days=QUIET_DAYS)
    Innovation.objects.filter(pk=innovation.pk).update(created_at=moment, last_activity_at=moment)
    services.innovation_refresh_dormancy(innovation=innovation)
    result.created += 1


def _replica(instansi: Instansi, original: Innovation | None, result: DemoResult) -> None:
    owner = _employee(instansi, "Bagus Wicaksono")
    if owner is None or original is None or _present(owner, REPLICA):
        return
    services.replication_record(
        actor=owner.user, original=original, title=REPLICA, stage=Stage.UJI_COBA,
        service_name="Layanan administrasi kepegawaian",
        note="Arsip kepegawaian BKPSDM mengalami masalah yang sama.",
    )  # fmt: skip
    result.created += 1


def seed_demo(*, stdout: Any = None) -> DemoResult:
    """Load this app's demo data for the demo agency; safe to run again."""
    result = DemoResult()
    instansi = Instansi.objects.filter(code=INSTANSI_CODE).first()
    if instansi is None:
        result.notes.append("Inovasi demo skipped: the demo agency is not loaded.")
        return result
    with transaction.atomic():
        original = _archive(instansi, result)
        _queue(instansi, result)
        _dashboard(instansi, result)
        _pickup(instansi, result)
        _replica(instansi, original, result)
    if stdout is not None:
        total = Innovation.objects.filter(instansi=instansi).count()
        stdout.write(f"Inovasi: {result.created} innovations created ({total} in the agency).\n")
    return result
