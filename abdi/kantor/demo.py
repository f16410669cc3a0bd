"""The office part of the demo agency (loaded by ``manage.py seed_demo``).

Dinas Kependudukan dan Pencatatan Sipil of Pemerintah Kabupaten Sleman gets its letter
templates (nota dinas, surat dinas, surat undangan, surat keputusan) and classification codes,
and three letters that show the whole flow:

- a signed invitation from the Sekretariat to two divisions: drafted by the archivist,
  initialled by the Kasubbag Umum dan Kepegawaian and the Sekretaris, signed by the Kepala
  Dinas with the agency's demo certificate (generated into the var folder on first use),
  distributed to the two division heads; one disposed it to two of his staff, one of whom has
  replied;
- a nota dinas returned by the Kepala Bidang PIAK with a comment (version 1 kept);
- a nota dinas waiting for the Sekretaris's initials.

Everything goes through :mod:`abdi.kantor.services` with the real people as actors.
Idempotent: nothing is done when the agency is missing or already has letter templates.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from abdi.organisations.demo import AGENCY_ADMIN_USERNAME, INSTANSI_CODE
from abdi.organisations.models import Employee, Instansi

from . import services
from .choices import AccessClass, LetterKind, RecipientKind
from .models import LetterTemplate

__all__ = ["DemoResult", "seed_demo"]

KOP_TITLE = "Pemerintah Kabupaten Sleman"
KOP_SUBTITLE = "Dinas Kependudukan dan Pencatatan Sipil"
KOP_ADDRESS = "Jl. Parasamya, Beran, Tridadi, Sleman, D.I. Yogyakarta 55511"
TEMPLATES = (
    (LetterKind.NOTA_DINAS, "Nota Dinas", "{seq}/{klasifikasi}/{unit}/{year}"),
    (LetterKind.SURAT_DINAS, "Surat Dinas", "{seq:03d}/{klasifikasi}/{unit}/{month}/{year}"),
    (LetterKind.SURAT_UNDANGAN, "Surat Undangan", "{seq:03d}/{klasifikasi}/{unit}/{year}"),
    (LetterKind.SURAT_KEPUTUSAN, "Keputusan Kepala Dinas", "{seq}/KEP/{unit}/{year}"),
)
CLASSIFICATIONS = (
    ("000.1", "Ketatausahaan dan kerumahtanggaan", 2),
    ("005", "Undangan", 2),
    ("400.12", "Administrasi kependudukan dan pencatatan sipil", 10),
    ("800", "Kepegawaian", 5),
)


@dataclass
class DemoResult:
    notes: list[str] = field(default_factory=list)


def _person(instansi: Instansi, name: str) -> Employee:
    return Employee.objects.select_related("position__unit", "user").get(
        instansi=instansi, name=name
    )


def seed_demo(*, stdout: Any = None) -> DemoResult:
    """Load this app's demo data for the demo agency; safe to run again."""
    result = DemoResult()
    instansi = Instansi.objects.filter(code=INSTANSI_CODE).first()
    if instansi is None:
        result.notes.append("kantor: no demo agency, nothing loaded.")
        return result
    if LetterTemplate.objects.filter(instansi=instansi).exists():
        result.notes.append("kantor: demo letters already loaded.")
        return result
    with transaction.atomic():
        _load(instansi)
    result.notes.append(
        "kantor: 4 templates, 4 classification codes, a signed letter with dispositions, "
        "a returned draft and a draft awaiting initials (login as the Kepala Dinas or a "
        "Kepala Bidang, menu Kantor)."
    )
    if stdout is not None:
        for note in result.notes:
            stdout.write(note)
    return result


