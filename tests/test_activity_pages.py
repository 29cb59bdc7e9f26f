"""The activity pages end to end with Django's client: a leader publishes an activity, two
residents sign up (one waits), check in by the QR address, the organiser closes and attests,
the volunteer asks for a certificate, downloads the PDF, and its public page verifies it."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zizhi.associations import qr
from zizhi.associations.models import Activity, Attendance, Certificate, ServiceRecord

from . import assoc_rows as rows
from . import factories as f

pytestmark = pytest.mark.django_db


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


def test_the_whole_flow_through_the_pages(world):
    leader = rows.leader_user(world.hd)
    assoc = rows.association(world.hd, leader)
    lc = client_for(leader)
    start = timezone.localtime() + datetime.timedelta(minutes=20)
    form = {
        "title": "为独居老人送餐",
        "place": "老年食堂",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "capacity": "1",
        "audience": "public",
        "category": "elderly",
        "is_volunteer_service": "on",
    }
    r = lc.post(reverse("associations:new_activity", args=[assoc.pk]), form)
    activity = Activity.objects.get(title="为独居老人送餐")
    assert r.status_code == 302 and r.url == reverse("associations:organise", args=[activity.pk])
    assert (
        lc.get(reverse("associations:association", args=[assoc.pk]))
        .content.decode()
        .count("为独居老人送餐")
    )
    ra, other = client_for(world.resident_a), client_for(f.resident_user(world.hd, "邻居"))
    page = reverse("associations:activity", args=[activity.pk])
    ra.post(reverse("associations:sign_up", args=[activity.pk]))
    assert "您已报名" in ra.get(page).content.decode()
    other.post(reverse("associations:sign_up", args=[activity.pk]))
    assert "候补名单第 1 位" in other.get(page).content.decode()
    # the organiser's page shows the rotating code, which opens the scan page
    organise = lc.get(reverse("associations:organise", args=[activity.pk])).content.decode()
    token = qr.current_token(activity)
    assert "<svg" in organise and "缺少签退" not in organise
    scan = reverse("associations:scan", args=[activity.pk, token])
    assert "签到 / 签退" in ra.get(scan).content.decode()
    assert "签到成功" in ra.post(scan).content.decode()
    assert (
        "二维码已过期"
        in ra.post(reverse("associations:scan", args=[activity.pk, "0" * 20])).content.decode()
    )
    # time passes: the activity is over, resident_a forgot to check out. It is moved to
    # yesterday at 10:00 (not a fixed number of hours back), so the 90 minutes entered below
    # never cross midnight, whatever the time of day the test runs at
    yesterday = timezone.localtime() - datetime.timedelta(days=1)
    shift = activity.starts_at - yesterday.replace(hour=10, minute=0, second=0, microsecond=0)
    Activity.objects.filter(pk=activity.pk).update(
        starts_at=activity.starts_at - shift, ends_at=activity.ends_at - shift
    )
    Attendance.objects.filter(activity=activity).update(check_in_at=activity.starts_at - shift)
    attendance_url = reverse("associations:attendance", args=[activity.pk])
    lc.post(attendance_url, {"move": "close"})
    organise = lc.get(reverse("associations:organise", args=[activity.pk])).content.decode()
    assert "1 人缺少签退" in organise
    day_start = timezone.localtime(activity.starts_at - shift)
    lc.post(
        attendance_url,
        {
            "move": "enter",
            "resident": world.resident_a.resident.pk,
            "in": day_start.strftime("%H:%M"),
            "out": (day_start + datetime.timedelta(minutes=90)).strftime("%H:%M"),
        },
    )
    lc.post(reverse("associations:attest", args=[activity.pk]))
    record = ServiceRecord.objects.get()
    assert record.minutes == 90 and record.attested_by == leader
    mine = ra.get(reverse("associations:my_records")).content.decode()
    assert "累计服务 1.5 小时" in mine and record.number in mine
    # a certificate needs a volunteer registration
    r = ra.post(reverse("associations:issue_certificate"), follow=True)
    assert "只有登记的志愿者" in r.content.decode()
    rows.volunteer(world.resident_a.resident)
    ra.post(reverse("associations:issue_certificate"))
    cert = Certificate.objects.get()
    pdf = ra.get(reverse("associations:certificate_pdf", args=[cert.number]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert (
        client_for(world.resident_b)
        .get(reverse("associations:certificate_pdf", args=[cert.number]))
        .status_code
        == 404
    )
    public = Client().get(reverse("associations:verify", args=[cert.verify_code])).content.decode()
    assert "本证明真实有效" in public and cert.id_number_masked in public and "1.5 小时" in public
    assert world.resident_a.resident.phone not in public
    assert Client().get(reverse("associations:verify", args=["nope"])).status_code == 404


def test_list_pages_do_not_query_per_row(world, django_assert_max_num_queries):
    for i in range(15):
        rows.activity(world.hd, world.worker_a, title=f"活动{i}", starts_in_hours=24 * (i - 7))
    c = Client()
    with django_assert_max_num_queries(8):
        r = c.get(reverse("associations:activities", args=["HD"]))
    assert r.content.decode().count("notice-item") == 15


def test_editing_adding_a_walk_in_and_the_door_sheet(world, django_assert_max_num_queries):
    lc = client_for(world.worker_a)
    activity = rows.activity(world.hd, world.worker_a, capacity=1)
    waiting = f.resident_user(world.hd, "候补")
    activity.signups.create(resident=world.resident_a.resident, status="confirmed")
    activity.signups.create(resident=waiting.resident, status="waiting")
    edit = reverse("associations:edit_activity", args=[activity.pk])
    page = lc.get(edit).content.decode()
    start = timezone.localtime(activity.starts_at)
    assert start.strftime("%Y-%m-%dT%H:%M") in page  # the current values, in local time
    form = {
        "title": activity.title,
        "place": "2栋架空层",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": timezone.localtime(activity.ends_at).strftime("%Y-%m-%dT%H:%M"),
        "signup_deadline": timezone.localtime(activity.signup_deadline).strftime("%Y-%m-%dT%H:%M"),
        "capacity": "2",
        "audience": "public",
        "category": "other",
        "is_volunteer_service": "on",
    }
    r = lc.post(edit, form)
    assert r.status_code == 302
    activity.refresh_from_db()
    assert activity.place == "2栋架空层" and activity.capacity == 2
    assert activity.signups.get(resident=waiting.resident).status == "confirmed"
    assert world.resident_a.inbox.filter(subject__contains="活动变更").exists()
    # others cannot open the edit page
    assert client_for(world.worker_b).get(edit).status_code == 404
    assert client_for(world.resident_a).get(edit).status_code == 404
    # a neighbour came without signing up: found by phone, added to the list
    walk_in = f.resident_user(world.hd, "路过")
    walk_in.resident.phone = "13900001111"
    walk_in.resident.save()
    attendance_url = reverse("associations:attendance", args=[activity.pk])
    lc.post(attendance_url, {"move": "add", "key": "13900001111"})
    assert activity.signups.get(resident=walk_in.resident).by_organiser
    # resident_b lives in another community: not found
    lc.post(attendance_url, {"move": "add", "key": world.resident_b.resident.phone or "x"})
    assert not activity.signups.filter(resident=world.resident_b.resident).exists()
    # a resident not on the list cannot be checked in by id
    outsider = f.resident_user(world.hd, "外人").resident
    assert lc.post(attendance_url, {"move": "check_in", "resident": outsider.pk}).status_code == 404
    # the organiser's page: no query per line
    for i in range(12):
        activity.signups.create(
            resident=f.resident_user(world.hd, f"居民{i}").resident, status="waiting"
        )
    with django_assert_max_num_queries(25):
        organise = lc.get(reverse("associations:organise", args=[activity.pk]))
    assert organise.content.decode().count("<tr") >= 15
    # the printable door sheet carries the door code of this activity
    door = lc.get(reverse("associations:door", args=[activity.pk])).content.decode()
    assert "<svg" in door
    assert (
        client_for(world.resident_a)
        .get(reverse("associations:door", args=[activity.pk]))
        .status_code
        == 404
    )


def test_the_residents_list_shows_their_sign_ups_on_top(world, django_assert_max_num_queries):
    from zizhi.associations.models import Association

    mine = rows.activity(world.hd, world.worker_a, title="我要去的活动")
    mine.signups.create(resident=world.resident_a.resident, status="waiting")
    wide = Association.objects.create(subdistrict=world.dh, name="街道志愿者协会", kind="culture")
    street = rows.activity(world.hd, world.worker_a, title="街道活动")
    type(street).objects.filter(pk=street.pk).update(
        community=None, organiser_kind="association", association=wide
    )
    for i in range(10):
        rows.activity(world.hd, world.worker_a, title=f"活动{i}")
    c = client_for(world.resident_a)
    with django_assert_max_num_queries(12):
        page = c.get(reverse("associations:activities", args=["HD"])).content.decode()
    assert "我报名的活动" in page and "候补" in page
    assert page.index("我要去的活动") < page.index("近期活动")
    assert "街道活动" in page  # a subdistrict-wide association's activity
    other = client_for(world.resident_b).get(reverse("associations:activities", args=["HD"]))
    assert "我报名的活动" not in other.content.decode()
