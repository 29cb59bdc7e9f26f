"""The database cache's table (settings.CACHES, CACHE_URL=db://, the default): made here so
a fresh database has it after `migrate`, with nothing else to run."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
