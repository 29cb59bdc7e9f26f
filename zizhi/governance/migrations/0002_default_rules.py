"""The default rules: from the statute where it fixes a figure, else the default charter."""

from django.db import migrations

from zizhi.governance.default_rules import add_defaults


def forwards(apps, schema_editor):
    add_defaults(apps.get_model("governance", "Rule"))


def remove_defaults(apps, schema_editor):
    apps.get_model("governance", "Rule").objects.filter(community=None).delete()


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_initial")]
    operations = [migrations.RunPython(forwards, remove_defaults)]
