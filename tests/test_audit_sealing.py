"""Unsealed audit events (online ballots): written without the chain's head, sealed into the
chain in a batch (by the poll's close, or `zizhi audit seal`), checked by the verifier."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from zizhi.audit.log import chain_key, record, seal, verify
from zizhi.audit.models import ChainHead, Event
from zizhi.governance import actions as a

from . import factories as f
from .govworld import gov
from .test_audit import _tamper
from .test_governance_polls import meeting_of, sign_in

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="database triggers are a PostgreSQL feature"
)


def _chain(community):
    return list(Event.objects.filter(chain=chain_key(community)).order_by("seq"))


@pytest.fixture
def open_poll(world):
    g = gov(world, reps=6)
    m = meeting_of(world, g)
    sign_in(m, g.reps)
    poll = a.do_create_poll(m.items.get(), question="是否同意", actor=world.worker_a)
    a.do_open_poll(poll, actor=world.worker_a)
    return g, poll


def test_ballots_are_written_unsealed_and_sealed_by_the_close(world, open_poll):
    g, poll = open_poll
    for u in g.reps[:4]:
        a.do_cast_ballot(poll, "yes", actor=u)
    a.do_enter_assisted_ballot(
        poll, g.seat(g.assembly, g.reps[4]), "no", reason="视力不好", actor=world.worker_a
    )
    ballots = Event.objects.filter(verb="poll.ballot")
    assert ballots.count() == 5
    assert all(e.seq is None and e.hash == "" for e in ballots)
    assert ballots.filter(actor=world.worker_a).get().summary["after"]["reason"] == "视力不好"
    assert verify()[1] == []  # unsealed while the poll is open: fine
    head_before = ChainHead.objects.get(key=chain_key(world.hd)).seq

    a.do_close_poll(poll, actor=world.worker_a)

    chain = _chain(world.hd)
    assert [e.seq for e in chain] == list(range(1, len(chain) + 1))
    verbs = [e.verb for e in chain[head_before:]]
    assert verbs == ["poll.ballot"] * 5 + ["poll.close"]  # the ballots, then the close
    sealed = chain[head_before : head_before + 5]
    assert [e.created_at for e in sealed] == sorted(e.created_at for e in sealed)
    assert all(b.prev_hash == x.hash for x, b in zip(chain, chain[1:], strict=False))
    assert ChainHead.objects.get(key=chain_key(world.hd)).seq == len(chain)
    checked, problems = verify()
    assert problems == [] and checked == Event.objects.count()


def test_a_changed_sealed_ballot_event_is_found(world, open_poll):
    g, poll = open_poll
    for u in g.reps:
        a.do_cast_ballot(poll, "yes", actor=u)
    a.do_close_poll(poll, actor=world.worker_a)
    victim = Event.objects.filter(verb="poll.ballot").order_by("seq")[2]
    _tamper(
        "UPDATE audit_event SET summary = %s WHERE id = %s",
        ['{"after": {"method": "online", "choice": "no"}}', victim.pk],
    )
    _, problems = verify()
    assert [(p.seq, p.event_id) for p in problems] == [(victim.seq, victim.pk)]
    assert "hash" in problems[0].reason


def test_seal_chains_every_community_oldest_first(world):
    r = f.resident(world.hd)
    record(world.worker_a, "test.sealed", r, community=world.hd)
    for i in range(3):
        record(world.worker_a, "test.unsealed", r, community=world.hd, sealed=False, after={"i": i})
    record(world.worker_b, "test.unsealed", None, community=world.xh, sealed=False)
    record(world.worker_a, "test.sealed", None, community=world.hd)  # another object
    assert verify()[1] == []
    assert seal() == 4
    assert seal() == 0
    hd = _chain(world.hd)
    assert [e.verb for e in hd] == ["test.sealed", "test.sealed"] + ["test.unsealed"] * 3
    assert [e.summary["after"]["i"] for e in hd[2:]] == [0, 1, 2]
    assert [e.seq for e in _chain(world.xh)] == [1]
    assert ChainHead.objects.get(key=chain_key(world.xh)).last_hash == _chain(world.xh)[0].hash
    checked, problems = verify()
    assert problems == [] and checked == 6


def test_verify_flags_an_event_left_unsealed_too_long(world, settings):
    record(world.worker_a, "test.unsealed", None, community=world.hd, sealed=False)
    assert verify()[1] == []
    later = timezone.now() + datetime.timedelta(hours=25)
    _, problems = verify(now=later)
    assert len(problems) == 1 and problems[0].seq is None
    assert problems[0].chain == chain_key(world.hd) and "not sealed within" in problems[0].reason
    settings.AUDIT_SEAL_WITHIN = datetime.timedelta(days=7)
    assert verify(now=later)[1] == []
    seal()
    assert verify(now=later + datetime.timedelta(days=30))[1] == []


def test_verify_flags_a_ballot_left_unsealed_after_the_close(world, open_poll):
    """A ballot event written unsealed after the close (as if slipped in past the lock, or
    the close's seal skipped) is reported until it is sealed."""
    g, poll = open_poll
    a.do_cast_ballot(poll, "yes", actor=g.reps[0])
    a.do_close_poll(poll, actor=world.worker_a)
    assert verify()[1] == []
    late = record(g.reps[1], "poll.ballot", poll, community=world.hd, sealed=False)
    _tamper(
        "UPDATE audit_event SET created_at = %s WHERE id = %s",
        [poll.closed_at - datetime.timedelta(seconds=1), late.pk],
    )  # dated before the close: the close should have sealed it
    _, problems = verify()
    assert [(p.chain, p.seq, p.event_id) for p in problems] == [
        (chain_key(world.hd), None, late.pk)
    ]
    assert "after a later event of its object" in problems[0].reason


def test_audit_commands_seal_and_report_unsealed(world, capsys, settings):
    record(world.worker_a, "test.unsealed", None, community=world.hd, sealed=False)
    settings.AUDIT_SEAL_WITHIN = datetime.timedelta(0)
    with pytest.raises(CommandError):
        call_command("audit", "verify", verbosity=0)
    assert "UNSEALED chain community:" in capsys.readouterr().err
    call_command("audit", "seal")
    assert "1 events sealed" in capsys.readouterr().out
    call_command("audit", "verify", verbosity=0)
    assert "OK" in capsys.readouterr().out


@on_postgres
def test_postgres_lets_only_the_sealing_update_through(world):
    record(world.worker_a, "test.sealed", None, community=world.hd)
    unsealed = record(world.worker_a, "test.unsealed", None, community=world.hd, sealed=False)
    sealed = Event.objects.get(verb="test.sealed")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Event.objects.filter(pk=unsealed.pk).update(verb="test.forged")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        # sealing while changing the content is not sealing
        Event.objects.filter(pk=unsealed.pk).update(
            seq=9, prev_hash="a", hash="b", summary={"x": 1}
        )
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Event.objects.filter(pk=sealed.pk).update(seq=7, prev_hash="a", hash="b")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Event.objects.filter(pk=unsealed.pk).delete()
    assert seal() == 1
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Event.objects.filter(pk=unsealed.pk).update(seq=9, prev_hash="a", hash="b")
    assert verify()[1] == []
