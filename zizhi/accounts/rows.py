"""Model instances from plain SQL rows, for the few hottest queries (a bearer token's check, a
ballot's poll): the SQL is written once and the rows are loaded like the ORM loads them
(`Model.from_db` after the fields' database converters). Compiling an ORM query with joins
costs more CPU than the database spends answering it; this skips the compiling, nothing else.
"""

import functools
import time

from django.db import connections


@functools.cache
def _fields(model, alias: str):
    """[(attname, column, converters, expression)] of the model's concrete fields."""
    conn = connections["default"]
    out = []
    for f in model._meta.concrete_fields:
        col = f.get_col(alias)
        converters = conn.ops.get_db_converters(col) + f.get_db_converters(conn)
        out.append((f.attname, f.column, converters, col))
    return tuple(out)


def columns(model, alias: str) -> str:
    """`alias."col1", alias."col2", ...`: every concrete column of the model, in field order."""
    qn = connections["default"].ops.quote_name
    return ", ".join(f"{alias}.{qn(column)}" for _a, column, _c, _e in _fields(model, alias))


def width(model) -> int:
    return len(model._meta.concrete_fields)


def load(model, values, alias: str = "t", using: str = "default"):
    """The instance of `model` from the values of columns(model, alias), or None if its
    primary key is NULL (a LEFT JOIN that found nothing)."""
    fields = _fields(model, alias)
    conn = None
    row = []
    for value, (_a, _c, converters, expression) in zip(values, fields, strict=True):
        for convert in converters:
            conn = conn or connections[using]
            value = convert(value, expression, conn)
        row.append(value)
    pk_index = next(i for i, f in enumerate(model._meta.concrete_fields) if f.primary_key)
    if row[pk_index] is None:
        return None
    return model.from_db(using, [a for a, _c, _v, _e in fields], row)


def fetchone(sql: str, params, using: str = "default"):
    """Run one hot query and return its first row (or None).

    On PostgreSQL with server-side binding: psycopg prepares a statement after it has run a
    few times on a connection (the connection's prepare_threshold: settings.py sets 5;
    DB_PREPARE_THRESHOLD=0 turns it off behind a pooler that cannot keep prepared
    statements), so the database parses and plans it once per connection, not on every
    request. Django's errors, broken-transaction check and query log apply as usual."""
    conn = connections[using]
    if conn.vendor != "postgresql":
        with conn.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()
    import psycopg

    conn.validate_thread_sharing()
    conn.validate_no_broken_transaction()
    # as Django's own cursors do: a kept connection is checked once per request
    # (CONN_HEALTH_CHECKS) and reopened if the server restarted meanwhile
    conn.close_if_health_check_failed()
    conn.ensure_connection()
    started = time.monotonic()
    with conn.wrap_database_errors, psycopg.Cursor(conn.connection) as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if conn.queries_logged:
        conn.queries_log.append(
            {"sql": f"{sql} -- {params!r}", "time": f"{time.monotonic() - started:.3f}"}
        )
    return row
