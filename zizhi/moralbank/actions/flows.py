"""The flows of the bank: a service credit (pending, approved by the branch's clerk), a gift
to family, a donation to the pool, a grant from it, and the reversal of a mistake."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from ..access import is_clerk, may_spend, require_staff
from ..models import Account, AccountKind, Entry, EntryKind, EntryStatus
from .accounts import do_open_account, issuing_account, pool_of
from .ledger import DEFAULT_CAP, Line, hours, lock_accounts, post_pending, record_entry, refuse
from .reversal import reverse_entry

MAX_MINUTES = 24 * 60 * 366  # no single entry moves more than a year of hours


def _minutes(value) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        refuse(_("分钟数必须是正整数"))
    if value > MAX_MINUTES:
        refuse(_("一笔记账的分钟数过大"))
    return value


def own_account(user) -> Account | None:
    """The user's personal account, if they have one."""
    from zizhi.accounts.access import access_for

    resident_id = access_for(user).resident_id
    if resident_id is None:
        return None
    return (
        Account.objects.select_related("community", "resident")
        .filter(kind=AccountKind.PERSONAL, resident_id=resident_id)
        .first()
    )


def do_request_credit(service_record, branch, *, actor, key: str = "") -> Entry:
    """A pending service credit for an attested service record: minutes from the branch's
    issuing account to the depositor, for the branch's clerk to approve. One per record."""
    if service_record.minutes <= 0:
        refuse(_("只有时长为正的服务记录可以存入"))
    if service_record.community.subdistrict_id != branch.community.subdistrict_id:
        refuse(_("服务记录不属于本储蓄所所在的街道"))  # deposit anywhere in the subdistrict
    account = do_open_account(service_record.resident, actor=actor)
    lines = [
        Line(issuing_account(branch), -service_record.minutes),
        Line(account, service_record.minutes),
    ]
    return record_entry(
        EntryKind.SERVICE_CREDIT,
        lines,
        actor=actor,
        community=branch.community,
        key=key or f"credit:{service_record.pk}",
        memo=_("服务存入：%(c)s") % {"c": service_record.content},
        status=EntryStatus.PENDING,
        branch=branch,
        service_record=service_record,
    )


def do_approve_credit(entry: Entry, *, actor) -> Entry:
    """The branch's clerk posts a pending credit; not the person who attested the hours.
    Minutes above the depositor's personal cap go to the community's donation pool."""
    if entry.kind != EntryKind.SERVICE_CREDIT or entry.branch_id is None:
        refuse(_("这不是一笔服务存入"))
    if not is_clerk(actor, entry.branch_id):
        raise PermissionDenied
    record = entry.service_record
    if record is not None and actor.pk in (record.attested_by_id, record.approved_by_id):
        refuse(_("认定服务时长的人不能审核这笔存入，请由储蓄所的另一位管理员审核"))
    (issuing_id, minus), (depositor_id, minutes) = sorted(entry.proposed, key=lambda x: x[1])
    pool = pool_of(entry.community)
    with transaction.atomic():
        accounts = lock_accounts([issuing_id, depositor_id, pool.pk])
        depositor = accounts[depositor_id]
        cap = depositor.cap if depositor.cap is not None else DEFAULT_CAP
        room = max(cap - depositor.balance, 0)
        lines = [Line(accounts[issuing_id], minus)]
        if min(room, minutes):
            lines.append(Line(depositor, min(room, minutes)))
        if minutes > room:  # the overflow goes to the pool, never lost and never over the cap
            lines.append(Line(accounts[pool.pk], minutes - room))
        return post_pending(entry, actor=actor, lines=lines)


def _family(a, b) -> bool:
    return a.household_id is not None and a.household_id == b.household_id


def do_gift(giver: Account, recipient_resident, minutes: int, *, actor, key: str) -> Entry:
    """转赠: a depositor gives credit to a family member (same household in the registry)."""
    minutes = _minutes(minutes)
    if not may_spend(actor, giver):
        raise PermissionDenied
    if recipient_resident.pk == giver.resident_id or not _family(
        giver.resident, recipient_resident
    ):
        refuse(_("只能转赠给户籍登记在同一户的家人"))
    recipient = do_open_account(recipient_resident, actor=actor)
    return record_entry(
        EntryKind.GIFT,
        [Line(giver, -minutes), Line(recipient, minutes)],
        actor=actor,
        community=giver.community,
        key=key,
        memo=_("转赠给%(n)s %(h)s") % {"n": recipient_resident.name, "h": hours(minutes)},
    )


def do_donate(giver: Account, minutes: int, *, actor, key: str) -> Entry:
    """A depositor donates credit to the community's pool."""
    minutes = _minutes(minutes)
    if not may_spend(actor, giver):
        raise PermissionDenied
    pool = pool_of(giver.community)
    return record_entry(
        EntryKind.DONATION,
        [Line(giver, -minutes), Line(pool, minutes)],
        actor=actor,
        community=giver.community,
        key=key,
        memo=_("捐赠给社区捐赠池 %(h)s") % {"h": hours(minutes)},
    )


def do_grant(community, resident, minutes: int, *, actor, decision: str, key: str) -> Entry:
    """The community grants credit from its pool to a resident in need (living alone,
    disability ...), by a recorded decision."""
    require_staff(actor, community.pk)
    minutes = _minutes(minutes)
    if resident.community_id != community.pk:
        refuse(_("只能发放给本社区的居民"))
    if not decision.strip():
        refuse(_("请写明发放依据（会议决定、文号或情况说明）"))
    account = do_open_account(resident, actor=actor)
    return record_entry(
        EntryKind.GRANT,
        [Line(pool_of(community), -minutes), Line(account, minutes)],
        actor=actor,
        community=community,
        key=key,
        memo=_("捐赠池发放给%(n)s %(h)s") % {"n": resident.name, "h": hours(minutes)},
        reason=decision.strip()[:500],
    )


def do_reverse(entry: Entry, *, actor, reason: str, key: str = "") -> Entry:
    """Staff correct a posted entry by its reversal (see reversal.reverse_entry)."""
    require_staff(actor, entry.community_id)
    if entry.kind == EntryKind.REDEMPTION:
        refuse(_("兑换的退回请在储蓄所的兑换记录中办理"))
    return reverse_entry(entry, actor=actor, reason=reason, key=key)
