"""Fault drill (issue 9, section 4): PostgreSQL restarts while ballots and Moral Bank postings
are in flight; every client is told success or a clear error, and what is stored matches.

The shared PostgreSQL of the test run is never touched: the drill makes a private cluster
(initdb into a temp folder, as the postgres OS user when run as root), migrates a database
there, builds a small world in another process (tests/fault_pg_world.py: an assembly with an
open poll, depositors with balances), and serves the app with gunicorn on 127.0.0.1 (production
settings, kept connections: CONN_MAX_AGE). Client threads cast one ballot per member and make
many one-minute donations, each with an Idempotency-Key, while the cluster is restarted twice:
`pg_ctl restart -m fast` (connections ended cleanly) and `-m immediate` (a crash: the server
is killed and recovers from its WAL). Then:

- every answer is a success (201) or the app's clear 503 JSON in Chinese; nothing else;
- every request that failed is retried with the same key until it succeeds: 201 when the first
  attempt was not stored, 200 (the same ballot or entry) when it was and only its answer was
  lost; a success answer never has to be retried;
- stored: exactly one ballot per member (with their choice) and one donation per key, nothing
  for requests never sent; every first-try success is stored;
- the book reconciles (every entry sums to zero, every balance equals its postings, the book
  sums to zero), each depositor's balance is what their stored donations leave, the poll's
  tally recomputes from its ballots and the audit chains verify.

Needs PostgreSQL's server binaries (/usr/lib/postgresql/*/bin); without them the drill is
skipped, unless ZIZHI_REQUIRE_SERVERS=1 (CI), which makes it fail. It runs in the PostgreSQL
pass of the suite only (its cluster is its own either way; once is enough).

Also, fast and on any database: the 503 the app answers when the database fails in a view, in
a middleware before the view, or in the API's authentication.
"""

import glob
import http.client
import json
import os
import pwd
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
VOTERS = 80
DONORS = 8
BALANCE = 600
DONATIONS_EACH = 12
CLIENTS = 8
DOWN_MESSAGE = "系统暂时无法连接数据库"


# -- the 503 itself ---------------------------------------------------------------------------


@pytest.fixture
def lenient_client():
    return Client(raise_request_exception=False)


def _broken(*args, **kwargs):
    raise OperationalError("server closed the connection unexpectedly")


