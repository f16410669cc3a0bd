"""A small agency with a month of real data in every source, built through the services."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from abdi.belajar import services as belajar
from abdi.belajar.tests.factories import programme, session
from abdi.kinerja.tests.evaluation_factories import A, S, U, build_team, rate, record
from abdi.layanan import services as layanan
from abdi.layanan.models import Application
from abdi.layanan.tests.factories import make_service, submit
from abdi.organisations.tests.factories import Agency, build_citizen


def answer_survey(case: Application, value: int = 1) -> None:
    """The case's citizen answers all nine IKM elements with ``value`` when it completed."""
    layanan.survey_submit(
        actor=case.citizen.user, application=case,
        answers={f"u{i}": value for i in range(1, 10)}, now=case.completed_at,
    )  # fmt: skip


@dataclass
class World:
    agency: Agency
    cases: list[Application]
    jp_day: Any


def _complete(application: Application, officer: Any, *, at: datetime) -> Application:
    layanan.application_claim(actor=officer, application=application)
    for document in application.documents.all():
        layanan.document_check(actor=officer, document=document, accepted=True)
    layanan.application_approve(actor=officer, application=application)
    return layanan.application_complete(actor=officer, application=application, now=at)


def build_world(agency: Agency) -> World:
    """March 2026 for the ``agency`` fixture.

    Kinerja (monthly year): staff_a Di Atas/Di Atas, staff_a2 and head_a Sesuai/Sesuai,
    staff_b Di Bawah/Di Bawah; staff_a reported March. Layanan (division A): three cases
    received 10 March, completed in 1 and 2 working days (on time) and 5 (late), two
    surveys; a fourth received and still open. Belajar: staff_a attends a 2-JP session.
    """
    team = build_team(agency)
    record(team.plans["staff_a"], 3, Decimal(10))
    rate(agency, team.plans["staff_a"], 3, A, A)
    rate(agency, team.plans["staff_a2"], 3, S, S)
    rate(agency, team.plans["head_a"], 3, S, S)
    rate(agency, team.plans["staff_b"], 3, U, U)

    service = make_service(agency)
    people = [build_citizen(username=f"w{i}@example.id") for i in range(4)]
    received = [submit(person, service) for person in people]
    officer = agency.staff_a.user
    cases = [
        _complete(received[0], officer, at=datetime(2026, 3, 11, 3, 0, tzinfo=UTC)),
        _complete(received[1], officer, at=datetime(2026, 3, 18, 3, 0, tzinfo=UTC)),
        _complete(received[2], agency.staff_a2.user, at=datetime(2026, 3, 12, 3, 0, tzinfo=UTC)),
        received[3],
    ]
    answer_survey(cases[0], 4)
    answer_survey(cases[1], 3)

    webinar = session(programme(agency), capacity=10, jp=Decimal(2))
    user = agency.staff_a.user
    belajar.registration_create(actor=user, session=webinar)
    belajar.attendance_join(actor=user, session=webinar, now=webinar.starts_at)
    belajar.attendance_heartbeat(
        actor=user, session=webinar, now=webinar.starts_at + timedelta(minutes=119)
    )
    belajar.session_close(actor=agency.admin, session=webinar, now=webinar.ends_at)
    return World(agency=agency, cases=cases, jp_day=webinar.starts_at.date())


@pytest.fixture
def world(agency: Agency) -> World:
    return build_world(agency)
