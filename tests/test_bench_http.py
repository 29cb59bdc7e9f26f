"""bench/http_mix.py: its pieces (the percentile maths, the time-bounded client against a stub
server, the weighted mix, the floor view), and on PostgreSQL one tiny run of the whole script
(4 users, 3 s; 45-110 s with its migrate and demo) in which every route answers and none is
wrong. Figures are never asserted."""

import os
import re
import subprocess
import sys
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import http_mix  # noqa: E402
from vote_client import Result, Sent, run_for, summarise  # noqa: E402


def test_percentiles_are_nearest_rank():
    r = Result(100, 2.0, [float(i) for i in range(1, 101)], 0, [], {200: 100})
    assert (r.p(50), r.p(95), r.p(99), r.p(100)) == (50.0, 95.0, 99.0, 100.0)
    assert r.rate == 50.0
    assert Result(0, 0.0, [], 0, [], {}).p(99) == 0.0
    one = Result(1, 1.0, [7.0], 0, [], {200: 1})
    assert one.p(1) == one.p(50) == one.p(99) == 7.0


def test_summarise_counts_wrong_answers_and_keeps_samples():
    rows = [(3.0, 200, True, None), (1.0, 404, False, b"not here"), (2.0, 200, False, b"login")]
    r = summarise(rows, 1.0)
    assert r.count == 3 and r.errors == 2
    assert r.latencies == [1.0, 2.0, 3.0]
    assert r.statuses == {200: 2, 404: 1}
    assert r.samples == [(404, "not here"), (200, "login")]


class Stub(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as gunicorn's gthread workers

    def do_GET(self):
        body = b"fine" if self.path == "/ok" else b"broken"
        self.send_response(200 if self.path == "/ok" else 500)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_run_for_gives_figures_per_route():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Stub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]

    def check(status, body):
        return status == 200 and body == b"fine"

    ok, bad = (
        Sent(name, f"GET /{name} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode(), check)
        for name in ("ok", "bad")
    )
    turn = iter(range(10**9))
    try:
        # in a thread of its own: asyncio.run() refuses a thread whose loop runs already
        # (Playwright's, when a browser test ran before in this process)
        with ThreadPoolExecutor(1) as pool:
            results = pool.submit(
                run_for, port, lambda: (ok, bad)[next(turn) % 2], clients=3, seconds=0.5
            ).result()
    finally:
        server.shutdown()
        server.server_close()
    assert set(results) == {"ok", "bad", "all"}
    assert results["ok"].count > 10 and results["ok"].errors == 0
    assert results["bad"].errors == results["bad"].count > 10
    assert results["bad"].statuses == {500: results["bad"].count}
    assert results["all"].count == results["ok"].count + results["bad"].count
    assert results["all"].rate == pytest.approx(results["ok"].rate + results["bad"].rate)


def test_mix_follows_the_weights():
    routes = {name: (lambda name=name: name) for name in http_mix.WEIGHTS}
    mix = http_mix.Mix(routes, http_mix.WEIGHTS)
    drawn = Counter(mix.next() for _ in range(20_000))
    total = sum(http_mix.WEIGHTS.values())
    for name, weight in http_mix.WEIGHTS.items():
        assert drawn[name] / 20_000 == pytest.approx(weight / total, abs=0.02)


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="bench.urls_http")
def test_the_floor_view_reads_one_name(client):
    from zizhi.registry.models import Community, Subdistrict

    sub = Subdistrict.objects.create(code="fl", name="地板街道")
    Community.objects.create(subdistrict=sub, code="FL", name="地板社区")
    response = client.get("/bench/floor/")
    assert response.status_code == 200
    assert response.content.decode() == "地板社区"


MIX_LINE = re.compile(
    r"^  (?P<route>.+?)\s+(?P<count>[\d,]+)\s+(?P<rate>[\d,]+)\s+[\d.]+\s+[\d.]+\s+[\d.]+"
    r"\s+(?P<errors>[\d,]+)",
    re.M,
)


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the benchmark needs PostgreSQL")
def test_a_tiny_run_of_the_whole_benchmark():
    db = connection.settings_dict
    server = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    args = "--users 4 --seconds 3 --warmup 1 --floor-seconds 1 --solo-seconds 0"
    args += " --residents 14 --voters 50 --demo-residents 700 --db zizhi_bench_http_test"
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "http_mix.py"), *args.split()],
        env={**os.environ, "BENCH_PG_URL": server},
        capture_output=True,
        text=True,
        timeout=300,
    )
    out = done.stdout
    assert done.returncode == 0, out + done.stderr[-3000:]
    mix = out.split("mix (4 users, 3 s):")[1].split("ratio of the mix")[0]
    rows = {m["route"]: m for m in MIX_LINE.finditer(mix)}
    assert set(rows) == {*http_mix.WEIGHTS, "all routes (the mix)"}, out
    for route, row in rows.items():
        assert int(row["count"].replace(",", "")) > 0, (route, out)
        assert row["errors"] == "0", (route, out)
    assert re.search(r"^floor: bare view, one small read\s+[\d,]+\s+[\d,]+", out, re.M), out
    assert re.search(r"ratio of the mix to the floor: \d+\.\d\d \(req/s\)", out), out
    ballots = re.search(r"stored: ([\d,]+) ballots for ([\d,]+) right answers", out)
    assert ballots and ballots[1] == ballots[2], out
    suggestions = re.search(r"([\d,]+) suggestions for ([\d,]+) right answers", out)
    assert suggestions and suggestions[1] == suggestions[2], out
