"""Redemptions ("deposit anywhere, redeem anywhere") with the settlement between branches in
the same entry, the catalogue, cancellations, settlements off the book, a minor's guardian,
and the monthly branch statement."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from zizhi.audit.models import Event
from zizhi.moralbank.actions import accounts as acc
from zizhi.moralbank.actions import flows, redeem
from zizhi.moralbank.actions.ledger import Line, record_entry
from zizhi.moralbank.models import Account, Entry, EntryKind, Offer, Redemption
from zizhi.moralbank.reconcile import reconcile
from zizhi.moralbank.statements import branch_statement

from . import factories as f
from .bank_rows import bank, service_record

pytestmark = pytest.mark.django_db


def balance(account) -> int:
    return Account.objects.get(pk=account.pk).balance


def second_branch(world):
    """A merchant branch of HD with its own clerk."""
    shop = acc.do_open_branch(world.hd, name="理发店储蓄所", kind="merchant", actor=world.worker_a)
    clerk = f.user(name="理发店店主")
    acc.do_add_clerk(shop, clerk, actor=world.worker_a, started_on=datetime.date(2026, 1, 1))
    return shop, clerk


def earn(world, b, branch, clerk, minutes, resident=None):
    rec = service_record(world, resident or world.resident_a.resident, minutes)
    entry = flows.do_request_credit(rec, branch, actor=world.worker_a)
    return flows.do_approve_credit(entry, actor=clerk)


def offer(branch, clerk, price, stock=None, title="老人理发"):
    return redeem.do_add_offer(
        branch, actor=clerk, title=title, kind="service", price_minutes=price, stock=stock
    )


def lines_of(entry) -> dict:
    return {(p.account.branch_id, p.account.kind): p.minutes for p in entry.postings.all()}


def test_redeeming_where_the_credit_was_issued_retires_it_there(world):
    b = bank(world)
    earn(world, b, b.branch, b.clerk, 120)
    haircut = offer(b.branch, b.clerk, 60, stock=3)
    r = redeem.do_redeem(b.depositor, haircut, actor=world.resident_a, key="r1")
    assert r.status == "waiting" and r.minutes == 60 and r.code == r.entry.number
    assert lines_of(r.entry) == {(None, "personal"): -60, (b.branch.pk, "issuing"): 60}
    assert balance(b.depositor) == 60 and balance(b.issuing) == -60
    assert Offer.objects.get(pk=haircut.pk).stock == 2
    # the same request again: the same redemption, nothing new, stock untouched
    again = redeem.do_redeem(b.depositor, haircut, actor=world.resident_a, key="r1")
    assert again.pk == r.pk and Redemption.objects.count() == 1
    assert balance(b.depositor) == 60 and Offer.objects.get(pk=haircut.pk).stock == 2
    assert Event.objects.filter(verb="moralbank.redemption").count() == 1


def test_redeeming_at_another_branch_settles_in_the_same_entry(world):
    b = bank(world)
    shop, shop_clerk = second_branch(world)
    earn(world, b, b.branch, b.clerk, 50)  # the union issued 50
    earn(world, b, shop, shop_clerk, 40)  # the shop issued 40
    haircut = offer(shop, shop_clerk, 70)
    r = redeem.do_redeem(b.depositor, haircut, actor=world.resident_a, key="r2")
    # oldest issuer first: 50 of the union's credit, 20 of the shop's own
    assert lines_of(r.entry) == {
        (None, "personal"): -70,
        (shop.pk, "issuing"): 20,
        (b.branch.pk, "issuing"): 50,
        (b.branch.pk, "clearing"): -50,
        (shop.pk, "clearing"): 50,
    }
    union_clearing = acc.clearing_account(b.branch)
    shop_clearing = acc.clearing_account(shop)
    assert balance(union_clearing) == -50 and balance(shop_clearing) == 50
    assert balance(b.issuing) == 0  # everything the union issued is retired
    # the next redemption retires what is left: the shop's own 20
    cheap = offer(shop, shop_clerk, 20, title="修鞋")
    r2 = redeem.do_redeem(b.depositor, cheap, actor=world.resident_a, key="r3")
    assert lines_of(r2.entry) == {(None, "personal"): -20, (shop.pk, "issuing"): 20}
    assert reconcile().ok


def test_credit_that_came_as_a_gift_is_retired_where_it_is_spent(world):
    b = bank(world)
    shop, shop_clerk = second_branch(world)
    spouse = f.resident(world.hd, "老伴", hh=world.resident_a.resident.household)
    spouse_acc = acc.do_open_account(spouse, actor=world.worker_a)
    earn(world, b, b.branch, b.clerk, 60, resident=spouse)
    record_entry(
        EntryKind.GIFT,
        [Line(spouse_acc, -60), Line(b.depositor, 60)],
        actor=world.worker_a,
        community=world.hd,
        key="g1",
        memo="转赠",
    )
    r = redeem.do_redeem(b.depositor, offer(shop, shop_clerk, 60), actor=world.resident_a, key="r")
    assert lines_of(r.entry) == {(None, "personal"): -60, (shop.pk, "issuing"): 60}


def test_a_redemption_refused_writes_nothing(world):
    b = bank(world)
    earn(world, b, b.branch, b.clerk, 30)
    dear = offer(b.branch, b.clerk, 60, stock=5)
    with pytest.raises(ValidationError, match="余额不足"):
        redeem.do_redeem(b.depositor, dear, actor=world.resident_a, key="x1")
    sold_out = offer(b.branch, b.clerk, 10, stock=0, title="大米")
    with pytest.raises(ValidationError, match="兑完"):
        redeem.do_redeem(b.depositor, sold_out, actor=world.resident_a, key="x2")
    redeem.do_change_offer(dear, actor=b.clerk, active=False, price_minutes=20)
    with pytest.raises(ValidationError, match="下架"):
        redeem.do_redeem(b.depositor, dear, actor=world.resident_a, key="x3")
    assert not Entry.objects.filter(kind=EntryKind.REDEMPTION).exists()
    assert balance(b.depositor) == 30 and Offer.objects.get(pk=dear.pk).stock == 5
    with pytest.raises(PermissionDenied):  # somebody else's account
        redeem.do_redeem(b.depositor, sold_out, actor=world.resident_b, key="x4")
    other = acc.do_open_branch(world.xh, name="西湖储蓄所", kind="community", actor=world.worker_b)
    xh_offer = offer(other, world.worker_b, 10)
    with pytest.raises(ValidationError, match="本社区"):
        redeem.do_redeem(b.depositor, xh_offer, actor=world.resident_a, key="x5")


def test_catalogue_is_kept_by_the_branch_and_checked(world):
    b = bank(world)
    with pytest.raises(PermissionDenied):
        offer(b.branch, world.resident_a, 30)
    with pytest.raises(PermissionDenied):
        offer(b.branch, world.worker_b, 30)
    with pytest.raises(ValidationError, match="所需时长"):
        offer(b.branch, b.clerk, 0)
    made = offer(b.branch, world.worker_a, 30)  # staff of the community may too
    changed = redeem.do_change_offer(made, actor=b.clerk, price_minutes=45, stock=2)
    assert (changed.price_minutes, changed.stock) == (45, 2)
    event = Event.objects.filter(verb="moralbank.change_offer").get()
    assert event.summary["before"]["price_minutes"] == 30
    assert event.summary["after"]["price_minutes"] == 45


def test_cancel_gives_the_credit_and_the_stock_back_fulfil_is_final(world):
    b = bank(world)
    shop, shop_clerk = second_branch(world)
    earn(world, b, b.branch, b.clerk, 120)
    haircut = offer(shop, shop_clerk, 60, stock=1)
    r = redeem.do_redeem(b.depositor, haircut, actor=world.resident_a, key="c1")
    with pytest.raises(PermissionDenied):  # the union's clerk is not the shop's
        redeem.do_fulfil(r, actor=b.clerk)
    with pytest.raises(ValidationError, match="原因"):
        redeem.do_cancel_redemption(r, actor=world.resident_a, reason=" ")
    done = redeem.do_cancel_redemption(r, actor=world.resident_a, reason="改天再来")
    assert done.status == "cancelled" and done.entry.reversal.reason == "改天再来"
    assert balance(b.depositor) == 120 and Offer.objects.get(pk=haircut.pk).stock == 1
    assert balance(acc.clearing_account(shop)) == 0 and balance(b.issuing) == -120
    r2 = redeem.do_redeem(b.depositor, haircut, actor=world.resident_a, key="c2")
    assert redeem.do_fulfil(r2, actor=shop_clerk).status == "fulfilled"
    with pytest.raises(ValidationError, match="已处理"):
        redeem.do_cancel_redemption(r2, actor=shop_clerk, reason="晚了")
    assert reconcile().ok


def test_settlement_off_the_book_never_goes_past_zero(world):
    b = bank(world)
    shop, shop_clerk = second_branch(world)
    earn(world, b, b.branch, b.clerk, 60)
    redeem.do_redeem(b.depositor, offer(shop, shop_clerk, 60), actor=world.resident_a, key="s")
    with pytest.raises(ValidationError, match="不能超过"):
        redeem.do_settle(b.branch, shop, 61, actor=world.worker_a, note="实物结算", key="k1")
    with pytest.raises(PermissionDenied):
        redeem.do_settle(b.branch, shop, 60, actor=world.worker_b, note="x", key="k2")
    entry = redeem.do_settle(b.branch, shop, 60, actor=world.worker_a, note="实物结算", key="k3")
    assert entry.kind == "settlement"
    assert balance(acc.clearing_account(b.branch)) == 0
    assert balance(acc.clearing_account(shop)) == 0
    # a retry with the same key is the same settlement, even though nothing is owed now
    again = redeem.do_settle(b.branch, shop, 60, actor=world.worker_a, note="实物结算", key="k3")
    assert again.pk == entry.pk


def test_a_minors_account_is_spent_by_the_guardian(world):
    b = bank(world)
    child = f.resident(world.hd, "小明", born=datetime.date(2016, 5, 1))
    child_user = f.user(phone=child.phone, name="小明")
    child.user = child_user
    child.save()
    guardian = world.resident_a.resident
    account = acc.do_open_account(child, actor=world.worker_a, guardian=guardian)
    earn(world, b, b.branch, b.clerk, 60, resident=child)
    toy = offer(b.branch, b.clerk, 30, title="文具")
    with pytest.raises(PermissionDenied):
        redeem.do_redeem(account, toy, actor=child_user, key="m1")
    assert redeem.do_redeem(account, toy, actor=world.resident_a, key="m2").minutes == 30


def test_the_monthly_branch_statement_balances_with_its_settlements(world):
    b = bank(world)
    shop, shop_clerk = second_branch(world)
    earn(world, b, b.branch, b.clerk, 90)
    earn(world, b, shop, shop_clerk, 30)
    redeem.do_redeem(b.depositor, offer(shop, shop_clerk, 100), actor=world.resident_a, key="a")
    redeem.do_settle(b.branch, shop, 40, actor=world.worker_a, note="月结", key="b")
    today = timezone.localdate()
    for branch in (b.branch, shop):
        s = branch_statement(branch, today.year, today.month)
        assert s.balanced and s.total == 0
        assert all(row.total == 0 for row in s.rows)
    s = branch_statement(shop, today.year, today.month)
    rows = {row.kind: row for row in s.rows}
    assert rows["service_credit"].sides == {
        "issuing": -30,
        "clearing": 0,
        "depositors": 30,
        "other_issuing": 0,
        "other_clearing": 0,
        "pool": 0,
    }
    assert rows["redemption"].sides["clearing"] == 90  # the union's credit it took
    assert rows["redemption"].sides["issuing"] == 10  # its own
    assert rows["redemption"].sides["other_issuing"] == 90  # the union's credit retired
    assert rows["redemption"].sides["other_clearing"] == -90  # which the union now owes
    assert rows["settlement"].sides["clearing"] == -40
    assert s.closing == {"issuing": -20, "clearing": 50} and s.opening == {
        "issuing": 0,
        "clearing": 0,
    }
    last = branch_statement(shop, today.year - 1, today.month)
    assert last.rows == [] and last.closing == {"issuing": 0, "clearing": 0}
