"""Queries compiled once per process: a fixed-shape query keeps its SQL, each call gives only its values.

Django compiles a queryset to SQL each time it is evaluated. For the small lookups every API call
makes (the bearer token with its user and roles, the service point, the counter) compiling costs
several times what running the query costs (docs/benchmarks.md, "Where an API call's time goes").
A `PreparedQuery` builds its queryset once with placeholder values, compiles it, finds where each
placeholder went among the SQL parameters, and then, per call, runs that same SQL with the call's
values through Django's own compiler and model iterable: the same statement, the same rows, the
same model instances with their `select_related` objects.

Only values whose database form can be put in the placeholder's place are accepted: integers,
strings, dates and aware datetimes (dates and datetimes adapted by the connection as Django's
fields do). Model instances, `values()` rows and `values_list()` tuples come out as the queryset's
own would. Compiling checks
that every placeholder is found; a query whose SQL depends on the values (an `__in` list, a None
that becomes IS NULL) is not for this. Reads only: no select_for_update (Django checks the
transaction when it compiles).
"""

from __future__ import annotations

import copy
import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

from django.db import connections
from django.db.models import QuerySet
from django.utils import timezone

_SENTINEL_INT = -7_314_159_265_358
_BIGINT_MIN, _BIGINT_MAX = -(2**63), 2**63 - 1
_SENTINEL_TIME = dt.datetime(1901, 2, 3, 4, 5, 6, tzinfo=dt.UTC)
_SENTINEL_DAY = dt.date(1902, 3, 4)
KINDS = (int, str, dt.date, dt.datetime)


def _placeholder(kind: type, index: int) -> Any:
    if kind is int:
        return _SENTINEL_INT - index
    if kind is str:
        return f"\x01prepared-placeholder-{index}\x01"
    if kind is dt.datetime:
        return _SENTINEL_TIME + dt.timedelta(microseconds=index + 1)
    if kind is dt.date:
        return _SENTINEL_DAY + dt.timedelta(days=index)
    raise TypeError(f"a prepared query takes int, str, date or datetime values, not {kind.__name__}")


def _adapted(connection, value: Any) -> Any:
    if isinstance(value, dt.datetime):
        if timezone.is_naive(value):
            raise ValueError("a prepared query takes aware datetimes only")
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, dt.date):
        return connection.ops.adapt_datefield_value(value)
    return value


class _CompiledQuery:
    """The template's query, answering `get_compiler` with the compiler that runs the kept SQL."""

    def __init__(self, query, compiler):
        self._query, self._compiler = query, compiler

    def get_compiler(self, *args, **kwargs):
        return self._compiler

    def __getattr__(self, name):
        return getattr(self._query, name)


class PreparedQuery:
    """`build(**values)` returns the queryset; `kinds` names each value's type (int, str or datetime)."""

    def __init__(self, build: Callable[..., QuerySet], **kinds: type):
        unknown = [kind.__name__ for kind in kinds.values() if kind not in KINDS]
        if unknown:
            raise TypeError(f"a prepared query takes int, str, date or datetime values, not {unknown}")
        self._build, self._kinds = build, kinds
        self._compiled: dict[str, tuple] = {}
        self._lock = threading.Lock()

    def _compile(self, alias: str) -> tuple:
        placeholders = {name: _placeholder(kind, i) for i, (name, kind) in enumerate(self._kinds.items())}
        queryset = self._build(**placeholders)
        if queryset.query.select_for_update:
            raise ValueError("a prepared query does not lock rows")
        connection = connections[alias]
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        positions = {}
        for name, placeholder in placeholders.items():
            adapted = _adapted(connection, placeholder)
            found = [i for i, param in enumerate(params) if type(param) is type(adapted) and param == adapted]
            if not found:
                raise ValueError(f"the value {name!r} does not reach the query's parameters as it is")
            positions[name] = found
        return queryset, compiler, sql, tuple(params), positions

    def all(self, **values: Any) -> list:
        """The rows (model instances) of the query for these values."""
        if values.keys() != self._kinds.keys():
            raise TypeError(f"a prepared query needs exactly {sorted(self._kinds)}")
        alias = "default"
        entry = self._compiled.get(alias)
        if entry is None:
            with self._lock:
                entry = self._compiled.get(alias) or self._compiled.setdefault(alias, self._compile(alias))
        queryset, compiler, sql, kept, positions = entry
        connection = connections[alias]
        params = list(kept)
        for name, value in values.items():
            kind = self._kinds[name]
            if (not isinstance(value, kind) or isinstance(value, bool)
                    or (kind is dt.date and isinstance(value, dt.datetime))):
                raise TypeError(f"{name!r} must be {self._kinds[name].__name__}")
            if isinstance(value, int) and not _BIGINT_MIN <= value <= _BIGINT_MAX:
                return []  # as Django's exact lookup on an integer column: no row has it, no query
            adapted = _adapted(connection, value)
            for index in positions[name]:
                params[index] = adapted
        own = copy.copy(compiler)
        own.connection = connection
        own.as_sql = lambda *args, **kwargs: (sql, tuple(params))
        compiled: Any = _CompiledQuery(queryset.query, own)
        rows: QuerySet = QuerySet(model=queryset.model, query=compiled, using=alias)
        rows._prefetch_related_lookups = queryset._prefetch_related_lookups  # type: ignore[attr-defined]
        rows._iterable_class = queryset._iterable_class  # type: ignore[attr-defined]
        rows._fields = queryset._fields  # type: ignore[attr-defined]
        return list(rows)

    def first(self, **values: Any):
        """The first row, or None (give the query its ordering and its [:1] in `build`)."""
        found = self.all(**values)
        return found[0] if found else None

    def queryset(self, **values: Any) -> QuerySet:
        """The ordinary queryset for these values (what the kept SQL is compiled from)."""
        return self._build(**values)
