"""A Hypothesis state machine drives the ledger's actions at random (service credits of two
branches and their approval, gifts, donations, grants, redemptions at either branch with the
settlement between them, cancelled redemptions, settlements off the book, reversals, and
arbitrary multi-line adjustments, balanced or not) and checks after every step that the book's
invariants hold: every entry sums to zero with no zero line, no balance outside its limits,
every cached balance equals the sum of its postings, all accounts together sum to zero, the
branches' clearing accounts sum to zero, and this month's branch statements balance."""

import itertools

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from zizhi.moralbank.actions import accounts as acc
from zizhi.moralbank.actions import flows, redeem
from zizhi.moralbank.actions.ledger import Line, record_entry
from zizhi.moralbank.models import (
    MAY_BE_NEGATIVE,
    Account,
    AccountKind,
    BankRules,
    Entry,
    EntryStatus,
    Redemption,
)
from zizhi.moralbank.reconcile import reconcile
from zizhi.moralbank.statements import branch_statement

from . import factories as f
from .bank_rows import bank, service_record

CAP = 600
TODAY = timezone.localdate()
keys = itertools.count()


def run_machine(world):
    class Ledger(RuleBasedStateMachine):
        @initialize()
        def open_book(self):
            self.tx = transaction.atomic()
            self.tx.__enter__()
            BankRules.objects.update_or_create(
                community=world.hd, defaults={"personal_cap_minutes": CAP}
            )
            self.b = bank(world)
            household = world.resident_a.resident.household
            self.family = [world.resident_a.resident] + [
                f.resident(world.hd, name=f"家人{i}", hh=household) for i in range(2)
            ]
            self.accounts = [acc.do_open_account(r, actor=world.worker_a) for r in self.family]
            self.users = {0: world.resident_a}
            self.pending = []
            self.shop = acc.do_open_branch(
                world.hd, name="商户储蓄所", kind="merchant", actor=world.worker_a
            )
            acc.do_add_clerk(self.shop, self.b.clerk, actor=world.worker_a, started_on=TODAY)
            self.branches = [self.b.branch, self.shop]
            for branch in self.branches:  # credit to spend from the start, of both issuers
                rec = service_record(world, self.family[0], 200)
                entry = flows.do_request_credit(rec, branch, actor=world.worker_a)
                flows.do_approve_credit(entry, actor=self.b.clerk)
            self.offers = [
                redeem.do_add_offer(
                    branch,
                    actor=world.worker_a,
                    title=f"项目{price}",
                    kind="goods",
                    price_minutes=price,
                    stock=stock,
                )
                for branch in self.branches
                for price, stock in ((45, None), (150, 3))
            ]

        def teardown(self):
            if hasattr(self, "tx"):
                transaction.set_rollback(True)
                self.tx.__exit__(None, None, None)

        def attempt(self, fn, *args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except ValidationError:
                return None  # refused: must have changed nothing (the invariants say so)

        @rule(who=st.integers(0, 2), minutes=st.integers(1, 400), branch=st.integers(0, 1))
        def request_credit(self, who, minutes, branch):
            rec = service_record(world, self.family[who], minutes)
            self.pending.append(
                flows.do_request_credit(rec, self.branches[branch], actor=world.worker_a)
            )

        @rule(offers=st.lists(st.integers(0, 3), min_size=1, max_size=3), retry=st.booleans())
        def redemption(self, offers, retry):
            account = Account.objects.select_related("resident", "community").get(
                pk=self.accounts[0].pk
            )
            for offer in offers:
                key = f"r{next(keys)}"
                first = self.attempt(
                    redeem.do_redeem, account, self.offers[offer], actor=world.resident_a, key=key
                )
                if first is not None and retry:
                    again = redeem.do_redeem(
                        account, self.offers[offer], actor=world.resident_a, key=key
                    )
                    assert again.pk == first.pk

        @rule(data=st.data())
        def cancel_redemption(self, data):
            waiting = list(Redemption.objects.filter(status="waiting"))
            if waiting:
                chosen = data.draw(st.sampled_from(waiting))
                self.attempt(
                    redeem.do_cancel_redemption, chosen, actor=world.resident_a, reason="退回"
                )

        @rule(extra=st.integers(-30, 10))
        def settle(self, extra):
            """The branch that owes pays some, all, or (refused) more than it owes."""
            owing = Account.objects.filter(kind=AccountKind.CLEARING).order_by("balance").first()
            payer = self.branches[self.branches.index(owing.branch)]
            owed = max(-owing.balance + extra, 1)
            self.attempt(
                redeem.do_settle,
                payer,
                next(b for b in self.branches if b != payer),
                owed,
                actor=world.worker_a,
                note="月结",
                key=f"s{next(keys)}",
            )

        @rule(data=st.data())
        def reverse(self, data):
            posted = list(
                Entry.objects.filter(status=EntryStatus.POSTED).values_list("pk", flat=True)
            )
            if not posted:
                return
            entry = Entry.objects.get(pk=data.draw(st.sampled_from(posted)))
            self.attempt(flows.do_reverse, entry, actor=world.worker_a, reason="测试冲正")

        @rule(
            lines=st.lists(
                st.tuples(st.integers(0, 9), st.integers(-400, 400)), min_size=1, max_size=4
            ),
            balanced=st.booleans(),
        )
        def adjust(self, lines, balanced):
            # clearing accounts move only by redemptions and settlements
            every = list(
                Account.objects.select_related("community")
                .exclude(kind=AccountKind.CLEARING)
                .order_by("pk")
            )
            lines = [Line(every[i % len(every)], m) for i, m in lines]
            if balanced:
                lines.append(Line(self.b.issuing, -sum(line.minutes for line in lines)))
            self.attempt(
                record_entry,
                "adjustment",
                lines,
                actor=world.worker_a,
                community=world.hd,
                key=f"a{next(keys)}",
                memo="调整",
            )

        @rule(to=st.integers(0, 2), minutes=st.integers(1, 400))
        def issue(self, to, minutes):
            """A balanced adjustment from the branch: pushes balances towards the cap."""
            account = Account.objects.select_related("community").get(pk=self.accounts[to].pk)
            issuing = Account.objects.select_related("community").get(pk=self.b.issuing.pk)
            self.attempt(
                record_entry,
                "adjustment",
                [Line(issuing, -minutes), Line(account, minutes)],
                actor=world.worker_a,
                community=world.hd,
                key=f"i{next(keys)}",
                memo="调整",
            )

        @invariant()
        def book_holds(self):
            if not hasattr(self, "b"):
                return
            report = reconcile()
            assert report.ok, report
            for account in Account.objects.all():
                if account.kind not in MAY_BE_NEGATIVE:
                    assert account.balance >= 0
                if account.kind == "personal":
                    assert account.balance <= CAP
            for entry in Entry.objects.prefetch_related("postings"):
                lines = [p.minutes for p in entry.postings.all()]
                assert all(lines) and sum(lines) == 0
                assert bool(lines) == (entry.status == EntryStatus.POSTED)
            clearing = Account.objects.filter(kind=AccountKind.CLEARING)
            assert sum(a.balance for a in clearing) == 0
            for branch in self.branches:
                assert branch_statement(branch, TODAY.year, TODAY.month).balanced

    Ledger.TestCase.settings = settings(
        max_examples=25,
        stateful_step_count=20,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    Ledger.TestCase().runTest()


@pytest.mark.django_db
def test_random_operations_keep_every_invariant(world):
    run_machine(world)
