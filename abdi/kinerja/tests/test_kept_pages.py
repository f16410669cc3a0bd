"""Plan and team pages kept in the cache: shown again unchanged, never stale, own CSRF tokens."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from abdi.kinerja import rules, selectors, services
from abdi.kinerja.models import Indicator, Realisation, Rhk, RhkContributor, SkpPlan
from abdi.kinerja.tests.factories import YEAR, add_rhk, approve, build_cascade, draft_plan
from abdi.kinerja.views._common import CSRF_SLOT

PLAN_PARTIAL = "kinerja/partials/_plan.html"


def login(client, employee, language: str = "en"):
    client.force_login(employee.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def page(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def without_tokens(text: str) -> str:
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", text)


def progress(text: str) -> list[str]:
    return re.findall(r'data-testid="rhk-progress">([^<]*)<', text)


def partial_rendered(response) -> bool:
    return PLAN_PARTIAL in [t.name for t in response.templates]


def test_a_second_visit_comes_from_the_cache_and_shows_the_same_page(client, agency):
    build_cascade(agency)
    login(client, agency.head_a)

    first = client.get("/kinerja/")
    with CaptureQueriesContext(connection) as second_queries:
        second = client.get("/kinerja/")
    with CaptureQueriesContext(connection) as fresh_queries:
        SkpPlan.objects.filter(employee=agency.head_a).update(updated_at=first_plan_time(agency))
        fresh = client.get("/kinerja/")

    assert partial_rendered(first)
    assert not partial_rendered(second)
    assert partial_rendered(fresh)  # a changed plan is rendered anew
    assert without_tokens(page(second)) == without_tokens(page(first))
    assert without_tokens(page(fresh)) == without_tokens(page(first))
    assert len(second_queries) < len(fresh_queries) - 5
    assert CSRF_SLOT not in page(second)


def first_plan_time(agency):
    """A different last-change time for head_a's plan, as any save would give it."""
    plan = SkpPlan.objects.get(employee=agency.head_a, is_current=True)
    return plan.updated_at + timedelta(seconds=1)


def test_a_realisation_shows_at_once_on_the_owners_kept_page(client, agency):
    cascade = build_cascade(agency)
    login(client, agency.staff_a)
    assert "Period 1: 7" not in page(client.get("/kinerja/"))
    client.get("/kinerja/")  # now kept

    services.realisation_record(
        actor=agency.staff_a.user, indicator=cascade.staff_indicator, period=1,
        value=Decimal(7), note="Berkas Januari", today=date(YEAR, 2, 2),
    )  # fmt: skip
    response = client.get("/kinerja/")

    assert partial_rendered(response)
    assert "Period 1: 7" in page(response)
    assert "Berkas Januari" in page(response)


def test_a_subordinates_realisation_moves_the_leaders_kept_progress(client, agency):
    cascade = build_cascade(agency)
    login(client, agency.head)
    before = progress(page(client.get("/kinerja/")))
    client.get("/kinerja/")

    services.realisation_record(
        actor=agency.staff_a.user, indicator=cascade.staff_indicator, period=1,
        value=cascade.staff_indicator.target, today=date(YEAR, 2, 2),
    )  # fmt: skip
    after = progress(page(client.get("/kinerja/")))

    cache.clear()
    fresh = progress(page(client.get("/kinerja/")))

    assert after != before
    assert after == fresh


def test_each_visit_gets_a_token_of_its_own_session(agency):
    build_cascade(agency)
    first = login(Client(enforce_csrf_checks=True), agency.staff_a)
    first.get("/kinerja/")  # rendered and kept
    second = login(Client(enforce_csrf_checks=True), agency.staff_a)

    kept = page(second.get("/kinerja/"))
    form = re.search(
        r'action="([^"]+)" data-testid="plan-revise-form">'
        r'<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"',
        kept,
    )
    assert form is not None
    response = second.post(form.group(1), {"csrfmiddlewaretoken": form.group(2)})

    assert response.status_code != 403  # the token belongs to this session
    assert CSRF_SLOT not in kept


