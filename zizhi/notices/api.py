"""Notices API: public notices and answered objections without login; staff of a community
also see its drafts and every objection, and create, publish and withdraw; residents object."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from zizhi.accounts.access import get_public_community, get_staff_community
from zizhi.accounts.api_auth import PUBLIC
from zizhi.registry.api import Pages

from . import actions
from .access import (
    get_notice_for,
    get_objection_for_staff,
    get_staff_notice,
    notices_for,
    objections_for,
)
from .models import Category, NoticeStatus
from .schemas import AnswerIn, NoticeIn, NoticeOut, NoticeWithdrawIn, ObjectionIn, ObjectionOut

router = Router(tags=["notices"])


STATES = ("current", "expired", "withdrawn", "draft")


def _notices(user):
    return notices_for(user).select_related("community").prefetch_related("attachments")


@router.get(
    "/notices",
    response=list[NoticeOut],
    auth=PUBLIC,
    url_name="list_notices",
    summary="公示列表（公开；本社区工作人员还能看到草稿）",
)
@paginate(Pages)
def list_notices(request, community: str = "", category: str = "", state: str = ""):
    if category and category not in Category.values:
        raise HttpError(422, _("不支持的类别：%(c)s") % {"c": category})
    if state and state not in STATES:
        raise HttpError(422, _("不支持的状态：%(s)s") % {"s": state})
    qs = _notices(request.auth)
    if community:
        qs = qs.filter(community=get_public_community(community))
    if category:
        qs = qs.filter(category=category)
    now = timezone.now()
    if state == "current":
        qs = qs.filter(status=NoticeStatus.PUBLISHED, ends_at__gt=now)
    elif state == "expired":
        qs = qs.filter(status=NoticeStatus.PUBLISHED, ends_at__lte=now)
    elif state in ("withdrawn", "draft"):
        qs = qs.filter(status=state)
    return qs.order_by("-published_at", "-created_at", "-id")


@router.get(
    "/notices/{int:notice_id}",
    response=NoticeOut,
    auth=PUBLIC,
    url_name="get_notice",
    summary="公示详情",
)
def get_notice(request, notice_id: int):
    return get_notice_for(request.auth, notice_id)


@router.post(
    "/notices", response={201: NoticeOut}, url_name="create_notice", summary="新建公示草稿"
)
def create_notice(request, payload: NoticeIn):
    community = get_staff_community(request.auth, payload.community)
    fields = payload.dict(exclude={"community"})
    notice = actions.do_create_notice(community, **fields, actor=request.auth)
    return Status(201, notice)


@router.post(
    "/notices/{int:notice_id}/publish",
    response=NoticeOut,
    url_name="publish_notice",
    summary="发布公示（编号，公示期从现在开始）",
)
def publish_notice(request, notice_id: int):
    notice = get_staff_notice(request.auth, notice_id)
    return actions.do_publish_notice(notice, actor=request.auth)


@router.post(
    "/notices/{int:notice_id}/withdraw",
    response=NoticeOut,
    url_name="withdraw_notice",
    summary="撤回公示（原因公开）",
)
def withdraw_notice(request, notice_id: int, payload: NoticeWithdrawIn):
    notice = get_staff_notice(request.auth, notice_id)
    return actions.do_withdraw_notice(notice, payload.reason, actor=request.auth)


@router.get(
    "/notices/{int:notice_id}/objections",
    response=list[ObjectionOut],
    auth=PUBLIC,
    url_name="list_objections",
    summary="异议列表（公开已答复的；工作人员看全部，居民还看到自己的）",
)
def list_objections(request, notice_id: int):
    notice = get_notice_for(request.auth, notice_id)
    return objections_for(request.auth, notice).select_related("notice")


@router.post(
    "/notices/{int:notice_id}/objections",
    response={201: ObjectionOut},
    url_name="file_objection",
    summary="提出异议（本社区居民，公示期内）",
)
def file_objection(request, notice_id: int, payload: ObjectionIn):
    notice = get_notice_for(request.auth, notice_id)
    try:
        objection = actions.do_file_objection(notice, payload.text, actor=request.auth)
    except PermissionDenied as exc:  # say why: only residents of the community object
        raise HttpError(403, str(exc)) from exc
    return Status(201, objection)


@router.post(
    "/objections/{int:objection_id}/answer",
    response=ObjectionOut,
    url_name="answer_objection",
    summary="答复异议（本社区工作人员）",
)
def answer_objection(request, objection_id: int, payload: AnswerIn):
    objection = get_objection_for_staff(request.auth, objection_id)
    return actions.do_answer_objection(objection, payload.answer, actor=request.auth)
