"""API: activities (public reads), creating one (organisers), sign-up and cancel (residents),
check-in/out by the QR code's token."""

from django.http import Http404
from ninja import Router, Status
from ninja.pagination import paginate

from zizhi.accounts.access import get_public_community
from zizhi.notices.api import PUBLIC
from zizhi.registry.api import Pages

from .access import get_activity, get_association, get_my_resident
from .actions import activities as act
from .actions import attendance as att
from .models import Activity, ActivityStatus, SignUp, SignUpStatus
from .schemas import ActivityIn, ActivityOut, AttendanceOut, ScanIn, SignUpOut

router = Router(tags=["activities"])


@router.get(
    "/activities",
    response=list[ActivityOut],
    auth=PUBLIC,
    url_name="list_activities",
    summary="活动列表（公开，按开始时间倒序）",
)
@paginate(Pages)
def list_activities(request, community: str = "", association_id: int | None = None):
    qs = Activity.objects.exclude(status=ActivityStatus.CANCELLED).select_related("community")
    if community:
        qs = qs.filter(community=get_public_community(community))
    if association_id is not None:
        qs = qs.filter(association_id=association_id)
    return qs.order_by("-starts_at", "-id")


@router.get(
    "/activities/{int:activity_id}",
    response=ActivityOut,
    auth=PUBLIC,
    url_name="get_activity",
    summary="活动详情（公开）",
)
def get_one(request, activity_id: int):
    return get_activity(activity_id)


@router.post(
    "/activities",
    response={201: ActivityOut},
    url_name="create_activity",
    summary="发布活动（社区工作人员；群团组织会长、副会长）",
)
def create(request, payload: ActivityIn):
    data = payload.dict()
    community_code, association_id = data.pop("community"), data.pop("association_id")
    owner = {}
    if association_id is not None:
        owner["association"] = get_association(association_id)
    elif community_code:
        owner["community"] = get_public_community(community_code)
    else:
        raise Http404
    return Status(201, act.do_create_activity(actor=request.auth, **owner, **data))


def _out(signup: SignUp) -> dict:
    return {
        "id": signup.pk,
        "activity_id": signup.activity_id,
        "status": signup.status,
        "waiting_position": act.waiting_position(signup),
    }


@router.post(
    "/activities/{int:activity_id}/signup",
    response={201: SignUpOut},
    url_name="sign_up",
    summary="报名（名额满时进入候补）",
)
def sign_up(request, activity_id: int):
    signup = act.do_sign_up(
        get_activity(activity_id), get_my_resident(request.auth), actor=request.auth
    )
    return Status(201, _out(signup))


@router.delete(
    "/activities/{int:activity_id}/signup",
    response=SignUpOut,
    url_name="cancel_signup",
    summary="取消报名（候补者按顺序递补）",
)
def cancel(request, activity_id: int):
    signup = (
        SignUp.objects.filter(activity_id=activity_id, resident=get_my_resident(request.auth))
        .exclude(status=SignUpStatus.CANCELLED)
        .first()
    )
    if signup is None:
        raise Http404
    return _out(act.do_cancel_signup(signup, actor=request.auth))


@router.post(
    "/activities/{int:activity_id}/scan",
    response=AttendanceOut,
    url_name="scan",
    summary="扫码签到或签退（二维码每30秒更换，只在活动时间内有效）",
)
def scan(request, activity_id: int, payload: ScanIn):
    return att.do_scan(get_activity(activity_id), payload.token, actor=request.auth)
