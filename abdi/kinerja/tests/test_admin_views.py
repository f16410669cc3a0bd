"""The agency administrator's SKP pages: performance years and acting officials."""

from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone

from abdi.core.models import AuditEvent
from abdi.kinerja.choices import ActingKind, Rhythm
from abdi.kinerja.models import ActingAssignment, PerformanceYear
from abdi.kinerja.tests.factories import open_year
from abdi.organisations.tests.factories import Agency

pytestmark = pytest.mark.django_db

MANAGE = "/kinerja/kelola/"


def today_in(agency: Agency) -> date:
    return timezone.localtime(timezone.now(), ZoneInfo(agency.instansi.timezone)).date()


def login(client: Any, user: Any, language: str = "en") -> Any:
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def test_admin_sees_the_page_and_the_nav_link(client: Any, agency: Agency) -> None:
    open_year(agency)
    login(client, agency.admin)

    response = client.get(MANAGE)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Manage performance" in page
    assert 'data-testid="year-row"' in page
    assert f'href="{MANAGE}"' in page
    # The position select tells positions apart by unit and holder.
    assert "Kepala Bidang A — Bidang A (Budi Santoso)" in page


def test_admin_opens_a_year_from_the_page(client: Any, agency: Agency) -> None:
    login(client, agency.admin)

    response = client.post(
        "/kinerja/kelola/periode/",
        {"year": 2027, "rhythm": Rhythm.QUARTERLY, "plan_deadline": "2027-01-31",
         "report_days": 7},
    )  # fmt: skip

    assert response.status_code == 302
    year = PerformanceYear.objects.get(instansi=agency.instansi, year=2027)
    assert year.rhythm == Rhythm.QUARTERLY
    assert year.report_days == 7
    assert str(year.plan_deadline) == "2027-01-31"
    assert AuditEvent.objects.filter(
        action="kinerja.performance_year.opened", actor=agency.admin
    ).exists()


def test_opening_a_year_twice_is_422_with_the_service_message(client: Any, agency: Agency) -> None:
    open_year(agency, year=2027)
    login(client, agency.admin)

    response = client.post(
        "/kinerja/kelola/periode/",
        {"year": 2027, "rhythm": Rhythm.MONTHLY, "plan_deadline": "2027-01-31",
         "report_days": 5},
    )  # fmt: skip

    assert response.status_code == 422
    assert "The performance year 2027 is already open." in response.content.decode()
    assert PerformanceYear.objects.filter(instansi=agency.instansi, year=2027).count() == 1


def test_admin_assigns_and_ends_a_plt_from_the_page(client: Any, agency: Agency) -> None:
    login(client, agency.admin)
    today = today_in(agency)

    response = client.post(
        "/kinerja/kelola/plt/",
        {"position": agency.head_a.position.public_id, "acting": agency.staff_b.public_id,
         "kind": ActingKind.PLT, "starts_on": today.isoformat(), "ends_on": "",
         "reason": "Kepala bidang cuti besar"},
    )  # fmt: skip

    assert response.status_code == 302
    assignment = ActingAssignment.objects.get()
    assert assignment.position == agency.head_a.position
    assert assignment.acting == agency.staff_b
    assert assignment.created_by == agency.admin
    assert assignment.ends_on is None
    listed = client.get(MANAGE).content.decode()
    assert listed.count('data-testid="acting-row"') == 1
    assert "Hendra Gunawan" in listed.split('data-testid="acting-row"')[1]

    response = client.post(
        f"/kinerja/kelola/plt/{assignment.public_id}/akhiri/",
        {"ends_on": (today + timedelta(days=3)).isoformat()},
    )

    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.ends_on == today + timedelta(days=3)


def test_assigning_the_holder_is_422_on_the_field(client: Any, agency: Agency) -> None:
    login(client, agency.admin)

    response = client.post(
        "/kinerja/kelola/plt/",
        {"position": agency.head_a.position.public_id, "acting": agency.head_a.public_id,
         "kind": ActingKind.PLH, "starts_on": today_in(agency).isoformat(),
         "reason": "Dinas luar"},
    )  # fmt: skip

    assert response.status_code == 422
    assert "Budi Santoso already holds this position." in response.content.decode()
    assert ActingAssignment.objects.count() == 0


@pytest.mark.parametrize("who", ["head", "staff_a", "other_admin"])
def test_non_admins_get_404(client: Any, agency: Agency, other_agency: Agency, who: str) -> None:
    user = other_agency.admin if who == "other_admin" else getattr(agency, who).user
    login(client, user)
    code = agency.instansi.code

    assert client.get(f"{MANAGE}?instansi={code}").status_code == 404
    response = client.post(
        f"/kinerja/kelola/periode/?instansi={code}",
        {"year": 2027, "rhythm": Rhythm.MONTHLY, "plan_deadline": "2027-01-31",
         "report_days": 5},
    )  # fmt: skip
    assert response.status_code == 404
    response = client.post(
        f"/kinerja/kelola/plt/?instansi={code}",
        {"position": agency.head_a.position.public_id, "acting": agency.staff_b.public_id,
         "kind": ActingKind.PLT, "starts_on": today_in(agency).isoformat(), "reason": "x"},
    )  # fmt: skip
    assert response.status_code == 404
    assert not PerformanceYear.objects.filter(instansi=agency.instansi).exists()
    assert ActingAssignment.objects.count() == 0
    if who != "other_admin":
        assert f'href="{MANAGE}"' not in client.get("/kinerja/").content.decode()
