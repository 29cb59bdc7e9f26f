"""A community worker in the browser: find a resident, reveal the ID, switch language and
text size, and import a roster (fix a bad row, confirm, find the new residents)."""

import datetime
import io
import re

import pytest
from django.db import connection
from openpyxl import Workbook
from playwright.sync_api import expect

from zizhi.accounts.models import User
from zizhi.audit.models import Event
from zizhi.registry import idnumber
from zizhi.registry.demo import WORKER_LOGINS
from zizhi.registry.models import Resident

from .conftest import log_in

pytestmark = pytest.mark.browser

HD_WORKER = next(w for w in WORKER_LOGINS if w.community == "HD")
LARGE_TEXT_BUTTON = "form[action='/prefs/large-text/'] button"


def a_resident_with_a_unique_name() -> Resident:
    residents = Resident.objects.filter(community__code="HD", user__isnull=True)
    names = list(residents.values_list("name", flat=True))
    return residents.filter(name__in=[n for n in names if names.count(n) == 1]).first()


def search(page, text):
    page.fill("#q", text)
    page.get_by_role("button", name="查找", exact=True).click()
    page.wait_for_url(re.compile(r"[?&]q="))


def test_worker_finds_a_resident_reveals_the_id_and_changes_language_and_text(page, output_dir):
    resident = a_resident_with_a_unique_name()
    log_in(page, HD_WORKER.phone)
    page.get_by_role("link", name="居民花名册").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("湖东社区")

    search(page, resident.name)
    rows = page.locator("#roster-rows tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(resident.id_number_masked)

    search(page, resident.name_initials)
    expected = Resident.objects.filter(
        community__code="HD", name_initials__startswith=resident.name_initials
    ).count()
    expect(page.locator("#roster-rows [role=status]")).to_contain_text(f"共 {expected} 人")
    page.locator("#roster-rows").get_by_role("link", name=resident.name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(resident.name)

    page.get_by_role("button", name="查看完整号码（将记录）").click()
    expect(page.locator("#id-number")).to_contain_text(resident.reveal_id_number())
    assert Event.objects.filter(
        verb="resident.reveal_id_number", object_id=str(resident.pk), actor__phone=HD_WORKER.phone
    ).exists()

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.locator(LARGE_TEXT_BUTTON).click()
    expect(page.locator("html")).to_have_class(re.compile(r"\blarge-text\b"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert User.objects.get(phone=HD_WORKER.phone).large_text
    page.screenshot(path=output_dir / "staff-resident-en-large-text.png", full_page=True)


# ---- roster import -------------------------------------------------------------------------
HEADERS = ["姓名", "性别", "身份证号", "联系电话", "楼栋", "单元", "门牌号"]
NEW = [
    ("郑国平", datetime.date(1956, 4, 12), 131, "13512340001", "99栋", "1", "101"),
    ("何美玲", datetime.date(1988, 9, 3), 242, "13512340002", "99栋", "1", "102"),
]


def roster_xlsx(bad_checksum: bool) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for i, (name, born, seq, phone, building, unit, door) in enumerate(NEW):
        id_number = idnumber.make("330102", born, seq)
        if bad_checksum and i == 1:
            id_number = id_number[:17] + ("0" if id_number[17] != "0" else "1")
        gender = "男" if idnumber.gender(id_number) == "M" else "女"
        sheet.append([name, gender, id_number, phone, building, unit, door])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(page, data: bytes, filename: str):
    page.goto("/c/HD/import/")
    page.get_by_label("花名册文件").set_input_files(
        {
            "name": filename,
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "buffer": data,
        }
    )
    page.get_by_role("button", name="上传并检查").click()
    page.wait_for_load_state()


def test_worker_imports_a_roster_after_fixing_the_bad_row(page, output_dir, settings):
    if connection.vendor == "sqlite":
        # The SQLite test database lives in shared-cache memory, where a second writer thread
        # meets "table is locked"; run the import inline there (PostgreSQL runs it in the
        # background as in production).
        settings.ZIZHI_BACKGROUND_JOBS = False
    before = Resident.objects.filter(community__code="HD").count()
    log_in(page, HD_WORKER.phone)

    upload(page, roster_xlsx(bad_checksum=True), "新居民.xlsx")
    expect(page.get_by_text("发现 1 行有问题")).to_be_visible()
    expect(page.locator("tr.bad")).to_have_count(1)
    expect(page.locator("tr.bad")).to_contain_text("第 3 行")
    expect(page.locator("tr.bad")).to_contain_text("校验位")
    assert Resident.objects.filter(community__code="HD").count() == before

    upload(page, roster_xlsx(bad_checksum=False), "新居民-改好.xlsx")
    expect(page.locator("tr.bad")).to_have_count(0)
    page.get_by_role("button", name="确认导入").click()
    expect(page.get_by_text("导入完成")).to_be_visible()
    page.screenshot(path=output_dir / "staff-import-done.png", full_page=True)
    page.get_by_role("link", name="查看花名册").click()

    for name, *_ in NEW:
        search(page, name)
        expect(page.locator("#roster-rows").get_by_role("link", name=name)).to_be_visible()
    expect(page.locator("#roster-rows tbody tr")).to_contain_text("99栋 1单元102")
    assert Resident.objects.filter(community__code="HD").count() == before + len(NEW)
