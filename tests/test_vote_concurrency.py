"""The voting invariants under real concurrency (PostgreSQL only: SQLite has one writer).

Threads with their own database connections cast ballots at once: one ballot per voter
whatever the races, and the tally stored at close counts exactly the ballots committed
before the close. On SQLite these tests skip; CI runs the suite on both.
"""

import datetime
import random
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.utils import timezone

from zizhi.accounts.actions import do_create_api_token
from zizhi.accounts.models import User
from zizhi.audit.log import verify as verify_audit
from zizhi.governance import actions as a
from zizhi.governance import tally
from zizhi.governance.models import (
    Ballot,
    Body,
    BodyKind,
    MemberRole,
    Membership,
    PollStatus,
)

from .govworld import TERM_START

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="real concurrent writers need PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True),
]

THREADS = 24  # below PostgreSQL's default max_connections, shared with other test runs


def assembly_of(world, n: int):
    """An assembly of `n` members with logins, created in bulk, and its users in order."""
    body = Body.objects.create(
        kind=BodyKind.REPRESENTATIVE_ASSEMBLY,
        name="并发测试居民代表大会",
        subdistrict=world.dh,
        community=world.hd,
    )
    tag = random.randrange(10**6)
    users = User.objects.bulk_create(
        User(phone=f"15{tag:06d}{i:03d}", name=f"代表{i}", password="!") for i in range(n)
    )
    Membership.objects.bulk_create(
        Membership(
            body=body,
            name=u.name,
            user=u,
            role=MemberRole.REPRESENTATIVE,
            started_on=TERM_START,
        )
        for u in users
    )
    return body, users


def meeting_with_all_signed_in(world, body, users, items=1):
    m = a.do_convene_meeting(
        body,
        title="并发表决会议",
        starts_at=timezone.now() + datetime.timedelta(days=10),
        place="社区活动室",
        items=[(f"议题{i}", "", None) for i in range(1, items + 1)],
        actor=world.worker_a,
    )
    a.do_notify_meeting(m, actor=world.worker_a)
    a.do_open_meeting(m, actor=world.worker_a)
    for u in users:
        a.do_sign_in(m, m.signin_token, actor=u)
    return m


def open_poll(world, item):
    poll = a.do_create_poll(item, question="是否同意", actor=world.worker_a)
    return a.do_open_poll(poll, actor=world.worker_a)


def in_threads(fn, tasks, workers=THREADS):
    """Run fn(task) for every task on `workers` threads, each with its own connection, all
    starting together and taking tasks in order. Returns the results (value or exception)
    in task order."""
    tasks = list(tasks)
    results = [None] * len(tasks)
    order = iter(range(len(tasks)))
    take = threading.Lock()
    start = threading.Barrier(workers)

    def work():
        try:
            start.wait(timeout=20)
            while True:
                with take:
                    n = next(order, None)
                if n is None:
                    return
                try:
                    results[n] = fn(tasks[n])
                except Exception as exc:  # noqa: BLE001 - returned and asserted by the caller
                    results[n] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_two_ballots_from_each_of_100_voters_at_once_leave_100(world):
    body, users = assembly_of(world, 100)
    m = meeting_with_all_signed_in(world, body, users)
    poll = open_poll(world, m.items.get())
    # Each voter sends two ballots at once, one right after the other in the task list, so
    # they run on two threads at the same moment. Even voters retry the same request (same
    # idempotency key and choice); odd voters change their mind (another key and choice).
    tasks = []
    for i, u in enumerate(users):
        same = i % 2 == 0
        tasks.append((u, "yes", f"k{i}"))
        tasks.append((u, "yes" if same else "no", f"k{i}" if same else f"k{i}-again"))

    def cast(task):
        user, choice, key = task
        return a.do_cast_ballot(poll, choice, actor=user, idempotency_key=key)

    results = in_threads(cast, tasks)

    ballots = {
        b.membership.user_id: b
        for b in Ballot.objects.filter(poll=poll).select_related("membership")
    }
    assert len(ballots) == 100 == Ballot.objects.filter(poll=poll).count()
    for i, u in enumerate(users):
        first, second = results[2 * i], results[2 * i + 1]
        outcomes = [r for r in (first, second) if isinstance(r, Exception)]
        stored = ballots[u.pk]
        if i % 2 == 0:  # the same request twice: both return the one stored ballot
            assert outcomes == [], outcomes
            assert first.pk == second.pk == stored.pk
        else:  # one is stored, the other is refused as already voted
            assert len(outcomes) == 1 and isinstance(outcomes[0], a.AlreadyVoted), outcomes
            winner = second if isinstance(first, Exception) else first
            assert winner.pk == stored.pk
    a.do_close_poll(poll, actor=world.worker_a)
    poll.refresh_from_db()
    assert poll.yes + poll.no + poll.abstain == 100 and tally.verify(poll)
    assert verify_audit()[1] == []


