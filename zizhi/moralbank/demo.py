"""Demo Moral Bank (an extension of registry.demo, after the associations' and the activity
demos): the seed's savings branches (each community's own; in HD also the trade union's, the
flower and the calligraphy associations' and the merchants'), a clerk login for HD's branches,
and a year of history (planned in demo_history, written here in bulk).

- Depositors: every resident aged 7 to 87, and anyone older with attested service. At the
  default size (4,000 residents, seed 2026) that is 3,874 accounts (3,859 aged 7 to 87 and 15
  older volunteers): the issue's "about 4,000" is the whole registry at its default size. A
  minor's account names an adult of the household (a parent first) as guardian.
- Service: for the twelve months before the activity demo's records, some 10,300 records of
  volunteers who served a few times a month (demo_history.records), numbered on from the
  community's record counters, which are advanced; each credited by the organising
  association's branch, else the community's. The activity demo's records are credited too,
  five of HD's pending for the clerk (13900000061). About 12,500 entries, 25,000 postings.
- A catalogue of three to five offers per branch; about 590 redemptions over the year at
  any branch of the community, their lines as redeem.redemption_lines() builds them (so HD's
  branches owe each other), most handed over, a few cancelled (reversed), last week's waiting;
  HD's branches settle at most month ends (23 settlements), so some positions remain.
- Gifts to family, donations to the pool, grants to elderly people living alone; a third of
  servers on the honour roll. 王秀英 (13900000001) holds grants and her flower association's
  credit, has redeemed haircuts and home visits (one waiting), and 林晓燕 (13900000002, another
  household) recorded an hour of help to her that waits for her to confirm.

No personal balance leaves [0, cap] at any moment; the cached balances are the sums of the
postings. One audit event per community."""

import datetime
import random
from collections import defaultdict
from contextlib import contextmanager

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

from zizhi.accounts.models import User
from zizhi.associations.models import Association, Counter, ServiceRecord
from zizhi.audit.log import record
from zizhi.registry.models import Community, Resident

