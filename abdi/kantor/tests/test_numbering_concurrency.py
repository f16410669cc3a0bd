"""Numbering under concurrency: parallel signings get a gapless, unique sequence (PostgreSQL)."""

import threading
from typing import Any

import pytest
from django.db import connection

from abdi.kantor import services, signing
from abdi.kantor.choices import LetterStatus
from abdi.kantor.models import Letter, NumberCounter
from abdi.organisations.tests.factories import build_agency

from .conftest import build_office, draft

THREADS = 6


@pytest.mark.django_db(transaction=True)
def test_parallel_signings_get_a_gapless_unique_sequence() -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite serialises every writer and ignores SELECT … FOR UPDATE, so parallel "
            "signings cannot race there; run on PostgreSQL (DATABASE_URL) to test the lock."
        )
    agency = build_agency()
    office = build_office(agency)
    signing.active_key(agency.instansi)
    # Kepala Bidang A drafts and signs their own letters: one step each, all awaiting signature.
    letters = [
        draft(
            office,
            actor=agency.head_a.user,
            signer_position=agency.head_a.position,
            subject=f"Surat {index}",
        )  # fmt: skip
        for index in range(THREADS)
    ]
    for letter in letters:
        services.letter_submit(actor=agency.head_a.user, letter=letter)
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def sign(letter: Letter) -> None:
        try:
            barrier.wait()
            services.letter_sign(actor=agency.head_a.user, letter=letter)
        except BaseException as problem:  # noqa: BLE001 - reported by the assertion below
            errors.append(problem)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign, args=(letter,)) for letter in letters]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    signed: list[Any] = list(
        Letter.objects.filter(status=LetterStatus.SIGNED).values_list("sequence", "number")
    )
    assert sorted(sequence for sequence, _number in signed) == list(range(1, THREADS + 1))
    assert len({number for _sequence, number in signed}) == THREADS
    assert NumberCounter.objects.get(template=office.template).last == THREADS
