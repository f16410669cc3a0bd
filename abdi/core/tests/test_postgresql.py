"""The PostgreSQL backend keeps a connection's prepared statements across rollbacks, unless the
schema changed in the transaction, and reads timestamps with psycopg's own loader
(abdi/core/postgresql/base.py)."""

import datetime
from collections.abc import Callable
from zoneinfo import ZoneInfo

import psycopg
import pytest
from django.db import DataError, NotSupportedError, connection, transaction
from django.test import override_settings
from psycopg.postgres import types

from abdi.accounts.models import User

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

# psycopg prepares a statement the connection runs prepare_threshold (5) times.
LOOKUP = 'SELECT "username" FROM "accounts_user" WHERE "id" = %s'


@pytest.fixture(autouse=True)
def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's; run with DATABASE_URL=postgres://…")


class Refused(Exception):
    pass


def refused(*steps: Callable[[], object]) -> None:
    """Take ``steps`` in a transaction, then refuse: the transaction rolls back."""
    with transaction.atomic():
        for step in steps:
            step()
        raise Refused


def create_user(username: str) -> Callable[[], object]:
    return lambda: User.objects.create(username=username)


def run_often(sql: str, params: list[object] | None = None) -> None:
    with connection.cursor() as cursor:
        for _ in range(connection.connection.prepare_threshold + 1):
            cursor.execute(sql, params)


def prepared() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements ORDER BY statement")
        return [row[0] for row in cursor.fetchall()]


def lookup_prepared() -> bool:
    return 'SELECT "username" FROM "accounts_user" WHERE "id" = $1' in prepared()


def test_a_rollback_keeps_the_prepared_statements_and_rolls_back() -> None:
    run_often(LOOKUP, [1])
    assert lookup_prepared()

    with pytest.raises(Refused):
        refused(create_user("rolled-back"))

    assert not User.objects.filter(username="rolled-back").exists()
    assert lookup_prepared()
    run_often(LOOKUP, [1])  # psycopg still names it, and PostgreSQL still has it


def test_a_savepoint_rollback_keeps_them_and_rolls_back_to_the_savepoint() -> None:
    with transaction.atomic():
        User.objects.create(username="kept")
        run_often(LOOKUP, [1])
        with pytest.raises(Refused):
            refused(create_user("rolled-back"))
        assert lookup_prepared()

    assert list(User.objects.order_by("username").values_list("username", flat=True)) == ["kept"]


def test_after_a_schema_change_a_rollback_forgets_them() -> None:
    run_often(LOOKUP, [1])

    def create_table() -> None:
        with connection.schema_editor() as editor:
            editor.execute("CREATE TABLE abdi_probe (id integer)")

    with pytest.raises(Refused):
        refused(create_table, lambda: run_often("SELECT * FROM abdi_probe"))

    assert prepared() == []
    # The table made again with other columns: a statement prepared on the first one would
    # fail ("cached plan must not change result type") had it been kept.
    with connection.schema_editor() as editor:
        editor.execute("CREATE TABLE abdi_probe (id integer, name text)")
    try:
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO abdi_probe VALUES (1, 'satu')")
            cursor.execute("SELECT * FROM abdi_probe")
            assert cursor.fetchall() == [(1, "satu")]
    finally:
        with connection.schema_editor() as editor:
            editor.execute("DROP TABLE abdi_probe")


def test_a_failing_statement_rolls_back_and_the_connection_goes_on() -> None:
    run_often(LOOKUP, [1])

    def divide_by_zero() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 / 0")

    with pytest.raises(DataError, match="division by zero"):
        refused(divide_by_zero)

    assert lookup_prepared()
    assert User.objects.count() == 0


def test_a_statement_outdated_by_another_process_is_prepared_anew_after_the_rollback() -> None:
    import psycopg

    with connection.schema_editor() as editor:
        editor.execute("CREATE TABLE abdi_probe (id integer)")
    try:
        run_often("SELECT * FROM abdi_probe")
        # A migration in another process adds a column.
        settings = connection.settings_dict
        other = psycopg.connect(
            dbname=settings["NAME"], user=settings["USER"], host=settings["HOST"],
            port=settings["PORT"] or 5432, password=settings["PASSWORD"], autocommit=True,
        )  # fmt: skip
        with other:
            other.execute("ALTER TABLE abdi_probe ADD COLUMN name text")

        def read() -> None:
            with connection.cursor() as cursor:
                cursor.execute("SELECT * FROM abdi_probe")

        with pytest.raises(NotSupportedError, match="cached plan"):
            refused(read)
        with connection.cursor() as cursor:  # the statement is prepared anew
            cursor.execute("SELECT * FROM abdi_probe")
            assert [column.name for column in cursor.description] == ["id", "name"]
    finally:
        with connection.schema_editor() as editor:
            editor.execute("DROP TABLE abdi_probe")


TIMESTAMPTZ = types["timestamptz"].oid
JAKARTA = ZoneInfo("Asia/Jakarta")


def timestamp_loader() -> object:
    """The loader a cursor of the connection reads ``timestamptz`` with."""
    with connection.cursor() as cursor:
        return cursor.cursor.adapters.get_loader(TIMESTAMPTZ, psycopg.pq.Format.TEXT)(
            TIMESTAMPTZ, cursor.cursor
        )


def test_timestamps_are_read_by_psycopgs_own_loader() -> None:
    # In C with psycopg[binary]; Django's own loader is a Python subclass of the Python one.
    assert type(timestamp_loader()) is psycopg.adapters.get_loader(
        TIMESTAMPTZ, psycopg.pq.Format.TEXT
    )


def test_timestamps_read_back_aware_in_utc_as_django_gives_them() -> None:
    joined = datetime.datetime(2026, 12, 7, 8, 30, 15, 123456, tzinfo=JAKARTA)
    user = User.objects.create(username="timestamps", date_joined=joined)

    read = User.objects.get(pk=user.pk).date_joined

    assert read == joined
    assert read.tzinfo is datetime.UTC
    assert read.hour == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::timestamptz", ["2026-01-01 07:00:00+07"])
        (value,) = cursor.fetchone()
    assert value == datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    assert value.tzinfo is datetime.UTC


def test_without_time_zone_support_timestamps_are_naive_in_the_local_time_again() -> None:
    joined = datetime.datetime(2026, 12, 7, 1, 30, tzinfo=datetime.UTC)
    user = User.objects.create(username="naive", date_joined=joined)

    with override_settings(USE_TZ=False):
        read = User.objects.get(pk=user.pk).date_joined

    assert read == datetime.datetime(2026, 12, 7, 8, 30)  # Asia/Jakarta, naive
