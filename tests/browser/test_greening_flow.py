"""Green-plot adoption in real browsers: a household (resident_a, on a phone, large text)
applies for a flower bed; the community worker approves it on a desk and prints the sign;
resident_a logs upkeep with a photo from the phone; anyone sees it on the plot's public page
(the sign's QR code), with the household's name because they agreed."""

import pytest
from playwright.sync_api import expect

from tests.greening_rows import plot, png_bytes
from zizhi.greening.models import Adoption, AdoptionStatus, UpkeepLog

pytestmark = pytest.mark.browser


def test_a_household_adopts_a_plot_and_logs_upkeep(world, open_as, output_dir):
    bed = plot(world.hd, world.worker_a, "月季花坛", area="86", kind="flower_bed", zone="东区")

    me = open_as(world.resident_a, large_text=True)
    me.goto("/")
    me.get_by_role("link", name="认领绿地").first.click()
    me.get_by_role("link", name="我要认领").first.click()
    me.get_by_label("家庭").check()
    me.get_by_label("同意在绿地标牌和网页上公开我的名字").check()
    me.get_by_role("button", name="提交申请").click()
    expect(me.locator(".messages")).to_contain_text("申请已提交")
    adoption = Adoption.objects.get(plot=bed)
    assert adoption.adopter_kind == "household" and adoption.show_name

    desk = open_as(world.worker_a, phone=False)
    desk.goto("/c/HD/greening/adoptions/")
    desk.get_by_role("link", name="月季花坛").click()
    desk.get_by_role("button", name="批准认领").click()
    expect(desk.locator(".messages")).to_contain_text("已批准认领")
    adoption.refresh_from_db()
    assert adoption.status == AdoptionStatus.ACTIVE
    sign = desk.request.get(f"/c/HD/greening/plots/{bed.pk}/sign.pdf")
    assert sign.ok and sign.body().startswith(b"%PDF")

    me.goto("/greening/")
    me.get_by_role("link", name="记录养护").click()
    me.get_by_label("做了什么").fill("浇水、剪掉枯枝")
    me.get_by_label("拍张照片（可不拍）").set_input_files(
        {"name": "camera.png", "mimeType": "image/png", "buffer": png_bytes()}
    )
    me.get_by_role("button", name="保存养护记录").click()
    expect(me.locator(".messages")).to_contain_text("养护记录已保存")
    expect(me.get_by_text("浇水、剪掉枯枝")).to_be_visible()
    me.screenshot(path=str(output_dir / "greening-upkeep-phone.png"), full_page=True)
    assert UpkeepLog.objects.get().photo

    visitor = open_as(None)
    visitor.goto(f"/c/HD/plots/{bed.pk}/")
    expect(visitor.get_by_role("heading", name="月季花坛")).to_be_visible()
    expect(visitor.locator("dd", has_text="湖东居民家")).to_be_visible()
    expect(visitor.get_by_text("201")).to_have_count(0)  # never the door number
    expect(visitor.get_by_text("浇水、剪掉枯枝")).to_be_visible()
    expect(visitor.get_by_role("img", name="养护照片")).to_be_visible()
