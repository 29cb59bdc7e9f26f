"""Benchmark the app under mixed HTTP traffic, with the floor measured in the same run.

    .venv/bin/python bench/http_mix.py [--users 50] [--seconds 60] [--workers 5] [--threads 1]

Creates a PostgreSQL database zizhi_bench_http on 127.0.0.1 (server from BENCH_PG_URL, default
postgres://postgres@127.0.0.1:5432), migrates it, fills it with the standard demo (`zizhi
demo`: 东湖街道, seven communities, ~4,000 residents) plus, for the benchmark, 300 resident
logins spread over the communities, each with a session and an API token, the subdistrict
admin's session (13800000001), and bench/vote_world.py's assembly of 1,000 members with as
many open polls as the ballots need (one ballot per poll and member). Sessions are made with
Django's SessionStore in this setup, so no login is measured. Then it serves the app with
gunicorn (DEBUG off, CONN_MAX_AGE) on a free port of 127.0.0.1 and, with the light asyncio
client of bench/vote_client.py (closed loop, `--users` clients), runs:

  1. a warm-up of the mix (`--warmup` s, not counted);
  2. the floor alone (`--floor-seconds` s): GET /bench/floor/, a bare Django view doing one
     small read and answering a few bytes (bench/urls_http.py);
  3. the mix (`--seconds` s), each request drawn at random with these weights:
       35  notice board     GET /c/<code>/notices/ (public; the seven communities in turn)
       30  resident home   GET / with a resident's session (their page greets them by name)
       10  suggestion      POST /api/v1/suggestions (bearer token of a resident, one each)
       20  ballot          POST /api/v1/polls/<id>/ballots (bearer token, Idempotency-Key;
                           each request a new (poll, member) pair)
        5  dashboard       GET /s/dh/dashboard/ with the subdistrict admin's session
  4. each route alone (`--solo-seconds` s each; 0 skips them).

It prints, per route: requests, req/s, p50/p95/p99 latency, errors (a wrong status or a page
without what it must show, e.g. a 404 or the login page; the first ones are printed), the
route's p50 over the floor's, and for each route alone and for the mix, its req/s over the
floor's. Last, it counts the ballots and suggestions stored against the right answers. It
drops the database at the end (`--keep` keeps it). It prints figures; it never fails on a time.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import vote  # noqa: E402
from vote_client import run_for  # noqa: E402

# Not named bench/http.py: a script's folder comes first on sys.path, so a bench/http.py would
# hide the standard library's http package from Django in every bench script.
DB_NAME = "zizhi_bench_http"
WEIGHTS = {
    "notice board": 35,
    "resident home /": 30,
    "suggestion (API)": 10,
    "ballot": 20,
    "subdistrict dashboard": 5,
}


class Mix:
    """next() draws a route by WEIGHTS and returns its next request."""

    def __init__(self, routes: dict, weights: dict, seed: int = 1):
        self.makers = [routes[name] for name in weights]
        self.weights = list(weights.values())
        self.random = random.Random(seed)

    def next(self):
        return self.random.choices(self.makers, self.weights)[0]()


def ballots_needed(args) -> int:
    """Enough (poll, member) pairs that no ballot repeats: the mix and its warm-up at most
    150 ballots/s, the ballot alone at most 900/s (bench/vote.py measured 465-624/s)."""
    return int((args.warmup + args.seconds) * 150 + args.solo_seconds * 900) + 1


HEAD = f"{'':<34}{'requests':>9}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}"


def line(label: str, r, ratio: str = "") -> str:
    return (
        f"{label:<34}{r.count:>9,}{r.rate:>9,.0f}{r.p(50):>9.1f}{r.p(95):>9.1f}"
        f"{r.p(99):>9.1f}{r.errors:>8,}  {ratio}"
    ).rstrip()


def error_notes(label: str, r) -> list:
    if not r.errors:
        return []
    statuses = ", ".join(f"HTTP {s or 'none'}: {n:,}" for s, n in sorted(r.statuses.items()))
    notes = [f"    {label}: {r.errors:,} errors ({statuses})"]
    if 404 in r.statuses:
        notes.append(f"    {label}: 404 - the URL does not exist (yet) on this server")
    notes += [f"      e.g. HTTP {s}: {' '.join(b[:160].split())}" for s, b in r.samples[:2]]
    return notes


def report(args, floor, mixed: dict, alone: dict) -> str:
    out = [HEAD + "  p50/floor", line("floor: bare view, one small read", floor)]
    out.append(f"mix ({args.users} users, {args.seconds:g} s):")
    notes = error_notes("floor", floor)
    order = [*WEIGHTS, *sorted(set(mixed) - set(WEIGHTS) - {"all"}), "all"]
    for route in (name for name in order if name in mixed):
        r = mixed[route]
        label = "  all routes (the mix)" if route == "all" else f"  {route}"
        out.append(line(label, r, f"{r.p(50) / floor.p(50):.1f}x" if floor.p(50) else ""))
        notes += error_notes(f"mix, {route}", r) if route != "all" else []
    if alone:
        out.append(f"each route alone ({args.users} users, {args.solo_seconds:g} s each):")
        out[-1] += " " * (len(HEAD) - len(out[-1]) + 2) + "req/s / floor"
        for route, r in alone.items():
            out.append(line(f"  {route}", r, f"{r.rate / floor.rate:.2f}" if floor.rate else ""))
            notes += error_notes(f"alone, {route}", r)
    total = mixed["all"]
    if all(k in alone and alone[k].rate for k in WEIGHTS):
        # each route's share of a second of the server, from its rate alone
        busy = sum(w / alone[k].rate for k, w in WEIGHTS.items()) / sum(WEIGHTS.values())
        out.append(f"the mix as predicted from the routes alone: {1 / busy:,.0f} req/s")
    out.append(
        f"ratio of the mix to the floor: {total.rate / floor.rate:.2f} (req/s), "
        f"p50 {total.p(50) / floor.p(50):.1f}x, p99 {total.p(99) / floor.p(99):.1f}x"
        if floor.rate and floor.p(50)
        else "ratio of the mix to the floor: no floor figures"
    )
    return "\n".join(out + notes)


def stored(world, phases: list) -> str:
    """What the database holds against the right answers of every phase (warm-up included)."""
    from zizhi.governance.models import Ballot
    from zizhi.proposals.models import Suggestion

    def right(route):
        return sum(p[route].count - p[route].errors for p in phases if route in p)

    ballots = Ballot.objects.filter(poll__in=world.polls).count()
    suggestions = Suggestion.objects.filter(title__startswith="基准建议").count()
    return (
        f"stored: {ballots:,} ballots for {right('ballot'):,} right answers; "
        f"{suggestions:,} suggestions for {right('suggestion (API)'):,} right answers"
    )


def run(args) -> str:
    import django

    django.setup()
    import http_world
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrated = time.perf_counter()
    world = http_world.build(args.residents, args.voters, ballots_needed(args), args.demo_residents)
    print(
        f"setup: migrate {migrated - started:.0f} s; demo of {args.demo_residents:,} residents, "
        f"{len(world.residents)} resident "
        f"logins, the admin's session, {len(world.votes.members):,} voters x "
        f"{len(world.polls)} open polls = {world.ballots:,} ballots "
        f"({time.perf_counter() - migrated:.0f} s)",
        flush=True,
    )
    connection.close()

    port = vote.free_port()
    log = Path(os.environ["ZIZHI_VAR_DIR"]) / "gunicorn.log"
    kind = f"{args.workers} {'sync' if args.threads == 1 else 'gthread'} workers"
    kind += f" x {args.threads} threads" if args.threads > 1 else ""
    print(
        f"gunicorn: {kind} on 127.0.0.1:{port}; {os.cpu_count()} cores; {args.users} users; "
        f"weights {', '.join(f'{k} {v}' for k, v in WEIGHTS.items())}",
        flush=True,
    )
    server = vote.start_gunicorn(port, args.workers, args.threads, log)
    loaded = os.getloadavg()[0]
    try:
        routes = http_world.routes(world, port)
        mix = Mix(routes, WEIGHTS)
        floor_request = http_world.floor(port)
        phases = [run_for(port, mix.next, args.users, args.warmup)]
        run_for(port, lambda: floor_request, args.users, min(args.warmup, 2))
        floor = run_for(port, lambda: floor_request, args.users, args.floor_seconds)["floor"]
        mixed = run_for(port, mix.next, args.users, args.seconds)
        phases.append(mixed)
        alone = {}
        if args.solo_seconds > 0:
            for route in WEIGHTS:
                results = run_for(port, routes[route], args.users, args.solo_seconds)
                phases.append(results)
                alone.update((k, v) for k, v in results.items() if k != "all")
    finally:
        server.terminate()
        server.wait(timeout=30)
    after = os.getloadavg()[0]
    load = f"load average (1 min): {loaded:.1f} before the phases, {after:.1f} after"
    return "\n".join([report(args, floor, mixed, alone), stored(world, phases), load])


def parse(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50, help="concurrent clients")
    parser.add_argument("--seconds", type=float, default=60, help="of the mix")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--floor-seconds", type=float, default=10)
    parser.add_argument("--solo-seconds", type=float, default=10, help="each route alone")
    parser.add_argument("--residents", type=int, default=300, help="resident logins")
    parser.add_argument("--voters", type=int, default=1000)
    parser.add_argument("--demo-residents", type=int, default=4000, help="zizhi demo --residents")
    parser.add_argument("--db", default=DB_NAME)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse(argv)
    with tempfile.TemporaryDirectory(prefix="zizhi-bench-http-") as tmp:
        server, name = vote.setup_env(tmp, args.db, "bench.settings_http")
        try:
            print(run(args), flush=True)
        finally:
            if args.keep:
                print(f"kept the database: {server}/{name}")
            else:
                vote.drop_database(server, name)


if __name__ == "__main__":
    main()
