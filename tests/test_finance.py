"""Finance: money in fen, the period's state table, who may move it, the balance carry-over,
frozen periods, receipts, donations, assets, audit and notifications."""

import datetime
import os

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zizhi.accounts.models import InboxMessage
from zizhi.audit.log import verify
from zizhi.audit.models import Event
from zizhi.finance import actions
from zizhi.finance.models import (
    TRANSITIONS,
    Asset,
    Category,
    Entry,
    Period,
    PeriodStatus,
    check_move,
)
from zizhi.finance.money import format_fen, parse_yuan
from zizhi.notices.models import Notice

from .upload_files import REAL_PNG

PNG = REAL_PNG
PDF = b"%PDF-1.4\n" + b"0" * 64


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def open_period(world, year=2026, month=3, opening_fen=None, community=None, actor=None):
    return actions.do_open_period(
        community or world.hd,
        year=year,
        month=month,
        opening_fen=opening_fen,
        actor=actor or world.worker_a,
    )


def add(world, period, amount_fen, direction="expense", category="办公经费", day=5, **extra):
    values = {"description": "购买办公用品", "counterparty": "文具店", "receipt_no": ""}
    values.update(extra)
    return actions.do_add_entry(
        period,
        date=datetime.date(period.year, period.month, day),
        direction=direction,
        category=category,
        amount_fen=amount_fen,
        actor=world.worker_a,
        **values,
    )


def approved(world, period):
    actions.do_submit_period(period, actor=world.worker_a)
    return actions.do_approve_period(period, actor=world.subadmin)


def fresh(period):
    return Period.objects.get(pk=period.pk)


# ---- money ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, fen",
    [
        ("1234.5", 123450),
        ("1,234.50", 123450),
        ("¥12", 1200),
        ("0.01", 1),
        ("12元", 1200),
        (12.3, 1230),
        (0.1 + 0.2, 30),
        (7, 700),
    ],
)
def test_parse_yuan(text, fen):
    assert parse_yuan(text) == fen


@pytest.mark.parametrize("text", ["", "abc", "-5", "1.234", "0", None, True, "1e5"])
def test_parse_yuan_refuses(text):
    with pytest.raises(ValidationError):
        parse_yuan(text)


def test_format_fen():
    assert format_fen(123450) == "¥1,234.50"
    assert format_fen(5) == "¥0.05"
    assert format_fen(-100) == "-¥1.00"
    assert format_fen(None) == "—"


# ---- the state table --------------------------------------------------------------------------
LEGAL = [
    ("draft", "submit", "submitted"),
    ("returned", "submit", "submitted"),
    ("submitted", "approve", "approved"),
    ("submitted", "return", "returned"),
    ("approved", "publish", "published"),
]


@pytest.mark.parametrize("status, move, new", LEGAL)
def test_legal_moves(status, move, new):
    assert check_move(status, move) == new


def test_every_other_move_is_refused():
    for status in PeriodStatus.values:
        for move in ("submit", "approve", "return", "publish"):
            if (status, move) in {(s, m) for s, m, _n in LEGAL}:
                continue
            with pytest.raises(ValidationError):
                check_move(status, move)
    assert len(TRANSITIONS) == len(LEGAL)


# ---- opening periods and the carry-over ------------------------------------------------------
def test_first_period_takes_the_opening_balance_and_default_categories(world):
    period = open_period(world, opening_fen=500000)
    assert period.opening_fen == 500000 and period.status == PeriodStatus.DRAFT
    names = set(Category.objects.filter(community=world.hd).values_list("direction", "name"))
    assert ("income", "捐赠") in names and ("expense", "绿化养护") in names
    assert ("income", "其他") in names and ("expense", "其他") in names


