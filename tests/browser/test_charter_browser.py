"""The charter on a 390px phone: the proposed version 2 of 湖东 with its differences, and the
cadre's page with the appraisal result, readable without sideways scrolling."""

import pytest
from playwright.sync_api import expect

from zizhi.governance.models import DutyReport

pytestmark = pytest.mark.browser


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_charter_diff_and_cadre_page_on_a_phone(phone, output_dir):
    phone.goto("/c/HD/charter/")
    expect(phone.get_by_text("现行第1版")).to_be_visible()
    no_sideways_scroll(phone)
    phone.get_by_role("link", name="第2版").click()
    expect(phone.get_by_role("heading", name="与第1版对照")).to_be_visible()
    expect(phone.locator(".charter-diff ins").first).to_be_visible()
    expect(phone.locator(".charter-diff del").first).to_be_visible()
    no_sideways_scroll(phone)
    phone.screenshot(path=str(output_dir / "charter_diff_390.png"), full_page=True)
    report = DutyReport.objects.get(community__code="HD", status="appraised")
    phone.goto(f"/c/HD/cadres/{report.cadre_id}/")
    expect(phone.get_by_text(report.appraisal.result_text)).to_be_visible()
    no_sideways_scroll(phone)
