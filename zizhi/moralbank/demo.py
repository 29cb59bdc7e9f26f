"""Demo Moral Bank (an extension of registry.demo, after the associations' demo): the seed's
ten savings branches (each community's own; in HD also the trade union, the flower and the
calligraphy associations' and the merchants'), a clerk login for HD's branches, an account
for every resident with attested service and for one in six of the others aged 7 to 87, a
posted service credit for every attested service record (from the organising association's
branch, else the community's), some gifts to family and donations to the pool, a grant to a
resident living alone, and pending credits for the clerk. Written in bulk (postings and
cached balances computed together), one audit event per community."""

import datetime
import random
from collections import defaultdict

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from zizhi.accounts.models import User
from zizhi.associations.models import Association, ServiceRecord
from zizhi.audit.log import record
from zizhi.registry.models import Community, Resident

from .models import (
    Account,
    AccountKind,
    Branch,
    BranchKind,
    Clerk,
    Entry,
    EntryKind,
    EntryStatus,
    Posting,
)

CLERK = ("13900000061", "储蓄所管理员")
# HD's branches besides its own: (name, kind, association's name)
HD_BRANCHES = [
    ("湖东社区工会储蓄所", BranchKind.TRADE_UNION, "社区工会"),
    ("花卉协会储蓄所", BranchKind.ASSOCIATION, "花卉协会"),
    ("书法协会储蓄所", BranchKind.ASSOCIATION, "书法协会"),
    ("爱心商户储蓄所", BranchKind.MERCHANT, "商户联盟"),
]
PENDING_FOR_CLERK = 5


def logins() -> list:
    from zizhi.registry.demo import Login

    return [Login(CLERK[0], CLERK[1], "储蓄所管理员 branch clerk", "HD")]


def build(subdistrict, password_hash) -> dict:
    from zizhi.registry.demo import WORKER_LOGINS

    totals = defaultdict(int)
    clerk = User.objects.create(phone=CLERK[0], name=CLERK[1], password=password_hash)
    for community in Community.objects.filter(subdistrict=subdistrict).order_by("code"):
        login = next((w for w in WORKER_LOGINS if w.community == community.code), None)
        if login is None:
            continue
        worker = User.objects.get(phone=login.phone)
        with transaction.atomic():
            counts = _community(community, worker, clerk)
            record(worker, "moralbank.demo_build", community, community=community, extra=counts)
        for key, value in counts.items():
            totals[key] += value
    return dict(totals)


def _branches(community, worker, clerk) -> tuple[Branch, dict[int, Branch]]:
    specs = [(f"{community.name}储蓄所", BranchKind.COMMUNITY, None)]
    if community.code == "HD":
        specs += HD_BRANCHES
    own, by_association = None, {}
    for name, kind, association_name in specs:
        association = None
        if association_name:
            association = Association.objects.filter(
                subdistrict=community.subdistrict, name=association_name
            ).first()
        branch = Branch.objects.create(
            community=community, name=name, kind=kind, association=association
        )
        Account.objects.bulk_create(
            Account(community=community, kind=k, branch=branch)
            for k in (AccountKind.ISSUING, AccountKind.CLEARING)
        )
        Clerk.objects.create(
            branch=branch,
            user=clerk if community.code == "HD" else worker,
            started_on=datetime.date(2025, 1, 1),
        )
        if association is not None:
            by_association[association.pk] = branch
        own = own or branch
    return own, by_association


