"""A year of one community's Moral Bank: its savings branch with clerk and catalogue, the
depositors' accounts, and the journal: every attested record of a depositor credited
(issuing -m, personal +m), and redemptions at the branch (personal -m, issuing +m) when the
balance allows. Entries are written in time order, so ids follow time, and each account's
balance is the sum of its postings (computed here, checked by `check()` and by the tests).
"""

import random

from django.db import connection

from zizhi.moralbank.demo_history import OFFERS
from zizhi.moralbank.models import (
    Account,
    AccountKind,
    Branch,
    BranchKind,
    Clerk,
    Entry,
    EntryKind,
    EntryStatus,
    Offer,
    Posting,
    Redemption,
    RedemptionStatus,
)

REDEMPTIONS = (5, 13)  # planned a year per depositor; made only when the balance allows
HONOUR_ROLL_SHARE = 0.3


def write_bank(tables, place, service, rng: random.Random, year) -> dict:
    branch_t = tables(Branch, ["id", "community_id", "name", "kind", "created_at"])
    branch = branch_t.next_id()
    branch_name = f"{place.name}道德银行储蓄所"
    branch_t.write([(branch, place.id, branch_name, BranchKind.COMMUNITY, year.now)])
    clerk_t = tables(Clerk, ["id", "branch_id", "user_id", "started_on"])
    clerk_t.write([(clerk_t.next_id(), branch, place.worker, year.days[0])])
    offer_t = tables(
        Offer, ["id", "branch_id", "title", "description", "kind", "price_minutes", "created_by_id"]
    )
    offers = [
        (offer_t.next_id(), branch, title, description, kind, minutes, place.worker)
        for title, kind, minutes, _stock, description in OFFERS["community"]
    ]
    offer_t.write(offers)

    account_t = tables(
        Account,
        [
            "id",
            "kind",
            "community_id",
            "resident_id",
            "branch_id",
            "balance",
            "on_honour_roll",
            "created_at",
        ],
    )
    issuing, clearing, pool = account_t.next_id(), account_t.next_id(), account_t.next_id()
    personal = {p.id: account_t.next_id() for p in service.depositors}
    balance = dict.fromkeys([issuing, clearing, pool, *personal.values()], 0)
    journal = []  # (when, kind, lines, extra)
    for person in service.depositors:
        journal += _depositor_year(
            person, personal[person.id], issuing, offers, service, rng, year, balance
        )
    journal.sort(key=lambda e: e[0])

    entry_t = tables(
        Entry,
        [
            "id",
            "community_id",
            "branch_id",
            "kind",
            "status",
            "idempotency_key",
            "request_hash",
            "memo",
            "service_record_id",
            "created_by_id",
            "approved_by_id",
            "created_at",
            "decided_at",
        ],
    )
    posting_t = tables(Posting, ["id", "entry_id", "account_id", "minutes"])
    redemption_t = tables(
        Redemption,
        [
            "id",
            "offer_id",
            "branch_id",
            "account_id",
            "entry_id",
            "minutes",
            "status",
            "created_by_id",
            "created_at",
            "decided_by_id",
            "decided_at",
        ],
    )
    entries, postings, redemptions = [], [], []
    for n, (when, kind, lines, extra) in enumerate(journal, 1):
        eid = entry_t.next_id()
        if kind == EntryKind.SERVICE_CREDIT:
            credit = extra
            key, memo, record = (
                f"city-credit:{credit.number}",
                f"服务存入：{credit.content}"[:200],
                credit.record,
            )
        else:
            offer, account = extra
            key, memo, record = (
                f"city-redeem:{place.code}:{n}",
                f"兑换：{offer[2]}（{branch_name}）",
                None,
            )
            redemptions.append(
                (
                    redemption_t.next_id(),
                    offer[0],
                    branch,
                    account,
                    eid,
                    offer[5],
                    RedemptionStatus.FULFILLED,
                    place.worker,
                    when,
                    place.worker,
                    year.later(when, 60),
                )
            )
        entries.append(
            (
                eid,
                place.id,
                branch,
                kind,
                EntryStatus.POSTED,
                key,
                "demo",
                memo,
                record,
                place.worker,
                place.worker,
                when,
                when,
            )
        )
        postings += [(posting_t.next_id(), eid, account, minutes) for account, minutes in lines]
    account_t.write(
        [
            (
                issuing,
                AccountKind.ISSUING,
                place.id,
                None,
                branch,
                balance[issuing],
                False,
                year.now,
            ),
            (
                clearing,
                AccountKind.CLEARING,
                place.id,
                None,
                branch,
                balance[clearing],
                False,
                year.now,
            ),
            (pool, AccountKind.POOL, place.id, None, None, balance[pool], False, year.now),
        ]
        + [
            (
                aid,
                AccountKind.PERSONAL,
                place.id,
                rid,
                None,
                balance[aid],
                rng.random() < HONOUR_ROLL_SHARE,
                year.now,
            )
            for rid, aid in personal.items()
        ]
    )
    entry_t.write(entries)
    posting_t.write(postings)
    redemption_t.write(redemptions)
    return {"entries": len(entries), "postings": len(postings), "redemptions": len(redemptions)}


def _depositor_year(person, account, issuing, offers, service, rng, year, balance) -> list:
    """The depositor's credits and the redemptions their balance allows, in time order."""
    events = [(c.ended_at, 0, c) for c in service.credits[person.id]]
    for _ in range(rng.randint(*REDEMPTIONS)):
        when = year.at(year.day(rng), rng.randrange(8, 18), rng.randrange(60))
        events.append((when, 1, rng.choice(offers)))
    events.sort(key=lambda e: (e[0], e[1]))
    journal = []
    for when, is_redemption, what in events:
        if not is_redemption:
            lines = [(issuing, -what.minutes), (account, what.minutes)]
            journal.append((when, EntryKind.SERVICE_CREDIT, lines, what))
        elif balance[account] >= what[5]:
            lines = [(account, -what[5]), (issuing, what[5])]
            journal.append((when, EntryKind.REDEMPTION, lines, (what, account)))
        else:
            continue
        for acc, minutes in lines:
            balance[acc] += minutes
    return journal


CHECKS = {
    "entries whose postings do not sum to zero": """
        SELECT count(*) FROM (SELECT entry_id FROM moralbank_posting GROUP BY entry_id
        HAVING sum(minutes) <> 0) x""",
    "accounts whose balance is not the sum of their postings": """
        SELECT count(*) FROM moralbank_account a LEFT JOIN (SELECT account_id, sum(minutes) s
        FROM moralbank_posting GROUP BY account_id) p ON p.account_id = a.id
        WHERE a.balance <> COALESCE(p.s, 0)""",
    "postings of an entry that is not posted": """
        SELECT count(*) FROM moralbank_posting p JOIN moralbank_entry e ON e.id = p.entry_id
        WHERE e.status <> 'posted'""",
    "service credits of another community's record": """
        SELECT count(*) FROM moralbank_entry e JOIN associations_servicerecord r
        ON r.id = e.service_record_id WHERE e.community_id <> r.community_id""",
}


def check() -> dict[str, int]:
    """What the ledger triggers would have refused (they are skipped while the demo writes):
    every count must be 0."""
    found = {}
    with connection.cursor() as cursor:
        for what, sql in CHECKS.items():
            cursor.execute(sql)
            found[what] = cursor.fetchone()[0]
    return found
