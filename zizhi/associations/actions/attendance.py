"""Attendance: check-in and check-out by QR, from the organiser's list, or entered after the
activity for residents without a phone (marked as organiser-entered). Minutes are computed,
never guessed: check-out minus check-in, inside the activity's window, under the daily cap.
A missing check-out stays missing and is flagged to the organiser."""

import datetime
import time

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from zizhi.accounts.access import access_for
from zizhi.audit.log import record
from zizhi.registry.models import Resident

from .. import qr
from ..access import can_organise
from ..models import (
    Activity,
    ActivityStatus,
    Attendance,
    AttendanceSource,
    Audience,
    SignUp,
    SignUpStatus,
    VolunteerRules,
)
from .common import require, scope_of

# A second scan sooner than this after check-in is taken as a repeat, not a check-out.
MIN_MINUTES_BEFORE_CHECK_OUT = 5


def compute_minutes(activity: Activity, attendance: Attendance) -> int:
    """Check-out minus check-in, clipped to the activity's window, under the daily cap
    (which counts the resident's other attended minutes that day)."""
    start = max(attendance.check_in_at, activity.starts_at)
    end = min(attendance.check_out_at, activity.ends_at)
    minutes = max(int((end - start).total_seconds() // 60), 0)
    day = timezone.localdate(activity.starts_at)
    others = (
        Attendance.objects.filter(
            resident_id=attendance.resident_id,
            activity__starts_at__date=day,
            minutes__isnull=False,
        )
        .exclude(pk=attendance.pk)
        .aggregate(total=Sum("minutes"))["total"]
        or 0
    )
    cap = VolunteerRules.for_community(activity.community_id).daily_cap_minutes
    return min(minutes, max(cap - others, 0))


def _resident_of(actor) -> Resident:
    resident_id = access_for(actor).resident_id
    if resident_id is None:
        raise PermissionDenied(_("请用居民账号登录后扫码"))
    return Resident.objects.get(pk=resident_id)


def _signed_up(activity, resident) -> bool:
    return SignUp.objects.filter(
        activity=activity, resident=resident, status=SignUpStatus.CONFIRMED
    ).exists()


def open_door(activity) -> bool:
    """A public activity without a limit: anyone logged in may check in without signing up."""
    return activity.audience == Audience.PUBLIC and activity.capacity is None


def _check_out(attendance, at, source, actor, activity) -> Attendance:
    require(at >= attendance.check_in_at, _("签退时间不能早于签到时间"))
    attendance.check_out_at = at
    attendance.check_out_source = source
    attendance.minutes = compute_minutes(activity, attendance)
    attendance.save(update_fields=["check_out_at", "check_out_source", "minutes"])
    record(
        actor,
        "associations.check_out",
        attendance,
        **scope_of(activity),
        after={
            "activity": activity.pk,
            "resident": attendance.resident_id,
            "source": source,
            "minutes": attendance.minutes,
        },
    )
    return attendance


def do_scan(activity: Activity, token: str, *, actor, timestamp: float | None = None) -> Attendance:
    """The volunteer scanned the activity's code: the first scan checks in, the next (at least
    a few minutes later) checks out. A code of another activity, an expired rotating code or
    any scan outside the activity's window is refused."""
    timestamp = time.time() if timestamp is None else timestamp
    resident = _resident_of(actor)
    kind = qr.kind_of(activity, token, timestamp)
    if kind is None:
        if not qr.in_window(activity, timestamp):
            require(False, _("现在不在活动签到时间内"))
        require(False, _("二维码已过期，请扫描组织者手机上的最新二维码"))
    require(activity.status == ActivityStatus.OPEN, _("活动已结束或已取消"))
    require(_signed_up(activity, resident) or open_door(activity), _("您没有报名这个活动"))
    at = datetime.datetime.fromtimestamp(timestamp, tz=datetime.UTC)
    with transaction.atomic():
        Activity.objects.select_for_update().filter(pk=activity.pk).first()
        attendance = (
            Attendance.objects.select_for_update()
            .filter(activity=activity, resident=resident)
            .first()
        )
        if attendance is None:
            attendance = Attendance.objects.create(
                activity=activity,
                resident=resident,
                check_in_at=at,
                check_in_source=AttendanceSource.QR,
            )
            record(
                actor,
                "associations.check_in",
                attendance,
                **scope_of(activity),
                after={
                    "activity": activity.pk,
                    "resident": resident.pk,
                    "source": "qr",
                    "code": kind,
                },
            )
            return attendance
        require(attendance.check_out_at is None, _("您已经签退了"))
        require(
            at - attendance.check_in_at >= datetime.timedelta(minutes=MIN_MINUTES_BEFORE_CHECK_OUT),
            _("您已签到，请在活动结束时再扫码签退"),
        )
        return _check_out(attendance, at, AttendanceSource.QR, actor, activity)


def _require_organiser(actor, activity) -> None:
    if not can_organise(actor, activity):
        raise PermissionDenied(_("您不能管理这个活动的签到"))


def do_check_in_from_list(activity: Activity, resident, *, actor, at=None) -> Attendance:
    """The organiser ticks a signed-up resident as arrived (now, during the activity)."""
    _require_organiser(actor, activity)
    require(activity.status == ActivityStatus.OPEN, _("活动已结束或已取消"))
    at = at or timezone.now()
    require(qr.in_window(activity, at.timestamp()), _("现在不在活动签到时间内"))
    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(
                activity=activity,
                resident=resident,
                check_in_at=at,
                check_in_source=AttendanceSource.LIST,
                entered_by=actor,
            )
            record(
                actor,
                "associations.check_in",
                attendance,
                **scope_of(activity),
                after={"activity": activity.pk, "resident": resident.pk, "source": "list"},
            )
    except IntegrityError:
        require(False, _("%(n)s 已经签到") % {"n": resident.name})
    return attendance


def do_check_out_from_list(attendance: Attendance, *, actor, at=None) -> Attendance:
    activity = attendance.activity
    _require_organiser(actor, activity)
    with transaction.atomic():
        attendance = Attendance.objects.select_for_update().get(pk=attendance.pk)
        require(attendance.check_out_at is None, _("已经签退"))
        return _check_out(attendance, at or timezone.now(), AttendanceSource.LIST, actor, activity)


def do_enter_attendance(
    activity: Activity, resident, *, actor, check_in_at, check_out_at, note: str = ""
) -> Attendance:
    """After the activity, for a resident without a phone: both times entered by the
    organiser, marked as organiser-entered."""
    _require_organiser(actor, activity)
    require(timezone.now() >= activity.starts_at, _("活动开始后才能补录"))
    require(
        activity.status in (ActivityStatus.OPEN, ActivityStatus.ENDED), _("活动已取消或时长已认定")
    )
    require(
        check_in_at and check_out_at and check_out_at > check_in_at, _("签退时间必须晚于签到时间")
    )
    with transaction.atomic():
        attendance = (
            Attendance.objects.select_for_update()
            .filter(activity=activity, resident=resident)
            .first()
        )
        if attendance is None:
            attendance = Attendance(
                activity=activity,
                resident=resident,
                check_in_at=check_in_at,
                check_in_source=AttendanceSource.AFTERWARDS,
            )
        require(
            attendance.check_out_at is None,
            _("%(n)s 已有完整的签到签退记录") % {"n": resident.name},
        )
        require(
            check_out_at > attendance.check_in_at,
            _("签退时间必须晚于签到时间（%(t)s）")
            % {"t": timezone.localtime(attendance.check_in_at).strftime("%H:%M")},
        )
        attendance.check_out_at = check_out_at
        attendance.check_out_source = AttendanceSource.AFTERWARDS
        attendance.entered_by = actor
        attendance.note = (note or "")[:200]
        attendance.minutes = compute_minutes(activity, attendance)
        attendance.save()
        record(
            actor,
            "associations.enter_attendance",
            attendance,
            **scope_of(activity),
            after={"activity": activity.pk, "resident": resident.pk, "minutes": attendance.minutes},
        )
    return attendance


def do_close_attendance(activity: Activity, *, actor) -> list[Attendance]:
    """End the activity's attendance; returns the rows still missing a check-out (flagged for
    the organiser to resolve before attesting, never guessed)."""
    _require_organiser(actor, activity)
    require(timezone.now() >= activity.ends_at, _("活动结束后才能结束签到"))
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        require(locked.status == ActivityStatus.OPEN, _("活动已结束或已取消"))
        locked.status = ActivityStatus.ENDED
        locked.save(update_fields=["status"])
        missing = list(
            locked.attendance.filter(check_out_at__isnull=True).select_related("resident")
        )
        record(
            actor,
            "associations.close_attendance",
            locked,
            **scope_of(locked),
            extra={"attended": locked.attendance.count(), "missing_check_out": len(missing)},
        )
    activity.status = locked.status
    return missing
