"""Convening a meeting, notifying members, signing in, minutes."""

import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zizhi.accounts import messaging
from zizhi.audit.log import record

from ..access import is_staff_of, seat_in
from ..models import (
    AgendaItem,
    Attendance,
    Body,
    Meeting,
    MeetingStatus,
    Membership,
    SignInMethod,
)
from ..rules import count_base, pick_rule
from .common import refuse, require_staff


def notice_days(community) -> int:
    from ..charter import charter_in_force

    return charter_in_force(community).meeting_notice_days


def do_convene_meeting(
    body: Body,
    *,
    title: str,
    starts_at: datetime.datetime,
    place: str,
    items: list[tuple[str, str, object]],
    matter_type: str = "",
    actor,
) -> Meeting:
    """Create a meeting with its agenda: items are (title, text, matter or None)."""
    require_staff(actor, body.community_id)
    if not title.strip() or not place.strip():
        refuse(_("请填写会议名称和地点"))
    if not items:
        refuse(_("会议至少要有一项议程"))
    if any(not str(item[0]).strip() for item in items):
        refuse(_("每项议程都要填写议题"))
    with transaction.atomic():
        meeting = Meeting.objects.create(
            body=body,
            community_id=body.community_id,
            title=title.strip(),
            starts_at=starts_at,
            place=place.strip(),
            rule=pick_rule(body, matter_type),
            convened_by=actor,
        )
        for position, (item_title, text, matter) in enumerate(items, start=1):
            AgendaItem.objects.create(
                meeting=meeting, position=position, title=item_title, text=text, matter=matter
            )
        record(
            actor,
            "meeting.convene",
            meeting,
            community=body.community,
            after={"body": body.name, "starts_at": starts_at, "items": len(items)},
        )
    return meeting


def do_add_agenda_item(meeting: Meeting, *, title: str, text: str = "", matter=None, actor):
    require_staff(actor, meeting.community_id)
    if meeting.status == MeetingStatus.CLOSED:
        refuse(_("会议已结束，不能再增加议程"))
    with transaction.atomic():
        last = meeting.items.order_by("-position").values_list("position", flat=True).first()
        item = AgendaItem.objects.create(
            meeting=meeting, position=(last or 0) + 1, title=title, text=text, matter=matter
        )
        record(
            actor, "meeting.add_item", meeting, community=meeting.community, after={"item": title}
        )
    return item


def do_notify_meeting(meeting: Meeting, *, urgent_reason: str = "", actor) -> int:
    """Send the notice to every member. It must go out the charter's number of days before
    the meeting, unless an urgent reason is given (and recorded)."""
    require_staff(actor, meeting.community_id)
    if meeting.status != MeetingStatus.PLANNED:
        refuse(_("会议通知已经发出"))
    days = notice_days(meeting.community)
    late = meeting.starts_at - timezone.now() < datetime.timedelta(days=days)
    if late and not urgent_reason.strip():
        refuse(
            _("按章程须在会前%(d)s天通知；距开会不足%(d)s天，请填写紧急召开的理由") % {"d": days}
        )
    members = list(Membership.objects.active().filter(body=meeting.body).select_related("user"))
    url = reverse("governance:meeting", args=[meeting.community.code, meeting.pk])
    when = timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M")
    with transaction.atomic():
        meeting.status = MeetingStatus.NOTIFIED
        meeting.notified_at = timezone.now()
        meeting.save(update_fields=["status", "notified_at"])
        sent = messaging.send(
            [m.user for m in members],
            _("会议通知：%(t)s") % {"t": meeting.title},
            _("%(when)s 在 %(place)s 召开，请准时出席。") % {"when": when, "place": meeting.place},
            url,
        )
        record(
            actor,
            "meeting.notify",
            meeting,
            community=meeting.community,
            after={"members": len(members), "online": sent, "urgent_reason": urgent_reason},
        )
    return sent


def do_open_meeting(meeting: Meeting, *, actor) -> Meeting:
    """Start the meeting: sign-in opens and 应到 (the base of the quorum) is fixed."""
    require_staff(actor, meeting.community_id)
    if meeting.status == MeetingStatus.IN_PROGRESS:
        return meeting
    if meeting.status != MeetingStatus.NOTIFIED:
        refuse(_("请先发出会议通知，再开始会议"))
    with transaction.atomic():
        meeting.status = MeetingStatus.IN_PROGRESS
        meeting.opened_at = timezone.now()
        meeting.expected = count_base(meeting.rule.quorum_base, meeting.community, meeting.body)
        meeting.save(update_fields=["status", "opened_at", "expected"])
        record(
            actor,
            "meeting.open",
            meeting,
            community=meeting.community,
            after={"expected": meeting.expected},
        )
    return meeting


def _attend(meeting: Meeting, membership: Membership, method: str, actor) -> Attendance | None:
    if meeting.status != MeetingStatus.IN_PROGRESS:
        refuse(_("会议尚未开始或已经结束，不能签到"))
    if membership.body_id != meeting.body_id or membership.ended_on is not None:
        refuse(_("此人不是本会议的组成人员"))
    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(
                meeting=meeting,
                membership=membership,
                method=method,
                signed_in_at=timezone.now(),
                recorded_by=actor,
            )
            record(
                actor,
                "meeting.sign_in",
                meeting,
                community=meeting.community,
                after={"member": membership.name, "method": method},
            )
    except IntegrityError:
        return None  # already signed in: signing in twice changes nothing
    return attendance


def do_sign_in(meeting: Meeting, token: str, *, actor) -> Attendance | None:
    """A member signs themself in with the QR code shown at the meeting."""
    if token != meeting.signin_token:
        refuse(_("签到码不正确，请重新扫描会场的二维码"))
    seat = seat_in(actor, meeting.body)
    if seat is None:
        refuse(_("您不是本会议的组成人员"))
    return _attend(meeting, Membership.objects.get(pk=seat.membership_id), SignInMethod.QR, actor)


def do_record_attendance(
    meeting: Meeting, membership: Membership, *, method=SignInMethod.STAFF, actor
):
    """Staff tick a member present (from the list or from the paper sign-in sheet)."""
    require_staff(actor, meeting.community_id)
    return _attend(meeting, membership, method, actor)


def do_save_minutes(meeting: Meeting, minutes: str, *, actor) -> Meeting:
    if not is_staff_of(actor, meeting.community_id) and not _is_clerk(actor, meeting):
        refuse(_("只有工作人员或记录员可以填写会议记录"))
    with transaction.atomic():
        before = len(meeting.minutes)
        meeting.minutes = minutes
        meeting.save(update_fields=["minutes"])
        record(
            actor,
            "meeting.minutes",
            meeting,
            community=meeting.community,
            before={"chars": before},
            after={"chars": len(minutes)},
        )
    return meeting


def _is_clerk(actor, meeting) -> bool:
    seat = seat_in(actor, meeting.body)
    return seat is not None and seat.role == "clerk"


def do_close_meeting(meeting: Meeting, *, actor) -> Meeting:
    require_staff(actor, meeting.community_id)
    if meeting.status != MeetingStatus.IN_PROGRESS:
        refuse(_("会议不在进行中"))
    if meeting.items.filter(polls__status="open").exists():
        refuse(_("还有正在进行的表决，请先截止表决"))
    with transaction.atomic():
        meeting.status = MeetingStatus.CLOSED
        meeting.closed_at = timezone.now()
        meeting.save(update_fields=["status", "closed_at"])
        record(
            actor,
            "meeting.close",
            meeting,
            community=meeting.community,
            after={"present": meeting.attendances.count()},
        )
    return meeting
