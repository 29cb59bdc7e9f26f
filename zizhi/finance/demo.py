"""Demo books and assets for every community of the demo subdistrict (an extension of
registry.demo).

Per community: the three months before this one, the oldest published (with its finance
notice), the second approved and waiting to be published, the third submitted and waiting
for the subdistrict's review; this month being kept, with a green-plot donation
posted through `record_donation`. A handful of assets with their managers.
"""

import datetime
import random

from django.utils import timezone

from zizhi.accounts.models import User
from zizhi.registry.models import Community

from . import actions
from .models import Category

INCOME = [
    ("社区自有收入", "活动室场地使用费", "社区舞蹈队", (300, 1200)),
    ("社区自有收入", "公共收益（广告位）", "物业公司", (1500, 4000)),
    ("捐赠", "爱心企业捐赠（助老）", "湖畔超市", (500, 3000)),
]
EXPENSES = [
    ("办公经费", "打印纸、墨盒等办公用品", "文具店", (200, 1500)),
    ("办公经费", "宽带和电话费", "电信营业厅", (300, 600)),
    ("活动经费", "重阳节老人慰问品", "湖畔超市", (1500, 5000)),
    ("活动经费", "文艺汇演音响租赁", "声美音响", (800, 2500)),
    ("维修维护", "楼道照明更换", "电工老刘", (400, 2200)),
    ("维修维护", "健身器材维修", "体育器材公司", (600, 3000)),
    ("绿化养护", "绿地修剪和补种", "园林公司", (1000, 4500)),
    ("其他", "垃圾分类宣传材料", "广告社", (200, 900)),
]
ASSETS = [
    ("党群服务中心活动室", "room", "社区服务中心一楼", 1, 0, "在用"),
    ("投影仪", "equipment", "活动室", 1, 3800, "维修中"),
    ("电动巡逻车", "vehicle", "车棚", 1, 16800, "在用"),
    ("旧复印机", "equipment", "库房", 1, 0, "已处置"),
]
STATE = {"在用": "in_use", "维修中": "repair", "已处置": "disposed"}


def _months_before(today: datetime.date, n: int) -> list[tuple[int, int]]:
    key = today.year * 12 + today.month - 1
    return [(k // 12, k % 12 + 1) for k in range(key - n, key)]


def _row(period, rng, categories, category, description, counterparty, span, direction):
    day = rng.randint(1, 28)
    return {
        "date": datetime.date(period.year, period.month, day),
        "direction": direction,
        "category": categories[(direction, category)],
        "amount_fen": rng.randint(*span) * 100 + rng.choice([0, 0, 50]),
        "description": description,
        "counterparty": counterparty,
        "receipt_no": f"FP{period.year}{period.month:02d}{day:02d}{rng.randint(10, 99)}",
    }


def _keep_month(period, rng, worker, community) -> int:
    """One month's books, posted as one batch (like an Excel import)."""
    categories = {(c.direction, c.name): c for c in Category.objects.filter(community=community)}
    rows = [
        {
            "date": datetime.date(period.year, period.month, 3),
            "direction": "income",
            "category": categories[("income", "上级拨款")],
            "amount_fen": rng.choice([25000, 30000, 35000]) * 100,
            "description": "街道拨付社区办公和服务经费",
            "counterparty": community.subdistrict.name,
            "receipt_no": f"BK{period.year}{period.month:02d}",
        }
    ]
    for item in rng.sample(INCOME, rng.randint(0, 2)):
        rows.append(_row(period, rng, categories, *item, "income"))
    for item in rng.sample(EXPENSES, rng.randint(4, 6)):
        rows.append(_row(period, rng, categories, *item, "expense"))
    actions.do_add_entries(period, rows, label="演示数据", actor=worker)
    return len(rows)


def build(subdistrict, password_hash) -> dict:
    from zizhi.registry.demo import ADMIN_LOGIN, WORKER_LOGINS

    admin = User.objects.get(phone=ADMIN_LOGIN.phone)
    today = timezone.localdate()
    months = _months_before(today, 3)
    periods = entries = assets = 0
    for community in Community.objects.filter(subdistrict=subdistrict).order_by("code"):
        login = next((w for w in WORKER_LOGINS if w.community == community.code), None)
        if login is None:
            continue
        worker = User.objects.get(phone=login.phone)
        rng = random.Random(f"finance-{community.code}")
        for i, (year, month) in enumerate(months):
            period = actions.do_open_period(
                community,
                year=year,
                month=month,
                opening_fen=rng.randint(500, 1500) * 10000 if i == 0 else None,
                actor=worker,
            )
            entries += _keep_month(period, rng, worker, community)
            periods += 1
            actions.do_submit_period(period, actor=worker)
            if i < 2:
                actions.do_approve_period(period, actor=admin)
            if i < 1:
                actions.do_publish_period(period, actor=worker)
        current = actions.do_open_period(
            community, year=today.year, month=today.month, actor=worker
        )
        periods += 1
        entries += 1
        actions.do_add_entry(
            current,
            date=today.replace(day=1),
            direction="expense",
            category="办公经费",
            amount_fen=36500,
            description="打印纸和文件夹",
            counterparty="文具店",
            actor=worker,
        )
        entries += 1
        actions.record_donation(
            community,
            amount_fen=rng.randint(2, 10) * 10000,
            donor_label="王秀英家庭",
            receipt_no=f"JZ{today.year}{rng.randint(100, 999)}",
            purpose="绿地认领捐赠：中心花园东侧绿地一年养护",
            date=today,
            actor=worker,
        )
        for name, kind, location, quantity, value, state in ASSETS:
            actions.do_create_asset(
                community,
                name=name,
                kind=kind,
                location=location,
                quantity=quantity,
                value_fen=value * 100 if value else None,
                manager_name=login.name if kind != "vehicle" else "巡逻队 陈师傅",
                manager_user=worker if kind != "vehicle" else None,
                acquired_on=datetime.date(2019 + len(name) % 5, 1 + len(location) % 12, 1),
                state=STATE[state],
                state_note="2025年报废，经居民代表会议同意" if state == "已处置" else "",
                actor=worker,
            )
            assets += 1
    return {"finance_periods": periods, "finance_entries": entries, "assets": assets}


def logins() -> list:
    return []