def test_the_api_answers_503_json_when_the_database_fails_in_a_view(
    world, lenient_client, monkeypatch
):
    from zizhi.accounts.actions import do_create_api_token
    from zizhi.moralbank import api as bank_api

    token = do_create_api_token("t", actor=world.resident_a)
    monkeypatch.setattr(bank_api.flows, "own_account", _broken)
    response = lenient_client.get(
        "/api/v1/moralbank/accounts/me", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/json")
    assert DOWN_MESSAGE in response.json()["detail"]
    assert response["Retry-After"] == "5"


def test_the_api_answers_503_json_when_the_database_fails_before_the_view(
    world, lenient_client, monkeypatch
):
    """The bearer token is looked up before the view runs."""
    from zizhi.accounts import api_auth

    def lost(*args, **kwargs):
        raise InterfaceError("connection already closed")

    monkeypatch.setattr(api_auth.BearerTokenAuth, "authenticate", lost)
    response = lenient_client.get(
        "/api/v1/moralbank/accounts/me", HTTP_AUTHORIZATION="Bearer whatever"
    )
    assert response.status_code == 503
    assert DOWN_MESSAGE in response.json()["detail"]


def test_pages_answer_a_503_page_when_the_database_fails_in_a_middleware(
    world, lenient_client, monkeypatch
):
    """The session is read by a middleware, before any view: Django makes that a 500 in
    place; zizhi.web.dbdown turns it into the 503 page."""
    from django.contrib.sessions.backends.db import SessionStore

    lenient_client.force_login(world.worker_a)
    monkeypatch.setattr(SessionStore, "load", _broken)
    response = lenient_client.get("/")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert DOWN_MESSAGE in page and "服务暂时不可用" in page and "Traceback" not in page
    assert response["Retry-After"] == "5" and "no-store" in response["Cache-Control"]
    assert "Content-Security-Policy" in response  # the 503 still passes the security headers


def test_other_errors_stay_500(world, lenient_client, monkeypatch):
    from django.contrib.sessions.backends.db import SessionStore

    def broken(*args, **kwargs):
        raise RuntimeError("a bug, not the database")

    lenient_client.force_login(world.worker_a)
    monkeypatch.setattr(SessionStore, "load", broken)
    assert lenient_client.get("/").status_code == 500


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own connections")
def test_a_hot_query_reopens_a_kept_connection_the_server_ended(transactional_db):
    """zizhi.accounts.rows (the bearer token, a ballot, a posting) checks a kept connection
    once per request as Django's cursors do, so the first request after a database restart
    is served, not failed."""
    import psycopg
    from django.db import close_old_connections

    from zizhi.accounts import rows

    connection.ensure_connection()
    db = connection.settings_dict
    with psycopg.connect(
        host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"],
        password=db["PASSWORD"] or None, dbname=db["NAME"], autocommit=True,
    ) as admin:  # fmt: skip
        admin.execute("SELECT pg_terminate_backend(%s)", [connection.connection.info.backend_pid])
    close_old_connections()  # what a new request does first
    assert rows.fetchone("SELECT 1", []) == (1,)


# -- the private cluster --------------------------------------------------------------------


def pg_bin() -> Path | None:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4])
    )
    return Path(found[-1]).parent if found else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """A throwaway PostgreSQL cluster on 127.0.0.1:<free port>, its socket in its own folder."""

    def __init__(self, bindir: Path):
        self.bin = bindir
        self.folder = Path(tempfile.mkdtemp(prefix="zizhi-pg-drill-"))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        self.port = free_port()
        self.as_postgres = []
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            owner = pwd.getpwnam("postgres")
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)
            self.as_postgres = ["runuser", "-u", "postgres", "--"]
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/zizhi_drill"
        self.lockers = []

    def run(self, *args, timeout=60) -> str:
        done = subprocess.run(
            [*self.as_postgres, *args], capture_output=True, text=True, timeout=timeout
        )
        assert done.returncode == 0, f"{args}: {done.stdout}{done.stderr}{self.tail()}"
        return done.stdout

    def tail(self) -> str:
        try:
            return self.log.read_text()[-3000:]
        except OSError:
            return ""

    def start(self):
        self.run(
            str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
            "--no-sync", "-E", "UTF8", "--locale=C.UTF-8",
        )  # fmt: skip
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c full_page_writes=off -c max_connections=60"
        )
        self.pg_ctl("start", "-o", options, "-l", str(self.log))
        self.run(
            str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U",
            "postgres", "zizhi_drill",
        )  # fmt: skip

    def pg_ctl(self, *args):
        # fsync=off is safe here: an immediate stop kills the server, not the machine (the
        # WAL it replays is in the OS's cache)
        return self.run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-w", "-t", "60", *args)

    def restart(self, mode: str):
        self.pg_ctl("restart", "-m", mode, "-l", str(self.log))

    def destroy(self):
        for conn in self.lockers:
            try:
                conn.close()
            except Exception:  # noqa: BLE001 - the server ended it already
                pass
        if (self.data / "postmaster.pid").exists():
            subprocess.run(
                [*self.as_postgres, str(self.bin / "pg_ctl"), "-D", str(self.data), "stop",
                 "-m", "immediate", "-w"],
                capture_output=True, timeout=60,
            )  # fmt: skip
        shutil.rmtree(self.folder, ignore_errors=True)


