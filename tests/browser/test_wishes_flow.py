"""Wishes (微心愿) in real browsers: an elderly resident posts a wish on her phone in large
text; the community worker publishes it on the desk under a wording that hides her; an
in-service Party member reports in to the community where he lives (the party app), finds
the wish on the wall, claims it as a Party member, sees the 7-day contact deadline, reveals
her contact, records the contact and the fulfilment with a photo; she confirms on her phone,
the member's hours become a service record and show in his quarterly Party report."""

import re

import pytest
from playwright.sync_api import expect

from tests.party_rows import party_resident_user
from tests.upload_files import REAL_PNG
from tests.wishes_rows import beneficiary
from zizhi.associations.models import ServiceRecord
from zizhi.party.models import PartyMember, ReportIn, quarter_of
from zizhi.party.queries import is_member
from zizhi.wishes.models import Claim, Wish

pytestmark = pytest.mark.browser

PNG = REAL_PNG


def test_member_reports_in_claims_a_wish_and_fulfils_it(
    world, open_as, output_dir, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    # a resident of HD whose registry row says Party member; not yet a Party member here
    member = party_resident_user(world.hd, "张建国")
    assert not is_member(member, world.hd)
    granny_user = beneficiary(world.hd, "王秀英")
    granny = granny_user.resident

    her = open_as(granny_user, large_text=True)
    her.goto("/")
    her.get_by_role("link", name="微心愿").first.click()
    her.get_by_label("我的心愿").fill("想要一台收音机，平时听听越剧")
    her.get_by_role("radio", name="物品").check()
    her.get_by_label("如果是物品，大约多少钱（元，不超过 500）").fill("150")
    her.get_by_role("button", name="提交心愿").click()
    expect(her.locator(".messages")).to_contain_text("心愿已提交")

    desk = open_as(world.worker_a, phone=False)
    desk.goto("/c/HD/wishes/desk/")
    desk.get_by_role("link", name="想要一台收音机，平时听听越剧").first.click()
    desk.get_by_label("公开标题").fill("湖东社区一位独居老人想要一台收音机")
    desk.get_by_label("公开说明").fill("老人喜欢听越剧，按键大一些更方便。")
    desk.get_by_label("给认领人的联系提示（认领后才可见）").fill("上午打电话比较好")
    desk.get_by_role("button", name="发布到心愿墙").click()
    expect(desk.locator(".messages")).to_contain_text("已发布到心愿墙")

    phone = open_as(member)
    # he reports in to the community where he lives (双报到)
    phone.goto("/")
    phone.get_by_role("link", name="党员报到").click()
    phone.get_by_label("工作单位").fill("区税务局")
    phone.get_by_label("入党日期").fill("2010-07-01")
    phone.get_by_role("button", name="报到").click()
    expect(phone.locator(".messages")).to_contain_text("报到成功")
    assert ReportIn.objects.filter(member__resident=member.resident, community=world.hd).exists()
    assert is_member(member, world.hd)

    phone.goto("/c/HD/wishes/")
    expect(phone.get_by_text("湖东社区一位独居老人想要一台收音机")).to_be_visible()
    expect(phone.get_by_text("王秀英")).to_have_count(0)
    phone.get_by_role("link", name="我来认领").first.click()
    phone.get_by_role("radio", name="党员").check()
    phone.get_by_role("button", name="确认认领").click()
    expect(phone.locator(".messages")).to_contain_text("认领成功")
    expect(phone.get_by_text("前联系受助人")).to_be_visible()
    phone.screenshot(path=str(output_dir / "wishes-my-claims-phone.png"), full_page=True)
    phone.get_by_role("link", name="查看和记录").click()
    phone.get_by_role("button", name="查看联系方式").click()
    expect(phone.get_by_text(granny.phone)).to_be_visible()
    expect(phone.get_by_text("上午打电话比较好")).to_be_visible()
    phone.get_by_label("联系情况").fill("已电话联系，约好周六上午送去")
    phone.get_by_role("button", name="已联系").click()
    expect(phone.locator(".messages")).to_contain_text("已记录联系情况")
    phone.get_by_label("做了什么").fill("送去一台收音机，教会了老人调台")
    phone.get_by_label("照片（JPG 或 PNG）").set_input_files(
        files=[{"name": "radio.png", "mimeType": "image/png", "buffer": PNG}]
    )
    phone.get_by_label("服务小时数（送物品可填 0）").fill("1")
    phone.get_by_role("button", name="心愿已实现").click()
    expect(phone.locator(".messages")).to_contain_text("等待受助人确认")

    her.goto("/")
    expect(her.get_by_text("您的心愿实现了，请确认")).to_be_visible()
    her.get_by_text("您的心愿实现了，请确认").click()
    expect(her.get_by_text("送去一台收音机，教会了老人调台")).to_be_visible()
    expect(her.get_by_role("img", name="实现心愿的照片")).to_be_visible()
    her.screenshot(path=str(output_dir / "wishes-confirm-phone.png"), full_page=True)
    her.get_by_role("button", name="是的，心愿实现了").click()
    expect(her.locator(".messages")).to_contain_text("谢谢您的确认")

    wish = Wish.objects.get()
    claim = Claim.objects.get(wish=wish)
    assert (wish.status, claim.kind, claim.confirmed_by) == (
        "confirmed",
        "party_member",
        granny_user,
    )
    record = ServiceRecord.objects.get(number=claim.service_record_number)
    assert (record.resident, record.minutes) == (member.resident, 60)

    # the hour shows in his quarterly Party report
    party_member = PartyMember.objects.get(resident=member.resident)
    quarter = quarter_of(record.service_date)
    phone.goto("/")
    phone.get_by_role("link", name="季度报告").click()
    expect(phone).to_have_url(
        re.compile(f"/c/HD/party/members/{party_member.pk}/report/{quarter}/$")
    )
    expect(phone.get_by_text("1 小时")).to_be_visible()
    expect(phone.locator("table")).to_contain_text("60")
    phone.screenshot(path=str(output_dir / "wishes-party-report-phone.png"), full_page=True)
