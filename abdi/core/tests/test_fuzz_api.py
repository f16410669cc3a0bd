"""Fuzz every ``/api/v1`` operation from its OpenAPI schema (schemathesis + hypothesis).

For each operation, schemathesis generates requests (valid and invalid parameters and
bodies) and sends them through the WSGI application as an agency administrator with an
API token. Every answer must be below 500, and every error must be an RFC 7807
``application/problem+json`` document with a ``code``.

Off in the ordinary suite (it takes minutes); ``make fuzz`` runs it on PostgreSQL with
``ABDI_FUZZ_EXAMPLES`` examples per operation (CI: 8).
"""

import json
import os
from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, Phase, settings

EXAMPLES = int(os.environ.get("ABDI_FUZZ_EXAMPLES", "0"))
VERBOSE = bool(os.environ.get("ABDI_FUZZ_VERBOSE"))

pytestmark = [
    pytest.mark.skipif(EXAMPLES <= 0, reason="set ABDI_FUZZ_EXAMPLES (make fuzz) to fuzz the API"),
    pytest.mark.django_db,
]

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
# Schema examples and random generation; the exhaustive "coverage" phase would take too long.
schema.config.phases.update(phases=["examples", "fuzzing"])


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Like Django's test client: a request must not close the test's database connection."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(agency: Any) -> str:
    from abdi.accounts.services import api_token_create

    _, raw = api_token_create(actor=agency.admin, name="fuzz")
    return raw


def problems_in(response: Any) -> list[str]:
    """What is wrong with one answer: a server error, or an error that is not problem+json."""
    status = response.status_code
    if status >= 500:
        return [f"server error {status}: {response.text[:300]}"]
    if status < 400 or status == 405:
        return []
    content_type = (response.headers.get("content-type") or [""])[0]
    if not content_type.startswith("application/problem+json"):
        return [f"{status} with Content-Type {content_type!r}, not application/problem+json"]
    try:
        body = json.loads(response.content)
    except ValueError:
        return [f"{status} with a body that is not JSON"]
    if not isinstance(body, dict) or not body.get("code"):
        return [f"{status} problem without a code: {str(body)[:200]}"]
    return []


@schema.parametrize()
@settings(
    max_examples=max(EXAMPLES, 1),
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_every_request_without_a_server_error_and_with_problem_json(
    case: Any, token: str
) -> None:
    response = case.call(headers={"Authorization": f"Bearer {token}"})
    if VERBOSE:
        print(case.method, case.formatted_path, response.status_code)  # noqa: T201

    assert problems_in(response) == [], case.as_curl_command()
