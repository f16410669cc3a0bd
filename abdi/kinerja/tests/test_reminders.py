"""Reminders before SKP deadlines: who is reminded, on each agency's own calendar day."""

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from abdi.core.models import Notification
from abdi.kinerja import reminders, services
from abdi.kinerja.reminders import PENDING, PLAN_DEADLINE, REPORT_DEADLINE
from abdi.kinerja.tasks import send_deadline_reminders
from abdi.kinerja.tests.factories import TODAY, add_rhk, build_cascade, draft_plan, open_year
from abdi.organisations.choices import TimeZone
from abdi.organisations.models import Employee
from abdi.organisations.tests.factories import Agency


def _names(due: list[reminders.Reminder], kind: str) -> set[str]:
    return {r.employee.name for r in due if r.kind == kind}


def _everyone(agency: Agency) -> set[str]:
    return set(Employee.objects.filter(instansi=agency.instansi).values_list("name", flat=True))


def _give_emails(agency: Agency) -> None:
    for employee in Employee.objects.filter(instansi=agency.instansi).select_related("user"):
        get_user_model().objects.filter(pk=employee.user_id).update(
            email=f"{employee.nip}@example.id"
        )


def test_plan_deadline_reminders_follow_the_agency_time_zone(
    agency: Agency, other_agency: Agency
) -> None:
    other_agency.instansi.timezone = TimeZone.WIT
    other_agency.instansi.save(update_fields=["timezone"])
    open_year(agency)  # deadline 31 January, WIB
    open_year(other_agency)  # deadline 31 January, WIT

    # 23 January 23:30 WIB is already 24 January 01:30 WIT: 7 days before in Jayapura only.
    due = reminders.collect(now=datetime(2026, 1, 23, 16, 30, tzinfo=UTC))
    assert {r.employee.instansi_id for r in due} == {other_agency.instansi.pk}
    assert _names(due, PLAN_DEADLINE) == _everyone(other_agency)
    assert {r.days for r in due} == {7}

    due = reminders.collect(now=datetime(2026, 1, 24, 16, 30, tzinfo=UTC))
    assert {r.employee.instansi_id for r in due} == {agency.instansi.pk}

    for day, expected in [(27, set()), (28, {3}), (29, set()), (30, {1}), (31, set())]:
        due = reminders.collect(now=datetime(2026, 1, day, 3, 0, tzinfo=UTC))
        assert {r.days for r in due} == expected, day


def test_employees_with_an_approved_plan_are_not_reminded(agency: Agency) -> None:
    cascade = build_cascade(agency)
    add_rhk(draft_plan(cascade.year, agency.staff_a2), "Surat diarsipkan", parent=cascade.a_rhk)

    due = reminders.collect(today=date(2026, 1, 24))

    assert _names(due, PLAN_DEADLINE) == {
        agency.head_b.name,
        agency.staff_a2.name,
        agency.staff_b.name,
    }


def test_running_twice_the_same_day_sends_once(
    agency: Agency, django_capture_on_commit_callbacks: Any
) -> None:
    open_year(agency)
    _give_emails(agency)

    with django_capture_on_commit_callbacks(execute=True):
        first = send_deadline_reminders.delay("2026-01-28").get()
    with django_capture_on_commit_callbacks(execute=True):
        second = send_deadline_reminders.delay("2026-01-28").get()

    assert (first, second) == (6, 0)
    assert len(mail.outbox) == 6
    message = next(m for m in mail.outbox if m.to == [f"{agency.staff_a.nip}@example.id"])
    assert "31 Januari 2026" in message.subject
    assert "http://127.0.0.1:8000" + reverse("kinerja:plan-mine") in message.body
    assert Notification.objects.filter(sent_at__isnull=False).count() == 6

    with django_capture_on_commit_callbacks(execute=True):
        third = send_deadline_reminders.delay("2026-01-30").get()
    assert third == 6


def test_report_reminder_for_a_missing_realisation(agency: Agency) -> None:
    cascade = build_cascade(agency)
    april_2 = date(2026, 4, 2)  # March ended; its report is due on 5 April
    for owner, indicator in [
        (agency.head, cascade.head_indicator),
        (agency.head_a, cascade.a_indicator),
    ]:
        services.realisation_record(
            actor=owner.user, indicator=indicator, period=3, value=Decimal(4), today=april_2
        )

    due = reminders.collect(today=april_2)

    report = [r for r in due if r.kind == REPORT_DEADLINE]
    assert [(r.employee.name, r.days, r.period and r.period.index) for r in report] == [
        (agency.staff_a.name, 3, 3)
    ]
    assert _names(due, PLAN_DEADLINE) == set()  # the planning deadline has passed
    assert reminders.collect(today=date(2026, 4, 3)) == [
        r for r in reminders.collect(today=date(2026, 4, 3)) if r.kind == PENDING
    ]
    assert {r.days for r in reminders.collect(today=date(2026, 4, 4)) if r.kind != PENDING} == {1}


def test_bound_indicators_need_no_report(agency: Agency) -> None:
    build_cascade(agency, staff_metric="kinerja.accepted_outputs")

    due = reminders.collect(today=date(2026, 4, 2))

    assert agency.staff_a.name not in _names(due, REPORT_DEADLINE)
    assert agency.head.name in _names(due, REPORT_DEADLINE)


def test_leader_is_reminded_of_waiting_items_once_a_day(
    agency: Agency, django_capture_on_commit_callbacks: Any
) -> None:
    cascade = build_cascade(agency)
    services.output_add(
        actor=agency.staff_a.user, rhk=cascade.staff_rhk, week=date(2026, 4, 6),
        output="Verifikasi berkas", today=TODAY,
    )  # fmt: skip
    plan = draft_plan(cascade.year, agency.staff_a2)
    add_rhk(plan, "Surat diarsipkan", parent=cascade.a_rhk)
    services.plan_submit(actor=agency.staff_a2.user, plan=plan)

    due = [r for r in reminders.collect(today=TODAY) if r.kind == PENDING]

    assert [(r.employee.name, r.count) for r in due] == [(agency.head_a.name, 2)]
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.send(due) == 1
        assert reminders.send(due) == 0
    notification = Notification.objects.get(recipient=agency.head_a.user)
    assert reverse("kinerja:team") in notification.body
    next_day = [r for r in reminders.collect(today=date(2026, 4, 11)) if r.kind == PENDING]
    assert reminders.send(next_day) == 1


def test_dry_run_command_lists_and_sends_nothing(agency: Agency, capsys: Any) -> None:
    from django.core.management import call_command

    open_year(agency)

    call_command("send_reminders", "--today", "2026-01-24", "--dry-run")

    out = capsys.readouterr().out
    assert agency.staff_a.name in out
    assert "6 reminders" in out
    assert not Notification.objects.exists()

    call_command("send_reminders", "--today", "2026-01-24")
    assert Notification.objects.count() == 6
