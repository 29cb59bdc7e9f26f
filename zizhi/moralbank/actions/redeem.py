"""Redemptions: "deposit anywhere, redeem anywhere".

A depositor redeems an offer of any branch of their community. One posted entry pays for it:
the depositor's minutes retire credit, and where that credit was issued by another branch the
entry settles between the branches in the same lines:

    depositor            -m
    issuer X issuing     +a   (X's credit retired: what X has outstanding drops by a)
    issuer X clearing    -a   (X owes a to the branch that served)
    redeeming Y clearing +a   (Y is owed a for the service it gave)
    redeeming Y issuing  +b   (the part of the credit Y issued itself, or that no branch did)

Which issuer's credit a redemption retires (attribution): the depositor's own service credits,
oldest issuer first, by what each issuer credited them and their redemptions have not yet
retired. Credit that came otherwise (a gift, a grant, an adjustment) is retired by the branch
where it is spent. The clearing accounts of a community's branches sum to zero (what some are
owed, others owe); do_settle() records that one branch paid another off the book.
"""

from collections import defaultdict

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import F, Min, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from zizhi.audit.log import record

from ..access import is_clerk, may_keep_catalogue, may_spend, require_staff
from ..models import (
    Account,
    AccountKind,
    Branch,
    EntryKind,
    Offer,
    OfferKind,
    Posting,
    Redemption,
    RedemptionStatus,
)
from .ledger import Line, _earlier, fingerprint, hours, lock_accounts, record_entry, refuse
from .reversal import reverse_entry

MAX_PRICE = 24 * 60 * 30


def _offer_fields(title: str, description: str, kind: str, price_minutes, stock) -> dict:
    title = (title or "").strip()
    if not title:
        refuse(_("请填写兑换项目的名称"))
    if kind not in OfferKind.values:
        refuse(_("请选择类别：服务或物品"))
    if not isinstance(price_minutes, int) or not 0 < price_minutes <= MAX_PRICE:
        refuse(_("所需时长必须是 1 分钟到 720 小时之间的整数分钟"))
    if stock is not None and (not isinstance(stock, int) or stock < 0):
        refuse(_("剩余数量必须是不小于零的整数，不限数量请留空"))
    return {
        "title": title[:100],
        "description": (description or "").strip()[:500],
        "kind": kind,
        "price_minutes": price_minutes,
        "stock": stock,
    }


def do_add_offer(
    branch: Branch, *, actor, title, kind, price_minutes, description="", stock=None
) -> Offer:
    if not may_keep_catalogue(actor, branch):
        raise PermissionDenied
    fields = _offer_fields(title, description, kind, price_minutes, stock)
    with transaction.atomic():
        offer = Offer.objects.create(branch=branch, created_by=actor, **fields)
        record(actor, "moralbank.add_offer", offer, community=branch.community, after=fields)
    return offer


def do_change_offer(offer: Offer, *, actor, active: bool | None = None, **changes) -> Offer:
    """Change an offer's terms (price, stock ...) or take it off (active=False) or back."""
    if not may_keep_catalogue(actor, offer.branch):
        raise PermissionDenied
    current = {
        "title": offer.title,
        "description": offer.description,
        "kind": offer.kind,
        "price_minutes": offer.price_minutes,
        "stock": offer.stock,
    }
    fields = _offer_fields(**{**current, **changes})
    if active is not None:
        fields["active"] = bool(active)
    with transaction.atomic():
        Offer.objects.filter(pk=offer.pk).update(**fields)
        for name, value in fields.items():
            setattr(offer, name, value)
        record(
            actor,
            "moralbank.change_offer",
            offer,
            community=offer.branch.community,
            before=current,
            after=fields,
        )
    return offer


