"""The belajar part of the demo agency (loaded by ``manage.py seed_demo``).

"ASN Belajar BKPSDM Sleman": webinars on Tuesdays and Thursdays at 09:00 WIB, organised by
the demo agency with a BKPSDM analyst as designated organiser. The four sessions before
today have registrations, attendance, certificates and JP for demo employees; the next
sessions are open, with an announcement and recordings. Every write goes through the
services; loading again leaves an existing programme as it is.
"""

from dataclasses import dataclass, field
from datetime import time, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from abdi.organisations.demo import AGENCY_ADMIN_USERNAME, INSTANSI_CODE, demo_nips
from abdi.organisations.models import Employee, Instansi

from . import certificates, rules, services
from .models import Programme

__all__ = ["DemoResult", "PROGRAMME_TITLE", "seed_demo"]

PROGRAMME_TITLE = "ASN Belajar BKPSDM Sleman"
ORGANISER = "Bagus Wicaksono"
TOPICS = [
    "Etika ASN di media sosial",
    "Pelayanan publik yang inklusif",
    "Menyusun SKP yang terukur",
    "Literasi data untuk ASN",
    "Manajemen risiko pelayanan",
    "Komunikasi publik di masa krisis",
    "Inovasi pelayanan sederhana",
    "Keamanan informasi di kantor",
]
MEETING = "https://meet.example.id/asn-belajar-sleman"
# (share of people, minutes present of 120): most attend, a few leave early.
PRESENCE = [110, 120, 95, 100, 60, 118, 90, 30, 115, 105]


@dataclass
class DemoResult:
    notes: list[str] = field(default_factory=list)


def seed_demo(*, stdout: Any = None) -> DemoResult:
    """Load this app's demo data for the demo agency; safe to run again."""

    def say(message: str) -> None:
        if stdout is not None:
            stdout.write(message + "\n")

    result = DemoResult()
    instansi = Instansi.objects.filter(code=INSTANSI_CODE).first()
    admin = get_user_model().objects.filter(username=AGENCY_ADMIN_USERNAME).first()
    if instansi is None or admin is None:
        result.notes.append("No demo agency: the learning programme was not loaded.")
        return result
    if Programme.objects.filter(organiser=instansi, title=PROGRAMME_TITLE).exists():
        say(f"The learning programme {PROGRAMME_TITLE!r} is already present.")
        return result
    with transaction.atomic():
        _load(instansi, admin, say)
    result.notes.append(
        f"Learning: {PROGRAMME_TITLE!r} at /belajar/ (Tue/Thu 09:00 WIB), with past sessions, "
        "certificates and JP for demo employees."
    )
    return result


def _load(instansi: Instansi, admin: Any, say: Any) -> None:
    nips = demo_nips()
    staff = list(
        Employee.objects.filter(instansi=instansi, user__isnull=False)
        .select_related("user")
        .order_by("nip")
    )
    organiser = next((e for e in staff if e.nip == nips.get(ORGANISER)), None)
    programme = services.programme_create(
        actor=admin,
        organiser=instansi,
        title=PROGRAMME_TITLE,
        summary="Webinar pengembangan kompetensi ASN setiap Selasa dan Kamis pukul 09.00 WIB.",
        description=(
            "Program pembelajaran daring terbuka bagi ASN dari instansi mana pun. Setiap sesi "
            "bernilai 2 JP; sertifikat diterbitkan bagi peserta yang hadir minimal 75% sesi."
        ),
    )
    if organiser is not None and organiser.user is not None:
        services.programme_add_organiser(actor=admin, programme=programme, user=organiser.user)
    today = timezone.localdate()
    starts = rules.recurrence(
        first_day=today - timedelta(days=15), last_day=today + timedelta(days=28),
        weekdays=[1, 3], at=time(9, 0), zone=instansi.timezone,
    )  # fmt: skip
    sessions = [
        services.session_create(
            actor=admin,
            programme=programme,
            topic=TOPICS[number % len(TOPICS)],
            speakers="Tim BKPSDM",
            starts_at=start,
            ends_at=start + timedelta(minutes=120),
            capacity=3000,
            meeting_url=MEETING,
            jp=Decimal(2),
        )  # fmt: skip
        for number, start in enumerate(starts)
    ]
    now = timezone.now()
    past = [s for s in sessions if s.ends_at <= now]
    upcoming = [s for s in sessions if s.ends_at > now]
    participants = [e for e in staff if e != organiser][:10]
    issued = 0
    for session in past[-4:]:
        before = session.starts_at - timedelta(days=2)
        for employee, minutes in zip(participants, PRESENCE, strict=False):
            services.registration_create(actor=employee.user, session=session, now=before)
            services.attendance_join(actor=employee.user, session=session, now=session.starts_at)
            services.attendance_heartbeat(
                actor=employee.user,
                session=session,
                now=session.starts_at + timedelta(minutes=minutes),
            )
        services.session_close(actor=None, session=session, now=session.ends_at)
        issued += certificates.issue_for_session(session.pk)
    for session in upcoming[:2]:
        for employee in participants[:6]:
            services.registration_create(actor=employee.user, session=session)
    services.announcement_publish(
        actor=admin,
        programme=programme,
        title="ASN Belajar dibuka untuk semua instansi",
        body=(
            "Sesi daring setiap Selasa dan Kamis pukul 09.00 WIB, 3.000 kursi per sesi. "
            "Daftar melalui Abdi; tautan rapat dibuka bagi peserta terdaftar."
        ),
    )
    for session in past[-2:]:
        services.recording_add(
            actor=admin, programme=programme, session=session, title=session.topic,
            url=f"https://video.example.id/asn-belajar/{session.public_id}", minutes=120,
        )  # fmt: skip
    say(
        f"Learning: {len(past) + len(upcoming)} sessions, {issued} certificates issued "
        f"for {len(participants)} demo employees."
    )