def _require_servers() -> Path:
    bindir = pg_bin()
    reason = None
    if bindir is None:
        reason = "PostgreSQL server binaries not installed (/usr/lib/postgresql/*/bin)"
    elif os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            reason = "running as root without a postgres OS user to run the cluster"
    if reason:
        if os.getenv("ZIZHI_REQUIRE_SERVERS") == "1":
            pytest.fail(f"{reason} (ZIZHI_REQUIRE_SERVERS=1)")
        pytest.skip(reason)
    return bindir


@pytest.fixture
def cluster():
    drill = Cluster(_require_servers())
    try:
        drill.start()
        yield drill
    finally:
        drill.destroy()


def app_env(cluster: Cluster, tmp: Path) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REPLICA_URL", "ZIZHI_DEV", "DEBUG", "PYTEST_XDIST_WORKER")
    }
    env.update(
        DATABASE_URL=cluster.url,
        DJANGO_SETTINGS_MODULE="zizhi.settings",
        SECRET_KEY=secrets.token_urlsafe(40),
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1",
        CONN_MAX_AGE="600",
        ZIZHI_VAR_DIR=str(tmp),
        ZIZHI_BACKGROUND_JOBS="false",
        LOG_LEVEL="ERROR",
        PYTHONPATH=str(ROOT),
    )
    return env


def run_script(args: list, env: dict, timeout=180) -> str:
    done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{args}: {done.stdout[-2000:]}{done.stderr[-3000:]}"
    return done.stdout


@pytest.fixture
def gunicorn_server():
    started = []

    def start(env: dict, log: Path) -> int:
        port = free_port()
        proc = subprocess.Popen(
            [
                str(BIN / "gunicorn"), "zizhi.wsgi:application", f"--bind=127.0.0.1:{port}",
                "--workers=2", "--threads=4", "--worker-class=gthread", "--log-level=warning",
                "--graceful-timeout=5",
            ],
            cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        started.append(proc)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert proc.poll() is None, log.read_text()[-3000:]
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                return port
            except OSError:
                time.sleep(0.1)
        pytest.fail(f"gunicorn did not start: {log.read_text()[-3000:]}")

    yield start
    for proc in started:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)


def hold_in_flight(cluster: Cluster, caller, ballot, donation) -> list:
    """Lock the ballot's seat (its membership row: the ballot's foreign key waits for it) and
    the donor's account (the posting updates its balance), send both requests, and return once
    both wait for the locks inside their transactions. The locks go with the restart."""
    import psycopg

    from zizhi.governance.models import Membership
    from zizhi.moralbank.models import Account

    dsn = cluster.url
    locker = psycopg.connect(dsn)
    locker.execute(
        f"SELECT 1 FROM {Membership._meta.db_table} WHERE user_id = %s FOR UPDATE",
        [int(ballot.owner)],
    )
    locker.execute(
        f"SELECT 1 FROM {Account._meta.db_table} WHERE id = %s FOR UPDATE", [int(donation.owner)]
    )
    threads = [threading.Thread(target=caller.send, args=(job,)) for job in (ballot, donation)]
    for thread in threads:
        thread.start()
    blocker = locker.info.backend_pid
    with psycopg.connect(dsn, autocommit=True) as watcher:
        deadline = time.monotonic() + 30
        while True:
            waiting = watcher.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE %s = ANY(pg_blocking_pids(pid))",
                [blocker],
            ).fetchone()[0]
            if waiting >= 2:
                break
            if time.monotonic() > deadline:
                activity = watcher.execute(
                    "SELECT pid, state, wait_event_type, wait_event, left(query, 200) "
                    "FROM pg_stat_activity WHERE backend_type = 'client backend'"
                ).fetchall()
                pytest.fail(
                    f"the held requests never waited for the locks: {ballot.answers} "
                    f"{donation.answers}; locker {blocker}; {activity}; app log: "
                    f"{(cluster.folder / 'app' / 'gunicorn.log').read_text()[-4000:]}; "
                    f"server log: {cluster.tail()}"
                )
            time.sleep(0.05)
    cluster.lockers.append(locker)  # closed after the restart ended it
    return threads


