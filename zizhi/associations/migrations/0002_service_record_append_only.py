"""On PostgreSQL, service records are append-only: a trigger rejects UPDATE and DELETE.
A mistake is corrected by a new record (a reversal or an addition), never by an edit."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION service_record_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'associations_servicerecord is append-only: % rejected', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER service_record_append_only
    BEFORE UPDATE OR DELETE ON associations_servicerecord
    FOR EACH ROW EXECUTE FUNCTION service_record_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS service_record_append_only ON associations_servicerecord;
DROP FUNCTION IF EXISTS service_record_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("associations", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
