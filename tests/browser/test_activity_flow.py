"""An activity in real browsers: an association leader publishes it on a desk; three residents
sign up on 390px phones; two of them check in and out by the QR code's address; the organiser
closes the attendance and attests the hours; a volunteer gets a certificate (PDF) and its
public verification page shows its facts."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import assoc_rows as rows
from tests import factories as f
from zizhi.associations import qr
from zizhi.associations.models import Activity, Attendance, Certificate, ServiceRecord

pytestmark = pytest.mark.browser


def test_leader_residents_qr_attestation_and_certificate(world, open_as):
    leader = rows.leader_user(world.hd, "赵会长")
    assoc = rows.association(world.hd, leader, name="助老服务社")
    desk = open_as(leader, phone=False)
    desk.goto(f"/associations/{assoc.pk}/")
    desk.get_by_role("link", name="发布活动").click()
    start = timezone.localtime() + datetime.timedelta(minutes=20)
    desk.get_by_label("活动名称").fill("陪老人聊天")
    desk.get_by_label("地点").fill("老年活动室")
    desk.get_by_label("开始时间").fill(start.strftime("%Y-%m-%dT%H:%M"))
    desk.get_by_label("结束时间").fill(
        (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    )
    desk.get_by_label("服务类别").select_option("elderly")
    desk.get_by_role("button", name="发布").click()
    expect(desk.locator(".messages")).to_contain_text("活动已发布")
    expect(desk.get_by_role("img", name="签到二维码")).to_be_visible()
    activity = Activity.objects.get(title="陪老人聊天")

    people = [world.resident_a] + [f.resident_user(world.hd, name) for name in ("钱阿姨", "孙大爷")]
    phones = []
    for user in people:
        phone = open_as(user)
        phone.goto(f"/activities/{activity.pk}/")
        phone.get_by_role("button", name="我要报名").click()
        expect(phone.locator(".messages")).to_contain_text("报名成功")
        expect(phone.get_by_text("您已报名")).to_be_visible()
        phones.append(phone)

    # two of them scan the code on the organiser's phone: the first scan checks in
    scan = f"/activities/{activity.pk}/scan/{qr.current_token(activity)}/"
    for phone in phones[:2]:
        phone.goto(scan)
        phone.get_by_role("button", name="签到 / 签退").click()
        expect(phone.get_by_role("status")).to_contain_text("签到成功")
    # two hours pass; they scan again when they leave
    earlier = activity.starts_at - datetime.timedelta(hours=2, minutes=30)
    Activity.objects.filter(pk=activity.pk).update(
        starts_at=earlier, ends_at=earlier + datetime.timedelta(hours=2)
    )
    Attendance.objects.filter(activity=activity).update(check_in_at=earlier)
    activity.refresh_from_db()
    for phone in phones[:2]:
        phone.goto(f"/activities/{activity.pk}/scan/{qr.current_token(activity)}/")
        phone.get_by_role("button", name="签到 / 签退").click()
        expect(phone.get_by_role("status")).to_contain_text("签退成功")

    desk.goto(f"/activities/{activity.pk}/organise/")
    desk.get_by_role("button", name="结束签到").click()
    expect(desk.locator(".messages")).to_contain_text("签到已结束")
    desk.get_by_role("button", name="认定服务时长").click()
    expect(desk.locator(".messages")).to_contain_text("服务时长已提交认定")
    assert ServiceRecord.objects.filter(activity=activity).count() == 2

    # resident_a registers as a volunteer and gets a certificate
    me = phones[0]
    me.goto("/volunteer/register/")
    me.get_by_label("技能特长").fill("陪伴聊天")
    me.get_by_role("button", name="登记").click()
    expect(me.locator(".messages")).to_contain_text("登记成功")
    expect(me.get_by_text("累计服务 2 小时")).to_be_visible()
    me.get_by_role("button", name="出具证明").click()
    expect(me.locator(".messages")).to_contain_text("证明已出具")
    cert = Certificate.objects.get()
    pdf = me.request.get(f"/volunteer/certificates/{cert.number}.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    public = open_as(None)
    public.goto(f"/verify/certificate/{cert.verify_code}/")
    expect(public.get_by_role("status")).to_have_text("本证明真实有效。")
    expect(public.get_by_text(cert.number)).to_be_visible()
    expect(public.get_by_text("2 小时", exact=True)).to_be_visible()
