"""Databases for benchmarks: a throwaway one (created, migrated, dropped afterwards) and a
fresh one for the benches that serve it through gunicorn."""

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection


@contextmanager
def throwaway_database(name: str) -> Iterator[None]:
    """Run the block on a new database ``name`` (a temporary file on SQLite), migrated."""
    old_name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        connection.settings_dict["TEST"]["NAME"] = str(Path(tempfile.gettempdir()) / f"{name}.db")
    else:
        connection.settings_dict["TEST"]["NAME"] = name
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def fresh_database(database_url: str) -> None:
    """Drop and create the PostgreSQL database of ``database_url``: every run starts from the
    same empty tables (rows left by earlier runs would grow the indexes past the buffers)."""
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
