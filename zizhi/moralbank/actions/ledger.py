"""The ledger's core: write a balanced journal entry, once per idempotency key.

Every entry of the bank goes through record_entry() (posted at once, or pending for approval)
and post_pending(). They check what the database checks again on PostgreSQL (lines sum to zero,
none is zero; balances within their limits), lock the accounts in id order inside the
transaction (two transfers A->B and B->A never deadlock), write the postings and move the
cached balances in the same transaction, and write an audit event.
"""

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import BigIntegerField, Case, F, OuterRef, Subquery, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from zizhi.audit.log import record

from ..models import (
    DEFAULT_PERSONAL_CAP_HOURS,
    MAY_BE_NEGATIVE,
    Account,
    AccountKind,
    BankRules,
    Entry,
    EntryStatus,
    Posting,
)

MAX_KEY = 80
DEFAULT_CAP = DEFAULT_PERSONAL_CAP_HOURS * 60


def refuse(message) -> None:
    raise ValidationError(message)


@dataclass(frozen=True)
class Line:
    account: Account
    minutes: int


def fingerprint(kind: str, lines: list[Line], **facts) -> str:
    """What a request asks for, so that a reused idempotency key with another body is refused."""
    body = {
        "kind": kind,
        "lines": sorted([line.account.pk, line.minutes] for line in lines),
        **{k: v for k, v in sorted(facts.items())},
    }
    return hashlib.sha256(json.dumps(body, default=str).encode()).hexdigest()


def check_lines(lines: list[Line]) -> None:
    if len(lines) < 2:
        refuse(_("一笔记账至少要有两个账户"))
    if any(not isinstance(line.minutes, int) or line.minutes == 0 for line in lines):
        refuse(_("每一行的分钟数都不能为零"))
    if sum(line.minutes for line in lines) != 0:
        refuse(_("借贷不平衡：各行分钟数之和必须为零"))


def _earlier(key: str, request_hash: str) -> Entry | None:
    """The entry written earlier with this key: the same request gets it back, another is
    refused."""
    entry = Entry.objects.filter(idempotency_key=key).first()
    if entry is not None and entry.request_hash != request_hash:
        refuse(_("这个请求编号（Idempotency-Key）已用于另一笔不同的记账"))
    return entry


def record_entry(
    kind: str,
    lines: list[Line],
    *,
    actor,
    community,
    key: str,
    memo: str,
    status: str = EntryStatus.POSTED,
    request_hash: str | None = None,
    **fields,
) -> Entry:
    """Write a journal entry, posted now or pending approval. A repeated key returns the
    first entry and writes nothing; the same key with another request is refused."""
    key = (key or "").strip()
    if not key or len(key) > MAX_KEY:
        refuse(_("请求编号（Idempotency-Key）不能为空，也不能超过%(n)s个字符") % {"n": MAX_KEY})
    check_lines(lines)
    request_hash = request_hash or fingerprint(kind, lines, memo=memo)
    # No lookup first: the usual request is new, and a repeated key fails the unique
    # constraint below (after waiting for a concurrent first request to commit).
    try:
        with transaction.atomic():
            entry = Entry.objects.create(
                community=community,
                kind=kind,
                status=status,
                idempotency_key=key,
                request_hash=request_hash,
                memo=memo[:200],
                proposed=[[line.account.pk, line.minutes] for line in lines],
                created_by=actor,
                decided_at=timezone.now() if status == EntryStatus.POSTED else None,
                **fields,
            )
            entry.created_now = True  # not an earlier entry returned for the same key
            if status == EntryStatus.POSTED:
                _write_postings(entry, lines)
            record(
                actor,
                f"moralbank.{kind}",
                entry,
                sealed=False,  # frequent: sealed into the chain by `zizhi audit seal`
                community=community,
                after={"status": status, "lines": entry.proposed, "memo": entry.memo},
            )
    except IntegrityError:
        # the same key committed by a concurrent request meanwhile: its entry is the answer
        earlier = _earlier(key, request_hash)
        if earlier is None:  # another constraint: the record credited or the entry reversed
            refuse(_("与已有记账冲突：这笔服务可能已经存入，或这笔记账已经冲正"))
        return earlier
    return entry