# -- the client -------------------------------------------------------------------------------


@dataclass
class Job:
    kind: str  # "ballot" or "donation"
    path: str
    body: dict
    token: str
    key: str
    owner: str  # the member's user id, or the donor's account id
    answers: list = field(default_factory=list)  # (status, parsed body or text)


class Caller:
    """One keep-alive connection per thread, as a browser or an app would keep."""

    def __init__(self, port: int):
        self.port = port
        self.local = threading.local()

    def send(self, job: Job) -> tuple:
        conn = getattr(self.local, "conn", None)
        if conn is None:
            conn = self.local.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {
            "Authorization": f"Bearer {job.token}",
            "Content-Type": "application/json",
            "Idempotency-Key": job.key,
        }
        try:
            conn.request("POST", job.path, json.dumps(job.body).encode(), headers)
            response = conn.getresponse()
            status, raw = response.status, response.read()
            kind = response.getheader("Content-Type", "")
        except (OSError, http.client.HTTPException) as exc:
            conn.close()
            self.local.conn = None
            answer = ("connection error", repr(exc))
        else:
            body = json.loads(raw) if kind.startswith("application/json") else raw.decode()[:500]
            answer = (status, body)
        job.answers.append(answer)
        return answer


def is_success(answer) -> bool:
    return answer[0] in (200, 201)


def is_clear_error(answer) -> bool:
    status, body = answer
    return status == 503 and isinstance(body, dict) and DOWN_MESSAGE in body.get("detail", "")


