"""A Hypothesis state machine drives the ledger's actions at random (service credits and
their approval, gifts, donations, grants, reversals, and arbitrary multi-line adjustments,
balanced or not) and checks after every step that the book's invariants hold: every entry
sums to zero with no zero line, no balance outside its limits, every cached balance equals
the sum of its postings, and all accounts together sum to zero."""

import itertools

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from zizhi.moralbank.actions import accounts as acc
from zizhi.moralbank.actions import flows
from zizhi.moralbank.actions.ledger import Line, record_entry
from zizhi.moralbank.models import MAY_BE_NEGATIVE, Account, BankRules, Entry, EntryStatus
from zizhi.moralbank.reconcile import reconcile

from . import factories as f
from .bank_rows import bank, service_record

CAP = 600
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

        def teardown(self):
            if hasattr(self, "tx"):
                transaction.set_rollback(True)
                self.tx.__exit__(None, None, None)

        def attempt(self, fn, *args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except ValidationError:
                return None  # refused: must have changed nothing (the invariants say so)

        @rule(who=st.integers(0, 2), minutes=st.integers(1, 400))
        def request_credit(self, who, minutes):
            rec = service_record(world, self.family[who], minutes)
            self.pending.append(flows.do_request_credit(rec, self.b.branch, actor=world.worker_a))

        @precondition(lambda self: self.pending)
        @rule(data=st.data())
        def approve_credit(self, data):
            entry = self.pending.pop(data.draw(st.integers(0, len(self.pending) - 1)))
            self.attempt(flows.do_approve_credit, entry, actor=self.b.clerk)

        @rule(to=st.integers(1, 2), minutes=st.integers(-5, 300))
        def gift(self, to, minutes):
            giver = Account.objects.select_related("resident", "community").get(
                pk=self.accounts[0].pk
            )
            self.attempt(
                flows.do_gift,
                giver,
                self.family[to],
                minutes,
                actor=world.resident_a,
                key=f"g{next(keys)}",
            )

        @rule(minutes=st.integers(1, 300))
        def donate(self, minutes):
            giver = Account.objects.select_related("resident", "community").get(
                pk=self.accounts[0].pk
            )
            self.attempt(
                flows.do_donate, giver, minutes, actor=world.resident_a, key=f"d{next(keys)}"
            )

        @rule(to=st.integers(0, 2), minutes=st.integers(1, 300))
        def grant(self, to, minutes):
            self.attempt(
                flows.do_grant,
                world.hd,
                self.family[to],
                minutes,
                actor=world.worker_a,
                decision="会议决定",
                key=f"gr{next(keys)}",
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
            every = list(Account.objects.select_related("community").order_by("pk"))
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
