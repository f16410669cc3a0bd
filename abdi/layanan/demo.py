"""The layanan part of the demo agency (loaded by ``manage.py seed_demo``).

The Dukcapil office of the demo regency publishes seven civil-registration services with
their service standards (UU 25/2009 Pasal 21), requirements after Perpres 96/2018 (no
cover letter from RT/RW or kelurahan), service times in working days, their forms and the
documents to upload; KTP-el baru has an in-person biometrics step with appointment slots on
the next five working days. Idempotent: a service whose code exists is left as it is.
"""

from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from abdi.core.workdays import DEFAULT as CALENDAR
from abdi.organisations.models import Instansi, UnitKerja

from . import services
from .choices import DocumentAccept, FieldKind
from .models import AppointmentSlot, Service

INSTANSI_CODE = "kab-sleman"
MB = 1024 * 1024
LEGAL = (
    "UU 23/2006 jo. UU 24/2013 tentang Administrasi Kependudukan\n"
    "Perpres 96/2018 tentang Persyaratan dan Tata Cara Pendaftaran Penduduk dan Pencatatan Sipil\n"
    "Permendagri 108/2019 tentang Peraturan Pelaksanaan Perpres 96/2018\n"
    "Permendagri 7/2019 tentang Pelayanan Administrasi Kependudukan secara Daring"
)
COMPLAINTS = (
    "SP4N-LAPOR!: lapor.go.id\n"
    "Loket pengaduan Disdukcapil Sleman, Jl. Parasamya, Beran, Tridadi, Sleman\n"
    "Email: disdukcapil@slemankab.go.id"
)
PROCEDURE = (
    "Pemohon mengisi formulir dan mengunggah dokumen persyaratan melalui Abdi.\n"
    "Petugas memverifikasi dokumen; bila ada kekurangan, pemohon diminta memperbaiki.\n"
    "Petugas memproses data pada SIAK dan menerbitkan dokumen.\n"
    "Pemohon menerima pemberitahuan dan mengunduh bukti penyelesaian ber-QR."
)
NO_KK = {
    "key": "no_kk", "label": "Nomor Kartu Keluarga", "kind": FieldKind.TEXT,
    "help_text": "16 digit, tertera di bagian atas KK.",
}  # fmt: skip
MOVE_REASONS = (
    "Pekerjaan",
    "Pendidikan",
    "Keamanan",
    "Kesehatan",
    "Perumahan",
    "Keluarga",
    "Lainnya",
)
PHONE = {
    "key": "telepon", "label": "Nomor telepon yang dapat dihubungi", "kind": FieldKind.TEXT,
    "required": False,
}  # fmt: skip


def _doc(key: str, label: str, *, count: int = 1, required: bool = True, **extra: Any) -> dict:
    return {
        "key": key, "label": label, "max_count": count, "required": required,
        "max_bytes": 2 * MB, "accept": DocumentAccept.PDF_OR_IMAGE, **extra,
    }  # fmt: skip


@dataclass(frozen=True)
class DemoService:
    code: str
    unit: str
    name: str
    summary: str
    requirements: str
    service_days: int
    product: str
    fields: list[dict[str, Any]]
    documents: list[dict[str, Any]]
    needs_appointment: bool = False
    appointment_note: str = ""


