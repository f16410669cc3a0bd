"""Build programmes, sessions and participants for tests through the real services."""

import itertools
import shutil
import subprocess
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from abdi.belajar import services
from abdi.belajar.models import Programme, Session
from abdi.organisations.choices import AsnKind, Gender
from abdi.organisations.models import Employee, Instansi
from abdi.organisations.tests.factories import PASSWORD, Agency, make_nip

_sequence = itertools.count(1)

MEETING = "https://meet.example.id/asn-belajar"


def programme(agency: Agency, *, title: str = "ASN Belajar", threshold: int = 75) -> Programme:
    """A programme organised by the agency, created by its administrator."""
    return services.programme_create(
        actor=agency.admin, organiser=agency.instansi, title=title,
        summary="Webinar dua kali seminggu", attendance_threshold=threshold,
    )  # fmt: skip


def session(
    programme: Programme, *, capacity: int = 10, starts_at: datetime | None = None,
    minutes: int = 120, jp: Decimal | None = None, topic: str = "Etika ASN di media sosial",
) -> Session:  # fmt: skip
    """A session (two days ahead unless ``starts_at``), created by an organiser."""
    start = starts_at or (timezone.now() + timedelta(days=2)).replace(microsecond=0)
    actor = programme.organiser.administrators.first()
    return services.session_create(
        actor=actor, programme=programme, topic=topic, speakers="Dr. Ratna Sari",
        starts_at=start, ends_at=start + timedelta(minutes=minutes), capacity=capacity,
        meeting_url=MEETING, jp=jp,
    )  # fmt: skip


def participants(instansi: Instansi, count: int, *, prefix: str = "peserta") -> list[Any]:
    """Create ``count`` employees with accounts in bulk (the burst tests need hundreds)."""
    user_model = get_user_model()
    batch = next(_sequence)
    users = user_model.objects.bulk_create(
        user_model(
            username=f"{prefix}-{batch}-{i}",
            email=f"{prefix}-{batch}-{i}@example.id",
            password="!",
        )  # fmt: skip
        for i in range(count)
    )
    users = list(
        user_model.objects.filter(username__startswith=f"{prefix}-{batch}-").order_by("pk")
    )
    Employee.objects.bulk_create(
        Employee(
            instansi=instansi,
            user=user,
            nip=make_nip(),
            asn_kind=AsnKind.PNS,
            name=f"Peserta {batch}-{i}",
            gender=Gender.MALE,
            birth_date=date(1990, 1, 1),
            email=user.email,
        )  # fmt: skip
        for i, user in enumerate(users)
    )
    return users


def pdf_text(pdf: bytes) -> str:
    """Return the text of a PDF as ``pdftotext`` (poppler-utils) reads it."""
    executable = shutil.which("pdftotext")
    if executable is None:
        pytest.fail("pdftotext is missing: apt-get install poppler-utils")
    result = subprocess.run(  # noqa: S603 - fixed executable, our own bytes
        [executable, "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return result.stdout.decode()


__all__ = ["MEETING", "PASSWORD", "participants", "pdf_text", "programme", "session"]