def test_two_api_ballots_from_each_of_50_voters_at_once_leave_50(world):
    """The same through HTTP: POST /api/v1/polls/{id}/ballots with bearer tokens (50 voters:
    the in-process HTTP stack is slower than the action)."""
    body, users = assembly_of(world, 50)
    m = meeting_with_all_signed_in(world, body, users)
    poll = open_poll(world, m.items.get())
    tokens = {u.pk: do_create_api_token("投票", actor=u) for u in users}
    url = f"/api/v1/polls/{poll.pk}/ballots"
    tasks = []
    for i, u in enumerate(users):
        same = i % 2 == 0
        tasks.append((u, "yes", f"k{i}"))
        tasks.append((u, "yes" if same else "no", f"k{i}" if same else f"k{i}-again"))

    def post(task):
        user, choice, key = task
        response = Client().post(
            url,
            {"choice": choice},
            content_type="application/json",
            headers={"authorization": f"Bearer {tokens[user.pk]}", "idempotency-key": key},
        )
        return response.status_code, response.json()

    results = in_threads(post, tasks)

    assert not [r for r in results if isinstance(r, Exception)]
    stored = dict(Ballot.objects.filter(poll=poll).values_list("membership__user_id", "pk"))
    assert len(stored) == 50 == Ballot.objects.filter(poll=poll).count()
    for i, u in enumerate(users):
        (s1, b1), (s2, b2) = results[2 * i], results[2 * i + 1]
        if i % 2 == 0:  # a retry: the same ballot back
            assert {s1, s2} <= {200, 201} and b1["id"] == b2["id"] == stored[u.pk]
        else:  # one ballot stored, the other answered 409 您已投过票
            assert sorted([s1, s2])[1] == 409 and sorted([s1, s2])[0] in (200, 201)
            assert (b1 if s1 != 409 else b2)["id"] == stored[u.pk]


def test_ballots_racing_the_close_are_counted_exactly(world):
    body, users = assembly_of(world, 50)
    m = meeting_with_all_signed_in(world, body, users, items=5)
    rng = random.Random(2026)
    partial = 0
    for item in m.items.order_by("position"):
        poll = open_poll(world, item)
        choices = [rng.choice(["yes", "no", "abstain"]) for _ in users]
        # The ballots come in a steady stream (24 at a time, spread over the first 40 ms) and
        # the close comes while they do. It waits only for the ballots in flight: the fair
        # lock in polls._lock keeps the stream from holding it off.
        waits = [rng.uniform(0, 0.04) for _ in users]
        close_at = rng.uniform(0.01, 0.03)

        def act(task, poll=poll, close_at=close_at):
            if task == "close":
                time.sleep(close_at)
                return a.do_close_poll(poll, actor=world.worker_a)
            user, choice, wait = task
            time.sleep(wait)
            return a.do_cast_ballot(poll, choice, actor=user)

        tasks = list(zip(users, choices, waits, strict=True))
        tasks.insert(len(tasks) // 3, "close")
        results = in_threads(act, tasks)

        closer = results.pop(len(users) // 3)
        assert not isinstance(closer, Exception), closer
        poll.refresh_from_db()
        assert poll.status == PollStatus.CLOSED
        rows = Ballot.objects.filter(poll=poll).count()
        counted = [r for r in results if isinstance(r, Ballot)]
        refused = [r for r in results if isinstance(r, Exception)]
        for exc in refused:
            assert isinstance(exc, ValidationError) and "已截止" in exc.messages[0], exc
        assert len(counted) + len(refused) == len(users)
        assert rows == len(counted) == poll.yes + poll.no + poll.abstain
        assert {b.pk for b in counted} == set(
            Ballot.objects.filter(poll=poll).values_list("pk", flat=True)
        )
        assert tally.verify(poll)
        partial += 0 < rows < len(users)
    assert verify_audit()[1] == []
    assert partial >= 1, "the close never landed while ballots were coming in"


def test_a_changed_ballot_row_changes_the_recomputed_hash(world):
    body, users = assembly_of(world, 10)
    m = meeting_with_all_signed_in(world, body, users)
    poll = open_poll(world, m.items.get())
    in_threads(lambda u: a.do_cast_ballot(poll, "yes", actor=u), users, workers=5)
    a.do_close_poll(poll, actor=world.worker_a)
    poll.refresh_from_db()
    assert tally.verify(poll) and poll.yes == 10
    last = Ballot.objects.filter(poll=poll).order_by("-id").first()
    Ballot.objects.filter(pk=last.pk).update(choice="no")
    assert not tally.verify(poll)
    Ballot.objects.filter(pk=last.pk).update(choice="yes")  # changed back: verifies again
    assert tally.verify(poll)
    Ballot.objects.filter(pk=last.pk).update(entered_by=world.worker_a)
    assert not tally.verify(poll)