def post_pending(entry: Entry, *, actor, lines: list[Line] | None = None) -> Entry:
    """Post a pending entry (its proposed lines, or `lines` decided at posting time, e.g. a
    credit split at the personal cap). The caller has checked who may approve."""
    with transaction.atomic():
        locked = Entry.objects.select_for_update().get(pk=entry.pk)
        if locked.status != EntryStatus.PENDING:
            refuse(_("这笔记账已处理，不能再入账"))
        if lines is None:
            accounts = Account.objects.in_bulk([a for a, _m in locked.proposed])
            lines = [Line(accounts[a], m) for a, m in locked.proposed]
        check_lines(lines)
        _write_postings(locked, lines)
        locked.status = EntryStatus.POSTED
        locked.approved_by = actor
        locked.decided_at = timezone.now()
        locked.proposed = [[line.account.pk, line.minutes] for line in lines]
        locked.save(update_fields=["status", "approved_by", "decided_at", "proposed"])
        record(
            actor,
            "moralbank.post",
            locked,
            sealed=False,
            community=locked.community,
            after={"status": locked.status, "lines": locked.proposed},
        )
    return locked


def decide_not_to_post(entry: Entry, *, actor, status: str, reason: str) -> Entry:
    """Reject (by an approver) or cancel (by its maker) a pending entry; nothing is posted."""
    if not reason.strip():
        refuse(_("请写明原因"))
    with transaction.atomic():
        locked = Entry.objects.select_for_update().get(pk=entry.pk)
        if locked.status != EntryStatus.PENDING:
            refuse(_("这笔记账已处理"))
        locked.status = status
        locked.reason = reason.strip()[:500]
        locked.approved_by = actor if status == EntryStatus.REJECTED else None
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "reason", "approved_by", "decided_at"])
        record(
            actor,
            f"moralbank.{status}",
            locked,
            community=locked.community,
            after={"status": status, "reason": locked.reason},
        )
    return locked


def lock_accounts(ids) -> dict[int, Account]:
    """Lock the accounts in id order (so two entries never wait on each other in a circle)
    and return them with their balances as committed, each with `cap`: its community's
    personal cap (one query for all)."""
    caps = BankRules.objects.filter(community_id=OuterRef("community_id"))
    rows = (
        Account.objects.select_for_update(of=("self",))
        .filter(pk__in=sorted(set(ids)))
        .annotate(cap=Subquery(caps.values("personal_cap_minutes")[:1]))
        .order_by("pk")
    )
    return {a.pk: a for a in rows}


def _write_postings(entry: Entry, lines: list[Line]) -> None:
    delta: dict[int, int] = defaultdict(int)
    for line in lines:
        delta[line.account.pk] += line.minutes
    accounts = lock_accounts(delta)
    for pk, change in delta.items():
        account = accounts[pk]
        new = account.balance + change
        if new < 0 and account.kind not in MAY_BE_NEGATIVE:
            refuse(
                _("账户%(a)s余额不足：现有%(b)s，需要%(n)s")
                % {"a": account.number, "b": hours(account.balance), "n": hours(-change)}
            )
        cap = account.cap if account.cap is not None else DEFAULT_CAP
        if account.kind == AccountKind.PERSONAL and change > 0 and new > cap:
            refuse(_("账户%(a)s将超过个人上限%(c)s") % {"a": account.number, "c": hours(cap)})
    Posting.objects.bulk_create(
        Posting(entry=entry, account_id=line.account.pk, minutes=line.minutes) for line in lines
    )
    moved = {pk: change for pk, change in delta.items() if change}
    if moved:  # every cached balance in one statement
        Account.objects.filter(pk__in=moved).update(
            balance=F("balance")
            + Case(
                *(When(pk=pk, then=Value(change)) for pk, change in moved.items()),
                output_field=BigIntegerField(),
            )
        )
        for pk, change in moved.items():
            accounts[pk].balance += change


def hours(minutes: int) -> str:
    """'12小时30分' for people; the book itself is in minutes."""
    sign = "-" if minutes < 0 else ""
    h, m = divmod(abs(int(minutes)), 60)
    if not m:
        return _("%(s)s%(h)s小时") % {"s": sign, "h": h}
    if not h:
        return _("%(s)s%(m)s分钟") % {"s": sign, "m": m}
    return _("%(s)s%(h)s小时%(m)s分") % {"s": sign, "h": h, "m": m}