def test_balance_carries_from_the_previous_period(world):
    march = open_period(world, opening_fen=100000)
    add(world, march, 30000, "income", "上级拨款")
    add(world, march, 12345)
    march = fresh(march)
    assert (march.income_fen, march.expense_fen, march.closing_fen) == (30000, 12345, 117655)
    april = open_period(world, month=4)
    assert april.opening_fen == 117655
    # a later opening balance is refused: it carries
    with pytest.raises(ValidationError):
        open_period(world, month=5, opening_fen=1)
    # April cannot be submitted before March is approved
    with pytest.raises(ValidationError, match="上一账期"):
        actions.do_submit_period(april, actor=world.worker_a)
    approved(world, march)
    add(world, april, 5000)
    april = actions.do_submit_period(april, actor=world.worker_a)
    assert april.opening_fen == 117655
    assert april.closing_fen == 112655


def test_opening_refreshes_when_the_previous_period_changes(world):
    march = open_period(world, opening_fen=0)
    april = open_period(world, month=4)
    add(world, march, 1000, "income", "社区自有收入")
    actions.do_submit_period(march, actor=world.worker_a)
    actions.do_return_period(march, "少记一笔", actor=world.subadmin)
    add(world, march, 500, "income", "社区自有收入", day=6)
    approved(world, march)
    april = actions.do_submit_period(april, actor=world.worker_a)
    assert april.opening_fen == 1500


def test_periods_open_in_order_and_not_in_the_future(world):
    open_period(world, month=3)
    with pytest.raises(ValidationError, match="之后"):
        open_period(world, month=2)
    with pytest.raises(ValidationError, match="之后"):
        open_period(world, month=3)
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="以后月份"):
        open_period(world, year=today.year + 1, month=1)
    with pytest.raises(ValidationError):
        open_period(world, month=13)


def test_only_staff_of_the_community_keep_its_books(world):
    for outsider in (world.worker_b, world.worker_c, world.subadmin_other, world.resident_a):
        with pytest.raises(PermissionDenied):
            open_period(world, actor=outsider)
    period = open_period(world)
    with pytest.raises(PermissionDenied):
        actions.do_add_entry(
            period,
            date=datetime.date(2026, 3, 1),
            direction="expense",
            category="办公经费",
            amount_fen=100,
            description="x",
            actor=world.worker_b,
        )
    # the subdistrict administrator is staff of HD too
    assert open_period(world, month=4, actor=world.subadmin).month == 4


# ---- entries ----------------------------------------------------------------------------------
def test_entry_rules(world):
    period = open_period(world)
    with pytest.raises(ValidationError, match="日期应在"):
        actions.do_add_entry(
            period,
            date=datetime.date(2026, 4, 1),
            direction="expense",
            category="办公经费",
            amount_fen=100,
            description="x",
            actor=world.worker_a,
        )
    with pytest.raises(ValidationError, match="与收支方向不符"):
        add(world, period, 100, "income", "办公经费")
    with pytest.raises(ValidationError, match="大于零"):
        add(world, period, 0)
    with pytest.raises(ValidationError, match="摘要"):
        add(world, period, 100, description="  ")
    other = Category.objects.create(community=world.xh, direction="expense", name="外社区")
    with pytest.raises(ValidationError, match="本社区"):
        add(world, period, 100, category=other)
    assert Entry.objects.count() == 0


def test_delete_entry_updates_totals_and_audits(world):
    period = open_period(world)
    entry = add(world, period, 2500)
    assert fresh(period).expense_fen == 2500
    actions.do_delete_entry(entry, actor=world.worker_a)
    assert fresh(period).expense_fen == 0
    event = Event.objects.get(verb="finance.delete_entry")
    assert event.summary["before"]["amount_fen"] == 2500


def test_submitted_approved_and_published_periods_are_frozen(world):
    period = open_period(world)
    entry = add(world, period, 100)
    actions.do_submit_period(period, actor=world.worker_a)
    for attempt in (
        lambda: add(world, period, 100),
        lambda: actions.do_delete_entry(entry, actor=world.worker_a),
        lambda: actions.do_add_receipt(
            entry, SimpleUploadedFile("r.png", PNG), actor=world.worker_a
        ),
    ):
        with pytest.raises(ValidationError, match="更正请记入之后的账期"):
            attempt()
    actions.do_approve_period(period, actor=world.subadmin)
    with pytest.raises(ValidationError):
        add(world, period, 100)
    actions.do_publish_period(period, actor=world.worker_a)
    with pytest.raises(ValidationError):
        add(world, period, 100)
    assert Entry.objects.count() == 1


