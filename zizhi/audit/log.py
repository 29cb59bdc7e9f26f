"""Writing and verifying the hash-chained audit log."""

import datetime
import functools
import hashlib
import json
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from .context import current_ip
from .models import ChainHead, Event

GENESIS = "0" * 64
# An unsealed event must be sealed within this time (settings.AUDIT_SEAL_WITHIN overrides):
# a poll's close seals its ballots at once; `zizhi audit seal` (cron) seals the rest.
SEAL_WITHIN = datetime.timedelta(hours=24)


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


def new_event(
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
    """The event of an action, not saved and not sealed yet (no seq, no hashes)."""
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
    return Event(
        chain=chain_key(community, subdistrict),
        seq=None,
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
        prev_hash="",
        hash="",
    )


def record(actor, verb: str, obj=None, *, sealed=True, **kwargs) -> Event:
    """Write one audit event in the current transaction; it commits or rolls back with it.

    sealed=False writes the event without taking the chain's head (no queue behind other
    writers of the community); it is chained later by seal(). For very frequent events only
    (online ballots). The rule that goes with it: before a sealed event of the same object is
    written, seal() the chain under a lock that keeps new unsealed events of the object out
    (a poll's close does this); verify() reports an unsealed event followed by a sealed event
    of its object, and one older than SEAL_WITHIN."""
    event = new_event(actor, verb, obj, **kwargs)
    if not sealed:
        event.save(force_insert=True)
        return event
    # No savepoint of its own: the event is part of the caller's change and never rolled back
    # alone (an error here fails the whole transaction). That spares two round trips, one of
    # them while the chain head is locked: the lock serialises every event of a chain.
    with transaction.atomic(savepoint=False):
        event.seq, event.prev_hash = _take_seq(event.chain)
        event.hash = compute_hash(event)
        _append(event)
    return event


@functools.cache
def _event_columns() -> tuple[list, str]:
    fields = [f for f in Event._meta.concrete_fields if not f.primary_key]
    return fields, ", ".join(connection.ops.quote_name(f.column) for f in fields)


def unsealed_insert_sql(event: Event, source: str) -> tuple[str, list]:
    """PostgreSQL: `INSERT INTO audit_event (...) SELECT <the event> FROM <source>` and its
    parameters, to write the unsealed event in the same statement as the change it records
    (a data-modifying WITH whose `source` holds a row only when the change was made)."""
    fields, columns = _event_columns()
    values = [f.get_db_prep_save(f.pre_save(event, True), connection) for f in fields]
    sql = (
        f"INSERT INTO {Event._meta.db_table} ({columns}) "
        f"SELECT {', '.join(['%s'] * len(fields))} FROM {source}"
    )
    return sql, values


def _lock_head(key: str) -> ChainHead:
    """Lock the chain's head (made if missing) until commit; returns it."""
    head = ChainHead.objects.select_for_update().filter(key=key).first()
    if head is None:
        try:
            with transaction.atomic():
                ChainHead.objects.create(key=key)
        except IntegrityError:
            pass  # another writer created it first
        head = ChainHead.objects.select_for_update().get(key=key)
    return head


def seal(key: str | None = None) -> int:
    """Seal the unsealed events of one chain (or of every chain) into it, oldest first, under
    the chain's head lock; returns how many. Runs in the caller's transaction if there is one
    (a poll's close seals its community's chain before it records the close)."""
    if key is None:
        unsealed = Event.objects.filter(seq__isnull=True)
        keys = sorted(set(unsealed.values_list("chain", flat=True)))
    else:
        keys = [key]
    sealed = 0
    for k in keys:
        with transaction.atomic(savepoint=False):
            events = Event.objects.filter(chain=k, seq__isnull=True)
            if key is not None and not events.exists():
                continue  # nothing to seal: do not take the head
            head = _lock_head(k)
            # read after the lock: a sealer that ran meanwhile has sealed what it saw
            events = list(events.order_by("created_at", "id"))
            seq, prev = head.seq, head.last_hash
            for event in events:
                seq += 1
                event.seq, event.prev_hash = seq, prev
                event.hash = prev = compute_hash(event)
            if events:
                Event.objects.bulk_update(events, ["seq", "prev_hash", "hash"], batch_size=500)
                ChainHead.objects.filter(key=k).update(seq=seq, last_hash=prev)
            sealed += len(events)
    return sealed


@dataclass
class Problem:
    chain: str
    seq: int | None  # None: an unsealed event
    event_id: int | None
    reason: str


def verify(progress=None, now=None) -> tuple[int, list[Problem]]:
    """Recompute every chain. Returns (events checked, problems): the first problem of each
    broken chain, and per chain the first event left unsealed too long (see record)."""
    problems: list[Problem] = []
    checked = 0
    heads = {h.key: h for h in ChainHead.objects.all()}
    sealed = Event.objects.filter(seq__isnull=False)
    chains = set(heads) | set(sealed.values_list("chain", flat=True).distinct())
    for key in sorted(chains):
        prev, expected_seq, broken = GENESIS, 1, None
        events = sealed.filter(chain=key).order_by("seq").iterator(chunk_size=2000)
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
    n, late = _unsealed_problems(now or timezone.now())
    if progress and n:
        progress(n)
    return checked + n, problems + late


def _unsealed_problems(now) -> tuple[int, list[Problem]]:
    """Unsealed events that should have been sealed: older than SEAL_WITHIN, or followed by
    a sealed event of the same object (e.g. the poll's close, which seals before it records).
    Returns (unsealed events, the first such event of each chain)."""
    seal_within = getattr(settings, "AUDIT_SEAL_WITHIN", SEAL_WITHIN)
    unsealed = Event.objects.filter(seq__isnull=True)
    later = Event.objects.filter(
        seq__isnull=False,
        chain=OuterRef("chain"),
        object_type=OuterRef("object_type"),
        object_id=OuterRef("object_id"),
        created_at__gt=OuterRef("created_at"),
    )
    rows = (
        unsealed.annotate(followed=Exists(later))
        .filter(Q(followed=True) | Q(created_at__lt=now - seal_within))
        .order_by("chain", "created_at", "id")
        .values_list("chain", "id", "followed", "created_at")
    )
    problems: dict[str, Problem] = {}
    for chain, pk, followed, created_at in rows:
        if chain not in problems:
            reason = (
                "left unsealed after a later event of its object"
                if followed
                else f"not sealed within {seal_within} (written {created_at:%Y-%m-%d %H:%M}; "
                "`zizhi audit seal` seals it)"
            )
            problems[chain] = Problem(chain, None, pk, reason)
    return unsealed.count(), list(problems.values())
