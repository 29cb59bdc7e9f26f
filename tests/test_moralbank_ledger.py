"""The Moral Bank's ledger: balanced entries, limits enforced, idempotency, reversals once,
service credits approved by a clerk who did not attest, and the reconcile check."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from zizhi.audit.models import Event
from zizhi.moralbank.actions import accounts as acc
from zizhi.moralbank.actions import flows
from zizhi.moralbank.actions.ledger import Line, record_entry
from zizhi.moralbank.models import Account, BankRules, Entry, EntryStatus, Posting
from zizhi.moralbank.reconcile import reconcile

from . import factories as f
from .bank_rows import bank, service_record

pytestmark = pytest.mark.django_db


def balance(account) -> int:
    return Account.objects.get(pk=account.pk).balance


def credit(world, b, minutes, resident=None):
    """An approved service credit of `minutes` to resident_a (or `resident`)."""
    rec = service_record(world, resident or world.resident_a.resident, minutes)
    entry = flows.do_request_credit(rec, b.branch, actor=world.worker_a)
    return flows.do_approve_credit(entry, actor=b.clerk)


def test_a_service_credit_waits_for_a_clerk_who_did_not_attest(world):
    b = bank(world)
    rec = service_record(world, world.resident_a.resident, 90)
    entry = flows.do_request_credit(rec, b.branch, actor=world.worker_a)
    assert entry.status == EntryStatus.PENDING and not entry.postings.exists()
    assert balance(b.depositor) == 0
    # the same record again: the same pending entry, nothing new
    assert flows.do_request_credit(rec, b.branch, actor=world.worker_a).pk == entry.pk
    with pytest.raises(PermissionDenied):
        flows.do_approve_credit(entry, actor=world.resident_b)
    acc.do_add_clerk(b.branch, world.worker_a, actor=world.worker_a, started_on=rec.service_date)
    with pytest.raises(ValidationError, match="认定服务时长的人不能审核"):
        flows.do_approve_credit(entry, actor=world.worker_a)
    posted = flows.do_approve_credit(entry, actor=b.clerk)
    assert posted.status == EntryStatus.POSTED and posted.approved_by == b.clerk
    assert balance(b.depositor) == 90 and balance(b.issuing) == -90
    with pytest.raises(ValidationError, match="已处理"):
        flows.do_approve_credit(posted, actor=b.clerk)
    assert Event.objects.filter(verb="moralbank.post", object_id=str(entry.pk)).exists()


def test_minutes_over_the_personal_cap_go_to_the_pool(world):
    b = bank(world)
    BankRules.objects.create(community=world.hd, personal_cap_minutes=100)
    credit(world, b, 80)
    entry = credit(world, b, 50)
    pool = acc.pool_of(world.hd)
    assert balance(b.depositor) == 100 and balance(pool) == 30
    assert sorted(entry.postings.values_list("minutes", flat=True)) == [-50, 20, 30]
    credit(world, b, 10)  # at the cap: all of it to the pool
    assert balance(b.depositor) == 100 and balance(pool) == 40


def test_a_balance_never_goes_below_zero_or_over_the_cap(world):
    b = bank(world)
    credit(world, b, 60)
    sister = f.resident(world.hd, name="李妹", hh=world.resident_a.resident.household)
    with pytest.raises(ValidationError, match="余额不足"):
        flows.do_gift(b.depositor, sister, 61, actor=world.resident_a, key="g1")
    assert balance(b.depositor) == 60 and not Entry.objects.filter(idempotency_key="g1").exists()
    BankRules.objects.create(community=world.hd, personal_cap_minutes=100)
    sister_account = acc.do_open_account(sister, actor=world.worker_a)
    credit(world, b, 100, resident=sister)
    with pytest.raises(ValidationError, match="超过个人上限"):
        flows.do_gift(b.depositor, sister, 10, actor=world.resident_a, key="g2")
    assert balance(sister_account) == 100 and balance(b.depositor) == 60


def test_gifts_go_to_family_only_and_donations_to_the_pool(world):
    b = bank(world)
    credit(world, b, 120)
    daughter = f.resident(world.hd, name="李女", hh=world.resident_a.resident.household)
    stranger = f.resident(world.hd, name="邻居", hh=f.household(world.hd, "3栋", "301"))
    with pytest.raises(ValidationError, match="同一户"):
        flows.do_gift(b.depositor, stranger, 10, actor=world.resident_a, key="g1")
    with pytest.raises(PermissionDenied):  # only the depositor gives from their account
        flows.do_gift(b.depositor, daughter, 10, actor=world.worker_a, key="g2")
    with pytest.raises(ValidationError, match="正整数"):
        flows.do_gift(b.depositor, daughter, 0, actor=world.resident_a, key="g3")
    gift = flows.do_gift(b.depositor, daughter, 30, actor=world.resident_a, key="g4")
    assert "转赠给李女" in gift.memo
    flows.do_donate(b.depositor, 40, actor=world.resident_a, key="d1")
    assert balance(b.depositor) == 50
    assert balance(Account.objects.get(resident=daughter)) == 30
    assert balance(acc.pool_of(world.hd)) == 40
    alone = f.resident(world.hd, name="独居老人")
    with pytest.raises(ValidationError, match="发放依据"):
        flows.do_grant(world.hd, alone, 20, actor=world.worker_a, decision=" ", key="gr0")
    with pytest.raises(PermissionDenied):
        flows.do_grant(world.hd, alone, 20, actor=world.worker_b, decision="x", key="gr1")
    flows.do_grant(world.hd, alone, 20, actor=world.worker_a, decision="居委会会议决定", key="gr2")
    assert balance(acc.pool_of(world.hd)) == 20
    assert balance(Account.objects.get(resident=alone)) == 20


def test_one_key_posts_once_and_another_body_is_refused(world):
    b = bank(world)
    credit(world, b, 100)
    daughter = f.resident(world.hd, name="李女", hh=world.resident_a.resident.household)
    first = flows.do_gift(b.depositor, daughter, 30, actor=world.resident_a, key="same")
    for _ in range(9):
        again = flows.do_gift(b.depositor, daughter, 30, actor=world.resident_a, key="same")
        assert again.pk == first.pk
    assert balance(b.depositor) == 70 and Posting.objects.filter(entry=first).count() == 2
    with pytest.raises(ValidationError, match="已用于另一笔"):
        flows.do_gift(b.depositor, daughter, 31, actor=world.resident_a, key="same")


def test_a_reversal_negates_exactly_once_with_its_reason(world):
    b = bank(world)
    entry = credit(world, b, 90)
    with pytest.raises(ValidationError, match="冲正原因"):
        flows.do_reverse(entry, actor=world.worker_a, reason="")
    with pytest.raises(PermissionDenied):
        flows.do_reverse(entry, actor=world.worker_b, reason="错记")
    reversal = flows.do_reverse(entry, actor=world.worker_a, reason="活动未举行，误记")
    assert reversal.reverses == entry and Entry.objects.get(pk=entry.pk).reversal == reversal
    assert sorted(reversal.postings.values_list("minutes", flat=True)) == [-90, 90]
    assert balance(b.depositor) == 0 and balance(b.issuing) == 0
    with pytest.raises(ValidationError, match="已经冲正过"):
        flows.do_reverse(entry, actor=world.worker_a, reason="again", key="other")
    with pytest.raises(ValidationError, match="不能再冲正"):
        flows.do_reverse(reversal, actor=world.worker_a, reason="x")
    # spent credit cannot be reversed into a negative balance
    spent = credit(world, b, 60)
    flows.do_donate(b.depositor, 50, actor=world.resident_a, key="d1")
    with pytest.raises(ValidationError, match="余额不足"):
        flows.do_reverse(spent, actor=world.worker_a, reason="误记")
    assert balance(b.depositor) == 10


def test_unbalanced_or_zero_lines_are_refused(world):
    b = bank(world)
    for lines, message in (
        ([Line(b.issuing, -10), Line(b.depositor, 9)], "借贷不平衡"),
        ([Line(b.issuing, 0), Line(b.depositor, 0)], "不能为零"),
        ([Line(b.depositor, 0)], "至少要有两个账户"),
    ):
        with pytest.raises(ValidationError, match=message):
            record_entry(
                "adjustment", lines, actor=world.worker_a, community=world.hd, key="k", memo="x"
            )
    assert not Entry.objects.exists()


def test_reconcile_finds_a_cached_balance_that_drifted(world, capsys):
    b = bank(world)
    credit(world, b, 45)
    report = reconcile()
    assert report.ok and report.total == 0 and report.accounts == 4
    call_command("moralbank", "reconcile", verbosity=0)
    assert "OK: 4 accounts" in capsys.readouterr().out
    Account.objects.filter(pk=b.depositor.pk).update(balance=50)  # a drifted cache
    report = reconcile()
    assert report.mismatched == [(b.depositor.pk, 50, 45)] and report.total == 5
    with pytest.raises(Exception, match="does not reconcile"):
        call_command("moralbank", "reconcile", verbosity=0)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="database triggers are a PostgreSQL feature"
)
def test_postgresql_refuses_what_the_ledger_forbids(world):
    b = bank(world)
    entry = credit(world, b, 30)
    posting = entry.postings.first()
    statements = (
        ("UPDATE moralbank_posting SET minutes = minutes + 1 WHERE id = %s", posting.pk),
        ("DELETE FROM moralbank_posting WHERE id = %s", posting.pk),
        ("UPDATE moralbank_entry SET memo = 'x' WHERE id = %s", entry.pk),
        ("DELETE FROM moralbank_entry WHERE id = %s", entry.pk),
    )
    for sql, pk in statements:
        with pytest.raises(Exception, match="append-only|never changed"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [pk])
    # an unbalanced entry fails at commit (the deferred trigger): here at SET CONSTRAINTS
    with pytest.raises(IntegrityError, match="does not balance"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO moralbank_posting (entry_id, account_id, minutes) VALUES (%s, %s, 5)",
                [entry.pk, b.depositor.pk],
            )
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    pending = flows.do_request_credit(
        service_record(world, world.resident_a.resident, 10), b.branch, actor=world.worker_a
    )
    with pytest.raises(IntegrityError, match="but is pending"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO moralbank_posting (entry_id, account_id, minutes) "
                "VALUES (%s, %s, 5), (%s, %s, -5)",
                [pending.pk, b.depositor.pk, pending.pk, b.issuing.pk],
            )
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with pytest.raises(IntegrityError):  # the balance check constraint
        with transaction.atomic():
            Account.objects.filter(pk=b.depositor.pk).update(balance=-1)
    assert reconcile().ok