def test_receipts_are_checked_by_content(world):
    period = open_period(world)
    entry = add(world, period, 100)
    receipt = actions.do_add_receipt(
        entry, SimpleUploadedFile("发票.pdf", PDF), actor=world.worker_a
    )
    assert receipt.content_type == "application/pdf" and receipt.name == "发票.pdf"
    with pytest.raises(ValidationError, match="格式不对"):
        actions.do_add_receipt(
            entry, SimpleUploadedFile("fake.png", b"<script>x</script>"), actor=world.worker_a
        )
    with pytest.raises(ValidationError):
        actions.do_add_receipt(
            entry, SimpleUploadedFile("a.docx", b"PK\x03\x04xx"), actor=world.worker_a
        )
    assert entry.receipts.count() == 1


# ---- the moves: who may make them ---------------------------------------------------------------
def test_submit_notifies_the_subdistrict_and_approval_is_the_subdistricts(world):
    period = open_period(world)
    add(world, period, 100)
    actions.do_submit_period(period, actor=world.worker_a)
    assert InboxMessage.objects.filter(user=world.subadmin).count() == 1
    assert not InboxMessage.objects.filter(user=world.subadmin_other).exists()
    for not_approver in (world.worker_a, world.worker_b, world.subadmin_other, world.resident_a):
        with pytest.raises(PermissionDenied):
            actions.do_approve_period(period, actor=not_approver)
        with pytest.raises(PermissionDenied):
            actions.do_return_period(period, "原因", actor=not_approver)
    period = actions.do_approve_period(period, actor=world.subadmin)
    assert period.status == PeriodStatus.APPROVED and period.approved_by == world.subadmin
    assert InboxMessage.objects.filter(user=world.worker_a, subject__contains="审核通过").exists()


def test_the_submitter_does_not_approve_their_own_books(world):
    period = open_period(world, actor=world.subadmin)
    actions.do_submit_period(period, actor=world.subadmin)
    with pytest.raises(ValidationError, match="提交人不能审核"):
        actions.do_approve_period(period, actor=world.subadmin)
    assert fresh(period).status == PeriodStatus.SUBMITTED


def test_return_needs_a_reason_and_is_resubmitted(world):
    period = open_period(world)
    add(world, period, 100)
    actions.do_submit_period(period, actor=world.worker_a)
    with pytest.raises(ValidationError, match="退回原因"):
        actions.do_return_period(period, "  ", actor=world.subadmin)
    period = actions.do_return_period(period, "缺少3月5日的票据", actor=world.subadmin)
    assert period.status == PeriodStatus.RETURNED and period.return_reason == "缺少3月5日的票据"
    assert InboxMessage.objects.filter(user=world.worker_a, body="缺少3月5日的票据").exists()
    add(world, period, 200, day=6)  # editable again
    period = actions.do_submit_period(period, actor=world.worker_a)
    assert period.status == PeriodStatus.SUBMITTED and period.return_reason == ""
    assert period.expense_fen == 300


def test_refused_moves_change_nothing(world):
    period = open_period(world)
    with pytest.raises(ValidationError):
        actions.do_approve_period(period, actor=world.subadmin)
    with pytest.raises(ValidationError):
        actions.do_publish_period(period, actor=world.worker_a)
    actions.do_submit_period(period, actor=world.worker_a)
    with pytest.raises(ValidationError):
        actions.do_submit_period(period, actor=world.worker_a)
    with pytest.raises(ValidationError):
        actions.do_publish_period(period, actor=world.worker_a)
    assert fresh(period).status == PeriodStatus.SUBMITTED
    assert not Notice.objects.exists()


