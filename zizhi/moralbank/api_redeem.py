"""Moral Bank API, spending and neighbour help: the catalogue, redemptions (with a required
Idempotency-Key), cancel and fulfil, a branch's offers, redemptions and monthly statement, and
neighbour help recorded, confirmed or declined."""

import datetime

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from zizhi.registry.api import Pages
from zizhi.registry.models import Resident

from .access import get_kept_branch, may_spend, my_resident_or_404
from .actions import help as helping
from .actions import redeem
from .api import KEY, _key, _mine
from .models import Help, HelpStatus, Offer, Redemption
from .queries import catalogue
from .schemas import (
    HelpIn,
    HelpOut,
    OfferIn,
    OfferOut,
    ReasonIn,
    RedemptionIn,
    RedemptionOut,
    StatementOut,
)
from .statements import branch_statement

router = Router(tags=["moralbank"])
WITH = ("offer", "branch", "entry")


@router.get(
    "/moralbank/offers",
    response=list[OfferOut],
    url_name="offers",
    summary="本社区各储蓄所可兑换的项目",
)
@paginate(Pages)
def offers(request):
    return catalogue(_mine(request.auth).community_id)


@router.post(
    "/moralbank/redemptions",
    response={200: RedemptionOut, 201: RedemptionOut},
    url_name="redeem",
    summary="兑换一个项目（可在本社区任何储蓄所兑换；带 Idempotency-Key 重试只记一次）",
)
def create_redemption(request, payload: RedemptionIn, idempotency_key: str = KEY):
    account = _mine(request.auth)
    offer = Offer.objects.filter(
        pk=payload.offer_id, branch__community_id=account.community_id
    ).first()
    if offer is None:
        raise Http404
    made = redeem.do_redeem(account, offer, actor=request.auth, key=_key(idempotency_key))
    return Status(201 if getattr(made, "created_now", False) else 200, made)


@router.get(
    "/moralbank/redemptions",
    response=list[RedemptionOut],
    url_name="my_redemptions",
    summary="我的兑换",
)
@paginate(Pages)
def my_redemptions(request):
    return Redemption.objects.filter(account=_mine(request.auth)).select_related(*WITH)


def _visible(user, pk) -> Redemption:
    """A redemption the user may act on: their own, or their branch's (404 otherwise)."""
    found = Redemption.objects.select_related(*WITH, "branch__community", "account__resident")
    redemption = get_object_or_404(found, pk=pk)
    own = may_spend(user, redemption.account)
    if not own and not redeem.is_clerk(user, redemption.branch_id):
        raise Http404
    return redemption


@router.post(
    "/moralbank/redemptions/{int:redemption_id}/cancel",
    response=RedemptionOut,
    url_name="cancel_redemption",
    summary="取消或退回一笔未兑付的兑换（时间全额退回）",
)
def cancel(request, redemption_id: int, payload: ReasonIn):
    return redeem.do_cancel_redemption(
        _visible(request.auth, redemption_id), actor=request.auth, reason=payload.reason
    )


@router.post(
    "/moralbank/redemptions/{int:redemption_id}/fulfil",
    response=RedemptionOut,
    url_name="fulfil_redemption",
    summary="储蓄所管理员：已交付",
)
def fulfil(request, redemption_id: int):
    return redeem.do_fulfil(_visible(request.auth, redemption_id), actor=request.auth)


@router.post(
    "/moralbank/branches/{int:branch_id}/offers",
    response={201: OfferOut},
    url_name="add_offer",
    summary="储蓄所上架兑换项目",
)
def add_offer(request, branch_id: int, payload: OfferIn):
    branch = get_kept_branch(request.auth, branch_id)
    return Status(201, redeem.do_add_offer(branch, actor=request.auth, **payload.dict()))


@router.get(
    "/moralbank/branches/{int:branch_id}/redemptions",
    response=list[RedemptionOut],
    url_name="branch_redemptions",
    summary="储蓄所的兑换（可按状态筛选）",
)
@paginate(Pages)
def branch_redemptions(request, branch_id: int, status: str = ""):
    found = Redemption.objects.filter(branch=get_kept_branch(request.auth, branch_id))
    if status:
        found = found.filter(status=status)
    return found.select_related(*WITH)


@router.get(
    "/moralbank/branches/{int:branch_id}/statement",
    response=StatementOut,
    url_name="branch_statement",
    summary="储蓄所月度对账单（month=YYYY-MM，默认本月）：各方合计为零",
)
def statement(request, branch_id: int, month: str = Query("", pattern=r"^(\d{4}-\d{2})?$")):
    branch = get_kept_branch(request.auth, branch_id)
    try:
        day = datetime.date.fromisoformat(f"{month}-01") if month else datetime.date.today()
    except ValueError:
        raise HttpError(400, _("月份格式应为 YYYY-MM，例如 2026-11")) from None
    s = branch_statement(branch, day.year, day.month)
    return {
        "branch_id": branch.pk,
        "month": s.start.strftime("%Y-%m"),
        "opening": s.opening,
        "closing": s.closing,
        "rows": [
            {"kind": r.kind, "entries": r.entries, "sides": r.sides, "total": r.total}
            for r in s.rows
        ],
        "totals": s.totals,
        "community_clearing": s.community_clearing,
        "balanced": s.balanced,
    }


@router.post(
    "/moralbank/help",
    response={201: HelpOut},
    url_name="record_help",
    summary="记录我帮了本社区的邻居（邻居确认后算志愿服务并存入）",
)
def record_help(request, payload: HelpIn):
    me = my_resident_or_404(request.auth)
    neighbour = Resident.objects.filter(
        community_id=me.community_id, phone=payload.neighbour_phone.strip()
    ).first()
    if neighbour is None:
        raise Http404
    made = helping.do_record_help(
        me,
        neighbour,
        actor=request.auth,
        minutes=payload.minutes,
        service_date=payload.service_date,
        content=payload.content,
    )
    return Status(201, made)


@router.get(
    "/moralbank/help",
    response=list[HelpOut],
    url_name="my_help",
    summary="我记录的和请我确认的邻里互助",
)
@paginate(Pages)
def my_help(request):
    me = my_resident_or_404(request.auth)
    return Help.objects.filter(Q(helper=me) | Q(neighbour=me)).select_related("helper", "neighbour")


def _to_confirm(user, pk) -> Help:
    me = my_resident_or_404(user)
    return get_object_or_404(Help, pk=pk, neighbour=me, status=HelpStatus.PENDING)


@router.post(
    "/moralbank/help/{int:help_id}/confirm",
    response=HelpOut,
    url_name="confirm_help",
    summary="邻居确认这次帮助",
)
def confirm_help(request, help_id: int):
    return helping.do_confirm_help(_to_confirm(request.auth, help_id), actor=request.auth)


@router.post(
    "/moralbank/help/{int:help_id}/decline",
    response=HelpOut,
    url_name="decline_help",
    summary="邻居不确认（可写原因）",
)
def decline_help(request, help_id: int, payload: ReasonIn):
    return helping.do_decline_help(
        _to_confirm(request.auth, help_id), actor=request.auth, reason=payload.reason
    )
