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
    # two hours pass: the activity is over, resident_a forgot to check out
    Activity.objects.filter(pk=activity.pk).update(
        starts_at=activity.starts_at - datetime.timedelta(hours=3),
        ends_at=activity.ends_at - datetime.timedelta(hours=3),
    )
    Attendance.objects.filter(activity=activity).update(
        check_in_at=activity.starts_at - datetime.timedelta(hours=3)
    )
    attendance_url = reverse("associations:attendance", args=[activity.pk])
    lc.post(attendance_url, {"move": "close"})
    organise = lc.get(reverse("associations:organise", args=[activity.pk])).content.decode()
    assert "1 人缺少签退" in organise
    day_start = timezone.localtime(activity.starts_at - datetime.timedelta(hours=3))
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
