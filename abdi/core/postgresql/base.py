"""Django's PostgreSQL backend, except that a rollback keeps the connection's prepared statements.

psycopg prepares a statement a connection has run five times (``prepare_threshold``), so that
PostgreSQL parses and plans it once. On every ``ROLLBACK`` and ``ROLLBACK TO SAVEPOINT``,
though, it forgets them all and sends ``DEALLOCATE ALL``: in case the transaction created a
table or type a statement refers to. In Abdi every refusal raised inside a transaction (a plan
already approved, a leader who is not the decider, a closed year) rolls back, so under load each
connection kept losing its statements and PostgreSQL planned nearly every query at every
execution (docs/deploy.md §11, eighth round).

Requests do not change the schema; migrations do, through a schema editor. So a rollback keeps
the prepared statements, unless:

- a schema editor was opened since the transaction began;
- or a statement failed in a way Django counts as an error of the connection (not a data or
  integrity error): for instance a statement prepared before another process's migration
  changed its table's columns ("cached plan must not change result type").

In either case psycopg's own rollback runs, which forgets them, and the statements are
prepared anew. PostgreSQL itself keeps prepared statements across a rollback, and re-plans
one when a table it reads changes.

Second change: timestamps are read by psycopg's own loader. Django reads every
``timestamp with time zone`` through a Python subclass of psycopg's loader that sets the
connection's time zone on each value; psycopg then cannot use its C loader (with
``psycopg[binary]``), and a timestamp costs 4.7 µs instead of 0.3. When Django's connection
time zone is UTC (``USE_TZ`` on and no ``TIME_ZONE`` in the database settings, as in every
Abdi setting), the session's time zone is UTC too (Django sets it on connecting), and psycopg's
own loader gives the same values: aware, in ``datetime.timezone.utc``.
"""

import datetime
from typing import Any

from django.conf import settings
from django.db.backends.postgresql import base
from django.db.backends.utils import debug_transaction
from psycopg import adapters, errors, pq
from psycopg.abc import AdaptContext
from psycopg.adapt import Loader
from psycopg.postgres import types

_TIMESTAMPTZ = types["timestamptz"].oid
# psycopg's default loader: in C with psycopg[binary], else its Python one.
_PSYCOPG_LOADER = adapters.get_loader(_TIMESTAMPTZ, pq.Format.TEXT)


class UtcTimestampLoader(Loader):
    """psycopg's own ``timestamptz`` loader, under the ``timezone`` that Django's backend reads
    on the connection's loader (``create_cursor``): with it equal to the connection's time
    zone, Django registers no loader of its own on each cursor."""

    timezone = datetime.UTC

    def __new__(cls, oid: int, context: AdaptContext | None = None) -> Any:
        # The C loader cannot be subclassed; psycopg only ever instantiates and loads.
        return _PSYCOPG_LOADER(oid, context)


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Whether a schema editor was opened since the last commit or rollback.
        self.schema_changed = False

    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        connection = super().get_new_connection(conn_params)
        if settings.USE_TZ and self.timezone == datetime.UTC:
            connection.adapters.register_loader(_TIMESTAMPTZ, UtcTimestampLoader)
        return connection

    def schema_editor(self, *args: Any, **kwargs: Any) -> Any:
        self.schema_changed = True
        return super().schema_editor(*args, **kwargs)

    def _commit(self) -> None:
        super()._commit()
        self.schema_changed = False

    @property
    def _forget_prepared(self) -> bool:
        return self.schema_changed or self.errors_occurred

    def _rollback(self) -> None:
        if self.connection is None:
            return
        if self._forget_prepared:
            self.schema_changed = False
            super()._rollback()
            return
        if self.connection.info.transaction_status == pq.TransactionStatus.IDLE:
            return  # as psycopg's rollback: nothing to roll back
        with debug_transaction(self, "ROLLBACK"), self.wrap_database_errors:
            self._execute_keeping_prepared("ROLLBACK")

    def _savepoint_rollback(self, sid: str) -> None:
        if self._forget_prepared:
            super()._savepoint_rollback(sid)
            return
        sql = self.ops.savepoint_rollback_sql(sid)
        self.ensure_connection()
        with debug_transaction(self, sql), self.wrap_database_errors:
            self._execute_keeping_prepared(sql)

    def _execute_keeping_prepared(self, sql: str) -> None:
        """Run a statement that returns no rows past psycopg's cache of prepared statements,
        which it would otherwise clear on seeing a rollback."""
        connection = self.connection
        with connection.lock:
            result = connection.pgconn.exec_(sql.encode())
        if result.status != pq.ExecStatus.COMMAND_OK:
            raise errors.error_from_result(result, encoding=connection.info.encoding)
