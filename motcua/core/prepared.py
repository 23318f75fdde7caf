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
that becomes IS NULL) is not for this. A query with select_for_update is refused outside a
transaction, as Django refuses it.
"""

from __future__ import annotations

import copy
import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

from django.db import connections
from django.db.models import QuerySet
from django.db.transaction import TransactionManagementError
from django.utils import timezone

# Two sets of placeholders: the query is compiled with each, and a value's positions are those where
# both compilations put their placeholder (a constant of the query cannot equal both).
_SENTINEL_INTS = (1_000_003, 1_700_029)  # inside a 32-bit id column's range, or Django finds no row
_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1  # beyond them the ordinary queryset answers (see `all`)
_SENTINEL_TIMES = (dt.datetime(1901, 2, 3, 4, 5, 6, tzinfo=dt.UTC), dt.datetime(1903, 4, 5, 6, 7, 8, tzinfo=dt.UTC))
_SENTINEL_DAYS = (dt.date(1902, 3, 4), dt.date(1904, 5, 6))
KINDS = (int, str, dt.date, dt.datetime)


def _placeholder(kind: type, index: int, round_: int) -> Any:
    if kind is int:
        return _SENTINEL_INTS[round_] + index
    if kind is str:
        return f"\x01prepared-placeholder-{round_}-{index}\x01"
    if kind is dt.datetime:
        return _SENTINEL_TIMES[round_] + dt.timedelta(microseconds=index + 1)
    if kind is dt.date:
        return _SENTINEL_DAYS[round_] + dt.timedelta(days=index)
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
        connection = connections[alias]
        compiled = []
        for round_ in (0, 1):
            placeholders = {name: _placeholder(kind, i, round_) for i, (name, kind) in enumerate(self._kinds.items())}
            queryset = self._build(**placeholders)
            compiler = queryset.query.get_compiler(using=alias)
            # Compiled at the first call: a select_for_update is compiled in that call's transaction
            # (Django refuses it outside one), and compiling asks the database nothing.
            sql, params = compiler.as_sql()
            compiled.append((queryset, compiler, sql, list(params), placeholders))
        (queryset, compiler, sql, params, first), (_q, _c, other_sql, other_params, second) = compiled
        if sql != other_sql or len(params) != len(other_params):
            raise ValueError("the query's SQL depends on its values: it cannot be prepared")
        positions = {}
        for name in self._kinds:
            one, two = _adapted(connection, first[name]), _adapted(connection, second[name])
            found = [i for i, (a, b) in enumerate(zip(params, other_params, strict=True))
                     if type(a) is type(one) and a == one and type(b) is type(two) and b == two]
            if not found:
                raise ValueError(f"the value {name!r} does not reach the query's parameters as it is")
            positions[name] = found
        unexplained = {i for i, (a, b) in enumerate(zip(params, other_params, strict=True)) if a != b}
        if unexplained - {i for found in positions.values() for i in found}:
            raise ValueError("a parameter of the query changes with its values: it cannot be prepared")
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
        if (queryset.query.select_for_update and connection.features.has_select_for_update
                and connection.features.supports_transactions and connection.get_autocommit()):
            raise TransactionManagementError("select_for_update cannot be used outside of a transaction.")
        params = list(kept)
        for name, value in values.items():
            kind = self._kinds[name]
            if (not isinstance(value, kind) or isinstance(value, bool)
                    or (kind is dt.date and isinstance(value, dt.datetime))):
                raise TypeError(f"{name!r} must be {self._kinds[name].__name__}")
            if isinstance(value, int) and not _INT_MIN <= value <= _INT_MAX:
                # Django knows each integer column's range (no row, or no query, for a value beyond
                # it); the kept SQL does not: the ordinary queryset answers.
                return list(self._build(**values))
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
