"""Service metrics: per officer and per unit, and an SKP indicator bound to one."""

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from abdi.kinerja import metrics as registry
from abdi.kinerja import services as kinerja
from abdi.kinerja import tasks as kinerja_tasks
from abdi.kinerja.models import Realisation
from abdi.kinerja.tests.factories import build_cascade
from abdi.layanan import metrics, services
from abdi.layanan.models import Application
from abdi.layanan.tests.factories import make_service, submit
from abdi.organisations.tests.factories import build_citizen

pytestmark = pytest.mark.django_db

MARCH = (date(2026, 3, 1), date(2026, 3, 31))


def complete(application: Application, officer: Any, *, at: datetime) -> Application:
    services.application_claim(actor=officer, application=application)
    for document in application.documents.all():
        services.document_check(actor=officer, document=document, accepted=True)
    services.application_approve(actor=officer, application=application)
    return services.application_complete(actor=officer, application=application, now=at)


def survey(application: Application, value: int) -> None:
    services.survey_submit(
        actor=application.citizen.user,
        application=application,
        answers={f"u{i}": value for i in range(1, 10)},
        now=application.completed_at,
    )


@pytest.fixture
def cases(agency: Any) -> list[Application]:
    """Three cases of division A, all submitted 10 March 2026 (due the 13th).

    staff_a completes two (one on time, one late), staff_a2 one on time.
    """
    service = make_service(agency)
    people = [build_citizen(username=f"w{i}@example.id") for i in range(3)]
    submitted = [submit(person, service) for person in people]
    return [
        complete(submitted[0], agency.staff_a.user, at=datetime(2026, 3, 11, 3, 0, tzinfo=UTC)),
        complete(submitted[1], agency.staff_a.user, at=datetime(2026, 3, 18, 3, 0, tzinfo=UTC)),
        complete(submitted[2], agency.staff_a2.user, at=datetime(2026, 3, 12, 3, 0, tzinfo=UTC)),
    ]


def test_officer_metrics(agency: Any, cases: list[Application]) -> None:
    staff = agency.staff_a
    assert [c.working_days_taken for c in cases] == [1, 5, 2]
    assert metrics.cases_completed(staff, *MARCH) == Decimal(2)
    assert metrics.within_sla_share(staff, *MARCH) == Decimal("50.00")
    assert metrics.median_completion_days(staff, *MARCH) == Decimal("3.00")
    assert metrics.cases_completed(staff, date(2026, 4, 1), date(2026, 4, 30)) == Decimal(0)
    assert metrics.within_sla_share(staff, date(2026, 4, 1), date(2026, 4, 30)) is None


def test_unit_metrics_cover_the_unit_subtree(agency: Any, cases: list[Application]) -> None:
    assert metrics.unit_cases_completed(agency.division_a, *MARCH) == Decimal(3)
    assert metrics.unit_cases_completed(agency.root, *MARCH) == Decimal(3)
    assert metrics.unit_cases_completed(agency.division_b, *MARCH) == Decimal(0)
    # An officer subject stands for the unit of their position.
    assert metrics.unit_within_sla_share(agency.staff_a2, *MARCH) == Decimal("66.67")
    assert metrics.unit_median_completion_days(agency.division_a, *MARCH) == Decimal("2.00")


def test_unit_ikm_from_surveys(agency: Any, cases: list[Application]) -> None:
    assert metrics.unit_ikm(agency.division_a, *MARCH) is None
    survey(cases[0], 4)
    survey(cases[1], 3)
    assert metrics.unit_ikm(agency.division_a, *MARCH) == Decimal("87.50")


def test_providers_are_registered_for_binding() -> None:
    keys = {key for key, _label in registry.metric_choices()}
    assert {
        "layanan.cases_completed", "layanan.within_sla_share", "layanan.median_completion_days",
        "layanan.unit_cases_completed", "layanan.unit_within_sla_share",
        "layanan.unit_median_completion_days", "layanan.unit_ikm",
    } <= keys  # fmt: skip


def test_bound_indicator_realisation_comes_from_real_cases(
    agency: Any, cases: list[Application]
) -> None:
    cascade = build_cascade(agency, staff_metric="layanan.cases_completed")

    realisation = kinerja.realisation_refresh_computed(
        indicator=cascade.staff_indicator, period=3, today=date(2026, 4, 10)
    )
    assert (realisation.value, realisation.computed) == (Decimal(2), True)

    # The nightly task recomputes it from the cases (one more completed in March).
    late = submit(build_citizen(username="w9@example.id"), cases[0].service)
    complete(late, agency.staff_a.user, at=datetime(2026, 3, 20, 3, 0, tzinfo=UTC))
    kinerja_tasks.refresh_bound_indicators(today="2026-04-10")
    march = Realisation.objects.get(indicator=cascade.staff_indicator, period=3)
    assert march.value == Decimal(3)
    assert Realisation.objects.get(indicator=cascade.staff_indicator, period=2).value == 0