def test_publish_makes_a_finance_notice_with_the_summary_and_link(world):
    period = open_period(world, opening_fen=100000)
    add(world, period, 50000, "income", "上级拨款")
    add(world, period, 2000, "expense", "绿化养护")
    period = approved(world, period)
    period = actions.do_publish_period(period, actor=world.worker_a)
    assert period.status == PeriodStatus.PUBLISHED and period.published_by == world.worker_a
    notice = period.notice
    assert notice.category == "finance" and notice.status == "published"
    assert notice.title == "湖东社区2026年3月财务收支公开"
    assert "期末余额：¥1,480.00" in notice.body
    assert "上级拨款  ¥500.00" in notice.body and "绿化养护  ¥20.00" in notice.body
    assert notice.source_url == "/c/HD/finance/2026-3/"
    with pytest.raises(ValidationError):
        actions.do_publish_period(period, actor=world.worker_a)
    assert Notice.objects.count() == 1


def test_every_change_is_audited_and_the_chain_verifies(world):
    period = open_period(world)
    entry = add(world, period, 100)
    actions.do_add_receipt(entry, SimpleUploadedFile("r.png", PNG), actor=world.worker_a)
    approved(world, period)
    actions.do_publish_period(period, actor=world.worker_a)
    verbs = list(
        Event.objects.filter(verb__startswith="finance.")
        .order_by("id")
        .values_list("verb", flat=True)
    )
    assert verbs == [
        "finance.open_period",
        "finance.add_entry",
        "finance.add_receipt",
        "finance.submit_period",
        "finance.approve_period",
        "finance.publish_period",
    ]
    submit = Event.objects.get(verb="finance.submit_period")
    assert submit.summary["before"]["status"] == "draft"
    assert submit.summary["after"]["status"] == "submitted"
    checked, problems = verify()
    assert checked and not problems


# ---- donations -------------------------------------------------------------------------------
def test_record_donation_opens_the_month_and_posts_income(world):
    entry = actions.record_donation(
        world.hd,
        amount_fen=88800,
        donor_label="张先生",
        receipt_no="JZ-001",
        purpose="绿地认领捐赠：3号绿地",
        date=datetime.date(2026, 3, 12),
        actor=None,
    )
    assert entry.direction == "income" and entry.category.name == "捐赠"
    assert entry.source == "donation" and entry.counterparty == "张先生"
    period = entry.period
    assert (period.year, period.month, period.income_fen) == (2026, 3, 88800)
    again = actions.record_donation(
        world.hd,
        amount_fen=100,
        donor_label="",
        receipt_no="",
        purpose="",
        date=datetime.date(2026, 3, 20),
        actor=world.worker_a,
    )
    assert again.period == period and again.counterparty == "匿名"
    assert fresh(period).income_fen == 88900
    assert Event.objects.filter(verb="finance.record_donation").count() == 2


def test_a_donation_for_a_closed_month_goes_to_the_next_open_period(world):
    march = open_period(world)
    approved(world, march)
    entry = actions.record_donation(
        world.hd,
        amount_fen=500,
        donor_label="李女士",
        receipt_no="",
        purpose="绿地认领捐赠",
        date=datetime.date(2026, 3, 30),
        actor=None,
    )
    assert (entry.period.year, entry.period.month) == (2026, 4)
    assert entry.date == datetime.date(2026, 4, 1) and "2026-03-30" in entry.description
    assert fresh(march).income_fen == 0


def test_record_donation_checks_the_actor_and_amount(world):
    with pytest.raises(PermissionDenied):
        actions.record_donation(
            world.hd,
            amount_fen=1,
            donor_label="x",
            receipt_no="",
            purpose="",
            date=datetime.date(2026, 3, 1),
            actor=world.worker_b,
        )
    with pytest.raises(ValidationError):
        actions.record_donation(
            world.hd,
            amount_fen=0,
            donor_label="x",
            receipt_no="",
            purpose="",
            date=datetime.date(2026, 3, 1),
            actor=None,
        )
    assert not Period.objects.exists()


