from typing import Any

import pytest
from django.core.cache import cache

from abdi.verifikasi import registry
from abdi.verifikasi import services as verifikasi
from abdi.verifikasi.registry import FileCheck

TEST_KIND = "tests.document"


def _signature_check(document: Any, content: bytes) -> list[FileCheck]:
    return [FileCheck("Signature", b"SIGNED" in content, "" if b"SIGNED" in content else "none")]


@pytest.fixture(autouse=True)
def kinds() -> None:
    registry.register(
        TEST_KIND,
        "Test document",
        describe=lambda document: [("Status", "Selesai")],
        check_file=_signature_check,
    )


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> None:
    cache.clear()


def pdf_bytes(document: Any, extra: bytes = b"SIGNED") -> bytes:
    return b"%PDF-1.7\n" + document.url.encode() + b"\n" + extra + b"\n%%EOF\n"


@pytest.fixture
def issued(agency: Any) -> Any:
    from django.db import transaction

    with transaction.atomic():
        return verifikasi.document_issue(
            actor=agency.admin,
            kind=TEST_KIND,
            instansi=agency.instansi,
            title="Surat Keterangan 12",
            holder="B*** S***",
            facts={"Nomor": "470/12"},
            render=pdf_bytes,
        )
