"""On PostgreSQL, redemptions at once: one depositor's concurrent redemptions each retire
credit of the right issuer (never the same issuer's credit twice) and stop at an empty
account; concurrent redemptions of an offer in stock stop at its stock; no error otherwise."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from zizhi.moralbank.actions import accounts as acc
from zizhi.moralbank.actions import flows, redeem
from zizhi.moralbank.models import Account, Offer, Redemption
from zizhi.moralbank.reconcile import reconcile

from . import factories as f
from .bank_rows import bank, service_record
from .test_signup_concurrency import at_once

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="real concurrent writers need PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True),
]


def _shop(world):
    shop = acc.do_open_branch(world.hd, name="理发店储蓄所", kind="merchant", actor=world.worker_a)
    clerk = f.user(name="店主")
    acc.do_add_clerk(shop, clerk, actor=world.worker_a, started_on=datetime.date(2026, 1, 1))
    return shop, clerk


def _earn(world, resident, branch, clerk, minutes):
    rec = service_record(world, resident, minutes)
    flows.do_approve_credit(flows.do_request_credit(rec, branch, actor=world.worker_a), actor=clerk)


def balance(account) -> int:
    return Account.objects.get(pk=account.pk).balance


def test_one_depositors_redemptions_at_once_retire_each_issuer_once(world):
    b = bank(world)
    shop, shop_clerk = _shop(world)
    me = world.resident_a.resident
    _earn(world, me, b.branch, b.clerk, 50)  # the union's credit first
    _earn(world, me, shop, shop_clerk, 50)
    offer = redeem.do_add_offer(
        shop, actor=shop_clerk, title="理发", kind="service", price_minutes=30
    )
    refused, unexpected = [], []

    def attempt(n):
        account = Account.objects.select_related("resident", "community").get(pk=b.depositor.pk)
        try:
            redeem.do_redeem(account, offer, actor=world.resident_a, key=f"at-once-{n}")
        except ValidationError as exc:
            (refused if "余额不足" in exc.messages[0] else unexpected).append(exc)

    assert at_once(attempt, range(6)) == []
    assert unexpected == [] and len(refused) == 3
    assert Redemption.objects.count() == 3 and balance(b.depositor) == 10
    # 90 minutes retired: all 50 of the union's (settled with the shop), 40 of the shop's own
    assert balance(b.issuing) == 0 and balance(acc.issuing_account(shop)) == -10
    assert balance(acc.clearing_account(b.branch)) == -50
    assert balance(acc.clearing_account(shop)) == 50
    assert reconcile().ok


def test_redemptions_at_once_stop_at_the_stock(world):
    b = bank(world)
    people = [f.resident_user(world.hd, name=f"储户{i}") for i in range(8)]
    accounts = []
    for user in people:
        _earn(world, user.resident, b.branch, b.clerk, 120)
        accounts.append(Account.objects.get(resident=user.resident))
    rice = redeem.do_add_offer(
        b.branch, actor=b.clerk, title="大米一袋", kind="goods", price_minutes=90, stock=3
    )
    sold_out, unexpected = [], []

    def attempt(n):
        account = Account.objects.select_related("resident", "community").get(pk=accounts[n].pk)
        try:
            redeem.do_redeem(account, rice, actor=people[n], key=f"rice-{n}")
        except ValidationError as exc:
            (sold_out if "兑完" in exc.messages[0] else unexpected).append(exc)

    assert at_once(attempt, range(8)) == []
    assert unexpected == [] and len(sold_out) == 5
    assert Offer.objects.get(pk=rice.pk).stock == 0 and Redemption.objects.count() == 3
    paid = sorted(balance(a) for a in accounts)
    assert paid == [30, 30, 30, 120, 120, 120, 120, 120]  # the refused paid nothing
    assert reconcile().ok
