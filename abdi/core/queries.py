"""Query helpers shared by the apps."""

import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Generic, TypeVar

from django.core.exceptions import (
    EmptyResultSet,
    FullResultSet,
    MultipleObjectsReturned,
    ValidationError,
)
from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models import query as django_query
from django.db.transaction import TransactionManagementError

__all__ = ["CompiledQuery", "CompiledQueryError", "set_prefetched", "unique_or_none"]

logger = logging.getLogger(__name__)

T = TypeVar("T")


def unique_or_none(queryset: QuerySet[Any, T]) -> T | None:
    """Return the one row of a lookup by a unique key, or None if there is none.

    ``.first()`` orders the rows, by the model's ordering or its key, and Django builds an
    ORDER BY by comparing each ordering term with every selected column: with a few
    ``select_related`` joins that costs more than the query itself (0.6 ms of 1.5 on an SKP
    plan with five). A unique key has nothing to order. ``.get()`` does not order, and still
    refuses a lookup that was not unique after all (``MultipleObjectsReturned``).
    """
    try:
        return queryset.get()
    except queryset.model.DoesNotExist:
        return None


def set_prefetched(instance: Model, name: str, rows: list[Any]) -> None:
    """Give ``instance``'s reverse relation ``name`` these ``rows``, as ``prefetch_related``
    would: ``getattr(instance, name).all()`` then returns them without a query.

    For rows read by a :class:`CompiledQuery`: Django's prefetching machinery costs more than
    the query (1.2 ms against 0.3 for a realisation's evidence). These are the steps Django's
    ``prefetch_one_level`` takes for each instance.
    """
    queryset = getattr(instance, name).get_queryset()
    queryset._result_cache = rows
    queryset._prefetch_done = True
    cache_name = instance._meta.get_field(name).cache_name  # type: ignore[union-attr]
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[cache_name] = queryset


# Stand-ins for the arguments while the SQL is compiled, one per value, of its type: the
# compiled parameters are found again by them. Integers within the range of the smallest
# integer column: Django compiles a lookup out of a column's range to "no rows".
_STAND_INS: dict[type, Callable[[int], Any]] = {
    int: lambda n: 30_001 + n,
    uuid.UUID: lambda n: uuid.UUID(int=(0xABD1 << 112) + n),
    str: lambda n: f"\x00abdi-stand-in-{n}\x00",
    date: lambda n: date(1, 1, 1) + timedelta(days=n),
}
# The query is compiled twice, with stand-ins this far apart: where the two compilations
# differ in anything but the stand-ins' places, an argument does not pass through unchanged
# (or a constant of the query equals a stand-in), and the queryset runs instead.
_SECOND = 1_000


def _kind(arg: Any) -> Any:
    """What the compiled SQL depends on of an argument: its type, and for a list (``__in``)
    the type and number of its values; None for what cannot be stood in for."""
    if type(arg) in _STAND_INS:
        return type(arg)
    if (
        isinstance(arg, list | tuple)
        and arg
        and type(arg[0]) in _STAND_INS
        and all(type(value) is type(arg[0]) for value in arg)
    ):
        return (type(arg[0]), len(arg))
    return None


def _stand_ins(kinds: tuple[Any, ...], offset: int) -> list[Any]:
    """Arguments of ``kinds`` (see :func:`_kind`), each value a distinct stand-in."""
    count = iter(range(offset, offset + _SECOND))
    return [
        [_STAND_INS[kind[0]](next(count)) for _ in range(kind[1])]
        if isinstance(kind, tuple)
        else _STAND_INS[kind](next(count))
        for kind in kinds
    ]


def _values(args: tuple[Any, ...]) -> list[Any]:
    """The arguments' values in the order of their stand-ins: lists flattened."""
    values: list[Any] = []
    for arg in args:
        if isinstance(arg, list | tuple):
            values.extend(arg)
        else:
            values.append(arg)
    return values


_related_populators: Any = django_query.get_related_populators
_SHAPES: dict[Any, str] = {
    django_query.ModelIterable: "models",
    django_query.FlatValuesListIterable: "flat",
    django_query.ValuesListIterable: "tuples",
}


class CompiledQueryError(Exception):
    """``build`` returned a queryset that CompiledQuery cannot run (a programming error)."""


@dataclass(frozen=True)
class _Compiled:
    """One thread's compiled form of a query on one database."""

    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[int, ...], ...]  # where each argument goes in ``params``, in order
    fixed: tuple[Any, ...]  # the other parameters: the query's constants
    compiler: Any
    converters: Any
    shape: str  # "models", "flat" (values_list(flat=True)) or "tuples" (values_list())
    model: Any
    start: int
    end: int
    init_list: list[str]
    populators: list[Any]
    annotations: dict[str, int]
    locks: bool  # SELECT … FOR UPDATE: only inside a transaction


