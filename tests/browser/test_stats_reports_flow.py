"""Monthly reports in a real browser: the subdistrict administrator of the demo (周建华, dh)
asks for last month's report, sees its progress bar, then the download links, and downloads
the .xlsx (a summary and a sheet per community). The two pages pass axe.

On PostgreSQL the report is generated in a background thread, as in production, and the
page polls its progress; the SQLite test database (shared-cache memory) runs it inline."""

import io
from pathlib import Path

import openpyxl
import pytest
from django.db import connection
from playwright.sync_api import expect

from zizhi.registry.models import Community
from zizhi.stats.actions import last_month
from zizhi.stats.models import MonthlyReport, ReportStatus

from .conftest import log_in
from .test_accessibility import blocking_violations, describe

pytestmark = pytest.mark.browser

SUBDISTRICT_ADMIN = "13800000001"
DONE_WITHIN_MS = 60_000


def test_subdistrict_admin_requests_and_downloads_a_monthly_report(
    page, settings, tmp_path, output_dir
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ZIZHI_BACKGROUND_JOBS = connection.vendor == "postgresql"
    log_in(page, SUBDISTRICT_ADMIN)
    page.goto("/s/dh/monthly-reports/")
    expect(page.get_by_role("heading", name="月度报表 · 东湖街道")).to_be_visible()
    expect(page.get_by_label("月份")).to_have_value(last_month().strftime("%Y-%m"))
    problems = [describe("reports list", v) for v in [blocking_violations(page)] if v]

    page.get_by_role("button", name="生成月度报表").click()
    expect(page.locator("progress")).to_be_visible()  # running, or already at 100
    excel = page.get_by_role("link", name="下载 Excel")
    expect(excel).to_be_visible(timeout=DONE_WITHIN_MS)
    expect(page.get_by_role("link", name="下载 PDF")).to_be_visible()
    expect(page.get_by_text("报表已生成")).to_be_visible()
    page.screenshot(path=str(output_dir / "stats-monthly-report.png"), full_page=True)
    violations = blocking_violations(page)
    if violations:
        problems.append(describe("report page", violations))
    report = MonthlyReport.objects.get()
    assert report.status == ReportStatus.DONE and report.progress == 100

    with page.expect_download() as caught:
        excel.click()
    download = caught.value
    assert download.suggested_filename.endswith(".xlsx")
    book = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    names = list(Community.objects.filter(subdistrict__code="dh").values_list("name", flat=True))
    assert book.sheetnames == ["汇总", *names]

    page.get_by_role("link", name="东湖街道的月度报表").click()
    expect(page.get_by_role("link", name=f"Excel（{last_month():%Y-%m}）")).to_be_visible()
    assert not problems, "\n".join(problems)
