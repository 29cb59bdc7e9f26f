"""Finance API: published periods and the asset list without login; staff of a community also
see its periods being kept, open periods, add entries and submit / publish; administrators
of the subdistrict approve or return. Amounts are integer fen."""

from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from zizhi.accounts.access import get_public_community, get_staff_community
from zizhi.notices.api import PUBLIC
from zizhi.registry.api import Pages

from . import actions
from .access import get_period_for, get_staff_period_by_id, periods_for
from .models import Asset, PeriodStatus
from .schemas import AssetOut, EntryIn, EntryOut, PeriodDetailOut, PeriodIn, PeriodOut, ReturnIn

router = Router(tags=["finance"])


@router.get(
    "/finance/periods",
    response=list[PeriodOut],
    auth=PUBLIC,
    url_name="list_finance_periods",
    summary="财务账期列表（公开已公开的；本社区工作人员看到全部）",
)
@paginate(Pages)
def list_periods(request, community: str = "", status: str = ""):
    if status and status not in PeriodStatus.values:
        raise HttpError(422, _("不支持的状态：%(s)s") % {"s": status})
    qs = periods_for(request.auth).select_related("community")
    if community:
        qs = qs.filter(community=get_public_community(community))
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("community__code", "-year", "-month")


@router.get(
    "/finance/periods/{int:period_id}",
    response=PeriodDetailOut,
    auth=PUBLIC,
    url_name="get_finance_period",
    summary="账期详情：合计、按类别汇总和每一笔收支",
)
def get_period(request, period_id: int):
    return get_period_for(request.auth, period_id)


@router.post(
    "/finance/periods",
    response={201: PeriodOut},
    url_name="open_finance_period",
    summary="开设账期（按月，顺序开设；期初余额自动结转）",
)
def open_period(request, payload: PeriodIn):
    community = get_staff_community(request.auth, payload.community)
    period = actions.do_open_period(
        community,
        year=payload.year,
        month=payload.month,
        opening_fen=payload.opening_fen,
        actor=request.auth,
    )
    return Status(201, period)


@router.post(
    "/finance/periods/{int:period_id}/entries",
    response={201: EntryOut},
    url_name="add_finance_entry",
    summary="记一笔收支（记账中或已退回的账期）",
)
def add_entry(request, period_id: int, payload: EntryIn):
    period = get_staff_period_by_id(request.auth, period_id)
    entry = actions.do_add_entry(period, **payload.dict(), actor=request.auth)
    return Status(201, entry)


def _move(request, period_id: int, move: str, reason: str = ""):
    period = get_staff_period_by_id(request.auth, period_id)
    return actions.do_move_period(period, move, reason=reason, actor=request.auth)


@router.post(
    "/finance/periods/{int:period_id}/submit",
    response=PeriodOut,
    url_name="submit_finance_period",
    summary="提交街道审核",
)
def submit_period(request, period_id: int):
    return _move(request, period_id, "submit")


@router.post(
    "/finance/periods/{int:period_id}/approve",
    response=PeriodOut,
    url_name="approve_finance_period",
    summary="审核通过（街道管理员；提交人不能审核自己提交的账目）",
)
def approve_period(request, period_id: int):
    return _move(request, period_id, "approve")


@router.post(
    "/finance/periods/{int:period_id}/return",
    response=PeriodOut,
    url_name="return_finance_period",
    summary="退回修改（街道管理员，写明原因）",
)
def return_period(request, period_id: int, payload: ReturnIn):
    return _move(request, period_id, "return", payload.reason)


@router.post(
    "/finance/periods/{int:period_id}/publish",
    response=PeriodOut,
    url_name="publish_finance_period",
    summary="公开已审核的账期（同时发布财务公示）",
)
def publish_period(request, period_id: int):
    return _move(request, period_id, "publish")


@router.get(
    "/finance/assets",
    response=list[AssetOut],
    auth=PUBLIC,
    url_name="list_assets",
    summary="社区资产清单（公开）",
)
@paginate(Pages)
def list_assets(request, community: str = "", include_disposed: bool = False):
    qs = Asset.objects.select_related("community")
    if community:
        qs = qs.filter(community=get_public_community(community))
    if not include_disposed:
        qs = qs.exclude(state="disposed")
    return qs.order_by("community__code", "kind", "name", "id")
