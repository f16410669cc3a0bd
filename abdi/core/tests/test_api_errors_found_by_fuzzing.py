"""Regressions found by ``make fuzz``: answers that were HTML 500s are problem documents now."""

import pytest
from django.test import RequestFactory

from abdi.core.api import _server_error


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["offset=14554520149173802312400896", "limit=5&offset=9" + "9" * 25]
)
def test_a_number_too_large_for_the_database_is_refused_with_a_problem(
    client, platform_admin, query
):
    client.force_login(platform_admin)

    response = client.get(f"/api/v1/organisations/instansi?{query}")

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "request.out_of_range"


def test_an_unexpected_failure_is_a_problem_document_with_a_reference():
    request = RequestFactory().get("/api/v1/contoh")

    response = _server_error(request, RuntimeError("boom"))

    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"
    assert (
        b'"code": "server_error"' in response.content
        or b'"code":"server_error"' in response.content
    )
