"""The archive: access classes enforced, search by number, subject, date and sender."""

import datetime as dt
from typing import Any

import pytest

from abdi.core.exceptions import NotFoundError
from abdi.kantor import selectors
from abdi.kantor.access import can_view_letter
from abdi.kantor.choices import AccessClass
from abdi.kantor.exceptions import KantorError

from .conftest import Office, draft, sign_through

pytestmark = pytest.mark.django_db


@pytest.fixture
def letters(office: Office) -> dict[str, Any]:
    agency = office.agency
    return {
        access: sign_through(
            draft(office, subject=f"Perihal {access}", access_class=access), agency
        )
        for access in AccessClass.values
    }


def test_access_classes(office: Office, letters: dict[str, Any], other_agency: Any) -> None:
    agency = office.agency
    biasa, terbatas, rahasia = (letters[a] for a in AccessClass.values)
    # Someone of the agency not involved: only ordinary letters.
    outsider = agency.staff_b.user
    assert [can_view_letter(outsider, x) for x in (biasa, terbatas, rahasia)] == [
        True,
        False,
        False,
    ]
    # The agency's administrator (archivist): ordinary and restricted, never confidential.
    assert [can_view_letter(agency.admin, x) for x in (biasa, terbatas, rahasia)] == [
        True,
        True,
        False,
    ]
    # The people it went through (drafter, route, recipients) see all three.
    for user in (agency.staff_a.user, agency.head_a.user, agency.head.user, agency.staff_a2.user):
        assert [can_view_letter(user, x) for x in (biasa, terbatas, rahasia)] == [True, True, True]
    # Another agency sees none of them; a probe by id is "not found".
    stranger = other_agency.staff_a.user
    assert [can_view_letter(stranger, x) for x in (biasa, terbatas, rahasia)] == [
        False,
        False,
        False,
    ]
    with pytest.raises(NotFoundError):
        selectors.letter_get(actor=stranger, public_id=biasa.public_id)


def test_archive_search(office: Office, letters: dict[str, Any]) -> None:
    agency = office.agency
    actor = agency.staff_a.user
    biasa = letters[AccessClass.BIASA]
    assert list(selectors.archive_search(actor=actor, number=biasa.number)) == [biasa]
    assert list(selectors.archive_search(actor=actor, subject="perihal rahasia")) == [
        letters[AccessClass.RAHASIA]
    ]
    assert selectors.archive_search(actor=actor, sender="Siti").count() == 3
    assert selectors.archive_search(actor=actor, sender="Dinas Utama").count() == 3
    assert selectors.archive_search(actor=actor, sender="Dewi").count() == 0
    today = biasa.letter_date
    assert selectors.archive_search(actor=actor, date_from=today, date_to=today).count() == 3
    tomorrow = today + dt.timedelta(days=1)
    assert selectors.archive_search(actor=actor, date_from=tomorrow).count() == 0
    # Staff B (not involved) finds only the ordinary one.
    assert list(selectors.archive_search(actor=agency.staff_b.user, subject="Perihal")) == [biasa]
    with pytest.raises(KantorError):
        selectors.archive_search(actor=actor, date_from=tomorrow, date_to=today)


def test_the_public_page_does_not_show_a_restricted_subject(letters: dict[str, Any]) -> None:
    from abdi.verifikasi import services as verifikasi

    public = {
        access: verifikasi.documents_for(letter).get().facts for access, letter in letters.items()
    }
    assert public[AccessClass.BIASA]["Hal"] == "Perihal biasa"
    assert "Hal" not in public[AccessClass.TERBATAS]
    assert "Hal" not in public[AccessClass.RAHASIA]
    assert all("Nomor" in facts for facts in public.values())
