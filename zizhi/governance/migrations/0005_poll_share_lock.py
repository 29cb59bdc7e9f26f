"""PostgreSQL: governance_poll_share_lock(class, poll), used by every online ballot.

It takes the poll's shared advisory lock (see actions/polls.py _lock) and then reads the
poll's status with a snapshot of its own, taken after the lock is granted (a VOLATILE
function in READ COMMITTED). So a ballot is one statement: the insert goes ahead only if the
status read after the lock is open, and a close that committed while the ballot waited for
the lock is seen."""

from django.db import migrations

from zizhi.migration_sql import postgres_only

CREATE = """
CREATE OR REPLACE FUNCTION governance_poll_share_lock(lock_class integer, poll_id bigint)
RETURNS varchar AS $$
BEGIN
    PERFORM pg_advisory_xact_lock_shared(lock_class, (poll_id & 2147483647)::integer);
    RETURN (SELECT status FROM governance_poll WHERE id = poll_id);
END;
$$ LANGUAGE plpgsql VOLATILE;
"""
DROP = "DROP FUNCTION IF EXISTS governance_poll_share_lock(integer, bigint);"


class Migration(migrations.Migration):
    dependencies = [("governance", "0004_duty_reports")]
    operations = [postgres_only(CREATE, DROP)]
