"""Participation: residents who attended any activity in the last 12 months as a share of
residents, overall, by age band and by building; and the staff pages around volunteers."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zizhi.associations.models import Attendance, AttendanceSource, Volunteer
from zizhi.associations.queries import participation
from zizhi.registry.models import Resident

from . import assoc_rows as rows
from . import factories as f
from .upload_files import REAL_PNG

pytestmark = pytest.mark.django_db


def born(age):
    return timezone.localdate() - datetime.timedelta(days=int(365.25 * age) + 40)


def attend(activity, resident):
    Attendance.objects.create(
        activity=activity,
        resident=resident,
        check_in_at=activity.starts_at,
        check_in_source=AttendanceSource.LIST,
    )


def test_participation_by_age_band_and_building(world):
    old = [
        f.resident(
            world.hd, name=f"老人{i}", born=born(75), hh=f.household(world.hd, "1栋", f"10{i}")
        )
        for i in range(4)
    ]
    young = [
        f.resident(
            world.hd, name=f"青年{i}", born=born(25), hh=f.household(world.hd, "2栋", f"20{i}")
        )
        for i in range(2)
    ]
    recent = rows.activity(world.hd, world.worker_a, starts_in_hours=-24 * 30)
    long_ago = rows.activity(world.hd, world.worker_a, starts_in_hours=-24 * 400)
    for r in old[:3]:
        attend(recent, r)
    attend(long_ago, young[0])  # more than 12 months ago: does not count
    attend(recent, world.resident_b.resident)  # another community's resident: not counted in HD
    figures = participation(world.hd)
    total = Resident.objects.filter(community=world.hd).count()
    assert (figures["overall"].residents, figures["overall"].took_part) == (total, 3)
    bands = {s.label: (s.residents, s.took_part) for s in figures["by_band"]}
    assert bands["70-79"] == (5, 3)  # resident_a is 76 and bands["18-34"][1] == 0
    buildings = {s.label: (s.residents, s.took_part, s.percent) for s in figures["by_building"]}
    assert buildings["1栋"] == (4, 3, 75.0)


def test_the_participation_page_and_volunteer_pages(world):
    rows.activity(world.hd, world.worker_a)
    c = Client()
    c.force_login(world.worker_a)
    page = c.get(reverse("associations:participation", args=["HD"])).content.decode()
    assert "居民参与率" in page and "70-79" in page
    walk_in = f.resident(world.hd, name="来登记的老人")
    c.post(
        reverse("associations:volunteers", args=["HD"]), {"resident": walk_in.pk, "skills": "修理"}
    )
    v = Volunteer.objects.get(resident=walk_in)
    assert v.by_worker and v.skills == "修理"
    assert "HDV00001" in c.get(reverse("associations:volunteers", args=["HD"])).content.decode()
    c.post(
        reverse("associations:rules", args=["HD"]),
        {
            "daily_cap_minutes": "300",
            "four_eyes": "on",
            "guardian_consent_under": "18",
            "minors_only_under": "14",
            "cancel_hours_before": "2",
        },
    )
    assert 'value="300"' in c.get(reverse("associations:rules", args=["HD"])).content.decode()
    r = Client()
    r.force_login(world.resident_a)
    r.post(reverse("associations:register"), {"skills": "陪伴聊天"})
    assert Volunteer.objects.get(resident=world.resident_a.resident).number == "HDV00002"


def test_a_leader_manages_members_on_the_page(world):
    leader = rows.leader_user(world.hd)
    assoc = rows.association(world.hd, leader)
    c = Client()
    c.force_login(leader)
    change = reverse("associations:member_change", args=[assoc.pk])
    c.post(change, {"move": "add", "phone": world.resident_a.resident.phone})
    page = c.get(reverse("associations:members", args=[assoc.pk])).content.decode()
    assert world.resident_a.resident.name in page
    r = c.post(change, {"move": "add", "phone": "00000000000"}, follow=True)
    assert "没有找到这个手机号的居民" in r.content.decode()
    c.post(
        change, {"move": "texts", "description": "每周三练字", "charter_text": "第一条 自愿入会"}
    )
    public = Client().get(reverse("associations:association", args=[assoc.pk])).content.decode()
    assert "每周三练字" in public and "第一条 自愿入会" in public


PNG = REAL_PNG


def test_a_leader_uploads_a_photo_shown_on_the_public_page(world, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    leader = rows.leader_user(world.hd)
    assoc = rows.association(world.hd, leader)
    c = Client()
    c.force_login(leader)
    upload = reverse("associations:add_photo", args=[assoc.pk])
    bad = c.post(upload, {"photo": SimpleUploadedFile("a.png", b"MZ not a picture")}, follow=True)
    assert "格式不对" in bad.content.decode() and not assoc.photos.exists()
    c.post(upload, {"photo": SimpleUploadedFile("合影.png", PNG), "caption": "重阳合影"})
    photo = assoc.photos.get()
    page = Client().get(reverse("associations:association", args=[assoc.pk])).content.decode()
    assert reverse("associations:photo", args=[assoc.pk, photo.pk]) in page and "重阳合影" in page
    got = Client().get(reverse("associations:photo", args=[assoc.pk, photo.pk]))
    assert b"".join(got.streaming_content) == PNG
    assert (
        c.post(
            reverse("associations:add_photo", args=[rows.association(world.hd, name="别的协会").pk])
        ).status_code
        == 404
    )


def test_staff_publish_a_community_activity(world):
    c = Client()
    c.force_login(world.worker_a)
    start = timezone.localtime() + datetime.timedelta(days=2)
    c.post(
        reverse("associations:new_community_activity", args=["HD"]),
        {
            "title": "社区大扫除",
            "place": "中心花园",
            "audience": "public",
            "category": "environment",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    from zizhi.associations.models import Activity

    made = Activity.objects.get(title="社区大扫除")
    assert made.organiser_kind == "community" and made.community == world.hd
    organise = reverse("associations:organise", args=[made.pk])
    assert "取消活动" in c.get(organise).content.decode()
    c.post(
        reverse("associations:attendance", args=[made.pk]), {"move": "cancel", "reason": "台风预警"}
    )
    made.refresh_from_db()
    assert made.status == "cancelled" and made.cancel_reason == "台风预警"


def test_staff_build_a_team_and_its_leader_organises(world):
    from zizhi.associations.access import can_organise
    from zizhi.associations.models import Team

    c = Client()
    c.force_login(world.worker_a)
    teams = reverse("associations:teams", args=["HD"])
    c.post(teams, {"move": "create", "name": "3栋志愿服务队"})
    rows.volunteer(world.resident_a.resident)
    team = Team.objects.get(name="3栋志愿服务队")
    number = world.resident_a.resident.volunteer.number
    c.post(teams, {"move": "add", "team": team.pk, "number": number.lower(), "role": "leader"})
    assert team.members.get().role == "leader"
    assert number in c.get(teams).content.decode()
    r = c.post(teams, {"move": "add", "team": team.pk, "number": "NOPE"}, follow=True)
    assert "没有找到这个编号" in r.content.decode()
    theirs = rows.activity(world.hd, world.worker_a, organiser_kind="team", team=team)
    assert can_organise(world.resident_a, theirs)
