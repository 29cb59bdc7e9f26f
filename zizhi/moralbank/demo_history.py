"""A year of the demo Moral Bank, planned in memory (zizhi.moralbank.demo writes it).

- records(): service records for the twelve months before the activity demo's: most of those
  who serve in the associations and about one other depositor in ten (teens and the very old
  less) served a few times a month, organised by the community or one of its associations;
- catalogue(): three to five offers per branch;
- Year: the timeline. Credits, redemptions, cancellations, gifts, donations, grants and HD's
  monthly settlements are replayed in time order on an in-memory book, so that no personal
  balance leaves [0, cap] at any moment and every redemption has the lines that
  redeem.redemption_lines() would have built at that moment (attribution: the depositor's
  service credits, oldest issuer first, less what their earlier redemptions retired from that
  issuer; the rest retired by the redeeming branch). Plans come out in time order: written in
  that order, entry and posting ids follow time, as the passbook and attribution expect.
"""

import datetime
import heapq
from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone

from zizhi.associations.demo import ASSOCIATIONS
from zizhi.associations.models import RecordKind, ServiceRecord

from .actions.ledger import hours
from .models import AccountKind, EntryKind, EntryStatus, Offer, OfferKind, RedemptionStatus

# what the community itself organises: (content, category, minutes, place)
CONTENTS = [
    ("陪伴独居老人", "elderly", (60, 90, 120), "居民家中"),
    ("清扫楼道", "environment", (60, 90), "各楼道"),
    ("义务理发", "elderly", (90, 120, 180), "社区活动室"),
    ("辅导作业", "education", (60, 90, 120), "四点半课堂"),
    ("治安巡逻", "safety", (120, 180), "小区各出入口"),
    ("文艺演出", "culture", (120, 150), "社区小广场"),
    ("花卉养护", "environment", (60, 90), "社区花坛"),
    ("书法进社区", "culture", (90, 120), "社区活动室"),
    ("助餐送餐", "elderly", (60, 90), "老年食堂"),
    ("垃圾分类督导", "environment", (60, 120), "垃圾投放点"),
    ("文明劝导", "civilisation", (60, 90), "小区路口"),
    ("义诊量血压", "health", (120, 180), "社区卫生服务站"),
    ("法律咨询", "legal", (90, 120), "社区调解室"),
    ("防汛值守", "emergency", (120, 240), "地下车库"),
]
FOR_TEENS = ("清扫楼道", "花卉养护", "垃圾分类督导", "文艺演出", "文明劝导")
ACTIVITY = {name: (category, titles) for name, _kind, category, titles in ASSOCIATIONS}

# (title, kind, minutes, stock, description) by branch kind
OFFERS = {
    "community": [
        ("老人理发", "service", 30, None, "志愿理发师上门或在活动室理发"),
        ("上门探访", "service", 60, None, "志愿者上门陪伴聊天一小时"),
        ("代买代办", "service", 30, None, "代买药品、代缴费用"),
        ("家电维修", "service", 60, None, "小家电检修，不含配件"),
        ("大米一袋", "goods", 90, 40, "10斤装"),
    ],
    "trade_union": [
        ("家电维修", "service", 60, None, "工会维修服务队上门"),
        ("代买代办", "service", 30, None, ""),
        ("食用油", "goods", 60, 40, "5升装"),
    ],
    "merchant": [
        ("老人理发", "service", 30, None, "爱心理发店，凭兑换码"),
        ("大米一袋", "goods", 90, 30, "10斤装"),
        ("食用油", "goods", 60, 30, "5升装"),
        ("洗衣液", "goods", 45, 30, "2公斤装"),
        ("修鞋配钥匙", "service", 30, None, ""),
    ],
}
ASSOCIATION_OFFERS = {
    "花卉协会": [
        ("盆栽花卉", "goods", 45, 30, "绿萝或吊兰一盆"),
        ("花卉养护指导", "service", 30, None, ""),
        ("阳台绿植上门养护", "service", 60, None, ""),
    ],
    "书法协会": [
        ("春联一副", "goods", 30, 60, "会员现场书写"),
        ("书法体验课", "service", 60, None, ""),
        ("书法作品", "goods", 120, 12, "装裱好的条幅"),
    ],
}
CANCEL_REASONS = ["库存不足，已退回", "本人改变主意", "服务人员临时有事，无法提供"]
SETTLE_REASONS = ["月度结算：以实物结清", "月度结算：按协议结清"]
WAITING_DAYS = 7  # redemptions of the last week are still to be handed over


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _active(age: int, served: bool, rng) -> int:
    """Records a month for a volunteer of this age (0: not active this year)."""
    if age < 12:
        return 0
    if served and age >= 18:
        share = 0.6
    else:
        share = 0.06 if age < 18 else 0.08 if age < 60 else 0.18 if age < 75 else 0.04
    if rng.random() >= share:
        return 0
    return rng.choice((0, 1, 1)) if age < 18 or age >= 75 else rng.choice((1, 1, 2, 2, 3))


