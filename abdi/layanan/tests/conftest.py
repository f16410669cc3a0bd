from typing import Any

import pytest

from abdi.layanan.models import Service
from abdi.layanan.tests.factories import make_service
from abdi.organisations.tests.factories import Agency


@pytest.fixture
def service(agency: Agency) -> Service:
    return make_service(agency)


@pytest.fixture
def officer(agency: Agency) -> Any:
    """An officer of division A (the service's unit)."""
    return agency.staff_a.user