# ---- assets ---------------------------------------------------------------------------------
def asset_fields(**extra):
    fields = {
        "name": "党群活动室",
        "kind": "room",
        "location": "社区服务中心二楼",
        "quantity": 1,
        "value_fen": None,
        "manager_name": "王主任",
        "manager_user": None,
        "acquired_on": datetime.date(2020, 5, 1),
        "state": "in_use",
        "state_note": "",
    }
    fields.update(extra)
    return fields


def test_assets_create_update_and_disposal_needs_a_note(world):
    asset = actions.do_create_asset(world.hd, **asset_fields(), actor=world.worker_a)
    with pytest.raises(ValidationError, match="处置"):
        actions.do_update_asset(asset, **asset_fields(state="disposed"), actor=world.worker_a)
    asset = actions.do_update_asset(
        asset,
        **asset_fields(state="disposed", state_note="2026年3月报废，街道批复"),
        actor=world.worker_a,
    )
    assert asset.state == "disposed"
    event = Event.objects.get(verb="finance.update_asset")
    assert event.summary["before"]["state"] == "in_use"
    assert event.summary["after"]["state"] == "disposed"
    with pytest.raises(PermissionDenied):
        actions.do_create_asset(world.hd, **asset_fields(), actor=world.worker_b)


def test_asset_manager_account_must_belong_to_the_community(world):
    asset = actions.do_create_asset(
        world.hd, **asset_fields(manager_user=world.worker_a.phone), actor=world.worker_a
    )
    assert asset.manager_user == world.worker_a
    resident = actions.do_create_asset(
        world.hd, **asset_fields(manager_user=world.resident_a.phone), actor=world.worker_a
    )
    assert resident.manager_user == world.resident_a
    with pytest.raises(ValidationError, match="不是本社区"):
        actions.do_create_asset(
            world.hd, **asset_fields(manager_user=world.worker_b.phone), actor=world.worker_a
        )
    assert Asset.objects.count() == 2


def test_delete_entry_takes_its_receipts_and_files(world, django_capture_on_commit_callbacks):
    period = open_period(world)
    entry = add(world, period, 100)
    receipt = actions.do_add_receipt(entry, SimpleUploadedFile("r.png", PNG), actor=world.worker_a)
    path = receipt.file.path
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_delete_entry(entry, actor=world.worker_a)
    assert not Entry.objects.exists()
    assert not os.path.exists(path)
    assert Event.objects.get(verb="finance.delete_entry").summary["receipts"] == 1


def test_add_entries_is_all_or_none_and_idempotent(world):
    period = open_period(world)
    good = {
        "date": datetime.date(2026, 3, 4),
        "direction": "expense",
        "category": "办公经费",
        "amount_fen": 100,
        "description": "胶水",
    }
    with pytest.raises(ValidationError, match="第 2 笔"):
        actions.do_add_entries(
            period, [good, {**good, "amount_fen": 0}], label="批量", actor=world.worker_a
        )
    assert not Entry.objects.exists()
    assert (
        actions.do_add_entries(period, [good, good], label="批量", actor=world.worker_a).added == 2
    )
    assert (
        actions.do_add_entries(period, [good, good], label="批量", actor=world.worker_a).added == 0
    )
    assert fresh(period).expense_fen == 200


def test_the_demo_books(db):
    from zizhi.registry import demo

    demo.build(residents=140)
    hd = Period.objects.filter(community__code="HD").order_by("year", "month")
    assert [p.status for p in hd] == ["published", "approved", "submitted", "draft"]
    for before, after in zip(hd, list(hd)[1:], strict=False):
        assert after.opening_fen == before.closing_fen
    assert hd[0].notice.category == "finance"
    assert hd.last().entries.filter(source="donation", category__name="捐赠").exists()
    assert Asset.objects.filter(community__code="HD", state="disposed").exists()
