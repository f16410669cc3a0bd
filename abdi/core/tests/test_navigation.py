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
    request = signed_in(rf, agency.staff_a.user)

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
