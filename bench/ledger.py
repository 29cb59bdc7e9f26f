"""Benchmark the Moral Bank's ledger on PostgreSQL.

    .venv/bin/python bench/ledger.py [--workers 8] [--seconds 10] [--accounts 100]

In a scratch database zizhi_bench_ledger (created, migrated and dropped; server from
BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432), in the same run:
  1. pgbench's built-in simple-update script, 8 clients, on its own scratch database: the
     transactions per second this machine's PostgreSQL reaches;
  2. transfers between random accounts through the action (record_entry: idempotency key,
     accounts locked in id order, limits, postings, cached balances, audit event) from 8
     worker processes, timed from when all of them are connected and ready: postings per
     second (two per transfer), refusals counted apart;
  3. the passbook page (/bank/, the first 50 lines with the balance after each) of an account
     with 10,000 entries: median and p95 server time of 30 requests, and its query count.
It prints the figures and the ratio postings/s : pgbench tps. It never fails on a time; it
checks that the book reconciles afterwards.
"""

import argparse
import multiprocessing
import os
import random
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DB_NAME = "zizhi_bench_ledger"
PGBENCH_DB = "zizhi_bench_pgbench"


def server_url() -> str:
    server = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
    if "@127.0.0.1" not in server and "@localhost" not in server:
        sys.exit("BENCH_PG_URL must point at 127.0.0.1")
    return server


