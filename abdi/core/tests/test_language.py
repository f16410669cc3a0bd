"""Indonesian first: pages follow the language menu only; the API negotiates."""

import pytest
from django.conf import settings


@pytest.mark.django_db
def test_pages_are_indonesian_even_when_the_browser_prefers_english(client):
    response = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"})

    assert '<html lang="id">' in response.content.decode()
    assert response["Content-Language"] == "id"


@pytest.mark.django_db
def test_pages_follow_the_language_chosen_in_the_menu(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

    page = client.get("/", headers={"Accept-Language": "id"})

    assert '<html lang="en">' in page.content.decode()


@pytest.mark.django_db
def test_an_unknown_language_cookie_falls_back_to_indonesian(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"

    assert '<html lang="id">' in client.get("/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept", "detail"),
    [
        ("en", "Sign in or send a valid API token."),
        ("", "Silakan masuk atau kirim token API yang valid."),
    ],
)
def test_api_errors_follow_accept_language(client, accept, detail):
    headers = {"Accept-Language": accept} if accept else {}

    response = client.get("/api/v1/accounts/me", headers=headers)

    assert response.json()["detail"] == detail