def test_viewers_and_languages_are_kept_apart(client, agency):
    build_cascade(agency)
    staff_page = page(login(client, agency.staff_a).get("/kinerja/"))
    staff_plan = SkpPlan.objects.get(employee=agency.staff_a)
    leader_view = login(Client(), agency.head_a).get(
        reverse("kinerja:plan-detail", args=[staff_plan.public_id])
    )
    indonesian = page(login(Client(), agency.staff_a, language="id").get("/kinerja/"))

    assert 'data-testid="plan-revise-form"' in staff_page
    assert 'data-testid="plan-revise-form"' not in page(leader_view)
    assert 'data-testid="feedback-form"' in page(leader_view)
    assert "Unduh PDF" in indonesian
    assert "Download PDF" in staff_page


@pytest.mark.parametrize(
    "change",
    [
        "rhk text",
        "supported rhk text",
        "indicator target",
        "realisation value",
        "subordinate realisation",
        "realisation deleted",
        "feedback",
        "late commit",
    ],
)
def test_the_fingerprint_changes_with_every_row_the_page_shows(agency, change):
    cascade = build_cascade(agency)
    plan = cascade.a_plan
    realisation = services.realisation_record(
        actor=agency.head_a.user, indicator=cascade.a_indicator, period=1, value=Decimal(3),
        today=date(YEAR, 2, 2),
    )  # fmt: skip
    staff = services.realisation_record(
        actor=agency.staff_a.user, indicator=cascade.staff_indicator, period=1,
        value=Decimal(2), today=date(YEAR, 2, 2),
    )  # fmt: skip
    before = selectors.plan_page_fingerprint(plan=plan)

    if change == "rhk text":
        Rhk.objects.get(pk=cascade.a_rhk.pk).save()
    elif change == "supported rhk text":
        Rhk.objects.get(pk=cascade.head_rhk.pk).save()
    elif change == "indicator target":
        Indicator.objects.get(pk=cascade.a_indicator.pk).save()
    elif change == "realisation value":
        Realisation.objects.get(pk=realisation.pk).save()
    elif change == "subordinate realisation":
        Realisation.objects.get(pk=staff.pk).save()
    elif change == "realisation deleted":
        Realisation.objects.filter(pk=realisation.pk).delete()
    elif change == "feedback":
        services.feedback_give(
            actor=agency.head.user, rhk=cascade.a_rhk, period=1, text="Pertahankan"
        )
    elif change == "late commit":
        # A save that commits after a later one carries the older time: not the latest
        # time of the table, yet the page must change.
        earlier = staff.updated_at - timedelta(minutes=5)
        Realisation.objects.filter(pk=realisation.pk).update(updated_at=earlier)

    assert selectors.plan_page_fingerprint(plan=plan) != before


def test_the_fingerprint_ignores_other_plans(agency):
    cascade = build_cascade(agency)
    before = selectors.plan_page_fingerprint(plan=cascade.staff_plan)

    services.realisation_record(
        actor=agency.head_a.user, indicator=cascade.a_indicator, period=1, value=Decimal(3),
        today=date(YEAR, 2, 2),
    )  # fmt: skip

    # The leader's realisation is not on the staff member's page: it stays kept.
    assert selectors.plan_page_fingerprint(plan=cascade.staff_plan) == before


# Tables a page's fingerprint may find empty for the plan, and the page then does not read.
SKIPPABLE = (
    "kinerja_evidence",
    "kinerja_rhkfeedback",
    "kinerja_rhkcontributor",
    "kinerja_outputentry",
)


def staff_reports(cascade, value: Decimal) -> Realisation:
    """The staff member's realisation of period 1, reported in February."""
    return services.realisation_record(
        actor=cascade.staff_plan.employee.user, indicator=cascade.staff_indicator, period=1,
        value=value, today=date(YEAR, 2, 2),
    )  # fmt: skip


def test_a_page_rendered_anew_does_not_read_what_its_fingerprint_found_empty(client, agency):
    staff_reports(build_cascade(agency), Decimal(7))
    login(client, agency.staff_a)

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/kinerja/")

    assert partial_rendered(response)
    assert "Period 1: 7" in page(response)
    # The fingerprint names every table; the page's reads come after it.
    fingerprint = [q["sql"] for q in queries.captured_queries if "'evidence'" in q["sql"]]
    reads = [q["sql"] for q in queries.captured_queries if "'evidence'" not in q["sql"]]
    assert len(fingerprint) == 1
    assert [sql for sql in reads if any(f'"{table}"' in sql for table in SKIPPABLE)] == []


