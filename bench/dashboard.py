"""Benchmark the dashboard on the city (`zizhi demo --scale city`) in PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zizhi_city .venv/bin/python bench/dashboard.py
        [--runs 7] [--subdistrict CODE] [--city CODE]

Prints, for a subdistrict's dashboard and the city's (the last 12 months):
  - the server time of the whole page without the cache (?fresh=1: figures counted afresh),
    median and slowest of N runs, with its number of queries;
  - the time of the figures alone (zizhi.stats.dashboard.compute) and, in the same run on the
    same database, of the same aggregates written by hand in SQL (bench/dashboard_sql.py), read
    the same way (summaries through yesterday, today's rows, the small tables): the ratio of
    the two is the figure to improve; and the same figures by hand from all the rows, without
    the summaries (what they save);
  - the server time of a repeat view with the cache (database cache, keyed by the latest
    audit event of the scope's communities), median of N runs, with its queries.
Server time: the request through Django's whole stack in this process (middleware, session,
template), as the test client runs it; no network. It prints figures; it never fails on a time.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup() -> None:
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/zizhi_city")
    if "@127.0.0.1" not in url and "@localhost" not in url:
        sys.exit("DATABASE_URL must point at 127.0.0.1")
    os.environ.update(DATABASE_URL=url, DEBUG="false", ZIZHI_DEV="1", ALLOWED_HOSTS="127.0.0.1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zizhi.settings")
    import django

    django.setup()


def timed(fn, runs: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return times, result


def page(client, url: str, runs: int) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    count = len(queries)
    times, _ = timed(lambda: client.get(url), runs)
    return statistics.median(times), max(times), count


def hand_sql(scope, period, summaries: bool = False) -> None:
    """The figures in hand-written SQL: from the rows, or (summaries) from what the app
    reads — the summaries through yesterday, today's rows, the small tables."""
    from dashboard_sql import SUMMARY_BITMAPS, statements, summary_statements
    from django.db import connection

    from zizhi.stats.figures import AGE_BANDS, _years_before

    start, end = period.bounds()
    first = period.months()[0]
    m0 = datetime.datetime.combine(first, datetime.time(), start.tzinfo)
    params = {
        "ids": scope.community_ids,
        "start": start,
        "end": end,
        "day0": period.start,
        "day1": period.end,
        "m0": m0,
        "m0d": first,
        "bands": [_years_before(period.end, low) for low, _ in AGE_BANDS[1:]],
        "through": period.end - datetime.timedelta(days=1),
        "today": end - datetime.timedelta(days=1),
    }
    with connection.cursor() as cursor:
        for sql in summary_statements() if summaries else statements():
            cursor.execute(sql, params)
            cursor.fetchall()
        if summaries:  # residents who took part: OR each community's month bitmaps
            cursor.execute(SUMMARY_BITMAPS, params)
            people: dict = {}
            for community_id, _month, base, bits in cursor.fetchall():
                value = int.from_bytes(bytes(bits), "little") << base
                people[community_id] = people.get(community_id, 0) | value
            sum(v.bit_count() for v in people.values())


def bench_scope(client, kind: str, code: str, runs: int) -> dict:
    from django.urls import reverse

    from zizhi.stats import dashboard
    from zizhi.stats.period import Period
    from zizhi.stats.scope import get_scope

    user = client.user
    scope = get_scope(user, kind, code)
    period = Period.last_12_months()
    url = reverse(f"stats:{kind}", args=[code])
    fresh_median, fresh_max, fresh_queries = page(client, url + "?fresh=1", runs)
    orm, _ = timed(lambda: dashboard.compute(scope, period), runs)
    sql, _ = timed(lambda: hand_sql(scope, period), max(1, runs // 3))
    summary_sql, _ = timed(lambda: hand_sql(scope, period, summaries=True), runs)
    client.get(url)  # fill the cache
    cached_median, cached_max, cached_queries = page(client, url, runs)
    return {
        "scope": f"{kind} {code} ({len(scope.community_ids)} communities)",
        "page": (fresh_median, fresh_max, fresh_queries),
        "orm": statistics.median(orm),
        "sql": statistics.median(sql),
        "summary_sql": statistics.median(summary_sql),
        "cached": (cached_median, cached_max, cached_queries),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--subdistrict", default="")
    parser.add_argument("--city", default="")
    args = parser.parse_args()
    setup()
    from django.test import Client

    from zizhi.accounts.models import Role, RoleKind
    from zizhi.registry.models import Resident

    role = Role.objects.filter(kind=RoleKind.CITY_ADMIN).select_related("city").first()
    if role is None:
        sys.exit("no city administrator: build the city first (zizhi demo --scale city)")
    city = args.city or role.city.code
    sub = args.subdistrict or role.city.subdistricts.order_by("code").first().code
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(role.user)
    client.user = role.user
    residents = Resident.objects.count()
    print(f"database: {residents:,} residents; {args.runs} runs each; times in ms")
    print(f"{'dashboard':<34} {'page p50':>9} {'max':>7} {'queries':>7} {'figures':>8} "
          f"{'hand SQL':>9} {'ratio':>6} {'from rows':>10} {'cached p50':>10} {'queries':>7}")  # fmt: skip
    for kind, code in (("subdistrict", sub), ("city", city)):
        r = bench_scope(client, kind, code, args.runs)
        p50, worst, queries = r["page"]
        c50, _, c_queries = r["cached"]
        print(
            f"{r['scope']:<34} {p50:9.1f} {worst:7.1f} {queries:7d} {r['orm']:8.1f} "
            f"{r['summary_sql']:9.1f} {r['orm'] / r['summary_sql']:6.2f} {r['sql']:10.1f} "
            f"{c50:10.1f} {c_queries:7d}"
        )
    print(
        "figures: zizhi.stats.dashboard.compute; hand SQL: the same figures read the same way "
        "(summaries, today's rows, small tables) in hand-written SQL; ratio = figures / hand "
        "SQL; from rows: the same figures in hand-written SQL over all the rows, no summaries"
    )
    print("targets: subdistrict < 300 ms, city < 1,000 ms, <= 30 queries; cached < 50 ms")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "bench"))
    main()