@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="runs once, in the PostgreSQL pass of the suite (it makes a cluster of its own)",
)
def test_postgresql_restarts_while_ballots_and_postings_are_in_flight(cluster, gunicorn_server):
    tmp = cluster.folder / "app"
    tmp.mkdir()
    env = app_env(cluster, tmp)
    timings = {}
    started = time.perf_counter()
    run_script([str(BIN / "zizhi"), "migrate", "-v0"], env)
    timings["migrate"] = time.perf_counter() - started
    world = json.loads(
        run_script(
            [
                sys.executable,
                str(ROOT / "tests" / "fault_pg_world.py"),
                "build",
                str(VOTERS),
                str(DONORS + 2),  # two more: one held donation each
                str(BALANCE),
            ],
            env,
        )  # fmt: skip
    )
    timings["world"] = time.perf_counter() - started - timings["migrate"]
    port = gunicorn_server(env, tmp / "gunicorn.log")

    poll = world["poll"]
    jobs = [
        Job("ballot", f"/api/v1/polls/{poll}/ballots", {"choice": v["choice"]}, v["token"],
            f"drill-ballot-{v['user']}", str(v["user"]))
        for v in world["voters"]
    ]  # fmt: skip
    donors, held_donors = world["donors"][:DONORS], world["donors"][DONORS:]

    def donation(donor, n):
        return Job("donation", "/api/v1/moralbank/donations", {"minutes": 1}, donor["token"],
                   f"drill-donation-{donor['account']}-{n}", str(donor["account"]))  # fmt: skip

    jobs += [donation(d, n) for n in range(DONATIONS_EACH) for d in donors]
    # ballots and donations interleaved, so both are in flight at each restart
    random.Random(9).shuffle(jobs)
    # for each restart, one ballot and one donation held in flight on purpose: the test locks
    # the member's seat and the donor's account (a donor with no other request), the requests
    # wait inside their transaction, and the restart ends them there
    held = {}
    for mode, donor in zip(("fast", "immediate"), held_donors, strict=True):
        ballot = next(j for j in jobs if j.kind == "ballot")
        jobs.remove(ballot)
        held[mode] = (ballot, donation(donor, 0))
    caller = Caller(port)
    answered = threading.Semaphore(0)

    def send(job):
        answer = caller.send(job)
        answered.release()
        if not is_success(answer):
            time.sleep(0.3)  # a client waits a little after an error

    restarts = []

    def restart_with_requests_held(after: int, mode: str):
        for _ in range(after):
            answered.acquire()
        ballot, donation = held[mode]
        threads = hold_in_flight(cluster, caller, ballot, donation)
        began = time.perf_counter()
        cluster.restart(mode)
        restarts.append((mode, time.perf_counter() - began))
        for thread in threads:
            thread.join(timeout=60)

    third = len(jobs) // 3
    load_started = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS + 1) as pool:
        restarter = pool.submit(
            lambda: (
                restart_with_requests_held(third, "fast"),
                restart_with_requests_held(third, "immediate"),
            )
        )
        list(pool.map(send, jobs))
        restarter.result(timeout=180)
    timings["load"] = time.perf_counter() - load_started
    for ballot, donation in held.values():
        # ended in their transaction by the restart: a clear error, nothing stored (below)
        assert is_clear_error(ballot.answers[0]) and is_clear_error(donation.answers[0]), (
            ballot.answers,
            donation.answers,
        )
    jobs += [job for pair in held.values() for job in pair]

    first = [job.answers[0] for job in jobs]
    odd = [(job.kind, a) for job, a in zip(jobs, first, strict=True)]
    odd = [x for x in odd if not (is_success(x[1]) or is_clear_error(x[1]))]
    assert odd == [], odd[:5]
    failed = [job for job in jobs if not is_success(job.answers[0])]
    assert len(restarts) == 2

    # every failure retried with its key, until the database answers again
    deadline = time.monotonic() + 60
    for job in failed:
        while not is_success(job.answers[-1]):
            assert time.monotonic() < deadline, job.answers
            answer = caller.send(job)
            assert is_success(answer) or is_clear_error(answer), answer
            if not is_success(answer):
                time.sleep(0.2)
    for job in jobs:
        assert all(is_clear_error(a) for a in job.answers[:-1]), job.answers
        # the body of the success names what was stored
        if job.kind == "ballot":
            assert job.answers[-1][1]["choice"] == job.body["choice"]
    for ballot, donation in held.values():
        assert ballot.answers[-1][0] == donation.answers[-1][0] == 201  # not stored before

    stored = json.loads(
        run_script([sys.executable, str(ROOT / "tests" / "fault_pg_world.py"), "check",
                    str(poll)], env)
    )  # fmt: skip
    ballots = [j for j in jobs if j.kind == "ballot"]
    donations = [j for j in jobs if j.kind == "donation"]
    assert stored["ballot_rows"] == len(ballots) and stored["doubled"] == 0
    for job in ballots:
        assert stored["ballots"][job.owner]["choice"] == job.body["choice"]
    assert stored["donation_rows"] == stored["posted"] == len(donations)
    assert set(stored["donations"]) == {job.key for job in donations}
    # a retry answered 200 (not 201): the first attempt was stored, its answer was lost
    lost = [j for j in failed if j.answers[-1][0] == 200]
    # the books
    assert stored["book_ok"], stored
    for donor in donors:
        assert stored["balances"][str(donor["account"])] == BALANCE - DONATIONS_EACH
    for donor in held_donors:
        assert stored["balances"][str(donor["account"])] == BALANCE - 1
    assert stored["balances"][str(world["pool"])] == DONORS * DONATIONS_EACH + len(held_donors)
    expected = {c: sum(j.body["choice"] == c for j in ballots) for c in ("yes", "no", "abstain")}
    assert stored["tally"] == expected and stored["tally_verifies"]
    assert stored["audit_problems"] == []
    # the drill did hit requests in flight: some were told 503
    assert failed, "no request failed: the restarts did not land while requests were in flight"
    print(
        f"drill: {len(jobs)} requests, {len(failed)} told 503 then retried "
        f"({len(lost)} of them stored before their answer was lost); restarts "
        f"{[(m, round(s, 1)) for m, s in restarts]}; "
        f"{ {k: round(v, 1) for k, v in timings.items()} }"
    )