def records(community, depositors, serving, sources, start, worker, rng, today, skip=()):
    """[(ServiceRecord without its number, crediting branch)], in time order. `sources`:
    [(organiser, branch, association name or None, weight)]."""
    weights = [s[3] for s in sources]
    planned = []
    for r in depositors:
        age = r.age(today)
        rate = 0 if r.pk in skip else _active(age, r.pk in serving, rng)
        if not rate:
            continue
        home = rng.choices(sources, weights)[0] if age >= 18 else sources[0]
        for month in range(12):
            first, last = month * 365 // 12, (month + 1) * 365 // 12
            for _ in range(max(0, rate + rng.choice((-1, 0, 0, 1)))):
                source = (
                    home if age < 18 or rng.random() < 0.7 else rng.choices(sources, weights)[0]
                )
                day = start + datetime.timedelta(days=rng.randrange(first, last))
                planned.append(_record(community, r, source, day, age < 18, worker, rng))
    planned.sort(key=lambda p: (p[0].started_at, p[0].resident_id))
    return planned


def _record(community, resident, source, day, teen, worker, rng):
    organiser, branch, association, _weight = source
    if association in ACTIVITY:
        category, titles = ACTIVITY[association]
        content, minutes, place = rng.choice(titles), (90, 120, 150), "活动室"
    else:
        pick = [c for c in CONTENTS if not teen or c[0] in FOR_TEENS]
        content, category, minutes, place = rng.choice(pick)
    minutes = min(rng.choice(minutes), 90) if teen else rng.choice(minutes)
    started = at(day, rng.choice((8, 9, 14, 15)), rng.choice((0, 30)))
    ended = started + datetime.timedelta(minutes=minutes)
    record = ServiceRecord(
        number="",
        resident_id=resident.pk,
        community_id=community.pk,
        kind=RecordKind.ORIGINAL,
        service_date=day,
        started_at=started,
        ended_at=ended,
        minutes=minutes,
        category=category,
        content=content,
        place=f"{community.name}{place}",
        organiser=organiser,
        attested_by_id=worker.pk,
        created_at=ended,
    )
    return record, branch


def catalogue(branches, keeper_of, since) -> list[Offer]:
    offers = []
    for branch in branches:
        association = branch.association.name if branch.association else None
        specs = ASSOCIATION_OFFERS.get(association) or OFFERS.get(branch.kind)
        for title, kind, minutes, stock, description in specs or OFFERS["community"]:
            offers.append(
                Offer(
                    branch=branch,
                    title=title,
                    kind=OfferKind(kind),
                    price_minutes=minutes,
                    stock=stock,
                    description=description,
                    created_by=keeper_of[branch.pk],
                    created_at=since,
                )
            )
    return offers


@dataclass
class Plan:
    """One journal entry to write, with what goes with it."""

    at: datetime.datetime
    fields: dict
    lines: list  # [(Account, minutes)]
    reverses: "Plan | None" = None
    redemption: dict | None = None  # the Redemption's fields but entry
    entry: object = None  # the Entry, once built