SERVICES: list[DemoService] = [
    DemoService(
        "ktp-el-baru",
        "DUKCAPIL-DAFDUK",
        "KTP-el Baru",
        "Penerbitan KTP-el pertama kali bagi penduduk berusia 17 tahun atau sudah kawin.",
        "Telah berusia 17 tahun, sudah kawin atau pernah kawin\n"
        "Kartu Keluarga (KK)\n"
        "Perekaman biometrik (foto, sidik jari, iris) di kantor Disdukcapil sesuai jadwal",
        3,
        "KTP-el",
        [NO_KK, PHONE],
        [_doc("kk", "Kartu Keluarga", help_text="Foto atau pindaian KK yang terbaca jelas.")],
        needs_appointment=True,
        appointment_note="Perekaman biometrik KTP-el (foto, sidik jari, iris mata).",
    ),
    DemoService(
        "ktp-el-penggantian",
        "DUKCAPIL-DAFDUK",
        "KTP-el Penggantian (Rusak/Hilang)",
        "Penggantian KTP-el yang rusak atau hilang; data tidak berubah.",
        "KTP-el yang rusak, atau\n"
        "Surat keterangan kehilangan dari kepolisian (untuk KTP-el hilang)\n"
        "Kartu Keluarga (KK)",
        1,
        "KTP-el pengganti",
        [
            {
                "key": "alasan",
                "label": "Alasan penggantian",
                "kind": FieldKind.CHOICE,
                "choices": "Rusak\nHilang",
            },
            NO_KK,
            PHONE,
        ],
        [
            _doc("bukti", "KTP-el rusak atau surat kehilangan dari kepolisian"),
            _doc("kk", "Kartu Keluarga"),
        ],
    ),  # fmt: skip
    DemoService(
        "kk-baru",
        "DUKCAPIL-DAFDUK",
        "Kartu Keluarga Baru",
        "KK baru untuk keluarga baru (setelah perkawinan) atau pemisahan KK.",
        "Buku nikah/kutipan akta perkawinan atau kutipan akta perceraian\n"
        "Surat keterangan pindah (SKPWNI) bagi penduduk yang pindah dalam wilayah NKRI\n"
        "KK lama bagi yang memisahkan diri",
        1,
        "Kartu Keluarga",
        [
            {"key": "kepala_keluarga", "label": "Nama kepala keluarga", "kind": FieldKind.TEXT},
            {
                "key": "alamat",
                "label": "Alamat (RT/RW, kalurahan, kapanewon)",
                "kind": FieldKind.TEXTAREA,
            },
            PHONE,
        ],
        [
            _doc("nikah", "Buku nikah/akta perkawinan/akta perceraian", count=2),
            _doc("skpwni", "Surat keterangan pindah (bila ada)", required=False),
        ],
    ),  # fmt: skip
    DemoService(
        "kk-perubahan",
        "DUKCAPIL-DAFDUK",
        "Kartu Keluarga Perubahan",
        "Perubahan data KK karena penambahan/pengurangan anggota atau perubahan elemen data.",
        "KK lama\n"
        "Bukti peristiwa kependudukan/penting: akta kelahiran, akta kematian, surat pindah, "
        "ijazah atau dokumen lain yang mendasari perubahan",
        1,
        "Kartu Keluarga",
        [
            NO_KK,
            {"key": "perubahan", "label": "Perubahan yang diminta", "kind": FieldKind.TEXTAREA},
            PHONE,
        ],
        [_doc("kk", "Kartu Keluarga lama"), _doc("bukti", "Dokumen bukti perubahan", count=3)],
    ),  # fmt: skip
    DemoService(
        "akta-kelahiran",
        "DUKCAPIL-CAPIL",
        "Akta Kelahiran",
        "Pencatatan kelahiran dan penerbitan kutipan akta kelahiran (lapor paling lambat "
        "60 hari sejak kelahiran).",
        "Surat keterangan kelahiran dari rumah sakit/puskesmas/dokter/bidan, atau SPTJM "
        "kebenaran data kelahiran\n"
        "Buku nikah/kutipan akta perkawinan orang tua, atau SPTJM kebenaran pasangan suami istri\n"
        "Kartu Keluarga tempat anak dicatatkan",
        3,
        "Kutipan Akta Kelahiran",
        [
            {"key": "nama_anak", "label": "Nama anak", "kind": FieldKind.TEXT},
            {"key": "tanggal_lahir", "label": "Tanggal lahir", "kind": FieldKind.DATE},
            {"key": "tempat_lahir", "label": "Tempat lahir", "kind": FieldKind.TEXT},
            {
                "key": "jenis_kelamin",
                "label": "Jenis kelamin",
                "kind": FieldKind.CHOICE,
                "choices": "Laki-laki\nPerempuan",
            },
            NO_KK,
            PHONE,
        ],
        [
            _doc("sk_lahir", "Surat keterangan kelahiran"),
            _doc("nikah", "Buku nikah/akta perkawinan orang tua", count=2),
            _doc("kk", "Kartu Keluarga"),
        ],
    ),  # fmt: skip
    DemoService(
        "akta-kematian",
        "DUKCAPIL-CAPIL",
        "Akta Kematian",
        "Pencatatan kematian dan penerbitan kutipan akta kematian.",
        "Surat kematian dari dokter/kepala desa/lurah, atau SPTJM kebenaran data kematian\n"
        "Kartu Keluarga almarhum/almarhumah\n"
        "KTP-el almarhum/almarhumah (diserahkan kembali)",
        3,
        "Kutipan Akta Kematian",
        [
            {"key": "nama", "label": "Nama almarhum/almarhumah", "kind": FieldKind.TEXT},
            {"key": "tanggal_meninggal", "label": "Tanggal meninggal", "kind": FieldKind.DATE},
            {
                "key": "hubungan",
                "label": "Hubungan pelapor dengan almarhum/almarhumah",
                "kind": FieldKind.TEXT,
            },
            NO_KK,
            PHONE,
        ],
        [
            _doc("sk_kematian", "Surat keterangan kematian"),
            _doc("kk", "Kartu Keluarga"),
            _doc("ktp", "KTP-el almarhum/almarhumah", required=False),
        ],
    ),  # fmt: skip
    DemoService(
        "surat-pindah",
        "DUKCAPIL-DAFDUK",
        "Surat Keterangan Pindah (SKPWNI)",
        "Surat keterangan pindah antar kabupaten/kota atau provinsi.",
        "Kartu Keluarga\nAlamat tujuan pindah yang lengkap",
        1,
        "Surat Keterangan Pindah WNI (SKPWNI)",
        [
            NO_KK,
            {"key": "alamat_tujuan", "label": "Alamat tujuan", "kind": FieldKind.TEXTAREA},
            {
                "key": "alasan",
                "label": "Alasan pindah",
                "kind": FieldKind.CHOICE,
                "choices": "\n".join(MOVE_REASONS),
            },
            {
                "key": "jumlah",
                "label": "Jumlah anggota keluarga yang pindah",
                "kind": FieldKind.NUMBER,
            },
            PHONE,
        ],
        [_doc("kk", "Kartu Keluarga")],
    ),  # fmt: skip
]


