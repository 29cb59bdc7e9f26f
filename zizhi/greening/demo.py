"""Demo data of the greening app (called by `zizhi demo` after the registry's).

Every community of the demo subdistrict gets plots on its plan, grouped by area; 湖东社区
(HD, the showcase) more of them. Adoptions by households, residents, Party members,
associations and local units, most active, a few pending review, one ended; upkeep logs and
inspections over the last months, one adopted plot without upkeep for long (需要关注), one
adoption expiring within the month. Donations go through the finance app's record_donation
(so they appear in the finance disclosure), and the fund's uses are recorded.
王秀英 (13900000001)'s household adopted 月季花坛 (name public) and logs upkeep; 林晓燕
(13900000002) has an application waiting for review. One audit event per community.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from zizhi.associations.queries import association_choices
from zizhi.audit.log import record
from zizhi.finance.actions import record_donation
from zizhi.registry.models import Community, LocalUnit, PoliticalStatus, Resident

from .models import (
    AdopterKind,
    Adoption,
    AdoptionStatus,
    Donation,
    DonorKind,
    FundUse,
    InspectionResult,
    LogKind,
    Plot,
    PlotKind,
    PlotState,
    UpkeepLog,
)

ZONES = ("东区", "西区", "中心花园", "沿河绿带")
KIND_NAMES = {
    PlotKind.LAWN: "草坪",
    PlotKind.HEDGE: "绿篱",
    PlotKind.FLOWER_BED: "花坛",
    PlotKind.TREES: "树林",
}
UPKEEP = ("浇水", "除草", "修剪枝叶", "清理落叶和垃圾", "松土施肥", "补种花苗", "浇水、除草")
INSPECT = ("长势良好，地面整洁", "有杂草，已提醒认领人", "个别植株缺水")
USES = (
    ("购买花苗 200 株", 86000),
    ("购买有机肥和园艺工具", 42000),
    ("聘请园林师傅修剪大树", 60000),
    ("认领标牌制作", 18000),
)
ME, HELPER = "13900000001", "13900000002"


def logins() -> list:
    return []


def _plots(community, rng, count, user) -> list[Plot]:
    rows = []
    kinds = list(KIND_NAMES)
    for i in range(count):
        kind = kinds[i % len(kinds)]
        zone = ZONES[i % len(ZONES)]
        building = rng.randint(1, 24)
        area = {
            PlotKind.LAWN: rng.randint(150, 900),
            PlotKind.HEDGE: rng.randint(40, 200),
            PlotKind.FLOWER_BED: rng.randint(20, 120),
            PlotKind.TREES: rng.randint(200, 1200),
        }[kind]
        rows.append(
            Plot(
                community=community,
                name=f"{zone}{KIND_NAMES[kind]}{i // len(ZONES) + 1}号",
                zone=zone,
                location=f"{building}栋{rng.choice(('南侧', '北侧', '东侧', '西侧'))}",
                area_m2=Decimal(area),
                kind=kind,
                created_by=user,
            )
        )
    if community.code == "HD":
        rows[0].name, rows[0].kind, rows[0].area_m2 = "月季花坛", PlotKind.FLOWER_BED, Decimal(86)
        rows[0].location = "3栋南侧，小区主路旁"
    return Plot.objects.bulk_create(rows)


def _adopter(rng, kind, residents, associations, units):
    """(columns, label) of a random adopter of `kind`, or None if there is none."""
    if kind == AdopterKind.ASSOCIATION and associations:
        pk, name = rng.choice(associations)
        return {"association_id": pk}, name
    if kind == AdopterKind.UNIT and units:
        unit = rng.choice(units)
        return {"unit": unit}, unit.name
    pool = residents
    if kind == AdopterKind.PARTY_MEMBER:
        pool = [r for r in residents if r.political_status == PoliticalStatus.PARTY_MEMBER]
    if not pool:
        return None
    r = rng.choice(pool)
    if kind == AdopterKind.HOUSEHOLD and r.household_id:
        return {"resident": r, "household_id": r.household_id}, f"{r.name}家"
    if kind == AdopterKind.PARTY_MEMBER:
        return {"resident": r}, f"{r.name}（党员）"
    return {"resident": r}, r.name


def _community(community, rng, worker, today) -> dict:
    hd = community.code == "HD"
    plots = _plots(community, rng, 28 if hd else 10, worker)
    residents = list(
        Resident.objects.filter(community=community, household__isnull=False)
        .select_related("household__building")
        .order_by("id")[:400]
    )
    associations = association_choices(community)
    units = list(LocalUnit.objects.filter(community=community))
    kinds = [AdopterKind.HOUSEHOLD] * 5 + [
        AdopterKind.RESIDENT,
        AdopterKind.PARTY_MEMBER,
        AdopterKind.PARTY_MEMBER,
        AdopterKind.ASSOCIATION,
        AdopterKind.UNIT,
    ]
    adoptions, adopted, pending = [], [], []
    me = (
        Resident.objects.filter(community=community, phone=ME)
        .select_related("household__building")
        .first()
    )
    helper = Resident.objects.filter(community=community, phone=HELPER).first()
    for i, plot in enumerate(plots):
        share = i % 10
        if share >= 7:  # available (and one resting)
            if share == 9 and i % 20 == 19:
                plot.state = PlotState.RESTING
            continue
        if hd and i == 0 and me is not None and me.household_id:
            cols, label = {"resident": me, "household_id": me.household_id}, f"{me.name}家"
            kind = AdopterKind.HOUSEHOLD
        else:
            kind = kinds[rng.randrange(len(kinds))]
            found = _adopter(rng, kind, residents, associations, units)
            if found is None:
                kind = AdopterKind.RESIDENT
                found = _adopter(rng, kind, residents, associations, units)
            if found is None:
                continue
            cols, label = found
        start = today - datetime.timedelta(days=rng.randint(40, 330))
        ends = (
            start.replace(year=start.year + rng.choice((1, 2)))
            if not (start.month == 2 and start.day == 29)
            else start + datetime.timedelta(days=365)
        )
        if i == 3:  # expiring within the month
            ends = today + datetime.timedelta(days=12)
        status = AdoptionStatus.ACTIVE
        if share == 6:
            status = AdoptionStatus.PENDING
            start = today + datetime.timedelta(days=3)
            ends = start + datetime.timedelta(days=365)
            if hd and helper is not None and not pending:
                cols, label, kind = {"resident": helper}, helper.name, AdopterKind.RESIDENT
        a = Adoption(
            community=community,
            plot=plot,
            adopter_kind=kind,
            adopter_name=label[:100],
            starts_on=start,
            ends_on=ends,
            show_name=rng.random() < 0.6 or (hd and i == 0),
            contact_phone="",
            status=status,
            applied_by=worker,
            reviewed_by=worker if status == AdoptionStatus.ACTIVE else None,
            reviewed_at=timezone.now() if status == AdoptionStatus.ACTIVE else None,
            **cols,
        )
        adoptions.append(a)
        if status == AdoptionStatus.ACTIVE:
            plot.state = PlotState.ADOPTED
            adopted.append((plot, a))
        else:
            pending.append(a)
    # an earlier adoption of the first adopted plot, ended
    if adopted:
        plot, later = adopted[-1]
        adoptions.append(
            Adoption(
                community=community,
                plot=plot,
                adopter_kind=AdopterKind.RESIDENT,
                adopter_name=rng.choice(residents).name if residents else "居民",
                starts_on=later.starts_on - datetime.timedelta(days=400),
                ends_on=later.starts_on - datetime.timedelta(days=35),
                status=AdoptionStatus.ENDED,
                ended_on=later.starts_on - datetime.timedelta(days=35),
                applied_by=worker,
            )
        )
    Adoption.objects.bulk_create(adoptions)
    Plot.objects.bulk_update(plots, ["state"])
    logs = []
    for n, (plot, a) in enumerate(adopted):
        neglected = n == 2  # no upkeep for long: 需要关注
        last = today - datetime.timedelta(days=75 if neglected else rng.randint(0, 12))
        day = last
        while day > a.starts_on:
            logs.append(
                UpkeepLog(
                    community=community,
                    plot=plot,
                    adoption=a,
                    kind=LogKind.UPKEEP,
                    done_on=day,
                    text=rng.choice(UPKEEP),
                    recorded_by=worker,
                )
            )
            day -= datetime.timedelta(days=rng.randint(7, 20))
        if n % 3 == 0:
            logs.append(
                UpkeepLog(
                    community=community,
                    plot=plot,
                    adoption=a,
                    kind=LogKind.INSPECTION,
                    done_on=today - datetime.timedelta(days=rng.randint(1, 30)),
                    text=INSPECT[1] if neglected else rng.choice(INSPECT),
                    result=InspectionResult.NEEDS_CARE if neglected else InspectionResult.GOOD,
                    recorded_by=worker,
                )
            )
    UpkeepLog.objects.bulk_create(logs)
    donations = _donations(community, rng, worker, today, adopted, me, units, 12 if hd else 3)
    return {
        "plots": len(plots),
        "adoptions": len(adoptions),
        "upkeep_logs": len(logs),
        "donations": donations,
    }


def _donations(community, rng, worker, today, adopted, me, units, count) -> int:
    rows, total = [], 0
    for n in range(count):
        given = today - datetime.timedelta(days=rng.randint(5, 200))
        amount = rng.choice((5000, 10000, 20000, 30000, 50000, 100000))
        plot, a = adopted[n % len(adopted)] if adopted else (None, None)
        if n == 0 and me is not None and me.household_id:
            kind, cols, label = (
                DonorKind.HOUSEHOLD,
                {"resident": me, "household_id": me.household_id},
                f"{me.name}家",
            )
            plot = next((p for p, x in adopted if x.resident_id == me.pk), plot)
            amount = 20000
        elif n % 5 == 4 and units:
            unit = rng.choice(units)
            kind, cols, label = DonorKind.UNIT, {"unit": unit}, unit.name
            amount = 200000
        elif n % 4 == 3:
            kind, cols, label = DonorKind.ANONYMOUS, {}, "匿名"
        elif a is not None and a.resident_id:
            kind, cols, label = DonorKind.RESIDENT, {"resident": a.resident}, a.resident.name
        else:
            kind, cols, label = DonorKind.ANONYMOUS, {}, "匿名"
        receipt = f"{community.code}-LH-{given.year}-{n + 1:03d}"
        entry = record_donation(
            community,
            amount_fen=amount,
            donor_label=label,
            receipt_no=receipt,
            purpose=f"绿化捐款：绿地认领养护（{plot.name}）" if plot else "绿化捐款",
            date=given,
            actor=worker,
        )
        rows.append(
            Donation(
                community=community,
                amount_fen=amount,
                donor_kind=kind,
                donor_label=label,
                receipt_no=receipt,
                given_on=given,
                purpose="绿地认领养护",
                plot=plot,
                finance_entry_id=entry.pk,
                recorded_by=worker,
                **cols,
            )
        )
        total += amount
    Donation.objects.bulk_create(rows)
    uses, spent = [], 0
    for purpose, amount in USES:
        if spent + amount > total:
            break
        spent += amount
        uses.append(
            FundUse(
                community=community,
                used_on=today - datetime.timedelta(days=rng.randint(1, 120)),
                amount_fen=amount,
                purpose=purpose,
                plot=adopted[0][0] if adopted and purpose.startswith("购买花苗") else None,
                recorded_by=worker,
            )
        )
    FundUse.objects.bulk_create(uses)
    return len(rows)


def build(subdistrict, password_hash) -> dict:
    from zizhi.accounts.models import User
    from zizhi.registry.demo import WORKER_LOGINS

    rng = random.Random(2026)
    today = timezone.localdate()
    totals: dict[str, int] = {}
    workers = {w.community: w.phone for w in WORKER_LOGINS}
    for community in Community.objects.filter(subdistrict=subdistrict).order_by("code"):
        worker = User.objects.filter(phone=workers.get(community.code, "")).first()
        with transaction.atomic():
            counts = _community(community, rng, worker, today)
            record(
                worker,
                "greening.demo",
                community,
                community=community,
                after=counts,
            )
        for key, value in counts.items():
            totals[f"greening_{key}"] = totals.get(f"greening_{key}", 0) + value
    return totals
