"""Report-in in real browsers: an in-service Party member who lives in HD reports in on his
phone (naming his employer's Party organisation), claims the weekend patrol post, and finds
it in his quarterly report; the HD branch secretary evaluates the quarter on a desk, and the
report's public verification page confirms it."""

import datetime

import pytest
from playwright.sync_api import expect

from tests.party_rows import body, party_resident_user, seat
from zizhi.party import actions
from zizhi.party.models import PartyMember, QuarterlyReport, quarter_of

pytestmark = pytest.mark.browser


def test_member_reports_in_claims_a_post_and_sees_it_in_his_report(world, open_as, output_dir):
    branch = body(world, "party_branch", world.hd)
    secretary = seat(branch, name="湖东书记")
    actions.do_register_organisation(
        world.hd, name="区税务局机关党支部", employer="区税务局", actor=secretary
    )
    actions.do_create_post(world.hd, title="周末巡逻", description="周六上午", actor=secretary)
    actions.do_create_post(world.hd, title="法律咨询", actor=secretary)
    member_user = party_resident_user(world.hd, "张建国")

    phone = open_as(member_user, large_text=True)
    phone.goto("/")
    phone.get_by_role("link", name="党员报到").click()
    phone.get_by_label("工作单位").fill("区税务局")
    phone.get_by_label("单位党组织（已在社区报到的）").select_option(label="区税务局机关党支部")
    phone.get_by_label("入党日期").fill("2010-07-01")
    phone.get_by_label("特长（如法律、医疗、维修）").fill("税务咨询")
    phone.get_by_role("button", name="报到").click()
    expect(phone.locator(".messages")).to_contain_text("报到成功")
    phone.get_by_role("button", name="认领“周末巡逻”").click()
    expect(phone.locator(".messages")).to_contain_text("认领成功")
    expect(phone.get_by_text("您已认领")).to_be_visible()

    phone.goto("/")
    phone.get_by_role("link", name="季度报告").click()
    expect(phone.locator(".claimed-posts")).to_contain_text("周末巡逻")
    expect(phone.get_by_text("社区党支部还没有评价。")).to_be_visible()
    phone.screenshot(path=str(output_dir / "party-report-phone.png"), full_page=True)

    member = PartyMember.objects.get(resident=member_user.resident)
    assert (member.status, member.organisation.name) == ("in_service", "区税务局机关党支部")
    quarter = quarter_of(datetime.date.today())

    desk = open_as(secretary, phone=False)
    desk.goto("/")
    desk.get_by_role("link", name="湖东社区党建工作台").click()
    desk.get_by_role("link", name="张建国").click()
    expect(desk.get_by_text("周末巡逻")).to_be_visible()
    desk.get_by_role("link", name=f"{quarter} 季度报告").click()
    desk.get_by_label("优秀").check()
    desk.get_by_label("评语").fill("积极参加周末巡逻")
    desk.get_by_role("button", name="保存评价并出具报告").click()
    expect(desk.locator(".messages")).to_contain_text("季度报告已出具")
    expect(desk.get_by_role("link", name="打印报告（PDF，带核验二维码）")).to_be_visible()
    desk.screenshot(path=str(output_dir / "party-evaluate-desk.png"), full_page=True)

    report = QuarterlyReport.objects.get(member=member, quarter=quarter)
    phone.reload()
    expect(phone.get_by_text("优秀")).to_be_visible()
    phone.goto(f"/party/verify/{report.verify_code}/")
    expect(phone.get_by_role("status")).to_contain_text("本报告真实有效")
    expect(phone.get_by_text("张*国")).to_be_visible()
    expect(phone.get_by_text(report.number)).to_be_visible()
