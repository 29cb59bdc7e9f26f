"""Demo: activities in progress, so the check-in pages have something to show. Runs after
zizhi.associations.demo (finds its rows by query): for the association led by the demo
leader login of HD, an activity running now (members signed up, some checked in by QR or
from the list, nobody checked out yet, the demo resident signed up so they can scan), one
that ended yesterday with attendance closed and awaiting attestation (one check-out missing
and flagged, one line entered afterwards by the organiser), and a volunteer service of the
building team next week with a waiting list. Deterministic, a handful of rows."""

import datetime

from django.db import transaction
from django.utils import timezone

from zizhi.accounts.models import User
from zizhi.audit.log import record
from zizhi.registry.models import Resident

from .demo import LEADER
from .models import (
    Activity,
    ActivityStatus,
    AssociationMember,
    Attendance,
    AttendanceSource,
    SignUp,
    Team,
    TeamMember,
)

RESIDENT_PHONE = "13900000001"


def logins() -> list:
    return []  # the leader's login is zizhi.associations.demo's


def build(subdistrict, password_hash) -> dict:
    leader = User.objects.filter(phone=LEADER[0]).select_related("resident").first()
    if leader is None:
        return {"activities_in_progress": 0}
    member = (
        AssociationMember.objects.filter(
            resident__user=leader,
            role="leader",
            left_on__isnull=True,
            association__subdistrict=subdistrict,
        )
        .select_related("association__community")
        .first()
    )
    if member is None:
        return {"activities_in_progress": 0}
    assoc = member.association
    community = assoc.community
    people = [
        m.resident
        for m in AssociationMember.objects.filter(association=assoc, left_on__isnull=True)
        .exclude(resident__user=leader)
        .select_related("resident")
        .order_by("id")
    ]
    me = Resident.objects.filter(user__phone=RESIDENT_PHONE, community=community).first()
    now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    yesterday = now - datetime.timedelta(days=1)

    def activity(title, start, hours, status, **extra):
        return Activity.objects.create(
            subdistrict=community.subdistrict,
            community=community,
            organiser_kind=extra.pop("organiser_kind", "association"),
            association=extra.pop("association", assoc),
            title=title,
            place=f"{community.name}活动室",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=hours),
            signup_deadline=start - datetime.timedelta(hours=2),
            status=status,
            created_by=leader,
            **extra,
        )

    with transaction.atomic():
        running = activity(
            f"{assoc.name}：社区公益课堂",
            now - datetime.timedelta(hours=1),
            3,
            ActivityStatus.OPEN,
            capacity=15,
            category="culture",
            description="请到场后扫描组织者手机上的二维码签到，结束时再扫一次签退。",
        )
        came = people[:8]
        signed = came + ([me] if me is not None and me not in came else [])
        SignUp.objects.bulk_create(
            SignUp(activity=running, resident=r, status="confirmed") for r in signed
        )
        Attendance.objects.bulk_create(
            Attendance(
                activity=running,
                resident=r,
                check_in_at=running.starts_at + datetime.timedelta(minutes=5 * i),
                check_in_source=AttendanceSource.LIST if i == 0 else AttendanceSource.QR,
                entered_by=leader if i == 0 else None,
            )
            for i, r in enumerate(came[:5])
        )

        ended = activity(
            f"{assoc.name}：陪伴独居老人",
            yesterday.replace(hour=9),
            2,
            ActivityStatus.ENDED,
            capacity=10,
            category="elderly",
        )
        helpers = people[8:14] or people[:6]
        SignUp.objects.bulk_create(
            SignUp(activity=ended, resident=r, status="confirmed") for r in helpers
        )
        rows = []
        for i, r in enumerate(helpers):
            start = ended.starts_at + datetime.timedelta(minutes=10 * (i % 3))
            missing = i == len(helpers) - 1  # forgot to scan out: flagged, not guessed
            afterwards = i == 0  # no phone: entered by the organiser afterwards
            end = None if missing else ended.ends_at - datetime.timedelta(minutes=5 * (i % 2))
            source = AttendanceSource.AFTERWARDS if afterwards else AttendanceSource.QR
            rows.append(
                Attendance(
                    activity=ended,
                    resident=r,
                    check_in_at=start,
                    check_out_at=end,
                    check_in_source=source,
                    check_out_source="" if missing else source,
                    entered_by=leader if afterwards else None,
                    minutes=None if missing else int((end - start).total_seconds() // 60),
                    note="没有智能手机，组织者补录" if afterwards else "",
                )
            )
        Attendance.objects.bulk_create(rows)

        made = [running, ended]
        team = Team.objects.filter(community=community).order_by("id").first()
        if team is not None:
            volunteers = [
                m.volunteer.resident
                for m in TeamMember.objects.filter(team=team, left_on__isnull=True)
                .select_related("volunteer__resident")
                .order_by("id")
            ]
            service = activity(
                "楼道清扫与消防通道检查",
                now.replace(hour=8) + datetime.timedelta(days=6),
                2,
                ActivityStatus.OPEN,
                organiser_kind="team",
                association=None,
                team=team,
                audience="volunteers",
                capacity=max(len(volunteers) - 2, 1),
                category="environment",
            )
            SignUp.objects.bulk_create(
                SignUp(
                    activity=service,
                    resident=r,
                    status="confirmed" if i < service.capacity else "waiting",
                )
                for i, r in enumerate(volunteers)
            )
            made.append(service)
        counts = {"activities_in_progress": len(made)}
        record(
            leader,
            "associations.demo_build_activities",
            community,
            community=community,
            extra=counts,
        )
    return counts
