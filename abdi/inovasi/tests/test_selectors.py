"""Who sees which innovation: drafts private to the owner's line, endorsed ones public."""

from typing import Any

import pytest

from abdi.core.exceptions import NotFoundError
from abdi.inovasi import access, selectors, services
from abdi.inovasi.choices import Stage
from abdi.inovasi.models import Innovation
from abdi.inovasi.services import MemberIn
from abdi.organisations.tests.factories import Agency

from .factories import endorsed, register

pytestmark = pytest.mark.django_db


def visible(user: Any) -> set[str]:
    return set(selectors.innovation_list_for_actor(actor=user).values_list("title", flat=True))


@pytest.fixture
def innovations(agency: Agency, other_agency: Agency) -> dict[str, Innovation]:
    return {
        "draft": register(agency.staff_a, "Draf A", members=[MemberIn(employee=agency.staff_a2)]),
        "endorsed": endorsed(agency.staff_b, agency.head_b, "Publik B"),
        "other_draft": register(other_agency.staff_a, "Draf kota lain"),
    }


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("staff_a", {"Draf A", "Publik B"}),  # owner
        ("staff_a2", {"Draf A", "Publik B"}),  # team member
        ("head_a", {"Draf A", "Publik B"}),  # direct leader
        ("head", {"Draf A", "Publik B"}),  # leader further up
        ("head_b", {"Publik B"}),  # a leader of another line
        ("staff_b", {"Publik B"}),  # a colleague
    ],
)
def test_drafts_are_private_to_the_owners_line(
    agency: Agency, innovations: dict[str, Innovation], who: str, expected: set[str]
) -> None:
    user = getattr(agency, who).user
    assert visible(user) == expected
    for innovation in innovations.values():
        assert access.can_view(user, innovation) is (innovation.title in expected)


def test_another_agency_sees_only_endorsed_ones(
    other_agency: Agency, innovations: dict[str, Innovation]
) -> None:
    assert visible(other_agency.head.user) == {"Publik B", "Draf kota lain"}
    assert visible(other_agency.staff_b.user) == {"Publik B"}
    with pytest.raises(NotFoundError):
        selectors.innovation_get_for_actor(
            actor=other_agency.staff_b.user, public_id=innovations["draft"].public_id
        )


def test_admins_see_their_agency(
    agency: Agency, platform_admin: Any, innovations: dict[str, Innovation]
) -> None:
    assert visible(agency.admin) == {"Draf A", "Publik B"}
    assert visible(platform_admin) == {"Draf A", "Publik B", "Draf kota lain"}


def test_citizens_and_anonymous_see_nothing(
    citizen: Any, innovations: dict[str, Innovation]
) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert visible(citizen.user) == set()
    assert visible(AnonymousUser()) == set()
    assert access.can_view(AnonymousUser(), innovations["endorsed"]) is False


def test_search_by_keyword_stage_service_and_agency(
    agency: Agency, other_agency: Agency, innovations: dict[str, Innovation]
) -> None:
    actor = other_agency.staff_b.user
    found = selectors.innovation_search(actor=actor, q="publik")
    assert [i.title for i in found] == ["Publik B"]
    assert not selectors.innovation_search(actor=actor, q="publik tidakada").exists()
    assert not selectors.innovation_search(actor=actor, stage=Stage.REPLIKASI).exists()
    assert selectors.innovation_search(actor=actor, stage=Stage.IDE).count() == 1
    assert selectors.innovation_search(actor=actor, service="ktp").count() == 1
    assert not selectors.innovation_search(actor=actor, service="paspor").exists()
    assert selectors.innovation_search(actor=actor, instansi_code=agency.instansi.code).count() == 1
    assert not selectors.innovation_search(actor=actor, exclude_own_agency=True, q="kota").exists()


def test_mine_lists_owned_and_team_innovations(
    agency: Agency, innovations: dict[str, Innovation]
) -> None:
    assert [
        i.title for i in selectors.innovation_search(actor=agency.staff_a2.user, mine=True)
    ] == ["Draf A"]


def test_the_review_queue_is_the_direct_leaders(
    agency: Agency, innovations: dict[str, Innovation]
) -> None:
    services.innovation_submit(actor=agency.staff_a.user, innovation=innovations["draft"])
    assert [i.title for i in selectors.review_queue(actor=agency.head_a.user)] == ["Draf A"]
    assert selectors.review_queue(actor=agency.head.user) == []
    assert selectors.review_queue(actor=agency.staff_a.user) == []


def test_replications_of_other_agencies_stay_private_until_endorsed(
    agency: Agency, other_agency: Agency, innovations: dict[str, Innovation]
) -> None:
    original = innovations["endorsed"]
    replica = services.replication_record(actor=other_agency.staff_a.user, original=original)
    assert (
        list(selectors.replications_visible(actor=agency.staff_b.user, innovation=original)) == []
    )
    assert list(
        selectors.replications_visible(actor=other_agency.staff_a.user, innovation=original)
    ) == [replica]


def test_stage_counts_per_agency_and_unit(
    agency: Agency, innovations: dict[str, Innovation]
) -> None:
    counts = selectors.stage_counts(instansi_id=agency.instansi.pk)
    assert counts[Stage.IDE] == {"total": 2, "endorsed": 1, "dormant": 0}
    assert counts[Stage.REPLIKASI] == {"total": 0, "endorsed": 0, "dormant": 0}
    unit = selectors.stage_counts(instansi_id=agency.instansi.pk, unit_path=agency.division_b.path)
    assert unit[Stage.IDE] == {"total": 1, "endorsed": 1, "dormant": 0}
