"""Check-in and check-out: the rotating QR code, replay refused, the list, afterwards entry,
minutes clipped to the window and the daily cap, missing check-outs flagged."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from zizhi.associations import qr
from zizhi.associations.actions import activities as act
from zizhi.associations.actions import attendance as att
from zizhi.associations.models import (
    ActivityStatus,
    Attendance,
    AttendanceSource,
    VolunteerRules,
)

from . import assoc_rows as rows

pytestmark = pytest.mark.django_db
MIN = 60


def running(world, hours=2, **extra):
    """An activity that started ten minutes ago, with resident_a signed up."""
    extra.setdefault("capacity", 10)
    a = rows.activity(world.hd, world.worker_a, starts_in_hours=-10 / 60, hours=hours, **extra)
    a.signup_deadline = a.starts_at + datetime.timedelta(hours=1)
    a.save()
    act.do_sign_up(a, world.resident_a.resident, actor=world.resident_a)
    return a


def test_scan_checks_in_then_out_with_minutes_in_the_window(world):
    a = running(world)
    t0 = a.starts_at.timestamp() - 20 * MIN  # early arrival: counted from the start
    first = att.do_scan(a, qr.current_token(a, t0), actor=world.resident_a, timestamp=t0)
    assert first.check_in_source == AttendanceSource.QR and first.check_out_at is None
    with pytest.raises(ValidationError, match="请在活动结束时再扫码签退"):
        att.do_scan(a, qr.current_token(a, t0 + 60), actor=world.resident_a, timestamp=t0 + 60)
    t1 = a.ends_at.timestamp() + 15 * MIN  # stays late: counted until the end
    done = att.do_scan(a, qr.current_token(a, t1), actor=world.resident_a, timestamp=t1)
    assert done.minutes == 120
    with pytest.raises(ValidationError, match="已经签退"):
        att.do_scan(a, qr.current_token(a, t1 + 5), actor=world.resident_a, timestamp=t1 + 5)


def test_a_photo_of_the_code_does_not_work_later_or_for_another_activity(world):
    a = running(world)
    other = running(world)
    now = a.starts_at.timestamp() + 5 * MIN
    code = qr.current_token(a, now)
    # the same step and the one after are accepted (a scan at a step's edge) ...
    assert qr.kind_of(a, code, now + qr.STEP_SECONDS) == "rotating"
    # ... two steps later it is refused
    with pytest.raises(ValidationError, match="二维码已过期"):
        att.do_scan(a, code, actor=world.resident_a, timestamp=now + 2 * qr.STEP_SECONDS)
    with pytest.raises(ValidationError, match="二维码已过期"):
        att.do_scan(other, code, actor=world.resident_a, timestamp=now)
    # outside the window, even the current code and the door sheet's code are refused
    late = a.ends_at.timestamp() + qr.CLOSE_AFTER_SECONDS + 60
    for token in (qr.current_token(a, late), qr.door_token(a)):
        with pytest.raises(ValidationError, match="不在活动签到时间内"):
            att.do_scan(a, token, actor=world.resident_a, timestamp=late)
    # the printed door sheet works inside the window, for those signed up
    assert att.do_scan(a, qr.door_token(a), actor=world.resident_a, timestamp=now).pk
    with pytest.raises(ValidationError, match="没有报名"):
        att.do_scan(a, qr.door_token(a), actor=world.resident_b, timestamp=now)
    with pytest.raises(PermissionDenied):
        att.do_scan(a, qr.door_token(a), actor=world.worker_a, timestamp=now)


def test_the_daily_cap_counts_the_days_other_service(world):
    VolunteerRules.objects.create(community=world.hd, daily_cap_minutes=150)
    morning = running(world, hours=2)
    t = morning.starts_at.timestamp()
    att.do_scan(morning, qr.current_token(morning, t), actor=world.resident_a, timestamp=t)
    t2 = morning.ends_at.timestamp()
    assert (
        att.do_scan(
            morning, qr.current_token(morning, t2), actor=world.resident_a, timestamp=t2
        ).minutes
        == 120
    )
    later = running(world, hours=2)  # same day: only 30 minutes of the cap remain
    r = world.resident_a.resident
    entry = att.do_enter_attendance(
        later, r, actor=world.worker_a, check_in_at=later.starts_at, check_out_at=later.ends_at
    )
    assert entry.minutes == 30 and entry.organiser_entered


def test_organiser_list_afterwards_entry_and_missing_check_out(world):
    a = running(world)
    b = world.resident_b.resident  # a walk-in from another community, added by the organiser
    with pytest.raises(PermissionDenied):
        att.do_check_in_from_list(a, b, actor=world.worker_b)
    listed = att.do_check_in_from_list(a, world.resident_a.resident, actor=world.worker_a)
    assert listed.check_in_source == AttendanceSource.LIST and listed.entered_by == world.worker_a
    with pytest.raises(ValidationError, match="已经签到"):
        att.do_check_in_from_list(a, world.resident_a.resident, actor=world.worker_a)
    with pytest.raises(ValidationError, match="活动结束后才能结束签到"):
        att.do_close_attendance(a, actor=world.worker_a)
    # the activity ends (moved into the past); the check-out was missed
    a.starts_at -= datetime.timedelta(hours=5)
    a.ends_at -= datetime.timedelta(hours=5)
    a.save()
    Attendance.objects.filter(pk=listed.pk).update(
        check_in_at=a.starts_at + datetime.timedelta(minutes=5)
    )
    listed.refresh_from_db()
    missing = att.do_close_attendance(a, actor=world.worker_a)
    assert [m.resident_id for m in missing] == [world.resident_a.resident.pk]
    a.refresh_from_db()
    assert a.status == ActivityStatus.ENDED
    listed.refresh_from_db()
    assert listed.minutes is None  # flagged, never guessed
    fixed = att.do_enter_attendance(
        a,
        world.resident_a.resident,
        actor=world.worker_a,
        check_in_at=a.starts_at,
        check_out_at=a.starts_at + datetime.timedelta(minutes=90),
    )
    assert fixed.pk == listed.pk and fixed.check_in_at == listed.check_in_at
    assert fixed.check_out_source == AttendanceSource.AFTERWARDS


def test_refused_before_the_window_opens(world):
    a = rows.activity(world.hd, world.worker_a, starts_in_hours=5)
    act.do_sign_up(a, world.resident_a.resident, actor=world.resident_a)
    now = timezone.now().timestamp()
    with pytest.raises(ValidationError, match="不在活动签到时间内"):
        att.do_scan(a, qr.current_token(a, now), actor=world.resident_a, timestamp=now)
