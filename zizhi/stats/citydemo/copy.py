"""Writing rows with PostgreSQL's COPY (psycopg 3): ids given here, defaults filled in.

A `Table` names a model and the columns a generator fills; every other column gets the
model field's default (auto_now fields: the build's `now`), so a row is a plain tuple.
Ids are assigned by the caller from `Table.next_id()`; `Tables.finish_sequences()`
moves the sequences past them and `Tables.analyze()` refreshes the statistics.
"""

import json

from django.db import connection


class Table:
    def __init__(self, model, columns: list[str], now):
        self.model, self.columns = model, columns
        self.name = model._meta.db_table
        self.rows_written, self.last_id = 0, 0
        extra_columns, extra = [], []
        for field in model._meta.concrete_fields:
            if field.column in columns:
                continue
            extra_columns.append(field.column)
            extra.append(_default(field, now))
        self.extra = tuple(extra)
        names = ", ".join(connection.ops.quote_name(c) for c in [*columns, *extra_columns])
        self.sql = f"COPY {connection.ops.quote_name(self.name)} ({names}) FROM STDIN"
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {self.name}")
            self.last_id = cursor.fetchone()[0]

    def next_id(self) -> int:
        self.last_id += 1
        return self.last_id

    def write(self, rows) -> int:
        """COPY the rows (tuples in the order of `columns`); returns how many."""
        n, extra = 0, self.extra
        with connection.cursor() as cursor, cursor.cursor.copy(self.sql) as copy:
            for row in rows:
                copy.write_row(row + extra)
                n += 1
        self.rows_written += n
        return n


def _default(field, now):
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    value = field.get_default()
    if value is None and not field.null:
        raise ValueError(f"{field.model.__name__}.{field.name} needs a value in the demo rows")
    if isinstance(value, dict | list):
        return json.dumps(value)
    return value


class Tables:
    """The tables of one build, made on first use, finished together."""

    def __init__(self, now):
        self.now, self.made = now, {}

    def __call__(self, model, columns: list[str]) -> Table:
        table = self.made.get(model)
        if table is None:
            table = self.made[model] = Table(model, columns, self.now)
        elif table.columns != columns:
            raise ValueError(f"{model.__name__}: written with two different column lists")
        return table

    def counts(self) -> dict[str, int]:
        return {t.model._meta.label: t.rows_written for t in self.made.values()}

    def finish_sequences(self) -> None:
        """Move each sequence past the ids given here."""
        with connection.cursor() as cursor:
            for table in self.made.values():
                if table.rows_written:
                    cursor.execute(
                        "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
                        [table.name, table.last_id],
                    )

    def analyze(self) -> None:
        """Fresh statistics for the planner, and the visibility map set so that counts can
        be answered from an index alone (after the commit; VACUUM runs outside a
        transaction)."""
        with connection.cursor() as cursor:
            for table in self.made.values():
                cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(table.name)}")