from . import demo_history
from .demo_history import Year, at
from .models import (
    Account,
    AccountKind,
    BankRules,
    Branch,
    BranchKind,
    Clerk,
    Entry,
    EntryKind,
    Help,
    Offer,
    Posting,
    Redemption,
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
ME, HELPER = "13900000001", "13900000002"  # 王秀英 and 林晓燕 (resident logins of HD)


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


def _branches(community, worker, clerk) -> list[Branch]:
    """The community's branches, its own first."""
    specs = [(f"{community.name}储蓄所", BranchKind.COMMUNITY, None)]
    if community.code == "HD":
        specs += HD_BRANCHES
    branches = []
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
        branches.append(branch)
    return branches


def _sources(community, branches) -> list:
    """Who organises service: (organiser, crediting branch, association's name, weight)."""
    own = branches[0]
    sources = [(community.name, own, None, 4)]
    sources += [(b.association.name, b, b.association.name, 2) for b in branches if b.association]
    with_branch = {b.association_id for b in branches}
    for association in Association.objects.filter(community=community).order_by("id"):
        if association.pk not in with_branch:
            sources.append((association.name, own, association.name, 1))
    return sources


def _community(community, worker, clerk) -> dict:
    rng = random.Random(f"moralbank-{community.code}")
    today, now = timezone.localdate(), timezone.now()
    branches = _branches(community, worker, clerk)
    own = branches[0]
    by_association = {b.association_id: b for b in branches if b.association_id}
    keeper_of = {b.pk: clerk if community.code == "HD" else worker for b in branches}
    books = {(a.branch_id, a.kind): a for a in Account.objects.filter(branch__in=branches)}
    pool = Account.objects.create(community=community, kind=AccountKind.POOL)
    recent = list(
        ServiceRecord.objects.filter(community=community, minutes__gt=0)
        .select_related("activity")
        .order_by("service_date", "id")
    )
    residents = list(Resident.objects.filter(community=community).order_by("id"))
    me = next((r for r in residents if r.phone == ME and r.user_id), None)
    serving = {r.resident_id for r in recent}
    depositors = [r for r in residents if 7 <= r.age(today) <= 87 or r.pk in serving]
    end = recent[0].service_date if recent else today - datetime.timedelta(days=80)
    start = end - datetime.timedelta(days=365)
    # 王秀英's certificate covers all her records: she gets none back-dated
    sources = _sources(community, branches)
    skip = {me.pk} if me else set()
    history = demo_history.records(
        community, depositors, serving, sources, start, worker, rng, today, skip
    )
    _number(community.code, [rec for rec, _branch in history])
    servers = serving | {rec.resident_id for rec, _branch in history}
    accounts = _accounts(community, residents, depositors, servers, rng, today)
    account_of = {a.resident_id: a for a in accounts}
    offers = demo_history.catalogue(branches, keeper_of, at(start - datetime.timedelta(days=7), 10))
    year = Year(
        code=community.code,
        rng=rng,
        now=now,
        cap=BankRules.for_community(community.pk).personal_cap_minutes,
        books=books,
        pool=pool,
        keeper_of=keeper_of,
        approver=clerk,
    )
    pending = recent[-PENDING_FOR_CLERK:] if community.code == "HD" else []
    for rec in recent:
        branch = by_association.get(rec.activity.association_id if rec.activity else None, own)
        account = account_of[rec.resident_id]
        year.schedule(at(rec.service_date, 16), "credit", rec, branch, account, rec in pending)
    for rec, branch in history:
        when = rec.ended_at + datetime.timedelta(hours=1)
        year.schedule(when, "credit", rec, branch, account_of[rec.resident_id])
    _spending(year, community, residents, accounts, account_of, offers, branches, start, today)
    if me is not None:
        _mine(year, account_of[me.pk], offers, start, today)
    year.run()
    _write(community, worker, year, [rec for rec, _branch in history], offers)
    helped = _help(community, residents, me, today)
    _balances(community)
    plans = year.plans
    return {
        "branches": len(branches),
        "depositors": len(accounts),
        "journal_entries": len(plans),
        "postings": sum(len(p.lines) for p in plans if p.entry.status == "posted"),
        "service_records_backdated": len(history),
        "offers": len(offers),
        "redemptions": sum(1 for p in plans if p.redemption),
        "settlements": sum(1 for p in plans if p.fields["kind"] == EntryKind.SETTLEMENT),
        "neighbour_help": helped,
    }


def _accounts(community, residents, depositors, servers, rng, today) -> list[Account]:
    household = defaultdict(list)
    for r in residents:
        if r.household_id:
            household[r.household_id].append(r)

    def guardian(r):
        if r.age(today) >= 18:
            return None
        adults = [p for p in household.get(r.household_id, []) if p.age(today) >= 18]
        adults.sort(key=lambda p: (not 22 <= p.age(today) < 60, p.pk))  # a parent first
        return adults[0] if adults else None

    return Account.objects.bulk_create(
        # about a third of those who served agreed to the public honour roll
        Account(
            community=community,
            kind=AccountKind.PERSONAL,
            resident=r,
            guardian=guardian(r),
            on_honour_roll=r.pk in servers and rng.random() < 1 / 3,
        )
        for r in depositors
    )


def _spending(year, community, residents, accounts, account_of, offers, branches, start, today):
    """Redemption attempts, gifts and donations over the year, grants, month-end settlements."""
    rng = year.rng

    def when(since=start + datetime.timedelta(days=20)):  # a working hour, before today
        day = since + datetime.timedelta(days=rng.randrange((today - since).days))
        return at(day, rng.randint(9, 17), rng.choice((0, 15, 30, 45)))

    attempts = max(6, len(accounts) // 7) * (3 if community.code == "HD" else 2) // 2
    for _ in range(attempts):
        year.schedule(when(), "redeem", rng.choice(offers), accounts, _user_of)
    household = defaultdict(list)
    for r in residents:
        if r.household_id and r.pk in account_of:
            household[r.household_id].append(account_of[r.pk])

    def family_of(giver):
        return [a for a in household.get(giver.resident.household_id, []) if a is not giver]

    for n in range(max(12, len(accounts) // 20)):
        year.schedule(when(start + datetime.timedelta(days=30)), "transfer", accounts, family_of, n)
    alone = [account_of[r.pk] for r in residents if r.lives_alone_elderly and r.pk in account_of]
    alone = [a for a in alone if a.resident.phone != ME] or alone or accounts[:1]
    for k, day in enumerate((start + datetime.timedelta(days=180), today - datetime.timedelta(3))):
        year.schedule(at(day, 11), "grant", alone[k % len(alone)], 60)
    if len(branches) > 1:
        month = datetime.date(start.year, start.month, 1)
        while month <= today:
            following = (month + datetime.timedelta(days=32)).replace(day=1)
            last = following - datetime.timedelta(days=1)
            if last > start:
                year.schedule(at(last, 17, 30), "settle", branches)
            month = following


def _mine(year, mine, offers, start, today):
    """王秀英: grants from the pool, a haircut or a home visit every two months, one waiting."""

    def offer(title, kind):
        found = [o for o in offers if o.title == title]
        return next((o for o in found if o.branch.kind == kind), found[0] if found else offers[0])

    haircut, visit = offer("老人理发", BranchKind.MERCHANT), offer("上门探访", BranchKind.COMMUNITY)
    for days in (60, 150, 240, 320):
        year.schedule(at(start + datetime.timedelta(days=days), 11), "grant", mine, 240)
    for k, days in enumerate((100, 160, 220, 280, 330)):
        chosen = haircut if k % 2 == 0 else visit
        year.schedule(
            at(start + datetime.timedelta(days=days), 10), "redeem", chosen, [mine], _user_of
        )
    year.schedule(
        at(today - datetime.timedelta(days=2), 10), "redeem", haircut, [mine], _user_of, True
    )


def _user_of(account) -> int | None:
    """Who redeems: the depositor's login, or a minor's guardian's."""
    guardian = account.guardian
    return account.resident.user_id or (guardian.user_id if guardian is not None else None)


def _number(code, records) -> None:
    """Number the back-dated records after what the record counters gave out, and advance them
    so that later records do not collide."""
    by_year = defaultdict(list)
    for rec in records:  # in time order
        by_year[rec.service_date.year].append(rec)
    for year, recs in sorted(by_year.items()):
        counter, _new = Counter.objects.get_or_create(key=f"record:{code}:{year}")
        for seq, rec in enumerate(recs, counter.value + 1):
            rec.number = f"FW{code}{year}{seq:06d}"
        Counter.objects.filter(pk=counter.pk).update(value=F("value") + len(recs))


@contextmanager
def _dated(*models):
    """Let bulk_create keep the created_at given: a year of history was not written today."""
    fields = [m._meta.get_field("created_at") for m in models]
    for f in fields:
        f.auto_now_add = False
    try:
        yield
    finally:
        for f in fields:
            f.auto_now_add = True


def _write(community, worker, year, records, offers) -> None:
    """Rows final from the start (PostgreSQL refuses to change a posted entry or a posting)."""
    with _dated(ServiceRecord, Offer, Entry, Redemption):
        ServiceRecord.objects.bulk_create(records, batch_size=2000)
        Offer.objects.bulk_create(offers)  # with the stock left after the year
        batch = []
        for plan in year.plans:
            if plan.reverses is not None and plan.reverses.entry.pk is None:
                Entry.objects.bulk_create(batch, batch_size=2000)  # the reversed one needs an id
                batch = []
            plan.entry = _entry(community, worker, plan)
            batch.append(plan.entry)
        Entry.objects.bulk_create(batch, batch_size=2000)
        Posting.objects.bulk_create(
            (
                Posting(entry_id=plan.entry.pk, account_id=account.pk, minutes=minutes)
                for plan in year.plans
                if plan.entry.status == "posted"
                for account, minutes in plan.lines
            ),
            batch_size=2000,
        )
        Redemption.objects.bulk_create(
            Redemption(entry=plan.entry, **plan.redemption)
            for plan in year.plans
            if plan.redemption
        )


def _entry(community, worker, plan) -> Entry:
    fields = dict(plan.fields)
    if plan.reverses is not None:  # as reversal.reverse_entry() writes it
        original = plan.reverses.entry
        fields.update(
            memo=f"冲正 {original.number}",
            idempotency_key=f"reverse:{original.pk}",
            reverses=original,
        )
    fields.setdefault("created_by_id", worker.pk)
    for name in ("branch", "service_record", "approved_by", "reverses"):
        if name in fields:  # ids: faster to write than objects
            related = fields.pop(name)
            fields[f"{name}_id"] = related.pk if related is not None else None
    return Entry(
        community_id=community.pk,
        request_hash="demo",
        proposed=[[account.pk, minutes] for account, minutes in plan.lines],
        created_at=plan.at,
        **fields,
    )


def _help(community, residents, me, today) -> int:
    """林晓燕 helped 王秀英 yesterday; it waits for 王秀英 to confirm (another resident with a
    login helps if 林晓燕 shares her household)."""
    if me is None:
        return 0
    others = [r for r in residents if r.user_id and r.pk != me.pk]
    others.sort(key=lambda r: r.phone != HELPER)
    helper = next((r for r in others if r.household_id != me.household_id), None)
    if helper is None:
        return 0
    Help.objects.create(
        community=community,
        helper=helper,
        neighbour=me,
        service_date=today - datetime.timedelta(days=1),
        minutes=60,
        content="帮忙买菜送上楼",
    )
    return 1


def _balances(community) -> None:
    """The cached balances, from the postings just written."""
    sums = (
        Posting.objects.filter(account__community=community)
        .values("account")
        .annotate(s=Sum("minutes"))
    )
    Account.objects.bulk_update(
        [Account(pk=row["account"], balance=row["s"]) for row in sums], ["balance"], batch_size=2000
    )
