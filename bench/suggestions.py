"""Time the public suggestion board and a worker's suggestion list with 100,000 suggestions.

    .venv/bin/python bench/suggestions.py [--rows 100000] [--runs 30]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zizhi .venv/bin/python bench/suggestions.py --pg

Without --pg it uses a fresh SQLite file in a temp dir; with --pg a fresh PostgreSQL database
`<name>_bench` on the server of DATABASE_URL, dropped at the end. The suggestions are made
with bulk_create in one community (the worst case for a community's pages); then each page
is fetched through Django's test Client `--runs` times. Prints the median and p95 server time
and the number of queries per page.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.import_roster import drop_database, setup_database  # noqa: E402

WORDS = ["路灯", "垃圾", "停车", "电梯", "楼道", "健身器材", "绿化", "快递柜", "噪音", "漏水"]


def build(rows: int):
    from zizhi.accounts.models import Role, RoleKind, User
    from zizhi.proposals.models import Suggestion, SuggestionCategory, SuggestionStatus
    from zizhi.registry import idnumber
    from zizhi.registry.models import Building, Community, Resident, Subdistrict

    sub = Subdistrict.objects.create(code="bench", name="基准街道")
    community = Community.objects.create(subdistrict=sub, code="BENCH", name="基准社区")
    buildings = Building.objects.bulk_create(
        Building(community=community, name=f"{i}栋") for i in range(1, 41)
    )
    residents = []
    for i in range(200):
        r = Resident(community=community, name=f"居民{i}", phone=f"139{i:08d}")
        r.set_id_number(
            idnumber.make("330106", datetime.date(1950, 1, 1) + datetime.timedelta(i), i)
        )
        residents.append(r)
    residents = Resident.objects.bulk_create(residents)
    worker = User.objects.create_user(phone="13800009999", password="x", name="基准工作者")
    Role.objects.create(user=worker, kind=RoleKind.COMMUNITY_WORKER, community=community)
    rng = random.Random(2026)
    statuses = SuggestionStatus.values
    categories = SuggestionCategory.values
    now = datetime.datetime.now(datetime.UTC)
    today = now.date()
    batch = []
    for i in range(rows):
        status = rng.choice(statuses)
        word = rng.choice(WORDS)
        batch.append(
            Suggestion(
                community=community,
                number=f"BENCH-2026-{i + 1:06d}",
                title=f"{rng.choice(buildings).name}{word}问题",
                text=f"关于{word}的建议，第{i}条。",
                category=rng.choice(categories),
                building=rng.choice(buildings) if i % 3 else None,
                resident=rng.choice(residents),
                status=status,
                public=status not in ("registered", "not_accepted"),
                support_count=rng.randint(0, 50),
                accept_due=today - datetime.timedelta(days=rng.randint(-5, 60)),
                reply_due=today - datetime.timedelta(days=rng.randint(-20, 60)),
                created_at=now - datetime.timedelta(minutes=i),
            )
        )
        if len(batch) == 5000:
            Suggestion.objects.bulk_create(batch)
            batch = []
    Suggestion.objects.bulk_create(batch)
    return community, worker


def wire_pages() -> str:
    """The pages' URLs (proposals:board, proposals:staff_list), spliced in this process only
    when the tree does not include them yet."""
    from django.urls import NoReverseMatch, clear_url_caches, reverse

    try:
        reverse("proposals:board", args=["X"])
        return ""
    except NoReverseMatch:
        import zizhi.proposals.urls as urls
        from zizhi.proposals import suggestion_urls

        urls.urlpatterns[:] = list(urls.urlpatterns) + suggestion_urls.urlpatterns
        clear_url_caches()
        return (
            "(suggestion_urls spliced in-process: zizhi/proposals/urls.py does not include it yet)"
        )


def measure(client, url: str, runs: int):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], 0
    for _i in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(ctx.captured_queries)
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    return statistics.median(times), p95, queries


def run(rows: int, runs: int) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    community, worker = build(rows)
    print(f"built {rows:,} suggestions in {time.perf_counter() - started:.1f} s", flush=True)
    note = wire_pages()
    if note:
        print(note)
    anonymous, staff = Client(), Client()
    staff.force_login(worker)
    pages = [
        ("board (most supported)", anonymous, reverse("proposals:board", args=[community.code])),
        (
            "board page 50, newest",
            anonymous,
            reverse("proposals:board", args=[community.code]) + "?order=new&page=50",
        ),
        ("worker's list", staff, reverse("proposals:staff_list", args=[community.code])),
        (
            "worker's list, overdue",
            staff,
            reverse("proposals:staff_list", args=[community.code]) + "?overdue=1",
        ),
    ]
    print(f"{'page':<28} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for label, client, url in pages:
        client.get(url)  # warm up
        median, p95, queries = measure(client, url, runs)
        print(f"{label:<28} {median:10.1f} {p95:8.1f} {queries:8d}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--pg", action="store_true", help="PostgreSQL of DATABASE_URL")
    args = parser.parse_args()
    if not args.pg and os.environ.get("DATABASE_URL", "").startswith("postgres"):
        os.environ.pop("DATABASE_URL")
    if args.pg and not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        parser.error("--pg needs DATABASE_URL=postgres://...")
    with tempfile.TemporaryDirectory() as tmp:
        name = setup_database(Path(tmp))
        try:
            run(args.rows, args.runs)
        finally:
            if name:
                drop_database(name)


if __name__ == "__main__":
    main()
