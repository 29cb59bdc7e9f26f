"""Finance pages: the staff's books through the forms, the subdistrict's review, the public
pages (totals, chart with its table, entries, receipts for residents only), assets, and
query counts on the list pages."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from zizhi.finance import actions
from zizhi.finance.importing import HEADERS
from zizhi.finance.models import Asset, Category, Entry, Period, PeriodStatus

from .upload_files import REAL_PNG

PNG = REAL_PNG


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def page(user, name, *args, **kwargs):
    return client_for(user).get(reverse(name, args=args), **kwargs)


def text(response) -> str:
    return response.content.decode()


def period_url(name, period, *more):
    return reverse(name, args=["HD", period.year, period.month, *more])


def books(world, months=((2026, 1), (2026, 2)), publish=True):
    """Published periods of HD with an income and two expenses each."""
    made = []
    for i, (year, month) in enumerate(months):
        period = actions.do_open_period(
            world.hd,
            year=year,
            month=month,
            opening_fen=100000 if i == 0 else None,
            actor=world.worker_a,
        )
        for direction, category, amount, what in (
            ("income", "上级拨款", 3000000, "街道拨款"),
            ("expense", "办公经费", 12345, "办公用品"),
            ("expense", "绿化养护", 50000, "修剪树木"),
        ):
            actions.do_add_entry(
                period,
                date=datetime.date(year, month, 2),
                direction=direction,
                category=category,
                amount_fen=amount,
                description=what,
                counterparty="某单位",
                actor=world.worker_a,
            )
        actions.do_submit_period(period, actor=world.worker_a)
        actions.do_approve_period(period, actor=world.subadmin)
        if publish:
            actions.do_publish_period(period, actor=world.worker_a)
        made.append(Period.objects.get(pk=period.pk))
    return made


# ---- the staff's books -----------------------------------------------------------------------
def test_a_month_through_the_pages(world):
    worker = client_for(world.worker_a)
    response = worker.post(
        reverse("finance:manage", args=["HD"]), {"year": 2026, "month": 3, "opening": "1,000"}
    )
    period = Period.objects.get(community=world.hd)
    assert response.status_code == 302 and period.opening_fen == 100000
    office = Category.objects.get(community=world.hd, direction="expense", name="办公经费")
    response = worker.post(
        period_url("finance:add_entry", period),
        {
            "date": "2026-03-05",
            "direction": "expense",
            "category": office.pk,
            "amount": "1,234.50",
            "counterparty": "文具店",
            "description": "打印纸",
            "receipt_no": "FP-1",
        },
    )
    assert response.status_code == 302
    entry = Entry.objects.get()
    assert entry.amount_fen == 123450
    response = worker.post(
        period_url("finance:add_receipt", period, entry.pk),
        {"file": SimpleUploadedFile("发票.png", PNG)},
    )
    assert response.status_code == 302 and entry.receipts.count() == 1
    body = text(worker.get(period_url("finance:period", period)))
    assert "¥1,234.50" in body and "¥-234.50" not in body
    assert "-¥234.50" in body  # closing balance: 1,000.00 - 1,234.50
    assert "提交街道审核" in body and "审核通过" not in body  # the worker cannot approve
    response = worker.post(period_url("finance:move", period, "submit"))
    assert Period.objects.get(pk=period.pk).status == PeriodStatus.SUBMITTED
    # frozen: the page says so, and a new entry is refused with the reason
    body = text(worker.get(period_url("finance:period", period)))
    assert "账目已冻结" in body and 'id="add-h"' not in body
    response = worker.post(
        period_url("finance:add_entry", period),
        {
            "date": "2026-03-06",
            "direction": "expense",
            "category": office.pk,
            "amount": "1",
            "description": "x",
        },
        follow=True,
    )
    assert "更正请记入之后的账期" in text(response) and Entry.objects.count() == 1


def test_a_bad_entry_comes_back_with_its_errors(world):
    period = actions.do_open_period(world.hd, year=2026, month=3, actor=world.worker_a)
    income = Category.objects.get(community=world.hd, direction="income", name="上级拨款")
    response = client_for(world.worker_a).post(
        period_url("finance:add_entry", period),
        {
            "date": "2026-04-01",
            "direction": "expense",
            "category": income.pk,
            "amount": "12.345",
            "description": "x",
        },
    )
    body = text(response)
    assert response.status_code == 200
    assert "最多精确到分" in body
    assert not Entry.objects.exists()


def test_subdistrict_returns_and_approves_on_the_page(world):
    period = actions.do_open_period(world.hd, year=2026, month=3, actor=world.worker_a)
    actions.do_submit_period(period, actor=world.worker_a)
    admin = client_for(world.subadmin)
    review = text(admin.get(reverse("finance:review")))
    assert "湖东社区" in review and "2026年3月" in review
    body = text(admin.get(period_url("finance:period", period)))
    assert "审核通过" in body and "退回修改" in body
    response = admin.post(period_url("finance:move", period, "return"), {"reason": ""})
    assert response.status_code == 200
    assert Period.objects.get(pk=period.pk).status == PeriodStatus.SUBMITTED
    admin.post(period_url("finance:move", period, "return"), {"reason": "缺少票据"})
    assert Period.objects.get(pk=period.pk).status == PeriodStatus.RETURNED
    body = text(client_for(world.worker_a).get(period_url("finance:period", period)))
    assert "缺少票据" in body
    # the worker cannot approve: 404 like any outsider; a bad move name is 404 too
    worker = client_for(world.worker_a)
    assert worker.post(period_url("finance:move", period, "approve")).status_code == 404
    assert worker.post(period_url("finance:move", period, "explode")).status_code == 404


def test_excel_import_on_the_page_reports_rows_and_is_idempotent(world):
    period = actions.do_open_period(world.hd, year=2026, month=3, actor=world.worker_a)
    book = Workbook()
    book.active.append(HEADERS)
    book.active.append(["2026-03-02", "支出", "办公经费", 10, "", "矿泉水", ""])
    book.active.append(["2026-03-02", "支出", "不存在", 10, "", "x", ""])
    out = io.BytesIO()
    book.save(out)
    worker = client_for(world.worker_a)
    url = period_url("finance:import", period)
    response = worker.post(url, {"file": SimpleUploadedFile("a.xlsx", out.getvalue())})
    body = text(response)
    assert "没有导入任何一行" in body and "第 3 行" in body and not Entry.objects.exists()
    book.active.delete_rows(3)
    out = io.BytesIO()
    book.save(out)
    for _ in range(2):
        response = worker.post(url, {"file": SimpleUploadedFile("a.xlsx", out.getvalue())})
        assert response.status_code == 302
    assert Entry.objects.count() == 1
    template = worker.get(reverse("finance:template", args=["HD"]))
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")


# ---- public pages ----------------------------------------------------------------------------
def test_public_period_page_has_totals_chart_table_and_entries(world):
    jan, _feb = books(world)
    body = text(page(None, "finance:public_period", "HD", jan.year, jan.month))
    assert "¥30,000.00" in body and "¥623.45" in body  # income, expense
    assert "¥30,376.55" in body  # closing: 1,000 + 30,000 - 623.45
    assert '<svg class="fin-chart"' in body and 'aria-hidden="true"' in body
    assert '<th scope="row">绿化养护</th>' in body  # the table behind the chart
    assert "修剪树木" in body and "某单位" in body


def test_unpublished_periods_are_not_public(world):
    (period,) = books(world, months=((2026, 1),), publish=False)
    assert page(None, "finance:public_period", "HD", 2026, 1).status_code == 404
    assert page(world.resident_a, "finance:public_period", "HD", 2026, 1).status_code == 404
    assert page(world.worker_a, "finance:period", "HD", 2026, 1).status_code == 200
    assert "2026年1月" not in text(page(None, "finance:public_list", "HD"))


def test_public_list_has_the_trend_and_its_table(world):
    books(world, months=((2025, 12), (2026, 1), (2026, 2)))
    body = text(page(None, "finance:public_list", "HD"))
    assert '<svg class="fin-chart"' in body
    assert "2025年3月" in body and "2026年2月" in body  # twelve months up to the latest
    assert "2025年2月" not in body
    assert body.count("¥30,000.00") >= 3


def test_receipts_are_for_residents_of_the_community_and_staff(world):
    (period,) = books(world, months=((2026, 1),), publish=False)
    entry = period.entries.first()
    # receipts are attached before submitting; here straight to the row for the test
    from zizhi.finance.models import Receipt

    receipt = Receipt(entry=entry, name="发票.png", content_type="image/png", size=len(PNG))
    receipt.file.save("r.png", SimpleUploadedFile("r.png", PNG), save=False)
    receipt.save()
    url = reverse("finance:receipt", args=["HD", receipt.pk])
    # not yet published: only staff
    assert client_for(world.resident_a).get(url).status_code == 404
    assert client_for(world.worker_a).get(url).status_code == 200
    actions.do_publish_period(period, actor=world.worker_a)
    assert client_for(world.resident_a).get(url).status_code == 200
    assert client_for(world.resident_b).get(url).status_code == 404
    assert client_for().get(url).status_code == 404
    anonymous = text(page(None, "finance:public_period", "HD", 2026, 1))
    assert url not in anonymous and "只对本社区居民开放" in anonymous
    resident = text(page(world.resident_a, "finance:public_period", "HD", 2026, 1))
    assert url in resident
    assert client_for(world.resident_a).get(url)["Content-Type"] == "image/png"
    # another community's code does not reach it
    assert (
        client_for(world.worker_a)
        .get(reverse("finance:receipt", args=["XH", receipt.pk]))
        .status_code
        == 404
    )


def test_publishing_links_the_notice_and_the_public_page(world):
    (period,) = books(world, months=((2026, 1),))
    notice_page = text(page(None, "notices:detail", "HD", period.notice_id))
    assert reverse("finance:public_period", args=["HD", 2026, 1]) in notice_page
    community = text(page(None, "web:community", "HD"))
    assert reverse("finance:public_list", args=["HD"]) in community


def test_assets_pages(world):
    client = client_for(world.worker_a)
    response = client.post(
        reverse("finance:assets", args=["HD"]),
        {
            "name": "投影仪",
            "kind": "equipment",
            "location": "活动室",
            "quantity": 2,
            "value": "3,800",
            "manager_name": "王主任",
            "manager_phone": world.worker_a.phone,
            "state": "in_use",
        },
    )
    assert response.status_code == 302
    asset = Asset.objects.get()
    assert asset.value_fen == 380000 and asset.manager_user == world.worker_a
    response = client.post(
        reverse("finance:asset_edit", args=["HD", asset.pk]),
        {
            "name": "投影仪",
            "kind": "equipment",
            "quantity": 2,
            "manager_name": "王主任",
            "state": "disposed",
        },
    )
    assert "处置" in text(response) and Asset.objects.get().state == "in_use"
    public = text(page(None, "finance:public_assets", "HD"))
    assert "投影仪" in public and "¥3,800.00" in public and "王主任" in public
    assert world.worker_a.phone not in public


def test_staff_nav_has_the_finance_link(world):
    body = text(page(world.worker_a, "finance:manage", "HD"))
    assert f'href="{reverse("finance:manage", args=["HD"])}"' in body
    assert "财务公开" in body


# ---- query counts ----------------------------------------------------------------------------
def test_list_pages_do_not_grow_queries_with_rows(world, django_assert_max_num_queries):
    books(world, months=[(2025, m) for m in range(1, 13)])
    (period,) = Period.objects.filter(year=2025, month=12)
    for i in range(20):
        Asset.objects.create(
            community=world.hd, name=f"椅子{i}", kind="equipment", manager_name="王"
        )
    admin = client_for(world.subadmin)
    worker = client_for(world.worker_a)
    anonymous = client_for()
    checks = [
        (anonymous, reverse("finance:public_list", args=["HD"]), 3),
        (anonymous, period_url("finance:public_period", period), 6),
        (anonymous, reverse("finance:public_assets", args=["HD"]), 3),
        (worker, reverse("finance:manage", args=["HD"]), 12),
        (worker, period_url("finance:period", period), 16),
        (worker, reverse("finance:assets", args=["HD"]), 11),
        (admin, reverse("finance:review"), 11),
    ]
    for client, url, limit in checks:
        with django_assert_max_num_queries(limit):
            assert client.get(url).status_code == 200, url