class CompiledQuery(Generic[T]):
    """A read the apps run on nearly every request, compiled to SQL once per thread.

    Django compiles a queryset to SQL each time it runs it, which for a read with a few
    ``select_related`` joins costs several times what the database takes to answer: the
    session's user with its identity (six tables) took 1.3 ms, of which 0.3 the query
    (docs/deploy.md §11, eighth round). ``build`` returns the queryset for its arguments
    (ints, UUIDs, strings, dates, and lists of one of those for ``__in``); it is called once
    for each combination of their types (and lists' lengths), with stand-ins, and its SQL
    and the way Django makes model instances of its rows are kept. Each call then runs that
    SQL with the arguments in the stand-ins' places, and makes the instances as a queryset
    would: with the related rows of ``select_related`` and the annotations (or the values
    of ``values_list()``, flat or as tuples). The queries run through Django's cursor, so
    they are logged and counted as any other. Abdi reads one database: the compiled form is
    kept per thread, for the database of the first call.

    When Django does not pass an argument through unchanged (a UUID or a date on SQLite,
    stored as text), or an argument is of another type (a model instance, an empty list), the
    call runs ``build``'s queryset instead: the same rows, compiled at each call.
    """

    def __init__(self, build: Callable[..., QuerySet[Any, T]]) -> None:
        self.build = build
        self._local = threading.local()

    def all(self, *args: Any) -> list[T]:
        """The rows of ``build(*args)``, in its order."""
        values = _values(args)
        compiled = self._compiled(args, len(values))
        if compiled is None:
            return list(self.build(*args))
        params = list(compiled.params)
        for slots, value in zip(compiled.slots, values, strict=True):
            for slot in slots:
                params[slot] = value
        db = compiled.compiler.using
        if compiled.locks and connections[db].get_autocommit():
            raise TransactionManagementError(
                "select_for_update cannot be used outside of a transaction."
            )
        with connections[db].cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows: Any = cursor.fetchall()
        if compiled.converters:
            rows = compiled.compiler.apply_converters(rows, compiled.converters)
        if compiled.shape == "flat":
            return [row[0] for row in rows]
        if compiled.shape == "tuples":
            return [tuple(row) for row in rows]  # type: ignore[misc]  # T is the tuple here
        found = []
        for row in rows:
            obj = compiled.model.from_db(db, compiled.init_list, row[compiled.start : compiled.end])
            for populator in compiled.populators:
                populator.populate(row, obj)
            for name, column in compiled.annotations.items():
                setattr(obj, name, row[column])
            found.append(obj)
        return found

    def one_or_none(self, *args: Any) -> T | None:
        """The one row of ``build(*args)`` (a model instance, or its ``values_list()`` value),
        or None; more than one is an error, as for :func:`unique_or_none`."""
        rows = self.all(*args)
        if len(rows) > 1:
            if isinstance(rows[0], Model):
                model: Any = rows[0].__class__
                raise model.MultipleObjectsReturned(
                    f"{len(rows)} {model._meta.object_name} rows where one was expected."
                )
            raise MultipleObjectsReturned(f"{len(rows)} rows where one was expected.")
        return rows[0] if rows else None

    def _compiled(self, args: tuple[Any, ...], count: int) -> _Compiled | None:
        """The compiled form for arguments like ``args`` (``count`` values in all)."""
        kinds = tuple(_kind(arg) for arg in args)
        if None in kinds or count > _SECOND:
            return None
        cache: dict[tuple[Any, ...], _Compiled | None] | None = getattr(self._local, "cache", None)
        if cache is None:
            cache = self._local.cache = {}
        if kinds not in cache:
            try:
                first, second = (
                    self._compile(_stand_ins(kinds, offset)) for offset in (0, _SECOND)
                )
            except (TypeError, ValueError, ValidationError, EmptyResultSet, FullResultSet):
                # A string where a UUID goes, a value out of a column's range.
                logger.debug("CompiledQuery %s: refused its stand-ins.", self.build)
                first = second = None
            same = (
                first is not None
                and second is not None
                and (first.sql, first.slots, first.fixed)
                == (second.sql, second.slots, second.fixed)
            )
            if not same:
                logger.debug("CompiledQuery %s: an argument does not pass through.", self.build)
            cache[kinds] = first if same else None
        return cache[kinds]

    def _compile(self, stand_ins: list[Any]) -> _Compiled | None:
        # What follows is how Django's ModelIterable makes instances of a query's rows; it
        # reads members of QuerySet and SQLCompiler that its stubs do not declare.
        queryset: Any = self.build(*stand_ins)
        stand_ins = _values(tuple(stand_ins))
        query = queryset.query
        shape = _SHAPES.get(queryset._iterable_class)
        if shape is None or queryset._prefetch_related_lookups:
            raise CompiledQueryError(
                "CompiledQuery reads model rows or values_list(): no prefetches or values()."
            )
        compiler = query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        slots = []
        for stand_in in stand_ins:
            where = tuple(i for i, param in enumerate(params) if param == stand_in)
            if not where:  # converted on the way (a UUID stored as text)
                return None
            slots.append(where)
        if compiler.has_extra_select or queryset._known_related_objects:
            return None
        select, klass_info = compiler.select, compiler.klass_info
        if shape != "models" and (
            compiler.has_composite_fields([column[0] for column in select])
            or query.extra_select
            or query.annotation_select
        ):
            return None  # values_list() of what Django reorders or regroups: not kept
        models = shape == "models"
        start, end = (
            (klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1)
            if models
            else (0, 0)
        )
        return _Compiled(
            sql=sql,
            params=tuple(params),
            slots=tuple(slots),
            fixed=tuple(
                param for i, param in enumerate(params) if not any(i in where for where in slots)
            ),
            compiler=compiler,
            converters=compiler.get_converters([column[0] for column in select]),
            shape=shape,
            model=klass_info["model"] if models else None,
            start=start,
            end=end,
            init_list=[column[0].target.attname for column in select[start:end]],
            populators=_related_populators(klass_info, select, queryset.db) if models else [],
            annotations=dict(compiler.annotation_col_map or {}) if models else {},
            locks=query.select_for_update,
        )
