"""Inbox, dispositions down the chain, replies, and overdue flags."""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from abdi.core.models import Notification
from abdi.kantor import selectors, services, tasks
from abdi.kantor.exceptions import KantorConflict, KantorError, KantorErrorCode, KantorForbidden
from abdi.kantor.models import Disposition
from abdi.organisations.tests.factories import employee_with_position

from .conftest import Office, draft, sign_through

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(office: Office) -> Any:
    """A letter from Bidang A signed by the head, addressed to Bidang B (Dewi) and Rina."""
    return sign_through(draft(office), office.agency)


def _entry(letter: Any, employee: Any) -> Disposition:
    return Disposition.objects.get(letter=letter, recipient=employee, parent__isnull=True)


def test_recipients_see_it_in_their_inbox(office: Office, signed: Any) -> None:
    agency = office.agency
    assert [e.letter for e in selectors.inbox(actor=agency.head_b.user)] == [signed]
    assert list(selectors.inbox(actor=agency.staff_b.user)) == []
    assert Notification.objects.filter(recipient=agency.head_b.user).exists()
    services.letter_mark_read(actor=agency.head_b.user, letter=signed)
    assert _entry(signed, agency.head_b).read_at is not None


def test_dispose_down_and_further_down_then_reply(office: Office, signed: Any) -> None:
    agency = office.agency
    junior = employee_with_position(
        actor=agency.admin, instansi=agency.instansi, unit=agency.division_b,
        title="Pengolah Data B", name="Yusuf Hakim", reports_to=agency.staff_b.position,
    )  # fmt: skip
    root = _entry(signed, agency.head_b)
    deadline = agency.instansi.local_date() + dt.timedelta(days=3)
    [to_hendra] = services.disposition_create(
        actor=agency.head_b.user, parent=root, recipients=[agency.staff_b],
        instruction="Siapkan bahan rapat.", deadline=deadline,
    )  # fmt: skip
    [to_yusuf] = services.disposition_create(
        actor=agency.staff_b.user, parent=to_hendra, recipients=[junior],
        instruction="Kumpulkan data.", deadline=deadline,
    )  # fmt: skip
    services.disposition_complete(actor=junior.user, disposition=to_yusuf, reply="Data terlampir.")
    tree = selectors.disposition_tree(letter=signed, today=agency.instansi.local_date())
    flat = {node.entry.recipient.name: node for node in tree}
    dewi = flat["Dewi Lestari"]
    assert dewi.entry.read_at is not None
    [hendra] = dewi.children
    assert (hendra.entry.recipient, hendra.entry.instruction) == (
        agency.staff_b,
        "Siapkan bahan rapat.",
    )
    [yusuf] = hendra.children
    assert (yusuf.entry.reply, yusuf.entry.acted_at is not None) == ("Data terlampir.", True)
    with pytest.raises(KantorConflict):
        services.disposition_complete(actor=junior.user, disposition=to_yusuf)


def test_dispose_only_to_subordinates_and_only_from_ones_inbox(office: Office, signed: Any) -> None:
    agency = office.agency
    root = _entry(signed, agency.head_b)
    with pytest.raises(KantorError) as refused:
        services.disposition_create(
            actor=agency.head_b.user, parent=root, recipients=[agency.staff_a],
            instruction="Tindak lanjuti.",
        )  # fmt: skip
    assert refused.value.code == KantorErrorCode.NOT_SUBORDINATE
    with pytest.raises(KantorForbidden):
        services.disposition_create(
            actor=agency.head_a.user, parent=root, recipients=[agency.staff_a],
            instruction="Tindak lanjuti.",
        )  # fmt: skip
    with pytest.raises(KantorError) as past:
        services.disposition_create(
            actor=agency.head_b.user, parent=root, recipients=[agency.staff_b],
            instruction="Tindak lanjuti.", deadline=dt.date(2000, 1, 1),
        )  # fmt: skip
    assert past.value.code == KantorErrorCode.DEADLINE_PAST
    assert Disposition.objects.filter(parent=root).count() == 0


def test_overdue_dispositions_are_flagged_once(office: Office, signed: Any) -> None:
    agency = office.agency
    root = _entry(signed, agency.head_b)
    [late] = services.disposition_create(
        actor=agency.head_b.user, parent=root, recipients=[agency.staff_b],
        instruction="Segera.", deadline=agency.instansi.local_date(),
    )  # fmt: skip
    Disposition.objects.filter(pk=late.pk).update(
        deadline=agency.instansi.local_date() - dt.timedelta(days=1)
    )
    assert tasks.flag_overdue_dispositions.delay().get() == 1
    assert tasks.flag_overdue_dispositions.delay().get() == 0
    late.refresh_from_db()
    assert late.overdue_at is not None
    overdue = Notification.objects.filter(
        recipient=agency.staff_b.user, key=f"kantor.overdue:{late.pk}"
    )
    assert overdue.count() == 1
    tree = selectors.disposition_tree(letter=signed, today=agency.instansi.local_date())
    assert [child.overdue for node in tree for child in node.children] == [True]
    # Done in time is never overdue.
    services.disposition_complete(actor=agency.staff_b.user, disposition=late)
    tree = selectors.disposition_tree(
        letter=signed, today=timezone.localdate() + dt.timedelta(days=9)
    )
    assert [child.overdue for node in tree for child in node.children] == [False]