def test_a_page_rendered_anew_shows_the_evidence_feedback_contributors_and_outputs(client, agency):
    cascade = build_cascade(agency)
    realisation = staff_reports(cascade, Decimal(7))
    services.evidence_attach(
        actor=agency.staff_a.user, realisation=realisation, url="https://arsip.example.go.id/b1"
    )
    services.feedback_give(
        actor=agency.head_a.user, rhk=cascade.staff_rhk, period=1, text="Pertahankan ritmenya"
    )
    RhkContributor.objects.create(rhk=cascade.staff_rhk, employee=agency.staff_b, role="Data")
    services.output_add(
        actor=agency.staff_a.user, rhk=cascade.staff_rhk, week=date(YEAR, 1, 5),
        output="Verifikasi 12 berkas", quantity=Decimal(12), today=date(YEAR, 1, 9),
    )  # fmt: skip
    periods = rules.evaluation_periods(YEAR, cascade.year.rhythm)
    january = next(p.index for p in periods if p.start <= date(YEAR, 1, 5) <= p.end)
    login(client, agency.staff_a)

    response = client.get("/kinerja/", {"periode": january})

    assert partial_rendered(response)
    text = page(response)
    assert "https://arsip.example.go.id/b1" in text
    assert "Pertahankan ritmenya" in text
    assert agency.staff_b.full_name in text
    assert "Verifikasi 12 berkas" in text


PLAN_ROW = "kinerja/partials/_plan_rhk.html"


def rows_rendered(response) -> int:
    return [t.name for t in response.templates].count(PLAN_ROW)


def three_results(agency):
    """staff_a2's approved plan of three results, each with an indicator."""
    cascade = build_cascade(agency)
    plan = draft_plan(cascade.year, agency.staff_a2)
    results = [
        add_rhk(plan, text, parent=cascade.a_rhk)
        for text in ("Surat diarsipkan", "Berkas dipindai", "Rapat dicatat")
    ]
    approve(plan, agency.head_a.user)
    return plan, results


def staff_a2_reports(agency, indicator, value: int, note: str, day: int) -> Realisation:
    """staff_a2's realisation of period 1 for ``indicator``, reported on a February day."""
    return services.realisation_record(
        actor=agency.staff_a2.user, indicator=indicator, period=1, value=Decimal(value),
        note=note, today=date(YEAR, 2, day),
    )  # fmt: skip


def test_a_save_renders_anew_only_the_result_it_touched(client, agency):
    plan, results = three_results(agency)
    login(client, agency.staff_a2)
    first = client.get("/kinerja/")
    kept = client.get("/kinerja/")

    staff_a2_reports(agency, results[1][1], 4, "Dipindai 40 berkas", day=2)
    after = client.get("/kinerja/")
    cache.clear()
    fresh = client.get("/kinerja/")

    assert rows_rendered(first) == 3
    assert rows_rendered(kept) == 0
    assert partial_rendered(after)
    assert rows_rendered(after) == 1  # the other two results' parts were kept
    assert "Dipindai 40 berkas" in page(after)
    assert without_tokens(page(after)) == without_tokens(page(fresh))
    assert CSRF_SLOT not in page(after)


def test_each_results_digest_changes_only_with_its_own_rows(agency):
    plan, results = three_results(agency)
    before = selectors.plan_page_fingerprint(plan=plan)

    services.realisation_record(
        actor=agency.staff_a2.user, indicator=results[1][1], period=1, value=Decimal(4),
        today=date(YEAR, 2, 2),
    )  # fmt: skip
    after = selectors.plan_page_fingerprint(plan=plan)

    touched, *others = [results[1][0].pk, results[0][0].pk, results[2][0].pk]
    assert after != before
    assert after.of_rhk(touched) != before.of_rhk(touched)
    assert [after.of_rhk(pk) for pk in others] == [before.of_rhk(pk) for pk in others]
    assert all(before.of_rhk(pk) for pk in [touched, *others])


