"""Who leads whom for the SKP and who may see a plan: every branch."""

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from abdi.kinerja.access import can_decide_for, can_view_plan, direct_leader
from abdi.kinerja.tests.factories import build_cascade
from abdi.organisations.tests.factories import superuser

pytestmark = pytest.mark.django_db


def test_direct_leader_follows_the_position_tree(agency: Any) -> None:
    assert direct_leader(agency.staff_a) == agency.head_a
    assert direct_leader(agency.head_b) == agency.head
    assert direct_leader(agency.head) is None


@pytest.mark.parametrize(
    ("actor", "subject", "allowed"),
    [
        ("head_a", "staff_a", True),
        ("head", "head_a", True),
        ("head", "staff_a", False),  # the leader's leader
        ("head_b", "staff_a", False),  # another leader
        ("staff_a2", "staff_a", False),  # a peer
        ("staff_a", "staff_a", False),  # oneself
        ("staff_a", "head_a", False),  # a subordinate
    ],
)
def test_only_the_direct_leader_decides(
    agency: Any, actor: str, subject: str, allowed: bool
) -> None:
    assert can_decide_for(getattr(agency, actor), getattr(agency, subject)) is allowed


def test_deciding_who_decides_reads_the_chain_and_the_acting_officials_only(
    agency: Any, django_assert_num_queries: Any
) -> None:
    # given the leader as the session reads them: with their position, unit and agency
    from abdi.accounts.backends import IdentityModelBackend
    from abdi.organisations.access import employee_of

    leader = employee_of(IdentityModelBackend().get_user(agency.head_a.user_id))
    subject = agency.staff_a

    # then the check asks two things: who holds the positions above, who acts there today
    with django_assert_num_queries(2):
        assert can_decide_for(leader, subject) is True


def test_nobody_and_other_agencies_do_not_decide(agency: Any, other_agency: Any) -> None:
    assert can_decide_for(None, agency.staff_a) is False
    assert can_decide_for(other_agency.head_a, agency.staff_a) is False


@pytest.mark.parametrize(
    ("viewer", "allowed"),
    [
        ("staff_a", True),  # owner
        ("head_a", True),  # direct leader (and assessor)
        ("head", True),  # leader further up
        ("admin", True),  # agency administrator
        ("platform", True),
        ("staff_a2", False),  # peer
        ("head_b", False),  # another branch
        ("anonymous", False),
        ("other_admin", False),
    ],
)
def test_who_may_view_a_plan(agency: Any, other_agency: Any, viewer: str, allowed: bool) -> None:
    cascade = build_cascade(agency)
    user = {
        "staff_a": agency.staff_a.user, "head_a": agency.head_a.user, "head": agency.head.user,
        "admin": agency.admin, "platform": superuser(), "staff_a2": agency.staff_a2.user,
        "head_b": agency.head_b.user, "anonymous": AnonymousUser(),
        "other_admin": other_agency.admin,
    }[viewer]  # fmt: skip

    assert can_view_plan(user, cascade.staff_plan) is allowed
