"""A branch's monthly statement: what its book (issuing and clearing accounts) did in a month,
entry kind by entry kind, beside the other side of the same entries (depositors, other
branches, the pool). Each entry balances, so each row and the whole statement sum to zero;
opening + the month's movements = closing for each of the branch's accounts; and the clearing
accounts of all the community's branches sum to zero (every settlement has both sides)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.utils import timezone

from .models import Account, AccountKind, Branch, Entry, EntryKind, EntryStatus, Posting

SIDES = ("issuing", "clearing", "depositors", "other_issuing", "other_clearing", "pool")


@dataclass
class Row:
    kind: str
    label: str
    entries: int = 0
    sides: dict = field(default_factory=lambda: dict.fromkeys(SIDES, 0))

    @property
    def total(self) -> int:
        return sum(self.sides.values())


@dataclass
class Statement:
    branch: Branch
    start: datetime.date
    end: datetime.date  # the first day after the month
    opening: dict  # {"issuing": minutes, "clearing": minutes}
    closing: dict
    rows: list
    community_clearing: int  # all the community's branches' clearing accounts at the month end

    @property
    def totals(self) -> dict:
        return {s: sum(r.sides[s] for r in self.rows) for s in SIDES}

    @property
    def total(self) -> int:
        return sum(self.totals.values())

    @property
    def balanced(self) -> bool:
        moved = self.totals
        return (
            self.total == 0
            and all(self.opening[s] + moved[s] == self.closing[s] for s in ("issuing", "clearing"))
            and self.community_clearing == 0
        )


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    start = datetime.date(year, month, 1)
    end = datetime.date(year + month // 12, month % 12 + 1, 1)
    return start, end


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _side(branch_id, account_kind, account_branch_id) -> str:
    if account_branch_id == branch_id:
        return account_kind
    if account_kind == AccountKind.PERSONAL:
        return "depositors"
    if account_kind == AccountKind.POOL:
        return "pool"
    return f"other_{account_kind}"


def branch_statement(branch: Branch, year: int, month: int) -> Statement:
    start, end = month_bounds(year, month)
    since, until = _aware(start), _aware(end)
    books = dict(
        Account.objects.filter(branch=branch).values_list("kind", "pk")
    )  # issuing, clearing
    posted = Q(entry__status=EntryStatus.POSTED)
    before = {
        f"{kind}_{edge}": Sum(
            "minutes", filter=posted & Q(account_id=pk, entry__decided_at__lt=moment)
        )
        for kind, pk in books.items()
        for edge, moment in (("open", since), ("close", until))
    }
    edges = Posting.objects.filter(account_id__in=books.values()).aggregate(**before)
    month_entries = Entry.objects.filter(
        status=EntryStatus.POSTED,
        decided_at__gte=since,
        decided_at__lt=until,
        postings__account_id__in=books.values(),
    ).values("pk")
    grouped = (
        Posting.objects.filter(entry_id__in=month_entries)
        .values("entry__kind", "account__kind", "account__branch_id")
        .annotate(m=Sum("minutes"))
        .order_by()
    )
    rows = {kind: Row(kind, label) for kind, label in EntryKind.choices}
    for g in grouped:
        side = _side(branch.pk, g["account__kind"], g["account__branch_id"])
        rows[g["entry__kind"]].sides[side] += g["m"]
    counts = (
        Entry.objects.filter(pk__in=month_entries).values("kind").annotate(n=Count("pk")).order_by()
    )
    for c in counts:
        rows[c["kind"]].entries = c["n"]
    clearing = Posting.objects.filter(
        posted,
        account__community_id=branch.community_id,
        account__kind=AccountKind.CLEARING,
        entry__decided_at__lt=until,
    ).aggregate(s=Sum("minutes"))["s"]
    return Statement(
        branch=branch,
        start=start,
        end=end,
        opening={k: edges[f"{k}_open"] or 0 for k in ("issuing", "clearing")},
        closing={k: edges[f"{k}_close"] or 0 for k in ("issuing", "clearing")},
        rows=[r for r in rows.values() if r.entries],
        community_clearing=clearing or 0,
    )