def attribution(account: Account, minutes: int, at: Branch) -> dict[int, int]:
    """{branch id: minutes} whose credit this redemption retires (see the module's text)."""
    earned = (
        Posting.objects.filter(
            account=account,
            entry__kind=EntryKind.SERVICE_CREDIT,
            entry__reversal__isnull=True,
        )
        .values("entry__branch_id")
        .annotate(m=Sum("minutes"), first=Min("id"))
        .order_by("first")
    )
    retired = dict(
        Posting.objects.filter(
            account__kind=AccountKind.ISSUING,
            entry__kind=EntryKind.REDEMPTION,
            entry__redemption__account=account,
            entry__reversal__isnull=True,
        )
        .values("account__branch_id")
        .annotate(m=Sum("minutes"))
        .values_list("account__branch_id", "m")
    )
    parts: dict[int, int] = defaultdict(int)
    left = minutes
    for row in earned:
        branch_id = row["entry__branch_id"]
        take = min(max(row["m"] - retired.get(branch_id, 0), 0), left)
        if take:
            parts[branch_id] += take
            left -= take
    if left:
        parts[at.pk] += left
    return dict(parts)


def redemption_lines(account: Account, minutes: int, at: Branch) -> list[Line]:
    parts = attribution(account, minutes, at)
    books = {
        (a.branch_id, a.kind): a
        for a in Account.objects.filter(branch_id__in={*parts, at.pk}).select_related("community")
    }
    lines = [Line(account, -minutes)]
    own = parts.pop(at.pk, 0)
    if own:
        lines.append(Line(books[at.pk, AccountKind.ISSUING], own))
    for branch_id, part in sorted(parts.items()):
        lines.append(Line(books[branch_id, AccountKind.ISSUING], part))
        lines.append(Line(books[branch_id, AccountKind.CLEARING], -part))
    if parts:
        lines.append(Line(books[at.pk, AccountKind.CLEARING], sum(parts.values())))
    return lines


REDEMPTION_LOCK = 6_001  # the class of the advisory lock below (PostgreSQL)