# --- My team ---------------------------------------------------------------------------------

TEAM_PARTIAL = "kinerja/partials/_team.html"


def team_rendered(response) -> bool:
    return TEAM_PARTIAL in [t.name for t in response.templates]


def test_the_team_page_is_kept_until_a_member_reports(client, agency):
    cascade = build_cascade(agency)
    login(client, agency.head_a)
    first = client.get(reverse("kinerja:team"))
    with CaptureQueriesContext(connection) as kept_queries:
        second = client.get(reverse("kinerja:team"))

    services.realisation_record(
        actor=agency.staff_a.user, indicator=cascade.staff_indicator, period=1,
        value=Decimal(5), today=date(YEAR, 2, 2),
    )  # fmt: skip
    with CaptureQueriesContext(connection) as fresh_queries:
        third = client.get(reverse("kinerja:team"))

    assert team_rendered(first)
    assert not team_rendered(second)
    assert without_tokens(page(second)) == without_tokens(page(first))
    assert team_rendered(third)  # the realisation waits for the leader: the page changed
    assert 'data-testid="pending">1<' in page(third)
    assert 'data-testid="pending"' not in page(first)
    assert len(kept_queries) < len(fresh_queries)


def test_a_weekly_output_shows_at_once_and_its_kept_form_takes_this_sessions_token(agency):
    cascade = build_cascade(agency)
    leader = login(Client(enforce_csrf_checks=True), agency.head_a)
    leader.get(reverse("kinerja:team"))  # kept without the output
    entry = services.output_add(
        actor=agency.staff_a.user, rhk=cascade.staff_rhk, week=date(YEAR, 3, 2),
        output="Verifikasi 12 berkas", quantity=Decimal(12), today=date(YEAR, 3, 6),
    )  # fmt: skip
    leader.get(reverse("kinerja:team"))  # kept with it
    other_session = login(Client(enforce_csrf_checks=True), agency.head_a)

    kept = page(other_session.get(reverse("kinerja:team")))
    token = re.search(
        rf'action="{reverse("kinerja:output-decide", args=[entry.public_id])}">'
        r'<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"',
        kept,
    )
    assert token is not None
    response = other_session.post(
        reverse("kinerja:output-decide", args=[entry.public_id]),
        {"csrfmiddlewaretoken": token.group(1), f"o{entry.pk}-decision": "accept"},
    )

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == "accepted"
    assert "Verifikasi 12 berkas" not in page(other_session.get(reverse("kinerja:team")))


def test_the_team_fingerprint_changes_with_a_members_plan(agency):
    cascade = build_cascade(agency)
    members = selectors.team_members(leader=agency.head_a, today=date(YEAR, 2, 2))
    before = selectors.team_page_fingerprint(year=cascade.year, members=members)

    # A save that commits late carries an older time than the latest: still a change.
    SkpPlan.objects.filter(pk=cascade.staff_plan.pk).update(
        updated_at=cascade.staff_plan.updated_at - timedelta(minutes=5)
    )

    assert selectors.team_page_fingerprint(year=cascade.year, members=members) != before
    assert selectors.team_page_fingerprint(year=cascade.year, members=members[:1]) != before


def test_a_results_evidence_shows_again_when_a_save_renders_it_anew(client, agency):
    plan, results = three_results(agency)
    realisation = staff_a2_reports(agency, results[0][1], 3, "Diarsipkan 30 surat", day=2)
    services.evidence_attach(
        actor=agency.staff_a2.user, realisation=realisation, url="https://arsip.example.go.id/s1"
    )
    login(client, agency.staff_a2)
    first = client.get("/kinerja/")

    staff_a2_reports(agency, results[0][1], 5, "Diarsipkan 50 surat", day=3)
    after = client.get("/kinerja/")

    assert "https://arsip.example.go.id/s1" in page(first)
    assert rows_rendered(after) == 1
    assert "Diarsipkan 50 surat" in page(after)
    assert "https://arsip.example.go.id/s1" in page(after)
