"""Writing and verifying the hash-chained audit log."""

import hashlib
import json
from dataclasses import dataclass

from django.db import IntegrityError, transaction
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


def _lock_head(key: str) -> ChainHead:
    try:
        return ChainHead.objects.select_for_update().get(key=key)
    except ChainHead.DoesNotExist:
        try:
            with transaction.atomic():
                ChainHead.objects.create(key=key)
        except IntegrityError:
            pass  # another writer created it first
        return ChainHead.objects.select_for_update().get(key=key)


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
        head = _lock_head(chain_key(community, subdistrict))
        event = Event(
            chain=head.key,
            seq=head.seq + 1,
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
            prev_hash=head.last_hash,
        )
        event.hash = compute_hash(event)
        event.save()
        head.seq = event.seq
        head.last_hash = event.hash
        head.save(update_fields=["seq", "last_hash"])
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