def recreate(server: str, name: str) -> None:
    import psycopg

    with psycopg.connect(server + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop(server: str, name: str) -> None:
    import psycopg

    with psycopg.connect(server + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pgbench(server: str, clients: int, seconds: int) -> float:
    recreate(server, PGBENCH_DB)
    url = f"{server}/{PGBENCH_DB}"
    subprocess.run(["pgbench", "-q", "-i", "-s", "1", url], check=True, capture_output=True)
    out = subprocess.run(
        ["pgbench", "-b", "simple-update", "-c", str(clients), "-j", "2", "-T", str(seconds), url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    drop(server, PGBENCH_DB)
    found = re.search(r"tps = ([0-9.]+) \(without initial connection time\)", out)
    return float(found.group(1))


def setup_django(tmp: str, server: str) -> None:
    os.environ.update(
        DATABASE_URL=f"{server}/{DB_NAME}",
        DJANGO_SETTINGS_MODULE="zizhi.settings",
        SECRET_KEY=secrets.token_urlsafe(40),
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1,testserver",
        ZIZHI_VAR_DIR=tmp,
        ZIZHI_BACKGROUND_JOBS="false",
        LOG_LEVEL="ERROR",
    )
    os.environ.pop("ZIZHI_DEV", None)
    import django

    django.setup()


def _resident(community, name: str, n: int):
    import datetime

    from zizhi.registry import idnumber
    from zizhi.registry.models import Resident

    resident = Resident(community=community, name=name, name_initials="cu")
    born = datetime.date(1940 + n // 999 % 60, 1, 1)
    resident.set_id_number(idnumber.make("110105", born, n % 999 + 1))
    resident.save()
    return resident


def build(n_accounts: int):
    """A community with a branch, a worker, and n funded personal accounts."""
    from zizhi.accounts.models import Role, RoleKind, User
    from zizhi.moralbank.actions import accounts as acc
    from zizhi.moralbank.actions.ledger import Line, record_entry
    from zizhi.registry.models import Community, Subdistrict

    sub = Subdistrict.objects.create(code="bench", name="压测街道")
    community = Community.objects.create(subdistrict=sub, code="BL", name="压测社区")
    worker = User.objects.create_user(phone="13800009999", password="x", name="工作人员")
    Role.objects.create(user=worker, kind=RoleKind.COMMUNITY_WORKER, community=community)
    branch = acc.do_open_branch(community, name="压测储蓄所", kind="community", actor=worker)
    issuing = acc.issuing_account(branch)
    ids = []
    for i in range(n_accounts):
        resident = _resident(community, f"储户{i}", i)
        account = acc.do_open_account(resident, actor=worker)
        record_entry(
            "adjustment",
            [Line(issuing, -6000), Line(account, 6000)],
            actor=worker,
            community=community,
            key=f"fund-{i}",
            memo="开户",
        )
        ids.append(account.pk)
    return community, worker, issuing, ids


def transfer_worker(n: int, ids: list[int], worker_id: int, community_id: int, seconds, go, out):
    """Transfers for `seconds` from when every worker is ready (`go`, a barrier): the figure
    counts the action, not the workers' start and set-up."""
    from django.core.exceptions import ValidationError
    from django.db import connections

    connections.close_all()
    from zizhi.accounts.models import User
    from zizhi.moralbank.actions.ledger import Line, record_entry
    from zizhi.moralbank.models import Account
    from zizhi.registry.models import Community

    rng = random.Random(n)
    worker = User.objects.get(pk=worker_id)
    community = Community.objects.get(pk=community_id)
    accounts = {a.pk: a for a in Account.objects.select_related("community").filter(pk__in=ids)}
    done = refused = 0
    go.wait()
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        x, y = rng.sample(ids, 2)
        try:
            minutes = rng.randint(1, 90)
            record_entry(
                "adjustment",
                [Line(accounts[x], -minutes), Line(accounts[y], minutes)],
                actor=worker,
                community=community,
                key=f"w{n}-{done + refused}",
                memo="转账",
            )
            done += 1
        except ValidationError:
            refused += 1
    out.put((done, refused))
    connections.close_all()


def passbook_figures(community, worker, issuing, entries: int) -> tuple[float, float, int]:
    """Time the passbook page of an account with `entries` entries."""
    from django.db import connection
    from django.db.models import F
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from zizhi.accounts.models import User
    from zizhi.moralbank.actions import accounts as acc
    from zizhi.moralbank.models import Account, Entry, Posting

    user = User.objects.create_user(phone="13900009999", password="x", name="老储户")
    resident = _resident(community, "老储户", 99_999)
    resident.user = user
    resident.save(update_fields=["user"])
    account = acc.do_open_account(resident, actor=worker)
    made = Entry.objects.bulk_create(
        Entry(
            community=community,
            kind="adjustment",
            status="posted",
            idempotency_key=f"history-{i}",
            request_hash="bench",
            memo="历史记录",
            created_by=worker,
        )
        for i in range(entries)
    )
    Posting.objects.bulk_create(
        (
            Posting(entry=e, account=a, minutes=m)
            for e in made
            for a, m in ((issuing, -1), (account, 1))
        ),
        batch_size=5000,
    )
    Account.objects.filter(pk=account.pk).update(balance=entries)
    Account.objects.filter(pk=issuing.pk).update(balance=F("balance") - entries)
    client = Client()
    client.force_login(user)
    client.get("/bank/")  # warm
    times = []
    for _ in range(30):
        started = time.perf_counter()
        response = client.get("/bank/")
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get("/bank/")
    return statistics.median(times), statistics.quantiles(times, n=20)[18], len(queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--accounts", type=int, default=100)
    parser.add_argument("--passbook", type=int, default=10_000)
    args = parser.parse_args()
    server = server_url()
    tps = pgbench(server, args.workers, args.seconds)
    print(f"pgbench simple-update, {args.workers} clients, {args.seconds} s: {tps:,.0f} tps")

    recreate(server, DB_NAME)
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(tmp, server)
        from django.core.management import call_command
        from django.db import connections

        try:
            call_command("migrate", verbosity=0)
            community, worker, issuing, ids = build(args.accounts)
            connections.close_all()
            ctx = multiprocessing.get_context("fork")
            out, go = ctx.Queue(), ctx.Barrier(args.workers + 1)
            procs = [
                ctx.Process(
                    target=transfer_worker,
                    args=(n, ids, worker.pk, community.pk, args.seconds, go, out),
                )
                for n in range(args.workers)
            ]
            for p in procs:
                p.start()
            go.wait()  # every worker set up: the clock starts
            started = time.perf_counter()
            results = [out.get() for _ in procs]
            for p in procs:
                p.join()
            elapsed = time.perf_counter() - started
            done = sum(r[0] for r in results)
            refused = sum(r[1] for r in results)
            postings = done * 2 / elapsed
            print(
                f"ledger transfers, {args.workers} processes, {elapsed:.1f} s: {done:,} entries "
                f"({postings:,.0f} postings/s, {done / elapsed:,.0f} entries/s), {refused:,} refused "
                "(not enough credit)"
            )
            print(f"ratio postings/s : pgbench tps = {postings / tps:.2f}")
            median, p95, queries = passbook_figures(community, worker, issuing, args.passbook)
            print(
                f"passbook page of an account with {args.passbook:,} entries: median {median:.1f} ms, "
                f"p95 {p95:.1f} ms, {queries} queries"
            )
            from zizhi.moralbank.reconcile import reconcile

            report = reconcile()
            print(
                f"check: the book reconciles: {report.ok} ({report.accounts} accounts, sum {report.total})"
            )
        finally:
            connections.close_all()
            drop(server, DB_NAME)


if __name__ == "__main__":
    main()