class Year:
    """The community's book in memory, replayed in time order."""

    def __init__(self, *, code, rng, now, cap, books, pool, keeper_of, approver):
        self.code, self.rng, self.now, self.cap = code, rng, now, cap
        self.books, self.pool, self.keeper_of, self.approver = books, pool, keeper_of, approver
        self.balance = defaultdict(int)  # account id -> minutes
        self.earned = defaultdict(dict)  # personal account id -> {branch id: minutes}, in order
        self.retired = defaultdict(lambda: defaultdict(int))  # ... what redemptions retired
        self.plans, self.events, self.n = [], [], 0

    # ---- the book --------------------------------------------------------------------
    def fits(self, lines) -> bool:
        for account, minutes in lines:
            after = self.balance[account.pk] + minutes
            if account.kind in (AccountKind.ISSUING, AccountKind.CLEARING):
                continue
            if after < 0 or (account.kind == AccountKind.PERSONAL and after > self.cap):
                return False
        return True

    def post(self, when, fields, lines, **extra) -> Plan:
        if not self.fits(lines) or sum(m for _a, m in lines):
            raise ValueError(f"demo bank: {fields['memo']} does not fit the book")
        for account, minutes in lines:
            self.balance[account.pk] += minutes
        fields = {**fields, "status": EntryStatus.POSTED, "decided_at": when}
        plan = Plan(when, fields, lines, **extra)
        self.plans.append(plan)
        return plan

    def key(self, what) -> str:
        self.n += 1
        return f"demo-{what}:{self.code}:{self.n}"

    def credit(self, when, record, branch, account, pending=False):
        fields = dict(
            kind=EntryKind.SERVICE_CREDIT,
            branch=branch,
            service_record=record,
            memo=f"服务存入：{record.content}"[:200],
            idempotency_key=f"demo-credit:{record.number}",
            approved_by=None if pending else self.approver,
        )
        lines = [(self.books[branch.pk, AccountKind.ISSUING], -record.minutes)]
        lines.append((account, record.minutes))
        if pending:  # proposed only: no postings, nothing moves
            self.plans.append(Plan(when, {**fields, "status": EntryStatus.PENDING}, lines))
            return
        self.post(when, fields, lines)
        earned = self.earned[account.pk]
        earned[branch.pk] = earned.get(branch.pk, 0) + record.minutes

    def redemption_lines(self, account, minutes, branch) -> list:
        """redeem.redemption_lines(), on the book as it stands at this moment."""
        earned, retired = self.earned[account.pk], self.retired[account.pk]
        parts, left = defaultdict(int), minutes
        for issuer, m in earned.items():
            take = min(max(m - retired[issuer], 0), left)
            if take:
                parts[issuer] += take
                left -= take
        if left:
            parts[branch.pk] += left
        parts = dict(parts)
        lines = [(account, -minutes)]
        own = parts.pop(branch.pk, 0)
        if own:
            lines.append((self.books[branch.pk, AccountKind.ISSUING], own))
        for issuer, part in sorted(parts.items()):
            lines.append((self.books[issuer, AccountKind.ISSUING], part))
            lines.append((self.books[issuer, AccountKind.CLEARING], -part))
        if parts:
            lines.append((self.books[branch.pk, AccountKind.CLEARING], sum(parts.values())))
        return lines

    def _retire(self, account, lines, sign):
        for book, minutes in lines:
            if book.kind == AccountKind.ISSUING:
                self.retired[account.pk][book.branch_id] += sign * minutes

    # ---- events ----------------------------------------------------------------------
    def schedule(self, when, what, *args):
        if when < self.now:
            heapq.heappush(self.events, (when, len(self.events), what, args))

    def run(self):
        while self.events:
            when, _n, what, args = heapq.heappop(self.events)
            getattr(self, what)(when, *args)

    def redeem(self, when, offer, accounts, user_of, waiting=False):
        if offer.stock is not None and offer.stock <= 0:
            return
        price = offer.price_minutes
        able = [a for a in accounts if self.balance[a.pk] >= price]
        if not able:
            return
        account = self.rng.choice(able)
        branch = offer.branch
        lines = self.redemption_lines(account, price, branch)
        keeper = self.keeper_of[branch.pk]
        plan = self.post(
            when,
            dict(
                kind=EntryKind.REDEMPTION,
                branch=branch,
                memo=f"兑换：{offer.title}（{branch.name}）",
                idempotency_key=self.key("redeem"),
                created_by_id=user_of(account) or keeper.pk,
            ),
            lines,
        )
        self._retire(account, lines, +1)
        if offer.stock is not None:  # the stock left, once written
            offer.stock -= 1
        plan.redemption = dict(
            offer=offer,
            branch=branch,
            account=account,
            minutes=price,
            status=RedemptionStatus.WAITING,
            created_by_id=plan.fields["created_by_id"],
            created_at=when,
        )
        recent = when > self.now - datetime.timedelta(days=WAITING_DAYS)
        if waiting or recent:
            return
        later = when + datetime.timedelta(days=self.rng.randint(1, 4), hours=self.rng.randint(0, 3))
        if self.rng.random() < 0.06 and later < self.now:
            self.schedule(later, "cancel", plan, account, self.rng.choice(CANCEL_REASONS))
            return
        done = min(when + datetime.timedelta(hours=self.rng.randint(1, 72)), self.now)
        plan.redemption.update(status=RedemptionStatus.FULFILLED, decided_at=done)
        plan.redemption["decided_by"] = keeper

    def cancel(self, when, plan, account, reason):
        """do_cancel_redemption(): the entry reversed (negated lines), the credit and stock back."""
        keeper = self.keeper_of[plan.fields["branch"].pk]
        self.post(
            when,
            dict(
                kind=EntryKind.REVERSAL,
                branch=plan.fields["branch"],
                reason=reason,
                created_by_id=keeper.pk,
                memo="",  # 冲正 and the original's number, once it has one
                idempotency_key="",
            ),
            [(a, -m) for a, m in plan.lines],
            reverses=plan,
        )
        self._retire(account, plan.lines, -1)
        offer = plan.redemption["offer"]
        if offer.stock is not None:
            offer.stock += 1
        plan.redemption.update(
            status=RedemptionStatus.CANCELLED, decided_by=keeper, decided_at=when, note=reason
        )

    def transfer(self, when, accounts, family_of, n):
        """A gift to a family member (every other time, when there is one) or a donation."""
        givers = [a for a in accounts if self.balance[a.pk] >= 120]
        if not givers:
            return
        giver = self.rng.choice(givers)
        minutes = self.rng.choice((30, 60, 60, 120))
        family = family_of(giver)
        if family and n % 2 == 0:
            to = self.rng.choice(family)
            kind, memo = EntryKind.GIFT, f"转赠给{to.resident.name} {hours(minutes)}"
        else:
            to, kind, memo = self.pool, EntryKind.DONATION, f"捐赠给社区捐赠池 {hours(minutes)}"
        lines = [(giver, -minutes), (to, minutes)]
        if self.fits(lines):
            self.post(when, dict(kind=kind, memo=memo, idempotency_key=self.key(kind)), lines)

    def grant(self, when, account, minutes):
        minutes = min(minutes, self.balance[self.pool.pk] // 30 * 30)
        lines = [(self.pool, -minutes), (account, minutes)]
        if minutes <= 0 or not self.fits(lines):
            return
        fields = dict(
            kind=EntryKind.GRANT,
            memo=f"捐赠池发放给{account.resident.name} {hours(minutes)}",
            idempotency_key=self.key("grant"),
            reason="居委会会议决定：帮助独居高龄老人",
        )
        self.post(when, fields, lines)

    def settle(self, when, branches):
        """Month end: the branch that owes most pays the one owed most, off the book, often
        in full, sometimes half, now and then not this month; never past zero."""
        if self.rng.random() < 0.25:
            return
        for _ in range(2):
            clearing = {
                b: self.balance[self.books[b.pk, AccountKind.CLEARING].pk] for b in branches
            }
            payer = min(branches, key=lambda b: (clearing[b], b.pk))
            payee = max(branches, key=lambda b: (clearing[b], -b.pk))
            owed = min(-clearing[payer], clearing[payee])
            minutes = owed if self.rng.random() < 0.6 else owed // 2 // 30 * 30
            if minutes < 30:
                return
            self.post(
                when,
                dict(
                    kind=EntryKind.SETTLEMENT,
                    branch=payer,
                    memo=f"储蓄所间结算：{payer.name} 付 {payee.name} {hours(minutes)}",
                    reason=self.rng.choice(SETTLE_REASONS),
                    idempotency_key=self.key("settle"),
                ),
                [
                    (self.books[payer.pk, AccountKind.CLEARING], minutes),
                    (self.books[payee.pk, AccountKind.CLEARING], -minutes),
                ],
            )