@dataclass
class DemoResult:
    notes: list[str] = field(default_factory=list)
    services_created: int = 0
    slots_created: int = 0
    cases_created: int = 0


def _admin_actor() -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(is_superuser=True).order_by("pk").first()


def _slots(service: Service, actor: Any) -> int:
    """Morning biometrics slots on the next five working days, unless some are already open."""
    now = timezone.now()
    if AppointmentSlot.objects.filter(service=service, starts_at__gt=now).exists():
        return 0
    zone = ZoneInfo(service.instansi.timezone)
    day = service.instansi.local_date(now)
    created = 0
    for _index in range(5):
        day = CALENDAR.next_working_day(day)
        for start, end in ((time(8, 0), time(10, 0)), (time(10, 0), time(12, 0))):
            services.slot_publish(
                actor=actor, service=service, capacity=15,
                starts_at=datetime.combine(day, start, zone),
                ends_at=datetime.combine(day, end, zone),
                place="Ruang perekaman KTP-el, lantai 1",
            )  # fmt: skip
            created += 1
    return created


# --- Closed cases with IKM answers, so the queue history and the dashboards have data -------

DEMO_CITIZENS = 24
#: (months before this one, weekday offset, working days to complete, IKM answer or 0)
CASE_PATTERN = [(m, k, days, ikm) for m in (5, 4, 3, 2, 1) for k, days, ikm in (
    (0, 1, 4), (1, 2, 3), (2, 3, 4), (3, 5, 3), (4, 2, 0), (6, 1, 4), (8, 4, 2),
)]  # fmt: skip
PDF_BYTES = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _demo_citizens() -> list[Any]:
    from abdi.organisations import services as organisations
    from abdi.organisations.demo import DEMO_PASSWORD
    from abdi.organisations.models import Citizen

    citizens = []
    for n in range(1, DEMO_CITIZENS + 1):
        username = f"warga{n:02d}@demo.abdi.id"
        citizen = Citizen.objects.filter(user__username=username).first()
        if citizen is None:
            # Sleman (340404), born on the n-th of March 1990, women's day + 40 on even n.
            day = n + (40 if n % 2 == 0 else 0)
            citizen = organisations.citizen_register(
                username=username, password=DEMO_PASSWORD, name=f"Warga Demo {n}",
                nik=f"340404{day:02d}0390{n:04d}", email=username,
            )  # fmt: skip
        citizens.append(citizen)
    return citizens


