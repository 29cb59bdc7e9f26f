"""Benchmark online voting: 1,000 members cast their ballots from 50 concurrent HTTP clients.

    .venv/bin/python bench/vote.py [--members 1000] [--clients 50] [--workers 5] [--threads 1]

Serves the app with gunicorn (DEBUG off) on 127.0.0.1:<free port> against a fresh PostgreSQL
database zizhi_bench_vote (created, migrated and dropped by this script; server from
BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432). Builds an assembly of N members
with logins and API tokens, a meeting in progress with everyone signed in and an open online
poll; then, with a light asyncio client on keep-alive connections, measures in the same run:
  1. the floor: a bare Django view inserting one row (bench/urls_vote.py, bench-only),
  2. every member's ballot through the real ballot endpoint,
and prints requests/s, p50/p95/p99 latency, errors and the ratio ballots/floor. Finally it
closes the poll and checks that no ballot was lost or doubled and that the tally hash and
the audit chains verify. It prints figures; it never fails on a time.
"""

import argparse
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from vote_client import Target, run_load  # noqa: E402

DB_NAME = "zizhi_bench_vote"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def setup_env(tmp: str, name: str = DB_NAME, settings: str = "bench.settings_vote"):
    """A fresh database `name` on BENCH_PG_URL and the environment of the app's settings."""
    server = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
    if "@127.0.0.1" not in server and "@localhost" not in server:
        sys.exit("BENCH_PG_URL must point at 127.0.0.1")
    import psycopg

    with psycopg.connect(server + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    os.environ.update(
        DATABASE_URL=f"{server}/{name}",
        DJANGO_SETTINGS_MODULE=settings,
        SECRET_KEY=secrets.token_urlsafe(40),
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1",
        CONN_MAX_AGE="600",
        ZIZHI_VAR_DIR=tmp,
        ZIZHI_BACKGROUND_JOBS="false",
        LOG_LEVEL="ERROR",
    )
    os.environ.pop("ZIZHI_DEV", None)
    return server, name


def drop_database(server: str, name: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(server + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def start_gunicorn(port: int, workers: int, threads: int, log: Path) -> subprocess.Popen:
    cmd = [
        str(Path(sys.executable).parent / "gunicorn"),
        "zizhi.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        f"--threads={threads}",
        "--worker-class=" + ("gthread" if threads > 1 else "sync"),
        "--keep-alive=30",
        "--backlog=2048",
        "--log-level=warning",
    ]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"gunicorn exited: {log.read_text()[-2000:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.terminate()
    sys.exit("gunicorn did not start in 30 s")


class Sampler:
    """Samples pg_stat_activity of the bench database every 10 ms during a phase: how many
    server connections run a query, wait for a lock (and which), or sit in an open
    transaction while Python works (locks held meanwhile)."""

    SQL = (
        "SELECT state, wait_event_type, wait_event FROM pg_stat_activity "
        "WHERE datname = %s AND pid <> pg_backend_pid()"
    )

    def __init__(self):
        self.counts, self.samples, self.stop = {}, 0, threading.Event()

    def __enter__(self):
        import psycopg

        self.conn = psycopg.connect(os.environ["DATABASE_URL"], autocommit=True)
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        return self

    def _run(self):
        while not self.stop.wait(0.01):
            self.samples += 1
            for state, wtype, wevent in self.conn.execute(self.SQL, [DB_NAME]):
                if state == "active" and wtype == "Lock":
                    key = f"waiting for a lock ({wevent})"
                elif state == "active":
                    key = "running a query" + (f" ({wtype}:{wevent})" if wtype else "")
                elif state == "idle in transaction":
                    key = "in a transaction, Python working"
                else:
                    continue
                self.counts[key] = self.counts.get(key, 0) + 1

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()
        self.conn.close()

    def report(self) -> str:
        n = max(self.samples, 1)
        parts = sorted(self.counts.items(), key=lambda kv: -kv[1])
        return "; ".join(f"{v / n:.1f} {k}" for k, v in parts[:5] if v / n >= 0.05)


def print_figures(label: str, result) -> None:
    print(
        f"{label:<34} {result.rate:8,.0f} req/s   p50 {result.p(50):6.1f} ms   "
        f"p95 {result.p(95):6.1f} ms   p99 {result.p(99):6.1f} ms   "
        f"errors {result.errors} of {result.count}",
        flush=True,
    )
    for status, body in result.samples[:3]:
        print(f"    e.g. HTTP {status}: {body[:200]}")


def run(args) -> None:
    import django

    django.setup()
    import vote_world
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_row (id bigserial PRIMARY KEY, n integer NOT NULL)")
    started = time.perf_counter()
    world = vote_world.build(args.members)
    print(
        f"setup: {args.members:,} members with logins and tokens, all signed in, poll open "
        f"({time.perf_counter() - started:.1f} s)"
    )
    endpoint = vote_world.ballot_endpoint(world)
    print(f"ballot endpoint: {endpoint.describe}")
    connection.close()

    port = free_port()
    log = Path(os.environ["ZIZHI_VAR_DIR"]) / "gunicorn.log"
    kind = (
        f"{args.workers} sync workers"
        if args.threads == 1
        else (f"{args.workers} gthread workers x {args.threads} threads")
    )
    print(
        f"gunicorn: {kind} on 127.0.0.1:{port}; {os.cpu_count()} cores; "
        f"{args.clients} concurrent clients"
    )
    server = start_gunicorn(port, args.workers, args.threads, log)
    try:
        insert = Target("POST", "/bench/insert/", b'{"n":1}', {"Content-Type": "application/json"})
        run_load(port, [insert] * 500, args.clients)  # warm-up: workers, connections
        warm = [endpoint.request(m, world.warmup_poll) for m in world.members[: args.clients * 4]]
        run_load(port, warm, args.clients)  # warm-up of the ballot path on another poll
        vote_world.close_warmup(world)

        floor = run_load(port, [insert] * args.members * 2, args.clients)
        print_figures("floor: bare view inserting one row", floor)
        requests = [endpoint.request(m, world.poll) for m in world.members]
        with Sampler() as sampler:
            ballots = run_load(port, requests, args.clients)
        print_figures("ballots through the real endpoint", ballots)
        print(f"    database connections during the ballots (mean): {sampler.report()}")
        print(
            f"ratio ballots/floor: {ballots.rate / floor.rate:.2f}  "
            f"(p99 {ballots.p(99) / floor.p(99):.1f}x the floor's)"
        )
        retry = run_load(port, requests[:200], args.clients)  # same Idempotency-Key again
        print_figures("retries of 200 ballots (same key)", retry)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(vote_world.check(world, args.members))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="zizhi-bench-vote-") as tmp:
        server, name = setup_env(tmp)
        try:
            run(args)
        finally:
            drop_database(server, name)


if __name__ == "__main__":
    main()
