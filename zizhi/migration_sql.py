"""For hand-written migrations: SQL that only PostgreSQL runs (triggers, PL/pgSQL functions);
SQLite has the same tables without them, and the actions check the same rules."""

from django.db import migrations


def postgres_only(forward_sql: str, backward_sql: str) -> migrations.RunPython:
    def run(sql):
        def apply(apps, schema_editor):
            if schema_editor.connection.vendor == "postgresql":
                schema_editor.execute(sql, params=None)

        return apply

    return migrations.RunPython(run(forward_sql), run(backward_sql))
