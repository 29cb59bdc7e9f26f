"""Finance API: public reads of published periods and assets, staff writes, the
subdistrict's approval, receipts only to the community, the OpenAPI schema."""

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from zizhi.accounts.actions import do_create_api_token
from zizhi.finance import actions
from zizhi.finance.models import Asset, Entry, Period, PeriodStatus

from .upload_files import REAL_PNG

API = "/api/v1"
PNG = REAL_PNG


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def as_user(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def post(client, path, data=None, **extra):
    return client.post(
        f"{API}{path}", json.dumps(data or {}), content_type="application/json", **extra
    )


def months(response) -> set[str]:
    return {f"{p['community']}-{p['year']}-{p['month']}" for p in response.json()["items"]}


@pytest.fixture
def books(world):
    """HD: January published (with a receipt), February draft. XH: March draft."""
    jan = actions.do_open_period(
        world.hd, year=2026, month=1, opening_fen=1000, actor=world.worker_a
    )
    entry = actions.do_add_entry(
        jan,
        date=datetime.date(2026, 1, 9),
        direction="expense",
        category="维修维护",
        amount_fen=250,
        description="换灯泡",
        actor=world.worker_a,
    )
    actions.do_add_receipt(entry, SimpleUploadedFile("r.png", PNG), actor=world.worker_a)
    actions.do_submit_period(jan, actor=world.worker_a)
    actions.do_approve_period(jan, actor=world.subadmin)
    actions.do_publish_period(jan, actor=world.worker_a)
    feb = actions.do_open_period(world.hd, year=2026, month=2, actor=world.worker_a)
    actions.do_open_period(world.xh, year=2026, month=3, actor=world.worker_b)
    return Period.objects.get(pk=jan.pk), feb


def test_schema_lists_the_finance_routes(client, db):
    paths = client.get(f"{API}/openapi.json").json()["paths"]
    for path in (
        "/api/v1/finance/periods",
        "/api/v1/finance/periods/{period_id}",
        "/api/v1/finance/periods/{period_id}/entries",
        "/api/v1/finance/periods/{period_id}/submit",
        "/api/v1/finance/periods/{period_id}/approve",
        "/api/v1/finance/periods/{period_id}/return",
        "/api/v1/finance/periods/{period_id}/publish",
        "/api/v1/finance/assets",
    ):
        assert path in paths, path


def test_lists_show_published_periods_to_all_and_the_books_to_their_staff(world, books):
    url = f"{API}/finance/periods"
    assert months(as_user().get(url)) == {"HD-2026-1"}
    assert months(as_user(world.resident_a).get(url)) == {"HD-2026-1"}
    assert months(as_user(world.worker_a).get(url)) == {"HD-2026-1", "HD-2026-2"}
    assert months(as_user(world.worker_b).get(url)) == {"HD-2026-1", "XH-2026-3"}
    assert months(as_user(world.subadmin).get(url)) == {"HD-2026-1", "HD-2026-2", "XH-2026-3"}
    assert months(as_user(world.subadmin_other).get(url)) == {"HD-2026-1"}
    drafts = as_user(world.worker_a).get(url + "?community=HD&status=draft")
    assert months(drafts) == {"HD-2026-2"}
    assert as_user().get(url + "?status=nonsense").status_code == 422
    assert as_user().get(url + "?community=ZZ").status_code == 404


def test_detail_has_totals_categories_entries_and_receipts_for_the_community(world, books):
    jan, feb = books
    data = as_user().get(f"{API}/finance/periods/{jan.pk}").json()
    assert data["status"] == "published" and data["url"] == "/c/HD/finance/2026-1/"
    assert (data["opening_fen"], data["expense_fen"], data["closing_fen"]) == (1000, 250, 750)
    assert data["by_category"] == [{"direction": "expense", "name": "维修维护", "total_fen": 250}]
    assert data["entries"][0]["description"] == "换灯泡"
    assert data["entries"][0]["receipts"] == []  # the anonymous public sees no receipts
    assert data["notice_id"] == jan.notice_id
    mine = as_user(world.resident_a).get(f"{API}/finance/periods/{jan.pk}").json()
    assert mine["entries"][0]["receipts"][0]["content_type"] == "image/png"
    other = as_user(world.resident_b).get(f"{API}/finance/periods/{jan.pk}").json()
    assert other["entries"][0]["receipts"] == []
    # the draft: its staff only
    assert as_user().get(f"{API}/finance/periods/{feb.pk}").status_code == 404
    assert as_user(world.worker_b).get(f"{API}/finance/periods/{feb.pk}").status_code == 404
    assert as_user(world.worker_a).get(f"{API}/finance/periods/{feb.pk}").status_code == 200


def test_a_month_through_the_api_with_a_token(world, books):
    jan, feb = books
    key = do_create_api_token("会计软件", actor=world.worker_a)
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    client = Client()
    entry = {
        "date": "2026-02-03",
        "direction": "income",
        "category": "上级拨款",
        "amount_fen": 3000000,
        "description": "二月拨款",
        "counterparty": "东湖街道",
    }
    response = post(client, f"/finance/periods/{feb.pk}/entries", entry, **bearer)
    assert response.status_code == 201, response.content
    assert response.json()["amount_fen"] == 3000000 and response.json()["source"] == "manual"
    bad = post(
        client, f"/finance/periods/{feb.pk}/entries", {**entry, "category": "办公经费"}, **bearer
    )
    assert bad.status_code == 400 and "与收支方向不符" in bad.json()["detail"]
    assert (
        post(
            client, f"/finance/periods/{feb.pk}/entries", {**entry, "amount_fen": 0}, **bearer
        ).status_code
        == 422
    )
    response = post(client, f"/finance/periods/{feb.pk}/submit", **bearer)
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    assert response.json()["opening_fen"] == 750
    # the worker cannot approve; the subdistrict can
    assert post(client, f"/finance/periods/{feb.pk}/approve", **bearer).status_code == 403
    admin = as_user(world.subadmin)
    returned = post(admin, f"/finance/periods/{feb.pk}/return", {"reason": "请附上拨款通知"})
    assert returned.json()["status"] == "returned"
    assert returned.json()["return_reason"] == "请附上拨款通知"
    post(client, f"/finance/periods/{feb.pk}/submit", **bearer)
    approved = post(admin, f"/finance/periods/{feb.pk}/approve")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    again = post(admin, f"/finance/periods/{feb.pk}/approve")
    assert again.status_code == 400 and "不能" in again.json()["detail"]
    published = post(client, f"/finance/periods/{feb.pk}/publish", **bearer)
    assert published.json()["status"] == "published" and published.json()["notice_id"]
    assert Period.objects.get(pk=feb.pk).status == PeriodStatus.PUBLISHED
    frozen = post(client, f"/finance/periods/{feb.pk}/entries", entry, **bearer)
    assert frozen.status_code == 400 and Entry.objects.filter(period=feb).count() == 1


def test_open_period_via_the_api(world, books):
    response = post(
        as_user(world.worker_a), "/finance/periods", {"community": "HD", "year": 2026, "month": 3}
    )
    assert response.status_code == 201 and response.json()["opening_fen"] == 750
    outsider = post(
        as_user(world.worker_b), "/finance/periods", {"community": "HD", "year": 2026, "month": 4}
    )
    assert outsider.status_code == 404
    assert (
        post(
            as_user(), "/finance/periods", {"community": "HD", "year": 2026, "month": 4}
        ).status_code
        == 401
    )


def test_assets_list(world):
    Asset.objects.create(community=world.hd, name="活动室", kind="room", manager_name="王")
    Asset.objects.create(
        community=world.hd, name="旧电脑", kind="equipment", manager_name="王", state="disposed"
    )
    Asset.objects.create(community=world.xh, name="西湖车", kind="vehicle", manager_name="李")
    items = as_user().get(f"{API}/finance/assets?community=HD").json()["items"]
    assert [a["name"] for a in items] == ["活动室"]
    items = (
        as_user().get(f"{API}/finance/assets?community=HD&include_disposed=true").json()["items"]
    )
    assert {a["name"] for a in items} == {"活动室", "旧电脑"}