def _one_redemption_at_a_time(account: Account) -> None:
    """Two redemptions of one depositor at once would attribute the same issuer's credit
    twice: they queue on an advisory lock of the depositor (not a row lock: a transfer that
    locks accounts in id order never waits on it in a circle). SQLite writes one at a time."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)", [REDEMPTION_LOCK, account.pk & 0x7FFFFFFF]
            )


def do_redeem(account: Account, offer: Offer, *, actor, key: str) -> Redemption:
    """The depositor (or a minor's guardian) redeems an offer; paid at once by one entry.
    A repeated key returns the first redemption."""
    if not may_spend(actor, account):
        raise PermissionDenied
    request_hash = fingerprint(EntryKind.REDEMPTION, [], offer=offer.pk, account=account.pk)
    earlier = _earlier(key, request_hash)
    if earlier is not None:  # a retry: the first answer, whatever changed since
        return Redemption.objects.get(entry=earlier)
    branch = offer.branch
    if branch.community_id != account.community_id:
        refuse(_("只能兑换本社区储蓄所的项目"))
    if not offer.active:
        refuse(_("这个项目已下架"))
    with transaction.atomic():
        _one_redemption_at_a_time(account)
        entry = record_entry(
            EntryKind.REDEMPTION,
            redemption_lines(account, offer.price_minutes, branch),
            actor=actor,
            community=account.community,
            key=key,
            memo=_("兑换：%(t)s（%(b)s）") % {"t": offer.title, "b": branch.name},
            request_hash=request_hash,
            branch=branch,
        )
        if not getattr(entry, "created_now", False):
            return Redemption.objects.get(entry=entry)
        if offer.stock is not None:
            taken = Offer.objects.filter(pk=offer.pk, stock__gt=0).update(stock=F("stock") - 1)
            if not taken:
                refuse(_("这个项目已经兑完了"))
        redemption = Redemption.objects.create(
            offer=offer,
            branch=branch,
            account=account,
            entry=entry,
            minutes=offer.price_minutes,
            created_by=actor,
        )
        redemption.created_now = True  # not an earlier redemption returned for the same key
    return redemption


def _waiting(redemption: Redemption) -> Redemption:
    locked = Redemption.objects.select_for_update().get(pk=redemption.pk)
    if locked.status != RedemptionStatus.WAITING:
        refuse(_("这笔兑换已处理"))
    return locked


def do_fulfil(redemption: Redemption, *, actor) -> Redemption:
    """The branch's clerk hands over the service or goods."""
    if not is_clerk(actor, redemption.branch_id):
        raise PermissionDenied
    with transaction.atomic():
        locked = _waiting(redemption)
        locked.status = RedemptionStatus.FULFILLED
        locked.decided_by, locked.decided_at = actor, timezone.now()
        locked.save(update_fields=["status", "decided_by", "decided_at"])
        record(actor, "moralbank.fulfil", locked, community=redemption.branch.community)
    return locked


def do_cancel_redemption(redemption: Redemption, *, actor, reason: str) -> Redemption:
    """Not fulfilled (the branch cannot, or the depositor changed their mind): the entry is
    reversed, the credit comes back and the stock with it."""
    by_clerk = is_clerk(actor, redemption.branch_id)
    if not by_clerk and not may_spend(actor, redemption.account):
        raise PermissionDenied
    if not reason.strip():
        refuse(_("请写明退回原因"))
    with transaction.atomic():
        locked = _waiting(redemption)
        reverse_entry(locked.entry, actor=actor, reason=reason)
        if locked.offer.stock is not None:
            Offer.objects.filter(pk=locked.offer_id).update(stock=F("stock") + 1)
        locked.status = RedemptionStatus.CANCELLED
        locked.decided_by, locked.decided_at = actor, timezone.now()
        locked.note = reason.strip()[:500]
        locked.save(update_fields=["status", "decided_by", "decided_at", "note"])
        record(
            actor,
            "moralbank.cancel_redemption",
            locked,
            community=redemption.branch.community,
            after={"reason": locked.note},
        )
    return locked


def do_settle(payer: Branch, payee: Branch, minutes: int, *, actor, note: str, key: str):
    """Record that `payer` settled with `payee` off the book (in kind, by agreement): their
    clearing accounts move back towards zero. Never past zero."""
    require_staff(actor, payer.community_id)
    if payer.pk == payee.pk or payer.community_id != payee.community_id:
        refuse(_("结算须在本社区的两个不同储蓄所之间"))
    if not isinstance(minutes, int) or minutes <= 0:
        refuse(_("分钟数必须是正整数"))
    if not note.strip():
        refuse(_("请写明结算依据"))
    request_hash = fingerprint(EntryKind.SETTLEMENT, [], payer=payer.pk, payee=payee.pk, m=minutes)
    earlier = _earlier(key, request_hash)
    if earlier is not None:
        return earlier
    books = Account.objects.filter(branch__in=[payer, payee], kind=AccountKind.CLEARING)
    with transaction.atomic():
        locked = lock_accounts(books.values_list("pk", flat=True))
        owe, owed = (
            next(a for a in locked.values() if a.branch_id == b.pk) for b in (payer, payee)
        )
        if minutes > -owe.balance or minutes > owed.balance:
            refuse(
                _("结算不能超过应付和应收：%(a)s 应付 %(x)s，%(b)s 应收 %(y)s")
                % {
                    "a": payer.name,
                    "x": hours(max(-owe.balance, 0)),
                    "b": payee.name,
                    "y": hours(max(owed.balance, 0)),
                }
            )
        return record_entry(
            EntryKind.SETTLEMENT,
            [Line(owe, minutes), Line(owed, -minutes)],
            actor=actor,
            community=payer.community,
            key=key,
            memo=_("储蓄所间结算：%(a)s 付 %(b)s %(h)s")
            % {"a": payer.name, "b": payee.name, "h": hours(minutes)},
            reason=note.strip()[:500],
            branch=payer,
            request_hash=request_hash,
        )
