"""Unsealed events: seq may be NULL until the event is sealed into its chain (log.seal).

On PostgreSQL the append-only trigger now lets exactly one UPDATE through: sealing an
unsealed event (seq NULL -> a number, prev_hash and hash set from empty), with every other
column unchanged. Any other UPDATE, and every DELETE, is still rejected."""

from django.conf import settings
from django.db import migrations, models

from zizhi.migration_sql import postgres_only

SEALING = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.seq IS NULL AND NEW.seq IS NOT NULL
        AND OLD.prev_hash = '' AND OLD.hash = ''
        AND NEW.prev_hash <> '' AND NEW.hash <> ''
        AND to_jsonb(NEW) - 'seq' - 'prev_hash' - 'hash'
            = to_jsonb(OLD) - 'seq' - 'prev_hash' - 'hash'
    THEN
        RETURN NEW;  -- sealing an unsealed event into its chain
    END IF;
    RAISE EXCEPTION 'audit_event is append-only: % rejected', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""
STRICT = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_event is append-only: % rejected', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_append_only_trigger'),
        ('registry', '0002_importjob'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='event',
            name='hash',
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AlterField(
            model_name='event',
            name='prev_hash',
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AlterField(
            model_name='event',
            name='seq',
            field=models.BigIntegerField(null=True),
        ),
        migrations.AddIndex(
            model_name='event',
            index=models.Index(condition=models.Q(('seq__isnull', True)), fields=['chain', 'created_at'], name='audit_event_unsealed'),
        ),
        postgres_only(SEALING, STRICT),
    ]