def _answers(service: Service) -> tuple[dict[str, str], dict[str, list[Any]]]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    data: dict[str, str] = {}
    for item in service.fields.all():
        if item.kind == FieldKind.DATE:
            data[item.key] = "2026-01-15"
        elif item.kind == FieldKind.NUMBER:
            data[item.key] = "1"
        elif item.kind == FieldKind.CHOICE:
            data[item.key] = item.choice_list[0]
        else:
            data[item.key] = (
                "3404071403920003" if "nik" in item.key or "kk" in item.key else "Contoh"
            )
    files: dict[str, list[Any]] = {}
    for document in service.documents.filter(required=True):
        if document.accept == DocumentAccept.IMAGE:
            files[document.key] = [
                SimpleUploadedFile(f"{document.key}.png", PNG_BYTES, "image/png")
            ]
        else:
            files[document.key] = [
                SimpleUploadedFile(f"{document.key}.pdf", PDF_BYTES, "application/pdf")
            ]
    return data, files


def _officer_of(service: Service) -> Any:
    from abdi.organisations.models import Employee

    employee = (
        Employee.objects.filter(position__unit=service.unit, user__isnull=False)
        .order_by("position__chain")
        .last()
    )
    return employee.user if employee is not None else None


def _cases(instansi: Instansi, result: DemoResult) -> None:
    """Cases of the last five months, completed through the officers' own steps, most on
    time, some late, with survey answers; created once (skipped when the demo citizens
    already applied)."""
    from datetime import timedelta

    from .models import Application

    citizens = _demo_citizens()
    if Application.objects.filter(citizen__in=citizens).exists():
        return
    zone = ZoneInfo(instansi.timezone)
    today = instansi.local_date()
    catalogue = list(Service.objects.filter(instansi=instansi, is_active=True).order_by("order"))
    number = 0
    for months_ago, offset, days, ikm in CASE_PATTERN:
        first = today.replace(day=1)
        for _ in range(months_ago):
            first = (first - timedelta(days=1)).replace(day=1)
        day = CALENDAR.add_working_days(CALENDAR.working_day_on_or_after(first), 1 + offset)
        service = catalogue[number % len(catalogue)]
        citizen = citizens[number % len(citizens)]
        number += 1
        officer = _officer_of(service)
        if officer is None:
            continue
        submitted = datetime.combine(day, time(9, 30), zone)
        data, files = _answers(service)
        application = services.application_submit(
            actor=citizen.user, service=service, data=data, files=files, now=submitted
        )
        services.application_claim(actor=officer, application=application)
        for document in application.documents.all():
            services.document_check(actor=officer, document=document, accepted=True)
        services.application_approve(actor=officer, application=application)
        done_at = datetime.combine(CALENDAR.add_working_days(day, days), time(14, 0), zone)
        application = services.application_complete(
            actor=officer, application=application, now=done_at
        )
        if ikm:
            services.survey_submit(
                actor=citizen.user, application=application,
                answers={f"u{i}": ikm if i % 3 else min(4, ikm + 1) for i in range(1, 10)},
                now=done_at,
            )  # fmt: skip
        result.cases_created += 1


def seed_demo(*, stdout: Any = None) -> DemoResult:
    """Load this app's demo data for the demo agency; safe to run again."""
    result = DemoResult()
    instansi = Instansi.objects.filter(code=INSTANSI_CODE).first()
    actor = _admin_actor()
    if instansi is None or actor is None:
        result.notes.append("Layanan demo skipped: the demo agency is not loaded.")
        return result
    units = {u.code: u for u in UnitKerja.objects.filter(instansi=instansi)}
    with transaction.atomic():
        for order, spec in enumerate(SERVICES):
            service = Service.objects.filter(instansi=instansi, code=spec.code).first()
            if service is None:
                service = services.service_create(
                    actor=actor, instansi=instansi, unit=units[spec.unit], code=spec.code,
                    name=spec.name, summary=spec.summary, legal_basis=LEGAL,
                    requirements=spec.requirements, procedure=PROCEDURE,
                    service_days=spec.service_days, cost="Gratis (tidak dipungut biaya)",
                    product=spec.product, complaint_channel=COMPLAINTS,
                    needs_appointment=spec.needs_appointment,
                    appointment_note=spec.appointment_note, order=order,
                    fields=spec.fields, documents=spec.documents,
                )  # fmt: skip
                result.services_created += 1
            if service.needs_appointment:
                result.slots_created += _slots(service, actor)
        _cases(instansi, result)
    if stdout is not None:
        stdout.write(
            f"Layanan: {result.services_created} services, {result.slots_created} slots, "
            f"{result.cases_created} closed cases with survey answers.\n"
        )
    return result
