"""The office demo data: a signed letter with dispositions in the demo agency; idempotent."""

import pytest

from abdi.kantor import demo, signing
from abdi.kantor.choices import LetterStatus
from abdi.kantor.models import Disposition, Letter
from abdi.organisations import demo as organisations_demo

pytestmark = pytest.mark.django_db


def test_demo_letters_load_once() -> None:
    organisations_demo.seed_demo()
    demo.seed_demo()
    letters = {letter.subject: letter for letter in Letter.objects.all()}
    assert len(letters) == 3
    invitation = letters["Undangan rapat evaluasi pelayanan administrasi kependudukan"]
    assert invitation.status == LetterStatus.SIGNED
    assert invitation.number.startswith("001/005/DUKCAPIL/")
    check = signing.verify_pdf(
        instansi=invitation.instansi, pdf_bytes=invitation.signed_file.read()
    )
    assert check.valid
    replies = Disposition.objects.filter(letter=invitation).exclude(reply="")
    assert [d.reply for d in replies] == ["Rekap sudah dikirim lewat surel."]
    assert Disposition.objects.filter(letter=invitation, parent__isnull=False).count() == 2
    statuses = sorted(letter.status for letter in letters.values())
    assert statuses == [LetterStatus.IN_REVIEW, LetterStatus.RETURNED, LetterStatus.SIGNED]
    # Again: nothing more.
    demo.seed_demo()
    assert Letter.objects.count() == 3
