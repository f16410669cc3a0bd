"""The paraf chain: submit, initial, return with comments, revise and resubmit."""

from typing import Any

import pytest

from abdi.kantor import selectors, services
from abdi.kantor.access import can_view_letter
from abdi.kantor.choices import LetterStatus, ParafDecision
from abdi.kantor.exceptions import KantorConflict, KantorError, KantorErrorCode, KantorForbidden

from .conftest import Office, draft

pytestmark = pytest.mark.django_db


def _decisions(letter: Any) -> list[tuple[int, str, str]]:
    return [
        (step.round, step.employee.name, step.decision)
        for step in letter.steps.select_related("employee").order_by("round", "order")
    ]


def test_submit_routes_up_the_chain_to_the_signer(office: Office) -> None:
    agency = office.agency
    letter = draft(office)
    services.letter_submit(actor=agency.staff_a.user, letter=letter)
    letter.refresh_from_db()
    assert letter.status == LetterStatus.IN_REVIEW
    assert _decisions(letter) == [
        (1, "Budi Santoso", ParafDecision.PENDING),
        (1, "Siti Rahmawati", ParafDecision.PENDING),
    ]
    assert list(selectors.letters_awaiting(actor=agency.head_a.user)) == [letter]
    assert list(selectors.letters_awaiting(actor=agency.head.user)) == []
    # The officials on the route may open it; someone else may not.
    assert can_view_letter(agency.head.user, letter)
    assert not can_view_letter(agency.staff_b.user, letter)


def test_paraf_in_turn_only(office: Office) -> None:
    agency = office.agency
    letter = draft(office)
    services.letter_submit(actor=agency.staff_a.user, letter=letter)
    with pytest.raises(KantorForbidden) as refused:
        services.letter_paraf(actor=agency.head.user, letter=letter)
    assert refused.value.code == KantorErrorCode.NOT_YOUR_TURN
    with pytest.raises(KantorForbidden) as early:
        services.letter_sign(actor=agency.head.user, letter=letter)
    assert early.value.code == KantorErrorCode.NOT_YOUR_TURN
    services.letter_paraf(actor=agency.head_a.user, letter=letter, comment="OK")
    assert list(selectors.letters_awaiting(actor=agency.head.user)) == [letter]
    with pytest.raises(KantorConflict):
        services.letter_paraf(actor=agency.head.user, letter=letter)


def test_return_revise_and_resubmit_starts_a_new_round(office: Office) -> None:
    agency = office.agency
    letter = draft(office)
    services.letter_submit(actor=agency.staff_a.user, letter=letter)
    services.letter_paraf(actor=agency.head_a.user, letter=letter)
    with pytest.raises(KantorError) as refused:
        services.letter_return(actor=agency.head.user, letter=letter, comment="  ")
    assert refused.value.code == KantorErrorCode.COMMENT_REQUIRED
    services.letter_return(actor=agency.head.user, letter=letter, comment="Sebutkan harinya.")
    letter.refresh_from_db()
    assert letter.status == LetterStatus.RETURNED
    services.letter_update(
        actor=agency.staff_a.user, letter=letter, subject=letter.subject,
        body=letter.body + "\n\nRapat diadakan hari Senin.", note="Hari rapat",
    )  # fmt: skip
    services.letter_submit(actor=agency.staff_a.user, letter=letter)
    letter.refresh_from_db()
    assert (letter.round, letter.version, letter.status) == (2, 2, LetterStatus.IN_REVIEW)
    assert _decisions(letter) == [
        (1, "Budi Santoso", ParafDecision.INITIALLED),
        (1, "Siti Rahmawati", ParafDecision.RETURNED),
        (2, "Budi Santoso", ParafDecision.PENDING),
        (2, "Siti Rahmawati", ParafDecision.PENDING),
    ]
    returned = letter.steps.get(round=1, decision=ParafDecision.RETURNED)
    assert (returned.comment, returned.version) == ("Sebutkan harinya.", 1)


def test_return_by_the_first_official_voids_the_rest(office: Office) -> None:
    agency = office.agency
    letter = draft(office)
    services.letter_submit(actor=agency.staff_a.user, letter=letter)
    services.letter_return(actor=agency.head_a.user, letter=letter, comment="Perbaiki.")
    letter.refresh_from_db()
    assert _decisions(letter) == [
        (1, "Budi Santoso", ParafDecision.RETURNED),
        (1, "Siti Rahmawati", ParafDecision.SUPERSEDED),
    ]


def test_cannot_submit_twice_or_change_in_review(office: Office) -> None:
    agency = office.agency
    letter = draft(office)
    services.letter_submit(actor=agency.staff_a.user, letter=letter)
    with pytest.raises(KantorConflict):
        services.letter_submit(actor=agency.staff_a.user, letter=letter)
    with pytest.raises(KantorConflict):
        services.letter_update(actor=agency.staff_a.user, letter=letter, subject="X", body="Y")


def test_vacant_position_on_the_route_is_refused(office: Office) -> None:
    agency = office.agency
    letter = draft(office)
    agency.head_a.position = None
    agency.head_a.save(update_fields=["position"])
    with pytest.raises(KantorError) as refused:
        services.letter_submit(actor=agency.staff_a.user, letter=letter)
    assert refused.value.code == KantorErrorCode.ROUTE_VACANT
    letter.refresh_from_db()
    assert letter.status == LetterStatus.DRAFT
