"""The plan and team pages' frame (base.html's head, menu and account bar, the page's title and
tabs) kept apart from their body (abdi/core/frames.py): the same page, this session's token,
messages once, and never a frame of another state."""

import re

from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from abdi.core.frames import BODY_SLOT, CSRF_SLOT
from abdi.kinerja.models import SkpPlan
from abdi.kinerja.tests.factories import build_cascade
from abdi.kinerja.tests.test_kept_pages import login, page, without_tokens
from abdi.organisations.models import Position


def frame_rendered(response) -> bool:
    return "base.html" in [t.name for t in response.templates]


def test_a_second_visit_takes_the_kept_frame_and_shows_the_same_page(client, agency):
    build_cascade(agency)
    login(client, agency.head_a)

    for url in ("/kinerja/", reverse("kinerja:team")):
        first = client.get(url)
        second = client.get(url)

        assert frame_rendered(first)
        assert not frame_rendered(second)
        assert without_tokens(page(second)) == without_tokens(page(first))
        assert BODY_SLOT not in page(second)
        assert CSRF_SLOT not in page(second)
        assert page(second).count('data-testid="plan"') == page(first).count('data-testid="plan"')


def test_a_kept_frame_carries_the_token_of_the_session_that_visits(agency):
    build_cascade(agency)
    first = login(Client(enforce_csrf_checks=True), agency.staff_a)
    page(first.get("/kinerja/"))  # the frame rendered and kept
    second = login(Client(enforce_csrf_checks=True), agency.staff_a)

    kept = second.get("/kinerja/")
    assert not frame_rendered(kept)
    header_token = re.search(r'"X-CSRFToken": "([^"]+)"', page(kept)).group(1)
    sign_out = re.search(
        r'action="' + reverse("accounts:logout") + r'"><input type="hidden" '
        r'name="csrfmiddlewaretoken" value="([^"]+)"',
        page(kept),
    ).group(1)
    assert header_token == sign_out

    signed_out = second.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": sign_out})

    assert signed_out.status_code == 302
    assert second.get("/kinerja/").status_code == 302  # signed out: to the sign-in page
    assert first.get("/kinerja/").status_code == 200  # the other session goes on


def test_a_message_shows_once_on_a_page_whose_frame_is_kept(client, agency):
    build_cascade(agency)
    login(client, agency.staff_a)
    client.get("/kinerja/")
    client.get("/kinerja/")  # the frame is kept
    plan = SkpPlan.objects.get(employee=agency.staff_a, is_current=True)

    client.post(reverse("kinerja:plan-revise", args=[plan.public_id]), {"reason": "Tugas baru"})
    with_message = page(client.get("/kinerja/"))
    after = page(client.get("/kinerja/"))

    assert "A new draft version of the plan was made." in with_message
    assert "A new draft version of the plan was made." not in after


def test_the_frame_follows_the_viewers_name_language_address_and_team(client, agency):
    build_cascade(agency)
    login(client, agency.head_a)
    assert "My team" in page(client.get("/kinerja/"))
    client.get("/kinerja/")  # kept

    user = agency.head_a.user
    user.first_name, user.last_name = "Renamed", "Leader"
    user.save()
    assert "Renamed Leader" in page(client.get("/kinerja/"))

    assert 'value="/kinerja/?periode=1"' in page(client.get("/kinerja/?periode=1"))

    login(client, agency.head_a, language="id")
    assert "SKP saya" in page(client.get("/kinerja/"))

    # No one reports to the position any more: the tabs lose "My team" once the answer,
    # kept a minute like the menu, is asked again.
    Position.objects.filter(reports_to=agency.head_a.position).update(reports_to=None)
    cache.delete(f"menu.leads-a-team:{user.pk}")
    login(client, agency.head_a)
    assert "My team" not in page(client.get("/kinerja/"))
