"""Mediation in real browsers: resident_a asks for mediation on a phone in large text; HD's
lead assigns a mediator on a desk (the neighbour among the association's members is greyed
out with the reason); the mediator accepts, records a session and the agreement on a phone;
resident_a opens the printable mediation agreement (PDF)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories as f
from tests import mediation_rows as rows
from zizhi.mediation.models import CaseStatus, MediationCase

pytestmark = pytest.mark.browser


def test_a_case_runs_to_an_agreement_pdf(world, open_as, output_dir):
    assoc = rows.legal_association(world.hd)
    mediator = rows.mediator(assoc, world.hd, "调解员甲", "9栋", "901")
    rows.mediator(assoc, world.hd, "同楼会员", "2栋", "202")  # resident_a's building
    lead = f.user(name="调解负责人")
    rows.lead(world.hd, lead, world.worker_a)

    me = open_as(world.resident_a, large_text=True)
    me.goto("/")
    me.get_by_role("link", name="邻里有矛盾？申请调解").click()
    me.get_by_label("噪音").check()
    me.get_by_label("发生了什么（请简单说说）").fill("楼上每天夜里十一点以后还在拖椅子")
    me.get_by_label("对方是谁（姓名或称呼）").fill("楼上邻居")
    me.get_by_role("button", name="提交申请").click()
    expect(me.locator(".messages")).to_contain_text("已收到您的调解申请")
    case = MediationCase.objects.get()
    assert case.status == CaseStatus.REGISTERED

    desk = open_as(lead, phone=False)
    desk.goto("/c/HD/mediation/desk/")
    desk.get_by_role("link", name="去指派").click()
    expect(desk.get_by_text("与当事人同住一栋楼（邻居关系），须回避")).to_be_visible()
    expect(desk.get_by_role("button", name="指派同楼会员")).to_have_count(0)
    desk.get_by_role("button", name="指派调解员甲").click()
    expect(desk.locator(".messages")).to_contain_text("已指派")
    desk.screenshot(path=str(output_dir / "mediation-assigned.png"), full_page=True)

    phone = open_as(mediator.user)
    phone.goto("/mediation/")
    phone.get_by_role("link", name=case.number).click()
    phone.get_by_role("button", name="接受指派").click()
    expect(phone.locator(".messages")).to_contain_text("已接受指派")
    phone.get_by_label("地点").fill("社区调解室")
    phone.get_by_label("调解员甲").check()
    phone.get_by_label("调解记录（仅调解员和负责人可见）").fill("双方陈述，楼上同意加装防噪垫")
    phone.get_by_role("button", name="保存调解记录").click()
    expect(phone.locator(".messages")).to_contain_text("调解记录已保存")
    phone.get_by_role("link", name="记录调解结果").click()
    phone.get_by_role("radio", name="达成协议", exact=True).check()
    phone.get_by_label("纠纷事实及争议").fill("楼上夜间拖动椅子产生噪音")
    phone.get_by_label("协议内容（每行一条）").fill("晚十点后不拖动椅子\n椅子脚加装防噪垫")
    deadline = timezone.localdate() + datetime.timedelta(days=7)
    phone.get_by_label("履行期限").fill(deadline.isoformat())
    phone.get_by_role("button", name="保存调解结果").click()
    expect(phone.locator(".messages")).to_contain_text("调解结果已记录")

    me.goto(f"/mediation/cases/{case.pk}/")
    expect(me.get_by_text("晚十点后不拖动椅子")).to_be_visible()
    expect(me.get_by_text("双方陈述")).to_have_count(0)  # the notes are the mediators'
    me.screenshot(path=str(output_dir / "mediation-party-phone.png"), full_page=True)
    link = me.get_by_role("link", name="人民调解协议书（PDF）")
    pdf = me.request.get(link.get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    (output_dir / "mediation-agreement.pdf").write_bytes(pdf.body())
    case.refresh_from_db()
    assert case.status == CaseStatus.AGREED and case.term_list[1] == "椅子脚加装防噪垫"
