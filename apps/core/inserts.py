"""`insert_instances`: INSERT model instances with SQL built once per model and number of rows.

Django compiles every `save()` and `bulk_create()` anew, and for two or more rows on PostgreSQL sends
each column as an array to UNNEST, which psycopg adapts element by element in Python. For the rows every
checkout writes and never updates (outbox and analytics events, order lines, stock-ledger rows), that costs
more CPU than the database spends storing them. This writes the same row Django would (each field's `pre_save`, then its
`get_db_prep_save`: defaults, `auto_now_add`, JSON adaptation), as one `INSERT … VALUES (…), (…)
RETURNING id`, and fills in the primary keys. Like `bulk_create`, it sends no signals.

For models with an auto-incremented primary key and no fields computed by the database.
"""
import functools

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model


def insert_instances(objs: list[Model]) -> None:
    """Insert `objs` (all of one model, not yet saved) in one statement; sets their primary keys."""
    if not objs:
        return
    model = type(objs[0])
    fields = _fields(model)
    connection = connections[DEFAULT_DB_ALIAS]
    params = [field.get_db_prep_save(field.pre_save(obj, True), connection) for obj in objs for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(_sql(model, len(objs)), params)
        keys = cursor.fetchall()
    for obj, (key,) in zip(objs, keys, strict=True):
        obj.pk = key
        obj._state.adding = False
        obj._state.db = DEFAULT_DB_ALIAS


@functools.cache
def _fields(model: type[Model]) -> tuple:
    return tuple(field for field in model._meta.local_concrete_fields if field is not model._meta.auto_field)


@functools.cache
def _sql(model: type[Model], rows: int) -> str:
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
    fields = _fields(model)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    # Only the model's own quoted table and column names are interpolated; every value is a parameter.
    columns = ", ".join(quote(field.column) for field in fields)
    return (f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "  # noqa: S608
            f"VALUES {', '.join([row] * rows)} RETURNING {quote(model._meta.auto_field.column)}")
