"""Every branch of :mod:`abdi.inovasi.access`, including acting leaders (Plt/Plh)."""

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from abdi.core.models import Notification
from abdi.inovasi import access, selectors, services
from abdi.inovasi.models import Innovation
from abdi.inovasi.services import MemberIn
from abdi.kinerja import services as kinerja_services
from abdi.kinerja.choices import ActingKind
from abdi.organisations.tests.factories import Agency

from .factories import endorsed, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(agency: Agency) -> Innovation:
    return register(agency.staff_a, members=[MemberIn(employee=agency.staff_a2)])


def test_anonymous_sees_nothing(draft: Innovation) -> None:
    assert access.can_view(AnonymousUser(), draft) is False


def test_platform_admin_sees_everything(draft: Innovation, platform_admin: Any) -> None:
    assert access.can_view(platform_admin, draft) is True
    assert access.visible_filter(platform_admin) is None


def test_agency_admin_sees_their_agency_only(
    draft: Innovation, agency: Agency, other_agency: Agency
) -> None:
    assert access.can_view(agency.admin, draft) is True
    assert access.can_view(other_agency.admin, draft) is False


def test_a_citizen_sees_no_innovation_even_endorsed(agency: Agency, citizen: Any) -> None:
    innovation = endorsed(agency.staff_b, agency.head_b)
    assert access.can_view(citizen.user, innovation) is False


def test_owner_team_and_leaders_see_a_draft(draft: Innovation, agency: Agency) -> None:
    assert access.can_view(agency.staff_a.user, draft) is True
    assert access.can_view(agency.staff_a2.user, draft) is True
    assert access.is_team(agency.staff_a2.pk, draft) is True
    assert access.is_team(agency.staff_b.pk, draft) is False
    assert access.can_view(agency.head_a.user, draft) is True
    assert access.can_view(agency.head.user, draft) is True
    assert access.can_view(agency.head_b.user, draft) is False


def test_an_owner_without_a_position_is_seen_by_owner_and_admin_only(
    draft: Innovation, agency: Agency
) -> None:
    from abdi.organisations.models import Employee

    Employee.objects.filter(pk=agency.staff_a.pk).update(position=None)
    fresh = Innovation.objects.select_related("owner__position").get(pk=draft.pk)
    assert access.can_view(agency.head_a.user, fresh) is False
    assert access.can_view(agency.staff_a.user, fresh) is True


def test_an_acting_leader_sees_and_reviews(draft: Innovation, agency: Agency) -> None:
    today = agency.instansi.local_date()
    kinerja_services.acting_assign(
        actor=agency.admin, position=agency.head_a.position, acting=agency.head_b,
        kind=ActingKind.PLH, starts_on=today - timedelta(days=1), ends_on=today + timedelta(days=5),
        reason="Cuti",
    )  # fmt: skip
    services.innovation_submit(actor=agency.staff_a.user, innovation=draft)
    submitted = Notification.objects.filter(key__startswith="inovasi.submitted:")
    assert list(submitted.values_list("recipient_id", flat=True)) == [agency.head_b.user.pk]
    assert access.can_view(agency.head_b.user, draft) is True
    assert draft.title in {
        i.title for i in selectors.innovation_list_for_actor(actor=agency.head_b.user)
    }
    assert access.can_review(agency.head_b.user, draft) is True
    # One decider at a time: the acting official decides in the leader's place.
    assert access.can_review(agency.head_a.user, draft) is False


def test_the_owner_never_reviews_their_own(agency: Agency) -> None:
    innovation = register(agency.head)
    assert access.can_change(agency.head.user, innovation) is True
    assert access.can_review(agency.head.user, innovation) is False
    assert access.can_review(agency.admin, innovation) is True


def test_only_the_owner_changes(draft: Innovation, agency: Agency) -> None:
    assert access.can_change(agency.staff_a2.user, draft) is False
    assert access.can_change(agency.head_a.user, draft) is False
    assert access.can_change(AnonymousUser(), draft) is False
