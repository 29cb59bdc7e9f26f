"""Suggestions API: the public board and a suggestion (public ones without login), filing
(a resident's own, or a worker entering one for a resident who came or phoned), the status by
tracking number plus the phone's last four digits (no login), and the resident's rating.

The representatives' motions have their own router in motion_api.py.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Header, Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from zizhi.accounts.access import access_for, get_public_community
from zizhi.accounts.api_auth import PUBLIC
from zizhi.registry.api import Pages
from zizhi.registry.models import Building, Resident

from . import actions, queries
from .access import get_suggestion_for, lookup_by_number
from .models import Suggestion
from .schemas import RateIn, StatusIn, StatusOut, SuggestionDetailOut, SuggestionIn, SuggestionOut

router = Router(tags=["suggestions"])


def _detail(user, pk: int) -> Suggestion:
    return get_suggestion_for(user, None, pk)


@router.get(
    "/suggestions",
    response=list[SuggestionOut],
    auth=PUBLIC,
    url_name="list_suggestions",
    summary="居民建议公开栏（公开；按附议人数或最新排序）",
)
@paginate(Pages)
def list_suggestions(request, community: str, order: str = "support"):
    if order not in ("support", "new"):
        raise HttpError(422, _("排序只能是 support 或 new"))
    c = get_public_community(community)
    qs = queries.board(c, order=order, page=1).paginator.object_list
    return qs


@router.get(
    "/suggestions/{int:suggestion_id}",
    response=SuggestionDetailOut,
    auth=PUBLIC,
    url_name="get_suggestion",
    summary="一条建议和它的办理过程（公开的建议无需登录）",
)
def get_suggestion(request, suggestion_id: int):
    return _detail(request.auth, suggestion_id)


@router.post(
    "/suggestions",
    response={200: SuggestionDetailOut, 201: SuggestionDetailOut},
    url_name="create_suggestion",
    summary="提交建议（居民本人；或工作人员为来访、来电的居民登记；带 Idempotency-Key 重试只登记一次）",
)
def create_suggestion(
    request,
    payload: SuggestionIn,
    idempotency_key: str = Header(
        "", alias="Idempotency-Key", description="每条建议一个新的随机值；重试时保持不变"
    ),
):
    started = timezone.now()
    community = get_public_community(payload.community)
    building = None
    if payload.building is not None:
        building = Building.objects.filter(pk=payload.building, community=community).first()
        if building is None:
            raise HttpError(422, _("这栋楼不在本社区"))
    resident = None
    if payload.resident is not None:
        if community.pk not in access_for(request.auth).community_ids:
            raise PermissionDenied  # only the community's staff enter for a resident
        resident = Resident.objects.filter(pk=payload.resident, community=community).first()
        if resident is None:
            # staff only learn whether the id is in their own community's registry
            raise HttpError(422, _("这位居民不在本社区的花名册上"))
    s = actions.do_file_suggestion(
        community,
        title=payload.title,
        text=payload.text,
        category=payload.category,
        building=building,
        plan_x=payload.plan_x,
        plan_y=payload.plan_y,
        show_name=payload.show_name,
        resident=resident,
        channel=payload.channel,
        idempotency_key=idempotency_key,
        actor=request.auth,
    )
    # 200: a retry of a suggestion filed earlier with this key (nothing new was filed)
    return Status(201 if s.created_at >= started else 200, _detail(request.auth, s.pk))


@router.post(
    "/suggestions/status",
    response=StatusOut,
    auth=None,
    url_name="suggestion_status",
    summary="凭建议编号和手机号后四位查询办理进度（无需登录）",
)
def suggestion_status(request, payload: StatusIn):
    try:
        s = lookup_by_number(payload.number, payload.last4, ip=request.META.get("REMOTE_ADDR", ""))
    except PermissionDenied as exc:
        raise HttpError(429, _("查询失败次数太多，请一小时后再试")) from exc
    if s is None:
        raise Http404
    return s


@router.post(
    "/suggestions/{int:suggestion_id}/rate",
    response=SuggestionDetailOut,
    url_name="rate_suggestion",
    summary="评价办理结果（居民本人，或工作人员登记电话回访的评价）",
)
def rate_suggestion(request, suggestion_id: int, payload: RateIn):
    s = _detail(request.auth, suggestion_id)
    actions.do_rate_suggestion(s, payload.rating, payload.comment, actor=request.auth)
    return _detail(request.auth, s.pk)
