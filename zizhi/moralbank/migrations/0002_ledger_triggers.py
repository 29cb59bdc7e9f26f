"""PostgreSQL guards of the ledger, whatever code writes to it:

- every entry's postings sum to zero, and only a posted entry has postings: checked at commit
  by a deferred constraint trigger (the lines of one entry are inserted one by one);
- postings are never updated or deleted;
- an entry is never deleted, and once posted, rejected or cancelled never changed (only a
  pending entry moves on, once).
"""

from django.db import migrations

from zizhi.migration_sql import postgres_only

CREATE = """
CREATE OR REPLACE FUNCTION moralbank_entry_balances() RETURNS trigger AS $$
DECLARE
    total bigint;
    entry_status varchar;
BEGIN
    SELECT status INTO entry_status FROM moralbank_entry WHERE id = NEW.entry_id;
    IF entry_status IS DISTINCT FROM 'posted' THEN
        RAISE EXCEPTION 'journal entry % has postings but is %', NEW.entry_id, entry_status
            USING ERRCODE = 'check_violation';
    END IF;
    SELECT COALESCE(SUM(minutes), 0) INTO total FROM moralbank_posting
        WHERE entry_id = NEW.entry_id;
    IF total <> 0 THEN
        RAISE EXCEPTION 'journal entry % does not balance: its postings sum to %',
            NEW.entry_id, total USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE CONSTRAINT TRIGGER moralbank_posting_balances
    AFTER INSERT ON moralbank_posting DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION moralbank_entry_balances();

CREATE OR REPLACE FUNCTION moralbank_posting_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'moralbank_posting is append-only: % rejected', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER moralbank_posting_append_only
    BEFORE UPDATE OR DELETE ON moralbank_posting
    FOR EACH ROW EXECUTE FUNCTION moralbank_posting_append_only();

CREATE OR REPLACE FUNCTION moralbank_entry_final() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.status = 'pending' THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'moralbank_entry %: a decided entry is never changed or deleted (% rejected)',
        OLD.id, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER moralbank_entry_final
    BEFORE UPDATE OR DELETE ON moralbank_entry
    FOR EACH ROW EXECUTE FUNCTION moralbank_entry_final();
"""
DROP = """
DROP TRIGGER IF EXISTS moralbank_entry_final ON moralbank_entry;
DROP FUNCTION IF EXISTS moralbank_entry_final();
DROP TRIGGER IF EXISTS moralbank_posting_append_only ON moralbank_posting;
DROP FUNCTION IF EXISTS moralbank_posting_append_only();
DROP TRIGGER IF EXISTS moralbank_posting_balances ON moralbank_posting;
DROP FUNCTION IF EXISTS moralbank_entry_balances();
"""


class Migration(migrations.Migration):
    dependencies = [("moralbank", "0001_initial")]
    operations = [postgres_only(CREATE, DROP)]
