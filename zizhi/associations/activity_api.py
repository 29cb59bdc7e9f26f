"""API: activities (public reads), creating, changing and cancelling one (organisers), sign-up
and cancel (residents), check-in/out by the QR code's token; for organisers the current code,
the attendance list with missing check-outs flagged, list check-in/out, entry afterwards and
closing attendance."""

import datetime

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from ninja import Router, Status
from ninja.pagination import paginate

from zizhi.accounts.access import get_public_community
from zizhi.notices.api import PUBLIC
from zizhi.registry.api import Pages

from . import qr
from .access import (
    find_resident,
    get_activity,
    get_association,
    get_my_resident,
    get_organised_activity,
    get_participant,
)
from .actions import activities as act
from .actions import attendance as att
from .models import Activity, ActivityStatus, Attendance, SignUp, SignUpStatus
from .schemas import (
    ActivityAttendanceOut,
    ActivityIn,
    ActivityOut,
    ActivityPatch,
    AttendanceEntryIn,
    AttendanceLineOut,
    CancelActivityIn,
    CloseOut,
    ListMoveIn,
    ParticipantIn,
    QrOut,
    ScanIn,
    SignUpOut,
)

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
    response=ActivityAttendanceOut,
    url_name="scan",
    summary="扫码签到或签退（二维码每30秒更换，只在活动时间内有效）",
)
def scan(request, activity_id: int, payload: ScanIn):
    return att.do_scan(get_activity(activity_id), payload.token, actor=request.auth)


# ---- organisers -------------------------------------------------------------------------------


@router.patch(
    "/activities/{int:activity_id}",
    response=ActivityOut,
    url_name="update_activity",
    summary="修改活动（开始前；改时间地点会通知已报名者，增加名额后候补按顺序递补）",
)
def update(request, activity_id: int, payload: ActivityPatch):
    item = get_organised_activity(request.auth, activity_id)
    return act.do_update_activity(item, actor=request.auth, **payload.dict(exclude_unset=True))


@router.post(
    "/activities/{int:activity_id}/cancel",
    response=ActivityOut,
    url_name="cancel_activity",
    summary="取消活动（说明原因，通知已报名者）",
)
def cancel_activity(request, activity_id: int, payload: CancelActivityIn):
    item = get_organised_activity(request.auth, activity_id)
    return act.do_cancel_activity(item, actor=request.auth, reason=payload.reason)


def _lines(item: Activity, only_resident: int | None = None) -> list[dict]:
    signups = item.signups.exclude(status=SignUpStatus.CANCELLED).select_related("resident")
    rows = item.attendance.select_related("resident")
    if only_resident is not None:
        signups, rows = (
            signups.filter(resident_id=only_resident),
            rows.filter(resident_id=only_resident),
        )
    attendance = {a.resident_id: a for a in rows}
    lines = []
    for s in signups.order_by("id"):
        lines.append(_line(s.resident, s.status, attendance.pop(s.resident_id, None)))
    for a in attendance.values():  # attended without a sign-up (entered by the organiser)
        lines.append(_line(a.resident, None, a))
    return lines


def _line(resident, status: str | None, a: Attendance | None) -> dict:
    return {
        "resident_id": resident.pk,
        "name": resident.name,
        "signup_status": status,
        "check_in_at": a.check_in_at if a else None,
        "check_in_source": a.check_in_source if a else "",
        "check_out_at": a.check_out_at if a else None,
        "check_out_source": a.check_out_source if a else "",
        "minutes": a.minutes if a else None,
        "missing_check_out": bool(a and a.check_out_at is None),
        "organiser_entered": bool(a and a.organiser_entered),
    }


@router.get(
    "/activities/{int:activity_id}/attendance",
    response=list[AttendanceLineOut],
    url_name="activity_attendance",
    summary="报名与签到名单（组织者；缺少签退的标出，不估算）",
)
def attendance_list(request, activity_id: int):
    return _lines(get_organised_activity(request.auth, activity_id))


@router.post(
    "/activities/{int:activity_id}/participants",
    response={201: SignUpOut},
    url_name="add_participant",
    summary="组织者为未报名的到场居民报名（按手机号或身份证号查找本社区居民）",
)
def add_participant(request, activity_id: int, payload: ParticipantIn):
    item = get_organised_activity(request.auth, activity_id)
    resident = find_resident(item, payload.key)
    if resident is None:
        raise Http404
    return Status(201, _out(act.do_sign_up(item, resident, actor=request.auth)))


@router.post(
    "/activities/{int:activity_id}/attendance",
    response=AttendanceLineOut,
    url_name="list_check_in",
    summary="组织者按名单签到或签退",
)
def list_move(request, activity_id: int, payload: ListMoveIn):
    item = get_organised_activity(request.auth, activity_id)
    resident = get_participant(item, payload.resident_id)
    if payload.move == "check_in":
        att.do_check_in_from_list(item, resident, actor=request.auth)
    else:
        row = Attendance.objects.filter(activity=item, resident=resident).first()
        if row is None:
            raise Http404
        att.do_check_out_from_list(row, actor=request.auth)
    return _lines(item, resident.pk)[0]


@router.post(
    "/activities/{int:activity_id}/attendance/entry",
    response=AttendanceLineOut,
    url_name="enter_attendance",
    summary="活动后补录签到签退（没有手机的居民；标为组织者补录）",
)
def enter(request, activity_id: int, payload: AttendanceEntryIn):
    item = get_organised_activity(request.auth, activity_id)
    resident = get_participant(item, payload.resident_id)
    att.do_enter_attendance(
        item,
        resident,
        actor=request.auth,
        check_in_at=payload.check_in_at,
        check_out_at=payload.check_out_at,
        note=payload.note,
    )
    return _lines(item, resident.pk)[0]


@router.post(
    "/activities/{int:activity_id}/close",
    response=CloseOut,
    url_name="close_attendance",
    summary="结束签到（活动结束后；返回缺少签退的名单）",
)
def close(request, activity_id: int):
    item = get_organised_activity(request.auth, activity_id)
    missing = att.do_close_attendance(item, actor=request.auth)
    return {
        "status": item.status,
        "missing_check_out": [_line(a.resident, None, a) for a in missing],
    }


@router.get(
    "/activities/{int:activity_id}/qr",
    response=QrOut,
    url_name="activity_qr",
    summary="签到二维码内容（组织者；轮换码每30秒更换，door=true 为打印用门口码）",
)
def qr_content(request, activity_id: int, door: bool = False):
    item = get_organised_activity(request.auth, activity_id)
    now = timezone.now().timestamp()
    window_end = item.ends_at.timestamp() + qr.CLOSE_AFTER_SECONDS
    open_now = item.status == ActivityStatus.OPEN and qr.in_window(item, now)
    if door:
        value, until = qr.door_token(item), window_end
    else:
        step = qr.step_at(now)
        value, until = qr.token(item, step), min((step + 2) * qr.STEP_SECONDS, window_end)
    if not (door or open_now):
        return {"kind": "rotating", "open": False, "url": "", "token": "", "valid_until": None}
    url = request.build_absolute_uri(reverse("associations:scan", args=[item.pk, value]))
    return {
        "kind": "door" if door else "rotating",
        "open": open_now,
        "url": url,
        "token": value,
        "valid_until": datetime.datetime.fromtimestamp(until, tz=datetime.UTC),
    }
