"""The ledger's one statement on PostgreSQL (actions/ledger._post) against its ORM path: the
same request writes the same entry, postings, balances and audit event either way, a refusal
says the same and writes nothing, and a repeated key gets the earlier entry. Transactional
tests: the statement runs as its own transaction (the deferred balance check fires at its
commit), as in a request outside any atomic block; one test runs it inside one (a savepoint)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from zizhi.audit.models import Event
from zizhi.moralbank.actions import accounts as acc
from zizhi.moralbank.actions import flows, ledger
from zizhi.moralbank.actions.ledger import Line, post_pending, record_entry
from zizhi.moralbank.models import Account, BankRules, Entry, EntryStatus, Posting
from zizhi.moralbank.reconcile import reconcile

from . import factories as f
from .bank_rows import bank, service_record

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the one statement is PostgreSQL's"
    ),
    pytest.mark.django_db(transaction=True),
]

PATHS = {"orm": False, "one statement": True}
# what differs between two writes of the same request
VOLATILE = {"id", "idempotency_key", "created_at", "decided_at", "service_record_id"}


def fields(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def balances() -> dict:
    return dict(Account.objects.values_list("pk", "balance"))


def book() -> tuple:
    """Everything a refused request must leave as it was."""
    return balances(), Entry.objects.count(), Posting.objects.count(), Event.objects.count()


def written(entry: Entry, before: dict, label) -> dict:
    """What the entry wrote (accounts named by `label`), after checking that the returned
    entry is the stored one and that its events name it."""
    stored = Entry.objects.get(pk=entry.pk)
    assert fields(entry) == fields(stored)
    events = []
    for event in Event.objects.filter(object_type="moralbank.entry", object_id=str(entry.pk)):
        assert event.object_repr == stored.number
        assert (event.seq, event.prev_hash, event.hash) == (None, "", "")  # unsealed
        facts = fields(event)
        for name in ("id", "created_at", "object_id", "object_repr"):
            facts.pop(name)
        facts["summary"]["after"]["lines"] = [
            [label(a), m] for a, m in facts["summary"]["after"]["lines"]
        ]
        events.append(facts)
    facts = {k: v for k, v in fields(stored).items() if k not in VOLATILE}
    facts["proposed"] = [[label(a), m] for a, m in stored.proposed]
    return {
        "entry": facts,
        "postings": [(label(a), m) for a, m in stored.postings.values_list("account", "minutes")],
        "moved": {label(pk): b - before[pk] for pk, b in balances().items() if b != before[pk]},
        "events": sorted(events, key=lambda e: e["verb"]),
    }


def both_ways(monkeypatch, write, label=lambda pk: pk) -> tuple[list[dict], list[str]]:
    """write(path) through each path in turn: what each wrote, and the SQL of the second (the
    one statement's path)."""
    out = []
    for path, one_statement in PATHS.items():
        monkeypatch.setattr(ledger, "ONE_STATEMENT", one_statement)
        before = balances()
        with CaptureQueriesContext(connection) as queries:
            entry = write(path)
        out.append(written(entry, before, label))
    return out, [q["sql"] for q in queries]


def one_statement_posted(sql: list[str]) -> bool:
    """The one statement ran, and the ORM wrote no posting."""
    return sum(q.lstrip().startswith("WITH lines AS") for q in sql) == 1 and not any(
        'INSERT INTO "moralbank_posting"' in q for q in sql
    )


def test_a_posted_entry_is_written_alike_both_ways(world, monkeypatch):
    b = bank(world)
    pool = acc.pool_of(world.hd)
    lines = [Line(b.issuing, -90), Line(b.depositor, 60), Line(pool, 40), Line(b.depositor, -10)]

    def write(path):
        entry = record_entry(
            "adjustment", lines, actor=world.worker_a, community=world.hd, key=path, memo="调整"
        )
        assert entry.created_now and entry.status == EntryStatus.POSTED
        return entry

    (orm, one), sql = both_ways(monkeypatch, write)
    assert orm == one and len(sql) == 1 and one_statement_posted(sql)
    assert one["moved"] == {b.issuing.pk: -90, b.depositor.pk: 50, pool.pk: 40}
    assert [m for _a, m in one["postings"]] == [-90, 60, 40, -10]  # in the order of the lines
    assert reconcile().ok


def test_an_approved_credit_is_posted_alike_both_ways(world, monkeypatch):
    """post_pending, with the credit split at the cap (the rest to the pool)."""
    b = bank(world)
    BankRules.objects.create(community=world.hd, personal_cap_minutes=100)
    pool = acc.pool_of(world.hd)
    depositors = {path: f.resident(world.hd, name=f"储户{path}") for path in PATHS}
    names = {b.issuing.pk: "issuing", pool.pk: "pool"}
    for resident in depositors.values():
        names[acc.do_open_account(resident, actor=world.worker_a).pk] = "depositor"

    def approve(path):
        record = service_record(world, depositors[path], 150)
        entry = flows.do_request_credit(record, b.branch, actor=world.worker_a)
        return flows.do_approve_credit(entry, actor=b.clerk)

    (orm, one), sql = both_ways(monkeypatch, approve, label=names.get)
    for wrote in (orm, one):  # the depositors differ, and so what each request asked
        wrote["entry"].pop("request_hash")
    assert orm == one and one_statement_posted(sql)
    assert one["moved"] == {"issuing": -150, "depositor": 100, "pool": 50}
    assert [e["verb"] for e in one["events"]] == ["moralbank.post", "moralbank.service_credit"]
    assert reconcile().ok


def test_a_refusal_says_the_same_both_ways_and_writes_nothing(world, monkeypatch):
    b = bank(world)
    BankRules.objects.create(community=world.hd, personal_cap_minutes=100)
    pool = acc.pool_of(world.hd)
    sister = acc.do_open_account(
        f.resident(world.hd, name="李妹", hh=world.resident_a.resident.household),
        actor=world.worker_a,
    )
    for account, minutes in ((b.depositor, 60), (sister, 100)):
        record_entry(
            "adjustment",
            [Line(b.issuing, -minutes), Line(account, minutes)],
            actor=world.worker_a,
            community=world.hd,
            key=f"fund-{account.pk}",
            memo="开户",
        )
    waiting, decided = (
        flows.do_request_credit(
            service_record(world, world.resident_a.resident, 30), b.branch, actor=world.worker_a
        )
        for _ in range(2)
    )
    post_pending(decided, actor=b.clerk, lines=[Line(b.issuing, -30), Line(pool, 30)])
    decided.status = EntryStatus.PENDING  # a stale copy: only the database knows it is posted
    to_sister = [Line(b.issuing, -30), Line(sister, 30)]
    requests = [
        (
            "余额不足",
            lambda key: record_entry(
                "gift",
                [Line(b.depositor, -61), Line(sister, 61)],
                actor=world.resident_a,
                community=world.hd,
                key=key,
                memo="转赠",
            ),
        ),
        (
            "超过个人上限",
            lambda key: record_entry(
                "adjustment",
                [Line(b.issuing, -5), Line(sister, 5)],
                actor=world.worker_a,
                community=world.hd,
                key=key,
                memo="调整",
            ),
        ),
        ("超过个人上限", lambda key: post_pending(waiting, actor=b.clerk, lines=to_sister)),
        ("不能再入账", lambda key: post_pending(decided, actor=b.clerk, lines=to_sister)),
    ]
    for expected, request in requests:
        said = []
        for path, one_statement in PATHS.items():
            monkeypatch.setattr(ledger, "ONE_STATEMENT", one_statement)
            before = book()
            with pytest.raises(ValidationError) as refused:
                request(f"{expected}-{path}")
            assert book() == before, (expected, path)
            said.append(refused.value.messages)
        assert said[0] == said[1] and expected in said[0][0], said
    assert Entry.objects.get(pk=waiting.pk).status == EntryStatus.PENDING
    assert reconcile().ok


def test_a_repeated_key_gets_the_earlier_entry_whatever_the_balance_now(world):
    b = bank(world)
    pool = acc.pool_of(world.hd)
    record_entry(
        "adjustment",
        [Line(b.issuing, -60), Line(b.depositor, 60)],
        actor=world.worker_a,
        community=world.hd,
        key="fund",
        memo="开户",
    )
    first = flows.do_donate(b.depositor, 60, actor=world.resident_a, key="all")
    again = flows.do_donate(b.depositor, 60, actor=world.resident_a, key="all")  # balance 0 now
    assert again.pk == first.pk and not getattr(again, "created_now", False)
    with pytest.raises(ValidationError, match="已用于另一笔"):
        flows.do_donate(b.depositor, 59, actor=world.resident_a, key="all")
    assert Account.objects.get(pk=pool.pk).balance == 60 and Entry.objects.count() == 2


def test_inside_a_transaction_a_refusal_leaves_it_usable(world):
    """In the caller's transaction the statement runs in a savepoint: a refusal (a limit, or a
    constraint: the entry reversed already) and the caller goes on."""
    b = bank(world)
    with transaction.atomic():
        entry = record_entry(
            "adjustment",
            [Line(b.issuing, -40), Line(b.depositor, 40)],
            actor=world.worker_a,
            community=world.hd,
            key="fund",
            memo="开户",
        )
        with pytest.raises(ValidationError, match="余额不足"):
            flows.do_donate(b.depositor, 41, actor=world.resident_a, key="too-much")
        flows.do_reverse(entry, actor=world.worker_a, reason="误记")
        with pytest.raises(ValidationError, match="已经冲正"):  # the unique reversal
            record_entry(
                "reversal",
                [Line(b.issuing, 40), Line(b.depositor, -40)],
                actor=world.worker_a,
                community=world.hd,
                key="again",
                memo="冲正",
                reverses=entry,
            )
        record_entry(
            "adjustment",
            [Line(b.issuing, -10), Line(b.depositor, 10)],
            actor=world.worker_a,
            community=world.hd,
            key="after",
            memo="调整",
        )
    assert Entry.objects.count() == 3 and Account.objects.get(pk=b.depositor.pk).balance == 10
    assert reconcile().ok


def test_the_event_names_an_entry_past_a_billion(world):
    """Entry.number as the statement writes it into the event, past nine digits."""
    b = bank(world)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence('moralbank_entry', 'id')")
        sequence = cursor.fetchone()[0]
        cursor.execute(f"SELECT last_value FROM {sequence}")
        last = cursor.fetchone()[0]
        cursor.execute("SELECT setval(%s, 999999999)", [sequence])
    try:
        entry = record_entry(
            "adjustment",
            [Line(b.issuing, -5), Line(b.depositor, 5)],
            actor=world.worker_a,
            community=world.hd,
            key="big",
            memo="调整",
        )
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT setval(%s, %s)", [sequence, last])
    event = Event.objects.get(object_type="moralbank.entry", object_id=str(entry.pk))
    assert entry.pk == 1_000_000_000 and event.object_repr == entry.number == "J1000000000"
