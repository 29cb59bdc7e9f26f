"""On PostgreSQL, real concurrent writers: 20 threads make 5,000 random transfers among 50
accounts (A to B and B to A at once included): minutes are conserved exactly, no balance
leaves its limits, no deadlock and no error but the refusals of an empty account; 10
identical requests with one idempotency key post once."""

import random

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Sum

from zizhi.moralbank.actions import accounts as acc
from zizhi.moralbank.actions.ledger import Line, record_entry
from zizhi.moralbank.models import Account, Entry, Posting
from zizhi.moralbank.reconcile import reconcile

from . import factories as f
from .bank_rows import bank
from .test_signup_concurrency import at_once

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="real concurrent writers need PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True),
]

START = 600  # minutes in each account


def _accounts(world, n):
    b = bank(world)
    residents = [f.resident(world.hd, name=f"储户{i}") for i in range(n)]
    accounts = [acc.do_open_account(r, actor=world.worker_a) for r in residents]
    for i, account in enumerate(accounts):
        record_entry(
            "adjustment",
            [Line(b.issuing, -START), Line(account, START)],
            actor=world.worker_a,
            community=world.hd,
            key=f"open-{i}",
            memo="开户存入",
        )
    return b, [a.pk for a in accounts]


def test_five_thousand_transfers_from_twenty_threads_conserve_every_minute(world):
    b, ids = _accounts(world, 50)
    plans = []
    rng = random.Random(20261128)
    for t in range(20):
        moves = []
        for n in range(250):
            x, y = rng.sample(ids, 2)
            if n % 10 == 0 and t % 2:  # the reverse of another thread's pair, at once
                x, y = ids[n % 50], ids[(n + 1) % 50]
            elif n % 10 == 0:
                x, y = ids[(n + 1) % 50], ids[n % 50]
            moves.append((f"t{t}-{n}", x, y, rng.randint(1, 120)))
        plans.append(moves)
    refused, unexpected = [], []

    def worker(moves):
        accounts = {a.pk: a for a in Account.objects.select_related("community").filter(pk__in=ids)}
        for key, x, y, minutes in moves:
            try:
                record_entry(
                    "adjustment",
                    [Line(accounts[x], -minutes), Line(accounts[y], minutes)],
                    actor=world.worker_a,
                    community=world.hd,
                    key=key,
                    memo="转账",
                )
            except ValidationError as exc:
                (refused if "余额不足" in exc.messages[0] else unexpected).append(exc)
            except Exception as exc:  # noqa: BLE001 - a deadlock or any database error
                unexpected.append(exc)

    assert at_once(worker, plans) == []
    assert unexpected == []
    posted = Entry.objects.filter(idempotency_key__startswith="t").count()
    assert posted + len(refused) == 5000 and posted > 4000
    balances = Account.objects.filter(pk__in=ids)
    assert balances.aggregate(s=Sum("balance"))["s"] == 50 * START  # conserved exactly
    assert not balances.filter(balance__lt=0).exists()
    report = reconcile()
    assert report.ok, report


def test_ten_identical_requests_post_once(world):
    b, ids = _accounts(world, 2)
    x, y = Account.objects.select_related("community").filter(pk__in=ids).order_by("pk")

    def send(_n):
        record_entry(
            "adjustment",
            [Line(x, -30), Line(y, 30)],
            actor=world.worker_a,
            community=world.hd,
            key="same-request",
            memo="转账",
        )

    assert at_once(send, range(10)) == []
    entry = Entry.objects.get(idempotency_key="same-request")
    assert Posting.objects.filter(entry=entry).count() == 2
    assert Account.objects.get(pk=x.pk).balance == START - 30
    assert Account.objects.get(pk=y.pk).balance == START + 30
