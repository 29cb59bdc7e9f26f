"""The ledger's core: write a balanced journal entry, once per idempotency key.

Every entry of the bank goes through record_entry() (posted at once, or pending for approval)
and post_pending(). They check what the database checks again on PostgreSQL (lines sum to zero,
none is zero; balances within their limits), lock the accounts in id order inside the
transaction (two transfers A->B and B->A never deadlock), write the postings and move the
cached balances in the same transaction, and write an audit event.

On PostgreSQL, posting is one statement (_POST_PG, prepared by psycopg: accounts.rows.fetchone)
that does all of that, or writes nothing if anything is in the way: then the ORM path, the
only one on SQLite, gives the answer (the earlier entry of a repeated key, or the refusal).
"""

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import BigIntegerField, Case, F, OuterRef, Subquery, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from zizhi.accounts import rows
from zizhi.audit.log import new_event, record, unsealed_insert_sql
from zizhi.audit.models import Event

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
# PostgreSQL posts in one statement (False: through the ORM, as on SQLite; the tests compare)
ONE_STATEMENT = True


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


def _unbalanced(lines: list[Line]) -> str | None:
    """What is wrong with the lines, if anything."""
    if len(lines) < 2:
        return _("一笔记账至少要有两个账户")
    if any(not isinstance(line.minutes, int) or line.minutes == 0 for line in lines):
        return _("每一行的分钟数都不能为零")
    if sum(line.minutes for line in lines) != 0:
        return _("借贷不平衡：各行分钟数之和必须为零")
    return None


def check_lines(lines: list[Line]) -> None:
    problem = _unbalanced(lines)
    if problem:
        refuse(problem)


def _earlier(key: str, request_hash: str) -> Entry | None:
    """The entry written earlier with this key: the same request gets it back, another is
    refused."""
    entry = Entry.objects.filter(idempotency_key=key).first()
    if entry is not None and entry.request_hash != request_hash:
        refuse(_("这个请求编号（Idempotency-Key）已用于另一笔不同的记账"))
    return entry