def _community(community, worker, clerk) -> dict:
    rng = random.Random(f"moralbank-{community.code}")
    today = timezone.localdate()
    own, by_association = _branches(community, worker, clerk)
    issuing = {
        a.branch_id: a
        for a in Account.objects.filter(branch__community=community, kind=AccountKind.ISSUING)
    }
    pool = Account.objects.create(community=community, kind=AccountKind.POOL)
    records = list(
        ServiceRecord.objects.filter(community=community, minutes__gt=0)
        .select_related("activity")
        .order_by("service_date", "id")
    )
    residents = list(Resident.objects.filter(community=community).order_by("id"))
    serving = {r.resident_id for r in records}
    depositors = [
        r
        for r in residents
        if r.pk in serving or (7 <= r.age(today) <= 87 and rng.random() < 1 / 6)
    ]
    accounts = Account.objects.bulk_create(
        # about a third of those who served agreed to the public honour roll
        Account(
            community=community,
            kind=AccountKind.PERSONAL,
            resident=r,
            on_honour_roll=r.pk in serving and rng.random() < 1 / 3,
        )
        for r in depositors
    )
    account_of = {a.resident_id: a for a in accounts}

    plans = []  # (entry fields, [(account, minutes)])
    pending = records[-PENDING_FOR_CLERK:] if community.code == "HD" else []
    for rec in records:
        assoc_id = rec.activity.association_id if rec.activity else None
        branch = by_association.get(assoc_id, own)
        lines = [(issuing[branch.pk], -rec.minutes), (account_of[rec.resident_id], rec.minutes)]
        status = EntryStatus.PENDING if rec in pending else EntryStatus.POSTED
        plans.append(
            (
                dict(
                    kind=EntryKind.SERVICE_CREDIT,
                    status=status,
                    branch=branch,
                    service_record=rec,
                    memo=f"服务存入：{rec.content}"[:200],
                    idempotency_key=f"demo-credit:{rec.pk}",
                    approved_by=None if status == EntryStatus.PENDING else clerk,
                    decided_at=None if status == EntryStatus.PENDING else _at(rec.service_date),
                ),
                lines,
            )
        )
    balance = defaultdict(int)
    for fields, lines in plans:
        if fields["status"] == EntryStatus.POSTED:
            for account, minutes in lines:
                balance[account.pk] += minutes
    # gifts to family and donations to the pool, from depositors with credit
    by_household = defaultdict(list)
    for r in depositors:
        if r.household_id:
            by_household[r.household_id].append(r)
    givers = [a for a in accounts if balance[a.pk] >= 120]
    for n, giver in enumerate(rng.sample(givers, min(len(givers), 12))):
        family = [
            r
            for r in by_household.get(giver.resident.household_id, [])
            if r.pk != giver.resident_id
        ]
        minutes = 60
        if family and n % 2 == 0:
            to, kind, memo = account_of[family[0].pk], EntryKind.GIFT, f"转赠给{family[0].name}"
        else:
            to, kind, memo = pool, EntryKind.DONATION, "捐赠给社区捐赠池"
        plans.append(
            (
                _posted(kind, memo, f"demo-{kind}:{giver.pk}", today, n),
                [(giver, -minutes), (to, minutes)],
            )
        )
        balance[giver.pk] -= minutes
        balance[to.pk] += minutes
    if balance[pool.pk] >= 60:
        alone = next((r for r in depositors if r.age(today) >= 80), depositors[0])
        plans.append(
            (
                {
                    **_posted(
                        EntryKind.GRANT,
                        f"捐赠池发放给{alone.name}",
                        f"demo-grant:{community.code}",
                        today,
                        0,
                    ),
                    "reason": "居委会会议决定：帮助独居高龄老人",
                },
                [(pool, -60), (account_of[alone.pk], 60)],
            )
        )
        balance[pool.pk] -= 60
        balance[account_of[alone.pk].pk] += 60

    entries = Entry.objects.bulk_create(
        Entry(
            community=community,
            request_hash="demo",
            proposed=[[a.pk, m] for a, m in lines],
            created_by=worker,
            **fields,
        )
        for fields, lines in plans
    )
    Posting.objects.bulk_create(
        (
            Posting(entry=entry, account=account, minutes=minutes)
            for entry, (fields, lines) in zip(entries, plans, strict=True)
            if fields["status"] == EntryStatus.POSTED
            for account, minutes in lines
        ),
        batch_size=2000,
    )
    # the cached balances, from the postings just written
    sums = (
        Posting.objects.filter(account__community=community)
        .values("account")
        .annotate(s=Sum("minutes"))
    )
    changed = []
    for row in sums:
        account = Account(pk=row["account"], balance=row["s"])
        changed.append(account)
    Account.objects.bulk_update(changed, ["balance"], batch_size=2000)
    return {
        "branches": 1 + len(by_association),
        "depositors": len(accounts),
        "journal_entries": len(entries),
    }


def _posted(kind, memo, key, today, n) -> dict:
    return dict(
        kind=kind,
        status=EntryStatus.POSTED,
        memo=memo,
        idempotency_key=key,
        decided_at=_at(today - datetime.timedelta(days=3 + n)),
    )


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(16)))
