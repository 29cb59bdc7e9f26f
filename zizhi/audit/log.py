"""Writing and verifying the hash-chained audit log."""

import hashlib
import json
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from .context import current_ip
from .models import ChainHead, Event

GENESIS = "0" * 64


def chain_key(community=None, subdistrict=None) -> str:
    if community is not None:
        return f"community:{community.pk}"
    if subdistrict is not None:
        return f"subdistrict:{subdistrict.pk}"
    return "global"


def compute_hash(event: Event) -> str:
    body = {
        "chain": event.chain,
        "seq": event.seq,
        "prev": event.prev_hash,
        "at": event.created_at.isoformat(),
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "subdistrict": event.subdistrict_id,
        "community": event.community_id,
        "verb": event.verb,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "summary": event.summary,
        "ip": event.ip,
    }
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _take_seq(key: str) -> tuple[int, str]:
    """Lock the chain's head and take the chain's next number, in one statement; returns
    (seq of the new event, hash of the previous one). The lock is held until commit, so the
    events of one chain are written one after the other."""
    table, qn = ChainHead._meta.db_table, connection.ops.quote_name
    sql = f"UPDATE {table} SET seq = seq + 1 WHERE {qn('key')} = %s RETURNING seq, last_hash"
    with connection.cursor() as cursor:
        cursor.execute(sql, [key])
        row = cursor.fetchone()
        if row is None:  # the chain's first event
            try:
                with transaction.atomic():
                    ChainHead.objects.create(key=key)
            except IntegrityError:
                pass  # another writer created it first
            cursor.execute(sql, [key])
            row = cursor.fetchone()
    return row


def _append(event: Event) -> None:
    """Insert the event and move the chain's head to its hash. On PostgreSQL this is one
    statement (a data-modifying WITH): one round trip less while the head is locked."""
    head = ChainHead._meta.db_table
    if connection.vendor != "postgresql":
        event.save(force_insert=True)
        ChainHead.objects.filter(key=event.chain).update(last_hash=event.hash)
        return
    fields = [f for f in Event._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    values = [f.get_db_prep_save(f.pre_save(event, True), connection) for f in fields]
    sql = (
        f"WITH e AS (INSERT INTO {Event._meta.db_table} ({columns}) "
        f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING id) "
        f'UPDATE {head} SET last_hash = %s WHERE "key" = %s RETURNING (SELECT id FROM e)'
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, event.hash, event.chain])
        event.pk = cursor.fetchone()[0]
    event._state.adding = False


def record(
    actor,
    verb: str,
    obj=None,
    *,
    community=None,
    subdistrict=None,
    before=None,
    after=None,
    extra=None,
    object_type=None,
    ip=None,
) -> Event:
    """Write one audit event in the current transaction; it commits or rolls back with it."""
    if community is not None and subdistrict is None:
        subdistrict_id = community.subdistrict_id
    else:
        subdistrict_id = subdistrict.pk if subdistrict is not None else None
    summary = {}
    if before is not None:
        summary["before"] = before
    if after is not None:
        summary["after"] = after
    if extra:
        summary.update(extra)
    # No savepoint of its own: the event is part of the caller's change and never rolled back
    # alone (an error here fails the whole transaction). That spares two round trips, one of
    # them while the chain head is locked: the lock serialises every event of a chain.
    with transaction.atomic(savepoint=False):
        key = chain_key(community, subdistrict)
        seq, prev_hash = _take_seq(key)
        event = Event(
            chain=key,
            seq=seq,
            created_at=timezone.now(),
            actor=actor if actor is not None and actor.pk else None,
            actor_label=str(actor) if actor is not None else "system",
            subdistrict_id=subdistrict_id,
            community=community,
            verb=verb,
            object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
            object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
            object_repr=str(obj)[:200] if obj is not None else "",
            summary=json.loads(json.dumps(summary, default=str)),
            ip=ip or current_ip.get(),
            prev_hash=prev_hash,
        )
        event.hash = compute_hash(event)
        _append(event)
    return event


@dataclass
class Problem:
    chain: str
    seq: int
    event_id: int | None
    reason: str


def verify(progress=None) -> tuple[int, list[Problem]]:
    """Recompute every chain. Returns (events checked, first problem of each broken chain)."""
    problems: list[Problem] = []
    checked = 0
    heads = {h.key: h for h in ChainHead.objects.all()}
    chains = set(heads) | set(Event.objects.values_list("chain", flat=True).distinct())
    for key in sorted(chains):
        prev, expected_seq, broken = GENESIS, 1, None
        events = Event.objects.filter(chain=key).order_by("seq").iterator(chunk_size=2000)
        for event in events:
            checked += 1
            if progress:
                progress(1)
            if broken:
                continue
            if event.seq != expected_seq:
                broken = Problem(key, expected_seq, None, "missing event (deleted row)")
            elif event.prev_hash != prev:
                broken = Problem(key, event.seq, event.pk, "prev_hash does not match")
            elif compute_hash(event) != event.hash:
                broken = Problem(key, event.seq, event.pk, "content changed (hash mismatch)")
            prev, expected_seq = event.hash, event.seq + 1
        head = heads.get(key)
        if (
            not broken
            and head is not None
            and (head.seq != expected_seq - 1 or head.last_hash != prev)
        ):
            broken = Problem(key, expected_seq, None, "events missing at the end of the chain")
        if broken:
            problems.append(broken)
    return checked, problems
