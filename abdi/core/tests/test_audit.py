"""The append-only audit trail, the request context that feeds it, and its admin page."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client

from abdi.core.audit import audit_record
from abdi.core.context import get_context
from abdi.core.models import AuditEvent
from abdi.organisations.models import UnitKerja

UNITS_URL = "/api/v1/organisations/instansi/kab-contoh/units"


def _event(action: str = "core.test.recorded") -> AuditEvent:
    with transaction.atomic():
        return audit_record(actor=None, action=action, target_label="probe", reason="test")


def _rows() -> list[tuple[int, str, str, str]]:
    return list(
        AuditEvent.objects.order_by("pk").values_list("pk", "action", "reason", "target_label")
    )


# --------------------------------------------------------------------------------------------
# audit_record
# --------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_audit_record_refuses_to_write_outside_a_transaction():
    # given no transaction is open (transactional test: nothing wraps the test body)
    assert not transaction.get_connection().in_atomic_block

    # when / then
    with pytest.raises(RuntimeError, match="inside the service's transaction"):
        audit_record(actor=None, action="core.test.outside")
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_audit_record_writes_one_row_inside_a_transaction():
    # when
    with transaction.atomic():
        event = audit_record(actor=None, action="core.test.inside", reason="probe")

    # then
    assert list(
        AuditEvent.objects.values_list(
            "pk", "action", "actor_id", "actor_label", "reason", "request_id", "ip"
        )
    ) == [(event.pk, "core.test.inside", None, "system", "probe", "", None)]


@pytest.mark.django_db
def test_audit_record_describes_actor_target_and_values(agency):
    # given
    unit = agency.division_a

    # when
    with transaction.atomic():
        event = audit_record(
            actor=agency.admin,
            action="organisations.unit.probed",
            target=unit,
            instansi_id=agency.instansi.pk,
            before={"name": "Lama"},
            after={"name": "Baru"},
            reason="uji",
        )

    # then
    event = AuditEvent.objects.get(pk=event.pk)
    assert event.actor_id == agency.admin.pk
    assert event.actor_label == "admin-kab-contoh"
    assert event.target_type == "organisations.unitkerja"
    assert event.target_id == str(unit.public_id)
    assert event.target_label == "Bidang A"
    assert event.instansi_id == agency.instansi.pk
    assert event.before == {"name": "Lama"}
    assert event.after == {"name": "Baru"}
    assert event.reason == "uji"


# --------------------------------------------------------------------------------------------
# Append-only
# --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_audit_event_instance_cannot_be_saved_again():
    # given
    event = _event()
    before = _rows()

    # when / then
    event.reason = "rewritten"
    with pytest.raises(TypeError, match="append-only"):
        event.save()
    assert _rows() == before


@pytest.mark.django_db
def test_audit_event_instance_cannot_be_deleted():
    # given
    event = _event()
    before = _rows()

    # when / then
    with pytest.raises(TypeError, match="append-only"):
        event.delete()
    assert _rows() == before


@pytest.mark.django_db
def test_audit_event_queryset_cannot_be_updated():
    # given
    _event()
    before = _rows()

    # when / then
    with pytest.raises(TypeError, match="append-only"):
        AuditEvent.objects.filter(action="core.test.recorded").update(reason="rewritten")
    assert _rows() == before


@pytest.mark.django_db
def test_audit_event_queryset_cannot_be_bulk_updated():
    # given
    event = _event()
    before = _rows()

    # when / then
    event.reason = "rewritten"
    with pytest.raises(TypeError, match="append-only"), transaction.atomic():
        AuditEvent.objects.bulk_update([event], ["reason"])
    assert _rows() == before


@pytest.mark.django_db
def test_audit_event_queryset_cannot_be_deleted():
    # given
    _event()
    before = _rows()

    # when / then
    with pytest.raises(TypeError, match="append-only"):
        AuditEvent.objects.all().delete()
    assert _rows() == before


@pytest.mark.django_db
def test_deleting_a_user_keeps_their_audit_events_with_the_label():
    # given
    user = get_user_model().objects.create_user(username="sementara", password="x")
    with transaction.atomic():
        event = audit_record(actor=user, action="core.test.by_user")

    # when
    user.delete()

    # then
    assert list(AuditEvent.objects.filter(pk=event.pk).values_list("actor_id", "actor_label")) == [
        (None, "sementara")
    ]


# --------------------------------------------------------------------------------------------
# Request context from the middleware
# --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_audit_row_written_during_a_request_carries_its_request_id_and_ip(agency, client):
    # given
    client.force_login(agency.admin)

    # when
    response = client.post(
        UNITS_URL,
        {"code": "SEK-1", "name": "Seksi Satu"},
        content_type="application/json",
        headers={"X-Request-ID": "req-audit-0001"},
        REMOTE_ADDR="203.0.113.7",
    )

    # then
    assert response.status_code == 201
    event = AuditEvent.objects.get(target_id=response.json()["public_id"])
    assert event.action == "organisations.unit.created"
    assert event.actor_id == agency.admin.pk
    assert event.request_id == "req-audit-0001"
    assert event.ip == "203.0.113.7"


@pytest.mark.django_db
def test_generated_request_id_is_the_one_in_the_header_and_the_audit_row(agency, client):
    # given
    client.force_login(agency.admin)

    # when
    response = client.post(
        UNITS_URL, {"code": "SEK-2", "name": "Seksi Dua"}, content_type="application/json"
    )

    # then
    event = AuditEvent.objects.get(target_id=response.json()["public_id"])
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    assert event.request_id == response["X-Request-ID"]
    assert event.ip == "127.0.0.1"


@pytest.mark.django_db
def test_well_formed_request_id_is_echoed(client):
    # when
    response = client.get("/healthz", headers={"X-Request-ID": "abc.DEF_123-xyz"})

    # then
    assert response.status_code == 200
    assert response["X-Request-ID"] == "abc.DEF_123-xyz"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "incoming",
    [
        "short",  # fewer than 8 characters
        "x" * 65,  # more than 64
        "has space in it",
        "bad\u00e9char-1234",
        "<script>alert(1)</script>",
    ],
)
def test_malformed_request_id_is_replaced_by_a_generated_one(client, incoming):
    # when
    response = client.get("/healthz", headers={"X-Request-ID": incoming})

    # then
    assert response["X-Request-ID"] != incoming
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


@pytest.mark.django_db
def test_each_request_gets_its_own_generated_id(client):
    # when
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]

    # then
    assert first != second


@pytest.mark.django_db
def test_request_context_is_cleared_after_the_request(client):
    # when
    client.get("/healthz", headers={"X-Request-ID": "req-cleared-01"})

    # then
    assert get_context().request_id == ""
    assert get_context().ip is None


@pytest.mark.django_db
def test_failed_write_leaves_no_audit_row(agency, client):
    # given an employee, who may not create units
    client.force_login(agency.staff_a.user)
    units, events = UnitKerja.objects.count(), AuditEvent.objects.count()

    # when
    response = client.post(
        UNITS_URL, {"code": "SEK-3", "name": "Seksi Tiga"}, content_type="application/json"
    )

    # then
    assert response.status_code == 403
    assert UnitKerja.objects.count() == units
    assert AuditEvent.objects.count() == events


# --------------------------------------------------------------------------------------------
# Admin
# --------------------------------------------------------------------------------------------


@pytest.fixture
def admin_client_for(platform_admin):
    client = Client()
    client.force_login(platform_admin)
    return client


@pytest.mark.django_db
def test_admin_changelist_lists_audit_events(admin_client_for, agency):
    # when
    response = admin_client_for.get("/admin/core/auditevent/")

    # then
    assert response.status_code == 200
    assert "organisations.unit.created" in response.content.decode()


@pytest.mark.django_db
def test_admin_cannot_add_audit_events(admin_client_for):
    # when
    response = admin_client_for.get("/admin/core/auditevent/add/")

    # then
    assert response.status_code == 403


@pytest.mark.django_db
def test_admin_shows_an_audit_event_read_only_and_refuses_changes(admin_client_for):
    # given
    event = _event()
    before = _rows()
    url = f"/admin/core/auditevent/{event.pk}/change/"

    # when
    page = admin_client_for.get(url)
    post = admin_client_for.post(url, {"action": "core.test.rewritten", "reason": "x"})
    delete = admin_client_for.post(f"/admin/core/auditevent/{event.pk}/delete/", {"post": "yes"})

    # then
    assert page.status_code == 200
    assert 'name="action"' not in page.content.decode()
    assert post.status_code == 403
    assert delete.status_code == 403
    assert _rows() == before


@pytest.mark.django_db
def test_admin_refuses_a_non_staff_user(client, agency):
    # given
    client.force_login(agency.admin)

    # when
    response = client.get("/admin/core/auditevent/")

    # then
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_postgresql_refuses_raw_updates_and_deletes_of_audit_events(agency):
    from django.db import DatabaseError, connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL only")
    event = AuditEvent.objects.order_by("id").first()

    for sql in (
        "UPDATE core_auditevent SET action = 'x' WHERE id = %s",
        "DELETE FROM core_auditevent WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])

    event.refresh_from_db()
    assert event.action != "x"
