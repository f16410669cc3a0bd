"""Fixtures of the office app: an agency with a template, a classification code and keys."""

from dataclasses import dataclass
from typing import Any

import pytest

from abdi.kantor import services
from abdi.kantor.choices import LetterKind, RecipientKind
from abdi.kantor.models import Classification, Letter, LetterTemplate
from abdi.organisations.tests.factories import Agency


@pytest.fixture(autouse=True)
def key_dir(settings: Any, tmp_path: Any) -> Any:
    """Keep each test's signing keys in its own temporary folder."""
    settings.ABDI_KANTOR_KEY_DIR = str(tmp_path / "keys")
    return tmp_path / "keys"


@dataclass
class Office:
    agency: Agency
    template: LetterTemplate
    classification: Classification


def build_office(agency: Agency) -> Office:
    template = services.template_create(
        actor=agency.admin, instansi=agency.instansi, kind=LetterKind.NOTA_DINAS,
        name="Nota Dinas", kop_title="Pemerintah Kabupaten Contoh", kop_subtitle="Dinas Utama",
        kop_address="Jl. Merdeka 1", place="Contoh",
    )  # fmt: skip
    classification = services.classification_create(
        actor=agency.admin, instansi=agency.instansi, code="800", name="Kepegawaian",
        retention_years=5,
    )  # fmt: skip
    return Office(agency=agency, template=template, classification=classification)


@pytest.fixture
def office(agency: Agency) -> Office:
    return build_office(agency)


def draft(office: Office, **overrides: Any) -> Letter:
    """A nota dinas drafted by staff A, to be signed by the head of the agency (3-step route)."""
    agency = office.agency
    values: dict[str, Any] = {
        "actor": agency.staff_a.user,
        "template": office.template,
        "classification": office.classification,
        "subject": "Undangan rapat koordinasi",
        "body": "Dengan hormat,\n\nKami mengundang Bapak/Ibu ke rapat koordinasi.",
        "signer_position": agency.head.position,
        "recipients": [
            services.RecipientSpec(kind=RecipientKind.UNIT, unit=agency.division_b),
            services.RecipientSpec(kind=RecipientKind.EMPLOYEE, employee=agency.staff_a2),
            services.RecipientSpec(kind=RecipientKind.EXTERNAL, name="Camat Contoh"),
        ],
    }
    values.update(overrides)
    return services.letter_create(**values)


def sign_through(letter: Letter, agency: Agency) -> Letter:
    """Submit, initial by Kepala Bidang A, and sign by the head."""
    services.letter_submit(actor=agency.staff_a.user, letter=letter)
    services.letter_paraf(actor=agency.head_a.user, letter=letter)
    return services.letter_sign(actor=agency.head.user, letter=letter)
