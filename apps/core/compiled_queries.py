"""Fixed-shape ORM queries compiled to SQL once per process, then run with new parameter values.

Django builds and compiles a queryset on every evaluation. For most queries that is noise; for the few on
the checkout's hot path that nest subqueries and JSON objects (a cart with its priced items, the shipping
zones with their methods and bands) building and compiling cost more CPU than the database spends
answering. The queryset stays the one definition of the query (apps keep exposing expressions through
their public modules); only its compiled form is reused.

    CART = CompiledQuery(lambda cart_id: Cart.objects.filter(id=cart_id).values_list("id", "status"),
                         cart_id="\\x00cart")
    rows = CART.rows(cart_id="cart_123")   # [(id, status)], Django's converters applied

A plain model queryset (no values(), no annotations) gives model instances with `instances(...)`.
`CompiledUpdate` does the same for a queryset's `update(...)`: the build returns the queryset and the values
(a fixed set of fields: a field that only sometimes changes is an expression of its parameter).

Each parameter is given an example value, distinctive and of the type the query passes to the database:
compiling with the examples shows where each lands among the SQL's parameters (it must land there
verbatim: an ArrayField lookup such as `countries__contains=[country]` passes each element on its own, so
the parameter is `country`). A query whose number of parameters depends on
its input (an `__in` of a variable list) cannot be compiled this way.
"""
import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.sql import UpdateQuery


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    slots: tuple[tuple[int, str], ...]  # (position among params, parameter name)
    compiler: object
    converters: dict
    attnames: tuple[str, ...]  # the selected columns' attribute names, for model instances


class CompiledQuery:
    def __init__(self, build: Callable[..., QuerySet], **examples):
        self._build = build
        self._examples = examples
        self._compiled: _Compiled | None = None
        self._lock = threading.Lock()

    def instances(self, **params) -> list:
        """The query's model instances for these parameter values (a plain model queryset)."""
        compiled = self._compiled or self._compile()
        model = compiled.compiler.query.model
        return [model.from_db(DEFAULT_DB_ALIAS, compiled.attnames, row) for row in self.rows(**params)]

    def rows(self, **params) -> list[tuple]:
        """The query's rows (tuples, in the values_list's order) for these parameter values."""
        compiled = self._compiled or self._compile()
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute(compiled.sql, _bound(compiled.params, compiled.slots, params))
            fetched = cursor.fetchall()
        if compiled.converters:
            return [tuple(row) for row in compiled.compiler.apply_converters(fetched, compiled.converters)]
        return fetched

    def _compile(self) -> _Compiled:
        with self._lock:
            if self._compiled is None:
                queryset = self._build(**self._examples)
                compiler = queryset.query.get_compiler(using=queryset.db)
                sql, params = compiler.as_sql()
                slots = _slots(params, self._examples)
                fields = [select[0] for select in compiler.select[:compiler.col_count]]
                attnames = tuple(getattr(getattr(field, "target", None), "attname", "") for field in fields)
                self._compiled = _Compiled(sql=sql, params=tuple(params), slots=slots, compiler=compiler,
                                           converters=compiler.get_converters(fields), attnames=attnames)
        return self._compiled


class CompiledUpdate:
    """`build(**examples)` returns (queryset, {field: value or expression}); `execute(**params)` runs that
    UPDATE with new parameter values and returns the number of rows it changed."""

    def __init__(self, build: Callable[..., tuple[QuerySet, dict]], **examples):
        self._build = build
        self._examples = examples
        self._compiled: tuple[str, tuple, tuple[tuple[int, str], ...]] | None = None
        self._lock = threading.Lock()

    def execute(self, **params) -> int:
        sql, defaults, slots = self._compiled or self._compile()
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute(sql, _bound(defaults, slots, params))
            return cursor.rowcount

    def _compile(self) -> tuple[str, tuple, tuple[tuple[int, str], ...]]:
        with self._lock:
            if self._compiled is None:
                queryset, values = self._build(**self._examples)
                query = queryset.query.chain(UpdateQuery)
                query.add_update_values(values)
                sql, params = query.get_compiler(using=queryset.db).as_sql()
                self._compiled = (sql, tuple(params), _slots(params, self._examples))
        return self._compiled


def _bound(compiled_params: tuple, slots: tuple[tuple[int, str], ...], params: dict) -> list:
    """The compiled parameters with each slot's value replaced by the call's."""
    values = list(compiled_params)
    for position, name in slots:
        values[position] = params[name]
    return values


def _slots(params, examples: dict) -> tuple[tuple[int, str], ...]:
    """Where each example lands among the compiled parameters, as (position, parameter name)."""
    slots = tuple((position, name) for position, param in enumerate(params) for name, example in examples.items()
                  if type(param) is type(example) and param == example)
    missing = set(examples) - {name for _, name in slots}
    if missing:
        raise ValueError(f"parameters {sorted(missing)} do not reach the SQL verbatim; "
                         "give examples of the type the query passes to the database")
    return slots
