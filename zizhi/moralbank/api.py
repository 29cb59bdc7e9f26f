"""Moral Bank API: the depositor's own account and passbook, gifts and donations (with a
required Idempotency-Key), a clerk's pending approvals, approve and reject."""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Header, Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from zizhi.registry.api import Pages
from zizhi.registry.models import Resident

from .actions import flows
from .actions.ledger import MAX_KEY, decide_not_to_post
from .models import Clerk, Entry, EntryStatus
from .queries import passbook, pending_for, summary
from .schemas import AccountOut, BankEntryOut, DonationIn, GiftIn, PassbookLine, RejectIn

router = Router(tags=["moralbank"])
KEY = Header(..., alias="Idempotency-Key", description="每笔一个新的随机值；重试时保持不变")


def _mine(user):
    account = flows.own_account(user)
    if account is None:
        raise Http404
    return account


def _key(value: str) -> str:
    value = value.strip()
    if not value or len(value) > MAX_KEY:
        raise HttpError(
            400, _("请求编号（Idempotency-Key）不能为空，也不能超过%(n)s个字符") % {"n": MAX_KEY}
        )
    return value


@router.get(
    "/moralbank/accounts/me",
    response=AccountOut,
    url_name="my_account",
    summary="我的道德银行账户：余额、志愿服务时长和星级、可转赠的家人",
)
def my_account(request):
    return summary(_mine(request.auth))


@router.get(
    "/moralbank/accounts/me/passbook",
    response=list[PassbookLine],
    url_name="my_passbook",
    summary="我的存折：每一笔及之后的余额",
)
@paginate(Pages)
def my_passbook(request):
    return passbook(_mine(request.auth))


@router.post(
    "/moralbank/gifts",
    response={200: BankEntryOut, 201: BankEntryOut},
    url_name="gift",
    summary="转赠给同户家人（带 Idempotency-Key 重试只记一次）",
)
def gift(request, payload: GiftIn, idempotency_key: str = KEY):
    account = _mine(request.auth)
    to = Resident.objects.filter(pk=payload.to_resident_id).first()
    if to is None:
        raise Http404
    entry = flows.do_gift(
        account, to, payload.minutes, actor=request.auth, key=_key(idempotency_key)
    )
    return Status(201 if getattr(entry, "created_now", False) else 200, entry)


@router.post(
    "/moralbank/donations",
    response={200: BankEntryOut, 201: BankEntryOut},
    url_name="donate",
    summary="捐赠给社区捐赠池（带 Idempotency-Key）",
)
def donate(request, payload: DonationIn, idempotency_key: str = KEY):
    account = _mine(request.auth)
    entry = flows.do_donate(account, payload.minutes, actor=request.auth, key=_key(idempotency_key))
    return Status(201 if getattr(entry, "created_now", False) else 200, entry)


def _clerk_branches(user) -> list[int]:
    return list(
        Clerk.objects.filter(user=user, ended_on__isnull=True).values_list("branch_id", flat=True)
    )


@router.get(
    "/moralbank/approvals",
    response=list[BankEntryOut],
    url_name="approvals",
    summary="待我审核的存入（储蓄所管理员）",
)
@paginate(Pages)
def approvals(request):
    return pending_for(_clerk_branches(request.auth))


def _pending(user, entry_id) -> Entry:
    entry = Entry.objects.filter(pk=entry_id, branch_id__in=_clerk_branches(user)).first()
    if entry is None:
        raise Http404
    return entry


@router.post(
    "/moralbank/entries/{int:entry_id}/approve",
    response=BankEntryOut,
    url_name="approve_entry",
    summary="审核通过并入账（认定时长的人不能审核）",
)
def approve(request, entry_id: int):
    return flows.do_approve_credit(_pending(request.auth, entry_id), actor=request.auth)


@router.post(
    "/moralbank/entries/{int:entry_id}/reject",
    response=BankEntryOut,
    url_name="reject_entry",
    summary="驳回（写明原因）",
)
def reject(request, entry_id: int, payload: RejectIn):
    return decide_not_to_post(
        _pending(request.auth, entry_id),
        actor=request.auth,
        status=EntryStatus.REJECTED,
        reason=payload.reason,
    )
