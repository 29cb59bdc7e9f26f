"""The data of tests/test_fault_pg_restart.py, made and checked in a process of its own (the
test's own Django is bound to the test database; this one to the private PostgreSQL cluster
in DATABASE_URL):

    python tests/fault_pg_world.py build VOTERS DONORS BALANCE   -> JSON on stdout
    python tests/fault_pg_world.py check POLL_ID                 -> JSON on stdout

build: bench/vote_world.py's assembly of VOTERS members with API tokens, signed in to a meeting
with its poll open; DONORS residents with logins, API tokens and Moral Bank accounts holding
BALANCE minutes each. check: what is stored (ballots and donations by Idempotency-Key,
balances), the book reconciled, the poll closed and its tally verified, the audit chains
verified.
"""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]


def build(voters: int, donors: int, balance: int) -> dict:
    import vote_world

    from zizhi.accounts import actions as accounts
    from zizhi.accounts.models import User
    from zizhi.governance import actions as gov
    from zizhi.moralbank.actions import accounts as bank
    from zizhi.moralbank.actions.ledger import Line, record_entry
    from zizhi.moralbank.models import EntryKind
    from zizhi.registry import idnumber
    from zizhi.registry.models import Building, Household, Resident

    votes = vote_world.build(voters, phone_prefix="136")
    gov.do_open_poll(votes.poll, actor=votes.worker)
    community, worker = votes.community, votes.worker
    branch = bank.do_open_branch(community, name="演练储蓄所", kind="trade_union", actor=worker)
    issuing = bank.issuing_account(branch)
    building = Building.objects.create(community=community, name="1栋")
    people = []
    for i in range(donors):
        home = Household.objects.create(community=community, building=building, door=f"{i + 1}01")
        user = User.objects.create_user(phone=f"134{i:08d}", password=None, name=f"捐赠人{i}")
        resident = Resident(
            community=community, household=home, name=user.name, phone=user.phone, user=user
        )
        resident.set_id_number(idnumber.make("330106", resident_born(i), i))
        resident.save()
        account = bank.do_open_account(resident, actor=worker)
        record_entry(
            EntryKind.ADJUSTMENT,
            [Line(issuing, -balance), Line(account, balance)],
            actor=worker,
            community=community,
            key=f"drill-fund-{i}",
            memo="演练初始余额",
        )
        token = accounts.do_create_api_token("drill", actor=user)
        people.append({"account": account.pk, "token": token})
    return {
        "poll": votes.poll.pk,
        "voters": [
            {"user": m.user_id, "token": m.token, "choice": m.choice} for m in votes.members
        ],
        "donors": people,
        "pool": bank.pool_of(community).pk,
    }


def resident_born(i: int):
    import datetime

    return datetime.date(1950, 1, 1) + datetime.timedelta(days=i)


def check(poll_id: int) -> dict:
    from django.db.models import Count

    from zizhi.accounts.models import User
    from zizhi.audit.log import verify
    from zizhi.governance import actions as gov
    from zizhi.governance import tally
    from zizhi.governance.models import Ballot, Poll
    from zizhi.moralbank.models import Account, Entry, EntryKind, EntryStatus
    from zizhi.moralbank.reconcile import reconcile

    poll = Poll.objects.get(pk=poll_id)
    ballots = Ballot.objects.filter(poll=poll).select_related("membership")
    doubled = ballots.values("membership").annotate(n=Count("id")).filter(n__gt=1).count()
    stored_ballots = {
        str(b.membership.user_id): {"choice": b.choice, "key": b.idempotency_key} for b in ballots
    }
    donations = Entry.objects.filter(kind=EntryKind.DONATION)
    entries = {
        e.idempotency_key: {"status": e.status, "lines": e.proposed}
        for e in donations.order_by("id")
    }
    report = reconcile()
    balances = {str(pk): bal for pk, bal in Account.objects.values_list("pk", "balance")}
    worker = User.objects.get(phone="13900000000")  # bench/vote_world.py's worker
    gov.do_close_poll(poll, actor=worker)
    poll.refresh_from_db()
    _checked, problems = verify()
    return {
        "ballots": stored_ballots,
        "ballot_rows": ballots.count(),
        "doubled": doubled,
        "donations": entries,
        "donation_rows": donations.count(),
        "posted": donations.filter(status=EntryStatus.POSTED).count(),
        "balances": balances,
        "book_ok": report.ok,
        "book_total": report.total,
        "mismatched": report.mismatched,
        "unbalanced": report.unbalanced,
        "tally": {"yes": poll.yes, "no": poll.no, "abstain": poll.abstain},
        "tally_verifies": tally.verify(poll),
        "audit_problems": [f"{p.chain} {p.seq}: {p.reason}" for p in problems],
    }


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zizhi.settings")
    import django

    django.setup()
    command, *args = sys.argv[1:]
    if command == "build":
        result = build(*(int(a) for a in args))
    else:
        result = check(int(args[0]))
    sys.stdout.write(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
