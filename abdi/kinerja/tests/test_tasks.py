"""Bound indicators: their realisation is computed by the platform, never typed."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from abdi.core.exceptions import ValidationError
from abdi.core.models import AuditEvent
from abdi.kinerja import services
from abdi.kinerja.choices import ReportStatus
from abdi.kinerja.models import OutputEntry, Realisation
from abdi.kinerja.tasks import refresh_bound_indicators
from abdi.kinerja.tests.factories import TODAY, Cascade3, build_cascade
from abdi.organisations.tests.factories import Agency

METRIC = "kinerja.accepted_outputs"


@pytest.fixture
def bound(agency: Agency) -> Cascade3:
    return build_cascade(agency, staff_metric=METRIC)


def _log(agency: Agency, cascade: Cascade3, week: date, quantity: int) -> OutputEntry:
    return services.output_add(
        actor=agency.staff_a.user, rhk=cascade.staff_rhk, week=week, output="Verifikasi",
        quantity=Decimal(quantity), today=TODAY,
    )  # fmt: skip


def _values(cascade: Cascade3) -> dict[int, Decimal | None]:
    return dict(
        Realisation.objects.filter(indicator=cascade.staff_indicator).values_list("period", "value")
    )


def test_refresh_computes_bound_indicators_from_accepted_outputs(
    agency: Agency, bound: Cascade3
) -> None:
    accepted = _log(agency, bound, date(2026, 2, 2), 2)
    _log(agency, bound, date(2026, 2, 16), 5)  # not accepted: does not count
    services.output_accept(actor=agency.head_a.user, entry=accepted)

    count = refresh_bound_indicators.delay(today=TODAY.isoformat()).get()

    assert count == 4  # April is period 4: periods 1 to 4 have started
    assert _values(bound) == {1: 0, 2: 2, 3: 0, 4: 0}
    assert set(
        Realisation.objects.filter(indicator=bound.staff_indicator).values_list(
            "computed", "status"
        )
    ) == {(True, ReportStatus.SUBMITTED)}
    # Indicators that are not bound are left to their owners.
    assert not Realisation.objects.exclude(indicator=bound.staff_indicator).exists()

    events = AuditEvent.objects.filter(action="kinerja.realisation.computed").count()
    refresh_bound_indicators.delay(year_id=bound.year.pk, today=TODAY.isoformat()).get()
    assert AuditEvent.objects.filter(action="kinerja.realisation.computed").count() == events


def test_accepting_an_output_refreshes_the_bound_indicator(
    agency: Agency, bound: Cascade3, django_capture_on_commit_callbacks: Any
) -> None:
    entry = _log(agency, bound, date(2026, 3, 9), 3)

    with django_capture_on_commit_callbacks(execute=True):
        services.output_accept(actor=agency.head_a.user, entry=entry)

    assert _values(bound) == {3: 3}
    realisation = Realisation.objects.get(indicator=bound.staff_indicator)
    assert realisation.computed is True


def test_a_bound_indicator_still_refuses_typed_values(agency: Agency, bound: Cascade3) -> None:
    refresh_bound_indicators.delay(today=TODAY.isoformat()).get()

    with pytest.raises(ValidationError) as exc:
        services.realisation_record(
            actor=agency.staff_a.user, indicator=bound.staff_indicator, period=2,
            value=Decimal(9), today=TODAY,
        )  # fmt: skip

    assert exc.value.code == "skp.metric_bound"
    assert _values(bound)[2] == 0
