"""`insert_instances`: INSERT model instances with SQL built once per model and number of rows.

Django compiles every `save()` and `bulk_create()` anew, and for two or more rows on PostgreSQL sends
each column as an array to UNNEST, which psycopg adapts element by element in Python. For the rows every
checkout writes and never updates (outbox and analytics events, order lines, stock-ledger rows), that costs
more CPU than the database spends storing them. This writes the same row Django would (each field's `pre_save`, then its
`get_db_prep_save`: defaults, `auto_now_add`, JSON adaptation), as one `INSERT … VALUES (…), (…)
RETURNING id`, and fills in the primary keys. Like `bulk_create`, it sends no signals.

For models with no fields computed by the database; the primary key is auto-incremented or set in Python
(a default such as a public id), and either way read back from RETURNING.

`insert_batch()` goes one step further for a transaction that writes rows of several such models: rows
given to `insert_later` inside the block (order lines, analytics and outbox events, the confirmation
email) are written when it ends, every model in one statement (one `INSERT … RETURNING` per model, as
data-modifying CTEs). Their primary keys are set then, so a row whose key is needed at once is not for
`insert_later`.
"""
import contextvars
import functools
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Model

# Rows waiting for the end of `insert_batch()`, by model in first-seen order; None outside a batch.
_batched: contextvars.ContextVar[dict[type[Model], list[Model]] | None] = contextvars.ContextVar(
    "insert_batch", default=None)


def insert_instances(objs: list[Model]) -> None:
    """Insert `objs` (all of one model, not yet saved) in one statement; sets their primary keys."""
    if objs:
        _write({type(objs[0]): objs})


def insert_later(objs: list[Model]) -> None:
    """`insert_instances`, or inside `insert_batch()` when the block ends (rows of one model keep their order,
    so their keys ascend as if inserted one call at a time)."""
    batch = _batched.get()
    if batch is None:
        insert_instances(objs)
    elif objs:
        batch.setdefault(type(objs[0]), []).extend(objs)


@contextmanager
def insert_batch() -> Iterator[None]:
    """Write the rows `insert_later` is given inside the block in one statement when it ends; an exception
    discards them. Outside a transaction the block is one, so work deferred to its commit (an email queued
    with its row's id) sees the rows written. Nested blocks join the outermost."""
    if _batched.get() is not None:
        yield
        return
    with nullcontext() if transaction.get_connection().in_atomic_block else transaction.atomic():
        token = _batched.set({})
        try:
            yield
            batch = _batched.get()
        finally:
            _batched.reset(token)
        if batch:
            _write(batch)


def _write(rows_by_model: dict[type[Model], list[Model]]) -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    params = [field.get_db_prep_save(field.pre_save(obj, True), connection)
              for model, objs in rows_by_model.items() for obj in objs for field in _fields(model)]
    shape = tuple((model, len(objs)) for model, objs in rows_by_model.items())
    with connection.cursor() as cursor:
        cursor.execute(_sql(shape), params)
        keys = cursor.fetchall()
    objs = [obj for rows in rows_by_model.values() for obj in rows]
    for obj, (key,) in zip(objs, keys, strict=True):
        obj.pk = key
        obj._state.adding = False
        obj._state.db = DEFAULT_DB_ALIAS


@functools.cache
def _fields(model: type[Model]) -> tuple:
    return tuple(field for field in model._meta.local_concrete_fields if field is not model._meta.auto_field)


@functools.lru_cache(maxsize=512)  # one per combination of models and row counts a transaction writes
def _sql(shape: tuple[tuple[type[Model], int], ...]) -> str:
    """The INSERT of `rows` rows of each (model, rows), returning their keys in that order: one plain
    statement for one model; for several, each insert a CTE and their keys appended in order."""
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
    inserts = []
    for model, rows in shape:
        fields = _fields(model)
        row = "(" + ", ".join(["%s"] * len(fields)) + ")"
        # Only the models' own quoted table and column names are interpolated; every value is a parameter.
        columns = ", ".join(quote(field.column) for field in fields)
        inserts.append(f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "  # noqa: S608
                       f"VALUES {', '.join([row] * rows)} RETURNING {quote(model._meta.pk.column)}")
    if len(inserts) == 1:
        return inserts[0]
    ctes = ", ".join(f"i{index} AS ({insert})" for index, insert in enumerate(inserts))
    # Each CTE returns its keys in VALUES order (as a single INSERT does) and UNION ALL appends them in turn.
    keys = " UNION ALL ".join(f"SELECT * FROM i{index}" for index in range(len(inserts)))  # noqa: S608
    return f"WITH {ctes} {keys}"
