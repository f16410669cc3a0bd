"""The menu: built from each app's entries, once per request, and only when a page shows it."""

from django.db import connection
from django.template import RequestContext, Template
from django.test.utils import CaptureQueriesContext

from abdi.accounts.backends import IdentityModelBackend

MENU = Template("{% for item in nav_items %}{{ item.label }}|{% endfor %}")
NO_MENU = Template("{{ request.path }}")


def signed_in(rf, user):
    request = rf.get("/kinerja/")
    request.user = IdentityModelBackend().get_user(user.pk)  # as a session loads it
    return request


def test_the_menu_is_built_once_per_request(rf, agency):
    request = signed_in(rf, agency.staff_a.user)  # nothing kept yet: the cache is cleared

    with CaptureQueriesContext(connection) as first_queries:
        first = MENU.render(RequestContext(request))
    with CaptureQueriesContext(connection) as second_queries:
        second = MENU.render(RequestContext(request))  # a partial rendered with the request

    assert "Belajar|" in first
    assert second == first
    assert len(first_queries) > 0  # who organises learning is asked of the database
    assert len(second_queries) == 0


def test_a_template_without_the_menu_does_not_build_it(rf, agency):
    request = signed_in(rf, agency.staff_a.user)

    with CaptureQueriesContext(connection) as queries:
        text = NO_MENU.render(RequestContext(request))

    assert text == "/kinerja/"
    assert len(queries) == 0
    assert "Belajar|" in MENU.render(RequestContext(request))


def test_another_request_builds_its_own_menu(rf, agency, agency_admin):
    staff = MENU.render(RequestContext(signed_in(rf, agency.staff_a.user)))
    admin = MENU.render(RequestContext(signed_in(rf, agency_admin)))

    assert "Impor|" in admin
    assert "Impor|" not in staff


def test_the_menus_answers_about_a_user_are_kept_a_minute(rf, agency):
    from django.core.cache import cache

    from abdi.core import navigation

    request = signed_in(rf, agency.staff_a.user)
    first = MENU.render(RequestContext(request))

    with CaptureQueriesContext(connection) as kept:
        again = MENU.render(RequestContext(signed_in(rf, agency.staff_a.user)))  # the next page
    user_pk = agency.staff_a.user.pk
    cache.delete_many([f"menu.built:{user_pk}:id", f"menu.organises-learning:{user_pk}"])
    with CaptureQueriesContext(connection) as expired:  # as after a minute
        MENU.render(RequestContext(signed_in(rf, agency.staff_a.user)))

    assert navigation.MENU_SECONDS == 60
    assert again == first
    assert not [q for q in kept.captured_queries if "belajar_programme" in q["sql"]]
    assert [q for q in expired.captured_queries if "belajar_programme" in q["sql"]]


def test_the_menu_is_kept_per_user_and_language(rf, agency, monkeypatch):
    from django.utils import translation

    from abdi.core import navigation

    built = []
    real = navigation.items_for
    monkeypatch.setattr(navigation, "items_for", lambda *args: built.append(args) or real(*args))
    with translation.override("id"):
        first = MENU.render(RequestContext(signed_in(rf, agency.staff_a.user)))
        kept = MENU.render(RequestContext(signed_in(rf, agency.staff_a.user)))
        other = MENU.render(RequestContext(signed_in(rf, agency.staff_b.user)))
    with translation.override("en"):
        english = MENU.render(RequestContext(signed_in(rf, agency.staff_a.user)))

    assert kept == first
    assert len(built) == 3  # staff A in Indonesian, staff B, staff A in English
    assert "Profil saya|" in first
    assert "Profil saya|" in other
    assert "My profile|" in english
