"""Meetings API: list, detail with agenda and quorum, convene, notify, open, close; a
member's QR sign-in, staff ticking members present, the attendance list."""

from django.db.models import Count
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from zizhi.registry.api import Pages

from . import actions
from .access import (
    is_committee_member,
    is_staff_of,
    require_governance_community,
    seat_in,
    seats_of,
)
from .api_common import aware, meeting_for
from .models import Attendance, Body, Matter, Meeting, MeetingStatus, Membership
from .schemas import (
    AttendanceIn,
    AttendanceOut,
    AttendanceRow,
    MeetingDetailOut,
    MeetingIn,
    MeetingOut,
    NotifyIn,
    SignInIn,
    quorum_met,
    quorum_text,
)

router = Router()


@router.get(
    "/meetings",
    response=list[MeetingOut],
    url_name="list_meetings",
    summary="社区的会议（工作人员看全部，成员看本组织的）",
)
@paginate(Pages)
def list_meetings(request, community: str, status: str = ""):
    user = request.auth
    found = require_governance_community(user, community)
    if status and status not in MeetingStatus.values:
        raise HttpError(422, _("不支持的会议状态：%(s)s") % {"s": status})
    qs = Meeting.objects.filter(community=found)
    if not is_staff_of(user, found.pk) and not is_committee_member(user, found.subdistrict_id):
        qs = qs.filter(body_id__in=[s.body_id for s in seats_of(user)])
    if status:
        qs = qs.filter(status=status)
    return (
        qs.select_related("body", "community")
        .annotate(present_count=Count("attendances"))
        .order_by("-starts_at", "-id")
    )


def detail(meeting: Meeting, user) -> Meeting:
    """The meeting with what MeetingDetailOut reads: agenda with polls, present count."""
    meeting.item_rows = list(meeting.items.prefetch_related("polls"))
    meeting.present_count = meeting.attendances.count()
    meeting.show_token = is_staff_of(user, meeting.community_id)
    return meeting


@router.get(
    "/meetings/{int:meeting_id}",
    response=MeetingDetailOut,
    url_name="get_meeting",
    summary="会议详情：议程、应到实到、是否达到法定人数及其依据",
)
def get_meeting(request, meeting_id: int):
    return detail(meeting_for(request.auth, meeting_id), request.auth)


@router.post(
    "/meetings",
    response={201: MeetingDetailOut},
    url_name="convene_meeting",
    summary="召集会议（本社区工作人员）",
)
def convene_meeting(request, payload: MeetingIn):
    user = request.auth
    body = Body.objects.select_related("community").filter(pk=payload.body_id).first()
    if body is None or body.community_id is None or not is_staff_of(user, body.community_id):
        raise Http404
    wanted = {i.matter_id for i in payload.items if i.matter_id}
    matters = Matter.objects.filter(community_id=body.community_id, pk__in=wanted).in_bulk()
    if wanted - matters.keys():
        raise HttpError(400, _("议程关联的重大事项不存在"))
    meeting = actions.do_convene_meeting(
        body,
        title=payload.title,
        starts_at=aware(payload.starts_at),
        place=payload.place,
        items=[(i.title.strip(), i.text.strip(), matters.get(i.matter_id)) for i in payload.items],
        matter_type=payload.matter_type,
        actor=user,
    )
    return Status(201, detail(meeting_for(user, meeting.pk), user))


@router.post(
    "/meetings/{int:meeting_id}/notify",
    response=MeetingDetailOut,
    url_name="notify_meeting",
    summary="发出会议通知（不足章程规定天数须写明紧急理由）",
)
def notify_meeting(request, meeting_id: int, payload: NotifyIn | None = None):
    meeting = meeting_for(request.auth, meeting_id)
    reason = payload.urgent_reason if payload else ""
    actions.do_notify_meeting(meeting, urgent_reason=reason, actor=request.auth)
    return detail(meeting, request.auth)


@router.post(
    "/meetings/{int:meeting_id}/open",
    response=MeetingDetailOut,
    url_name="open_meeting",
    summary="开始会议：开放签到，确定应到人数",
)
def open_meeting(request, meeting_id: int):
    meeting = meeting_for(request.auth, meeting_id)
    actions.do_open_meeting(meeting, actor=request.auth)
    return detail(meeting, request.auth)


@router.post(
    "/meetings/{int:meeting_id}/close",
    response=MeetingDetailOut,
    url_name="close_meeting",
    summary="结束会议",
)
def close_meeting(request, meeting_id: int):
    meeting = meeting_for(request.auth, meeting_id)
    actions.do_close_meeting(meeting, actor=request.auth)
    return detail(meeting, request.auth)


def _row(meeting: Meeting, membership_id: int) -> dict:
    attendance = (
        Attendance.objects.filter(meeting=meeting, membership_id=membership_id)
        .select_related("membership")
        .get()
    )
    return _attendance_row(attendance.membership, attendance)


def _attendance_row(membership: Membership, attendance: Attendance | None) -> dict:
    return {
        "membership_id": membership.pk,
        "name": membership.name,
        "role": membership.role,
        "present": attendance is not None,
        "method": attendance.method if attendance else None,
        "signed_in_at": attendance.signed_in_at if attendance else None,
    }


@router.post(
    "/meetings/{int:meeting_id}/sign-in",
    response=AttendanceRow,
    url_name="sign_in",
    summary="成员扫码签到（再次签到不改变什么）",
)
def sign_in(request, meeting_id: int, payload: SignInIn):
    user = request.auth
    meeting = meeting_for(user, meeting_id)
    actions.do_sign_in(meeting, payload.token.strip(), actor=user)
    return _row(meeting, seat_in(user, meeting.body).membership_id)


@router.post(
    "/meetings/{int:meeting_id}/attendance",
    response=AttendanceRow,
    url_name="record_attendance",
    summary="工作人员登记成员出席",
)
def record_attendance(request, meeting_id: int, payload: AttendanceIn):
    meeting = meeting_for(request.auth, meeting_id)
    membership = Membership.objects.filter(
        pk=payload.membership_id, body__community_id=meeting.community_id
    ).first()
    if membership is None:
        raise Http404
    actions.do_record_attendance(meeting, membership, actor=request.auth)
    return _row(meeting, membership.pk)


@router.get(
    "/meetings/{int:meeting_id}/attendance",
    response=AttendanceOut,
    url_name="list_attendance",
    summary="出席情况：每位成员是否已签到",
)
def list_attendance(request, meeting_id: int):
    meeting = meeting_for(request.auth, meeting_id)
    present = {
        a.membership_id: a
        for a in Attendance.objects.filter(meeting=meeting).select_related("membership")
    }
    members = list(Membership.objects.active().filter(body=meeting.body).order_by("id"))
    rows = [_attendance_row(m, present.pop(m.pk, None)) for m in members]
    # someone who attended and has left the body since still counts for that meeting
    rows += [_attendance_row(a.membership, a) for a in present.values()]
    meeting.present_count = sum(1 for r in rows if r["present"])
    return {
        "expected": meeting.expected,
        "present": meeting.present_count,
        "quorum_met": quorum_met(meeting),
        "quorum_text": quorum_text(meeting),
        "members": rows,
    }