def _load(instansi: Instansi) -> None:
    admin = instansi.administrators.get(username=AGENCY_ADMIN_USERNAME)
    templates = {
        kind: services.template_create(
            actor=admin,
            instansi=instansi,
            kind=kind,
            name=name,
            kop_title=KOP_TITLE,
            kop_subtitle=KOP_SUBTITLE,
            kop_address=KOP_ADDRESS,
            numbering_pattern=pattern,
            place="Sleman",
        )  # fmt: skip
        for kind, name, pattern in TEMPLATES
    }
    codes = {
        code: services.classification_create(
            actor=admin, instansi=instansi, code=code, name=name, retention_years=years
        )
        for code, name, years in CLASSIFICATIONS
    }
    kadis = _person(instansi, "Suharyanto Wibowo")
    sekretaris = _person(instansi, "Sri Endah Kusumawardani")
    kasubbag = _person(instansi, "Yohanes Bayu Prasetyo")
    arsiparis = _person(instansi, "Fitri Handayani")
    dafduk = _person(instansi, "Ahmad Fauzi Nasution")
    capil = _person(instansi, "Dyah Ayu Pramesti")
    piak = _person(instansi, "Andi Muhammad Ridwan")
    today = instansi.local_date()

    # 1. Signed invitation, distributed and disposed.
    invitation = services.letter_create(
        actor=arsiparis.user,
        template=templates[LetterKind.SURAT_UNDANGAN],
        classification=codes["005"],
        subject="Undangan rapat evaluasi pelayanan administrasi kependudukan",
        body=(
            "Dengan hormat,\n\n"
            "Dalam rangka evaluasi capaian pelayanan administrasi kependudukan triwulan III, "
            "kami mengundang Saudara untuk hadir pada rapat evaluasi.\n\n"
            "Mohon menyiapkan data capaian layanan dan kendala di bidang masing-masing.\n\n"
            "Demikian undangan ini kami sampaikan, atas perhatiannya kami ucapkan terima kasih."
        ),
        signer_position=kadis.position,  # type: ignore[arg-type]
        recipients=[
            services.RecipientSpec(kind=RecipientKind.UNIT, unit=dafduk.position.unit),  # type: ignore[union-attr]
            services.RecipientSpec(kind=RecipientKind.UNIT, unit=capil.position.unit),  # type: ignore[union-attr]
            services.RecipientSpec(kind=RecipientKind.EMPLOYEE, employee=sekretaris, is_copy=True),
        ],
    )
    services.letter_submit(actor=arsiparis.user, letter=invitation)
    services.letter_paraf(actor=kasubbag.user, letter=invitation)
    services.letter_paraf(actor=sekretaris.user, letter=invitation, comment="Sudah sesuai.")
    services.letter_sign(actor=kadis.user, letter=invitation)
    entry = invitation.dispositions.get(recipient=dafduk, parent__isnull=True)
    staff = list(
        Employee.objects.filter(name__in=["Zulkarnain Chaniago", "Dwi Astuti"]).order_by("name")
    )
    disposed = services.disposition_create(
        actor=dafduk.user,
        parent=entry,
        recipients=staff,
        instruction="Siapkan rekap capaian layanan KTP-el dan KIA triwulan III.",
        deadline=today + dt.timedelta(days=3),
    )
    done = next(d for d in disposed if d.recipient.name == "Zulkarnain Chaniago")
    services.disposition_complete(
        actor=done.recipient.user, disposition=done, reply="Rekap sudah dikirim lewat surel."
    )
    services.letter_mark_read(actor=capil.user, letter=invitation)

    # 2. A nota dinas returned with a comment.
    drafter = _person(instansi, "Aditya Nugraha")
    returned = services.letter_create(
        actor=drafter.user,
        template=templates[LetterKind.NOTA_DINAS],
        classification=codes["400.12"],
        subject="Permohonan pemeliharaan server database kependudukan",
        body="Dengan hormat,\n\nMohon persetujuan pemeliharaan server database.",
        signer_position=piak.position,  # type: ignore[arg-type]
        recipients=[services.RecipientSpec(kind=RecipientKind.EMPLOYEE, employee=sekretaris)],
        access_class=AccessClass.TERBATAS,
    )
    services.letter_submit(actor=drafter.user, letter=returned)
    services.letter_return(
        actor=piak.user, letter=returned, comment="Cantumkan jadwal dan dampak layanan."
    )

    # 3. A nota dinas waiting for the Sekretaris's initials.
    waiting = services.letter_create(
        actor=kasubbag.user,
        template=templates[LetterKind.NOTA_DINAS],
        classification=codes["800"],
        subject="Usulan pengembangan kompetensi pegawai 2027",
        body="Dengan hormat,\n\nBersama ini kami sampaikan usulan pengembangan kompetensi.",
        signer_position=kadis.position,  # type: ignore[arg-type]
        recipients=[services.RecipientSpec(kind=RecipientKind.EMPLOYEE, employee=kadis)],
    )
    services.letter_submit(actor=kasubbag.user, letter=waiting)