def _one_statement() -> bool:
    return ONE_STATEMENT and connection.vendor == "postgresql"


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
    entry = Entry(
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
    verb = f"moralbank.{kind}"
    after = {"status": status, "lines": entry.proposed, "memo": entry.memo}
    # No lookup first: the usual request is new, and a repeated key fails the unique
    # constraint below (after waiting for a concurrent first request to commit).
    try:
        at_once = status == EntryStatus.POSTED and _one_statement()
        if not (at_once and _post(entry, lines, _event(actor, verb, community, after))):
            # the ORM path; on PostgreSQL, the answer when the one statement wrote nothing
            with transaction.atomic():
                entry.save(force_insert=True)
                if status == EntryStatus.POSTED:
                    _write_postings(entry, lines)
                # frequent: sealed into the chain by `zizhi audit seal`
                record(actor, verb, entry, sealed=False, community=community, after=after)
    except IntegrityError:
        # the same key committed by a concurrent request meanwhile: its entry is the answer
        earlier = _earlier(key, request_hash)
        if earlier is None:  # another constraint: the record credited or the entry reversed
            refuse(_("与已有记账冲突：这笔服务可能已经存入，或这笔记账已经冲正"))
        return earlier
    entry.created_now = True  # not an earlier entry returned for the same key
    return entry


def _proposed_lines(proposed) -> list[Line]:
    accounts = Account.objects.in_bulk([a for a, _m in proposed])
    return [Line(accounts[a], m) for a, m in proposed]


_POSTED_FIELDS = ["status", "approved_by", "decided_at", "proposed"]


def post_pending(entry: Entry, *, actor, lines: list[Line] | None = None) -> Entry:
    """Post a pending entry (its proposed lines, or `lines` decided at posting time, e.g. a
    credit split at the personal cap). The caller has checked who may approve."""
    posted = _one_statement() and _post_pending_at_once(entry, actor, lines)
    if posted:
        return posted
    # the ORM path; on PostgreSQL, the answer when the one statement wrote nothing
    with transaction.atomic():
        locked = Entry.objects.select_for_update().get(pk=entry.pk)
        if locked.status != EntryStatus.PENDING:
            refuse(_("这笔记账已处理，不能再入账"))
        if lines is None:
            lines = _proposed_lines(locked.proposed)
        check_lines(lines)
        _write_postings(locked, lines)
        locked.status = EntryStatus.POSTED
        locked.approved_by = actor
        locked.decided_at = timezone.now()
        locked.proposed = [[line.account.pk, line.minutes] for line in lines]
        locked.save(update_fields=_POSTED_FIELDS)
        record(
            actor,
            "moralbank.post",
            locked,
            sealed=False,
            community=locked.community,
            after={"status": locked.status, "lines": locked.proposed},
        )
    return locked


def _post_pending_at_once(entry: Entry, actor, lines: list[Line] | None) -> Entry | None:
    """PostgreSQL: post_pending in one statement (_post); None if anything is in the way."""
    if entry.status != EntryStatus.PENDING:
        return None
    lines = lines if lines is not None else _proposed_lines(entry.proposed)
    if _unbalanced(lines):
        return None
    proposed = [[line.account.pk, line.minutes] for line in lines]
    after = {"status": EntryStatus.POSTED, "lines": proposed}
    event = _event(actor, "moralbank.post", entry.community, after)
    changes = (EntryStatus.POSTED, getattr(actor, "pk", None), timezone.now(), proposed)
    return _post(entry, lines, event, changes=changes)


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


# PostgreSQL: one statement posts an entry. It locks the accounts in id order (ORDER BY comes
# before FOR UPDATE) and reads their balances as committed; if every account stays within its
# limits (as _write_postings checks them), it writes the entry ({entry}: a new one, unless its
# key is taken; or the pending one posted, unless no longer pending), the postings in the
# order of the lines, the cached balances and the unsealed audit event ({event}), and returns
# what {entry} returns; otherwise it writes and returns nothing.
# A balance is set to the locked one plus the change, not `balance + change`: after waiting
# for a lock, the UPDATE of the same statement may compute from the row as of the statement's
# snapshot (a concurrent transfer lost; seen under load, caught by the balance constraint).
_POST_PG = """
WITH lines AS (
    SELECT * FROM unnest(%s::bigint[], %s::bigint[]) WITH ORDINALITY AS l(account_id, minutes, n)
), delta AS (
    SELECT account_id, sum(minutes) AS change FROM lines GROUP BY account_id
), locked AS MATERIALIZED (
    SELECT a.id, a.kind, a.balance, COALESCE(r.personal_cap_minutes, %s::bigint) AS cap
    FROM {account} a LEFT JOIN {rules} r ON r.community_id = a.community_id
    WHERE a.id IN (SELECT account_id FROM delta) ORDER BY a.id FOR UPDATE OF a
), checked AS (
    SELECT (SELECT count(*) FROM locked) = (SELECT count(*) FROM delta) AND NOT EXISTS (
        SELECT FROM locked l JOIN delta d ON d.account_id = l.id
        WHERE l.balance + d.change < 0 AND l.kind <> ALL(%s::text[])
            OR l.kind = %s AND d.change > 0 AND l.balance + d.change > l.cap
    ) AS ok
), e AS ({entry}
), p AS (
    INSERT INTO {posting} (entry_id, account_id, minutes)
    SELECT e.id, l.account_id, l.minutes FROM e, lines l ORDER BY l.n
), b AS (
    UPDATE {account} a SET balance = l.balance + d.change FROM e, delta d, locked l
    WHERE a.id = d.account_id AND l.id = a.id AND d.change <> 0
), v AS ({event})
SELECT * FROM e
"""
_NEW_ENTRY = (
    "INSERT INTO {table} ({columns}) SELECT {values} FROM checked WHERE ok "
    "ON CONFLICT (idempotency_key) DO NOTHING RETURNING id"
)
_POSTED_ENTRY = (
    "UPDATE {table} SET {changes} FROM checked WHERE ok AND {table}.id = %s AND status = %s "
    "RETURNING {returning}"
)
# The audit event names the entry by the id the statement gives it (Entry.number in SQL).
_NAMED = {
    "object_id": "e.id::text",
    "object_repr": "'J' || lpad(e.id::text, greatest(9, length(e.id::text)), '0')",
}


def _event(actor, verb: str, community, after: dict) -> Event:
    """The audit event of an entry posted by _POST_PG (which names the entry)."""
    return new_event(
        actor, verb, None, object_type=Entry._meta.label_lower, community=community, after=after
    )


def _event_sql(event: Event) -> tuple[str, list]:
    """unsealed_insert_sql(event, "e") with the object named from e.id (_NAMED)."""
    sql, values = unsealed_insert_sql(event, "e")
    names = [f.attname for f in Event._meta.concrete_fields if not f.primary_key]
    pieces = sql.split("%s")
    placeholders = [_NAMED.get(name, "%s") for name in names]
    sql = pieces[0] + "".join(p + s for p, s in zip(placeholders, pieces[1:], strict=True))
    return sql, [v for name, v in zip(names, values, strict=True) if name not in _NAMED]


def _db_values(fields, values) -> list:
    """The values as the ORM saves them."""
    return [f.get_db_prep_save(v, connection) for f, v in zip(fields, values, strict=True)]


def _post(entry: Entry, lines: list[Line], event: Event, *, changes=None) -> Entry | None:
    """PostgreSQL: post the entry in one statement (_POST_PG): the new `entry` (its pk set),
    or with `changes` (values of _POSTED_FIELDS) the pending `entry` (returned as posted).
    None if the statement wrote nothing."""
    qn, meta = connection.ops.quote_name, Entry._meta
    if changes is None:
        fields = [f for f in meta.concrete_fields if not f.primary_key]
        entry_sql = _NEW_ENTRY.format(
            table=meta.db_table,
            columns=", ".join(qn(f.column) for f in fields),
            values=", ".join(["%s"] * len(fields)),
        )
        entry_params = _db_values(fields, [f.pre_save(entry, True) for f in fields])
    else:
        fields = [meta.get_field(name) for name in _POSTED_FIELDS]
        entry_sql = _POSTED_ENTRY.format(
            table=meta.db_table,
            changes=", ".join(f"{qn(f.column)} = %s" for f in fields),
            returning=rows.columns(Entry, meta.db_table),
        )
        entry_params = [*_db_values(fields, changes), entry.pk, EntryStatus.PENDING]
    event_sql, event_params = _event_sql(event)
    sql = _POST_PG.format(
        account=Account._meta.db_table,
        rules=BankRules._meta.db_table,
        posting=Posting._meta.db_table,
        entry=entry_sql,
        event=event_sql,
    )
    params = [
        [line.account.pk for line in lines],
        [line.minutes for line in lines],
        DEFAULT_CAP,
        [str(kind) for kind in MAY_BE_NEGATIVE],
        str(AccountKind.PERSONAL),
        *entry_params,
        *event_params,
    ]
    if connection.in_atomic_block:  # in the caller's transaction: a savepoint
        with transaction.atomic():
            row = rows.fetchone(sql, params)
    else:  # a transaction of its own
        row = rows.fetchone(sql, params)
    if row is None:
        return None
    if changes is not None:
        return rows.load(Entry, row, meta.db_table)
    entry.pk = row[0]
    entry._state.adding = False
    return entry


def hours(minutes: int) -> str:
    """'12小时30分' for people; the book itself is in minutes."""
    sign = "-" if minutes < 0 else ""
    h, m = divmod(abs(int(minutes)), 60)
    if not m:
        return _("%(s)s%(h)s小时") % {"s": sign, "h": h}
    if not h:
        return _("%(s)s%(m)s分钟") % {"s": sign, "m": m}
    return _("%(s)s%(h)s小时%(m)s分") % {"s": sign, "h": h, "m": m}
