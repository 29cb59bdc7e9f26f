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


def test_the_demo_has_a_check_in_in_progress_and_a_missing_check_out(world, client, monkeypatch):
    import datetime as dt

    from zizhi.associations import activity_demo
    from zizhi.associations.models import AssociationMember, Team, TeamMember

    from . import factories as f

    leader = rows.leader_user(world.hd)
    monkeypatch.setattr(activity_demo, "LEADER", (leader.phone, leader.name))
    assoc = rows.association(world.hd, leader)
    members = [f.resident_user(world.hd, name=f"会员{i}").resident for i in range(10)]
    for r in members:
        AssociationMember.objects.create(
            association=assoc, resident=r, joined_on=dt.date(2025, 1, 1)
        )
    team = Team.objects.create(community=world.hd, name="1栋志愿服务队")
    for r in members[:4]:
        TeamMember.objects.create(
            team=team, volunteer=rows.volunteer(r), joined_on=dt.date(2025, 1, 1)
        )
    assert activity_demo.build(world.dh, "") == {"activities_in_progress": 3}
    running = assoc.activities.get(status="open")
    now = timezone.now().timestamp()
    assert qr.in_window(running, now)
    assert running.attendance.filter(check_out_at__isnull=True).count() == 5
    ended = assoc.activities.get(status="ended")
    assert ended.attendance.filter(check_out_at__isnull=True).count() == 1
    assert any(a.organiser_entered for a in ended.attendance.all())
    service = team.activities.get()
    assert service.signups.filter(status="waiting").count() == 2
    client.force_login(leader)
    page = client.get(f"/activities/{ended.pk}/organise/").content.decode()
    assert "1 人缺少签退" in page
    assert "<svg" in client.get(f"/activities/{running.pk}/organise/").content.decode()


def test_the_door_sheet_of_an_open_activity_takes_anyone_logged_in(world, client):
    a = rows.activity(world.hd, world.worker_a, starts_in_hours=-0.2, capacity=None)
    now = timezone.now().timestamp()
    walk_in = att.do_scan(a, qr.door_token(a), actor=world.resident_b, timestamp=now)
    assert walk_in.resident == world.resident_b.resident
    client.force_login(world.worker_a)
    sheet = client.get(f"/activities/{a.pk}/door/").content.decode()
    valid_from = timezone.localtime(a.starts_at) - datetime.timedelta(minutes=30)
    assert f"本二维码只在 {valid_from:%H:%M}" in sheet and "请用手机扫码签到" in sheet
    limited = rows.activity(world.hd, world.worker_a, starts_in_hours=-0.2, capacity=5)
    with pytest.raises(ValidationError, match="没有报名"):
        att.do_scan(limited, qr.door_token(limited), actor=world.resident_b, timestamp=now)
    assert "已报名的居民请" in client.get(f"/activities/{limited.pk}/door/").content.decode()


def test_the_organisers_phone_page_and_its_refreshing_fragment(world, client):
    a = running(world)
    att.do_check_in_from_list(a, world.resident_a.resident, actor=world.worker_a)
    client.force_login(world.worker_a)
    page = client.get(f"/activities/{a.pk}/qr/").content.decode()
    assert "<html" in page and "<svg" in page and 'hx-trigger="every 10s"' in page
    assert "已签到 1 人，已签退 0 人" in page
    fragment = client.get(f"/activities/{a.pk}/qr/", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and fragment.lstrip().startswith('<div id="qr"')
    assert "<svg" in fragment
    client.force_login(world.resident_a)
    assert client.get(f"/activities/{a.pk}/qr/").status_code == 404
