"""The deploy/ folder, run for real: two gunicorns (deploy/gunicorn.conf.py, production settings:
DEBUG off, HTTPS, X-Real-IP from nginx) behind nginx running deploy/nginx/zizhi.conf itself
(only its ports and paths replaced, with a throwaway certificate), all on 127.0.0.1. Client
threads cast ballots and file suggestions through nginx, each with an Idempotency-Key; one app
server is killed with SIGKILL (master and workers) in the middle. Then:

- every answer was a success or a clear failure (nginx's 503 JSON, or a broken connection);
- every failed request, retried once with the same key, succeeds: 200 when the first try
  was stored after all (its answer was lost with the server), 201 when it was not;
- every ballot and suggestion is stored exactly once, and what a success answer said (the
  suggestion's number) is what is stored.

Four requests are held in flight on purpose before the load (a lock on their poll and on their
community's suggestion counter, taken by the test), one ballot and one suggestion on each app
server, so the kill always hits a ballot and a suggestion mid-request: the ballot on the killed
server is stored after its client was told 503 (its retry gets 200, the same ballot), the
suggestion is rolled back (its retry files it, 201).

Also: nginx serves /static/ itself, redirects HTTP to HTTPS, sends its own error page when no
app server answers, the app sees nginx's X-Real-IP and not the client's forged one, and no
access log (nginx's or gunicorn's) holds a query string (a roster search by phone).

Needs PostgreSQL (the app servers share the test database) and nginx at /usr/sbin/nginx: without
nginx the test is skipped, unless ZIZHI_REQUIRE_NGINX=1 (CI), which makes it fail instead.
"""

import datetime
import gzip
import http.client
import itertools
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
NGINX = Path("/usr/sbin/nginx")
PHONE = "13800001234"  # searched for in the roster; must never reach a log
FORGED_IP = "203.0.113.77"  # what the client claims in X-Real-IP / X-Forwarded-For
VOTERS = 120
FILERS = 8
SUGGESTIONS_EACH = 10
CLIENTS = 8
APP_WORKERS = 4  # per gunicorn: two are held by the trapped requests, two serve the load


def _require_nginx():
    if NGINX.exists():
        return
    reason = "nginx not installed at /usr/sbin/nginx"
    if os.getenv("ZIZHI_REQUIRE_NGINX") == "1":
        pytest.fail(f"{reason} (ZIZHI_REQUIRE_NGINX=1: apt-get install nginx)")
    pytest.skip(reason)


def test_env_example_lists_every_setting_read_from_the_environment():
    """deploy/env.example names every variable zizhi/settings.py reads."""
    source = (ROOT / "zizhi" / "settings.py").read_text()
    read = set(re.findall(r'(?:getenv|envbool|envint)\(\s*"([A-Z_][A-Z0-9_]*)"', source))
    read |= set(re.findall(r'os\.environ\[\s*"([A-Z_][A-Z0-9_]*)"\s*\]', source))
    listed = set(
        re.findall(r"^#?\s*([A-Z_][A-Z0-9_]*)=", (DEPLOY / "env.example").read_text(), re.M)
    )
    assert read, "no variable found in settings.py"
    assert read <= listed, f"missing from deploy/env.example: {sorted(read - listed)}"


def test_the_systemd_units_verify(tmp_path):
    """systemd-analyze verify finds nothing in deploy/systemd (paths moved to this checkout):
    every key known, every command there."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze not installed (package systemd)")
    units = []
    for unit in sorted((DEPLOY / "systemd").iterdir()):
        name = unit.name.replace("@.service", "@8001.service")
        (tmp_path / name).write_text(unit.read_text().replace("/srv/zizhi/", f"{ROOT}/"))
        units.append(str(tmp_path / name))
    assert len(units) == 5
    done = subprocess.run(
        [analyze, "verify", "--man=no", *units], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr


# -- the servers -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, proc: subprocess.Popen, log: Path, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"exited with {proc.returncode}: {log.read_text()[-3000:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"nothing listens on 127.0.0.1:{port} after {seconds} s: {log.read_text()[-3000:]}")


def stop(proc: subprocess.Popen) -> None:
    """SIGKILL the process group the server leads (gunicorn's master and workers; nginx)."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    proc.wait(timeout=10)


def certificate(folder: Path) -> tuple[Path, Path]:
    """A throwaway self-signed certificate for 127.0.0.1 (fullchain.pem, privkey.pem)."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    chain, private = folder / "fullchain.pem", folder / "privkey.pem"
    chain.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    private.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return chain, private


def site_config(tmp: Path, https: int, plain: int, apps: list) -> str:
    """deploy/nginx/zizhi.conf with the test's ports and paths; every replaced text must be
    in the file exactly as often as expected, so the test follows the real file."""
    text = (DEPLOY / "nginx" / "zizhi.conf").read_text()
    swaps = [
        ("server 127.0.0.1:8001 ", f"server 127.0.0.1:{apps[0]} ", 1),
        ("server 127.0.0.1:8002 ", f"server 127.0.0.1:{apps[1]} ", 1),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https} ssl http2;", 1),
        ("listen 80;", f"listen 127.0.0.1:{plain};", 1),
        ("/etc/ssl/zizhi/", f"{tmp}/ssl/", 2),
        ("/var/log/nginx/", f"{tmp}/log/", 4),
        ("/var/lib/zizhi/", f"{tmp}/var/", 1),
        ("/srv/zizhi/", f"{ROOT}/", 1),
    ]
    for old, new, count in swaps:
        found = len(re.findall(r"^[^#\n]*" + re.escape(old), text, re.M))
        assert found == count, f"deploy/nginx/zizhi.conf: {old!r} {found} times, not {count}"
        text = text.replace(old, new)
    return text


def nginx_config(tmp: Path, site: Path) -> str:
    temp = "\n".join(
        f"    {kind}_temp_path {tmp}/nginx/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    user = "user root;\n" if os.geteuid() == 0 else ""
    return f"""{user}daemon off;
worker_processes 1;
pid {tmp}/nginx/nginx.pid;
error_log {tmp}/log/nginx-main-error.log warn;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
{temp}
    include {site};
}}
"""


@dataclass
class Servers:
    https: int
    http: int
    apps: list  # ports
    gunicorns: list  # Popen
    nginx: subprocess.Popen
    logs: Path
    tls: ssl.SSLContext


def start_servers(tmp: Path, env: dict, running: list) -> Servers:
    """Every process started is put in `running` at once (the test's finalizer stops them)."""
    logs = tmp / "log"
    for folder in ("log", "var/static", "nginx"):
        (tmp / folder).mkdir(parents=True, exist_ok=True)
    chain, _key = certificate(tmp / "ssl")
    apps = [free_port(), free_port()]
    gunicorns = []
    for port in apps:
        log = logs / f"gunicorn-{port}.out"
        proc = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "-c", str(DEPLOY / "gunicorn.conf.py")],
            cwd=ROOT,
            env={
                **env,
                "ZIZHI_BIND": f"127.0.0.1:{port}",
                "ZIZHI_WORKERS": str(APP_WORKERS),
                "ZIZHI_ACCESS_LOG": str(logs / f"gunicorn-{port}-access.log"),
            },
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: os.killpg reaches every worker
        )
        running.append(proc)
        gunicorns.append((proc, port, log))
    https, plain = free_port(), free_port()
    site = tmp / "zizhi.conf"
    site.write_text(site_config(tmp, https, plain, apps))
    conf = tmp / "nginx.conf"
    conf.write_text(nginx_config(tmp, site))
    tested = subprocess.run(
        [str(NGINX), "-t", "-p", str(tmp), "-c", str(conf)], capture_output=True, text=True
    )
    assert tested.returncode == 0, tested.stderr
    for proc, port, log in gunicorns:
        wait_for_port(port, proc, log)
    # Every worker up before nginx sends anything (a refused connection would mark a server
    # down for nginx's fail_timeout).
    for _proc, port, _log in gunicorns:
        for _ in range(APP_WORKERS * 2):
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            c.request("GET", "/healthz", headers={"X-Forwarded-Proto": "https"})
            assert c.getresponse().status == 200
            c.close()
    nginx_log = logs / "nginx.out"
    nginx = subprocess.Popen(
        [str(NGINX), "-p", str(tmp), "-c", str(conf)],
        stdout=nginx_log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    running.append(nginx)
    wait_for_port(https, nginx, nginx_log)
    tls = ssl.create_default_context(cafile=str(chain))
    return Servers(https, plain, apps, [g[0] for g in gunicorns], nginx, logs, tls)


# -- the client ------------------------------------------------------------------------------


@dataclass
class Job:
    kind: str  # "ballot" or "suggestion"
    path: str
    body: dict
    token: str
    key: str
    answers: list = field(default_factory=list)  # (status or "connection error", body)

    def headers(self) -> dict:
        return {
            "Authorization": f"Bearer {self.token}",
            "Content-Type": "application/json",
            "Idempotency-Key": self.key,
            "X-Real-IP": FORGED_IP,
            "X-Forwarded-For": FORGED_IP,
        }


class Client:
    """One keep-alive HTTPS connection to nginx per thread."""

    def __init__(self, servers: Servers):
        self.servers = servers
        self.local = threading.local()

    def request(self, method, path, body=None, headers=None, timeout=30):
        conn = getattr(self.local, "conn", None)
        if conn is None:
            conn = http.client.HTTPSConnection(
                "127.0.0.1", self.servers.https, context=self.servers.tls, timeout=timeout
            )
            self.local.conn = conn
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.read(), dict(response.getheaders())
        except (OSError, http.client.HTTPException) as exc:
            conn.close()
            self.local.conn = None
            return "connection error", repr(exc).encode(), {}

    def send(self, job: Job) -> None:
        body = json.dumps(job.body, ensure_ascii=False).encode()
        status, content, _headers = self.request("POST", job.path, body, job.headers())
        job.answers.append((status, content))


def succeeded(answer) -> bool:
    return isinstance(answer[0], int) and 200 <= answer[0] < 300


def clear_failure(answer) -> bool:
    """nginx's own answer when no app server answered (deploy/nginx/zizhi.conf), or a
    connection that broke: anything else (a 500, a 409, a 400) is not a clear failure."""
    status, body = answer
    if status == "connection error":
        return True
    return status == 503 and "服务暂时不可用" in body.decode() and b"Idempotency-Key" in body


# -- the world -------------------------------------------------------------------------------


@dataclass
class World:
    votes: object  # bench/vote_world.World
    load_community: object
    trap_community: object
    filers: list  # (user, token)
    trap_filers: list
    worker_session: str


def build_world() -> World:
    sys.path.insert(0, str(ROOT / "bench"))
    import vote_world

    from zizhi.accounts import actions as accounts
    from zizhi.governance import actions as gov
    from zizhi.proposals.models import SuggestionCounter
    from zizhi.registry.models import Subdistrict

    from . import factories as f

    votes = vote_world.build(VOTERS, phone_prefix="135")
    gov.do_open_poll(votes.poll, actor=votes.worker)  # warmup_poll (open) is the trap poll
    sub = Subdistrict.objects.get(code="bench")
    load = f.community(sub, "DRILL", "演练社区")
    trap = f.community(sub, "TRAP", "留置社区")

    def filer(comm, i):
        r = f.resident(comm, name=f"居民{i}", hh=f.household(comm, f"{i}栋", "101"))
        u = f.user(phone=r.phone, name=r.name)
        r.user = u
        r.save()
        return u, accounts.do_create_api_token("drill", actor=u)

    filers = [filer(load, i) for i in range(FILERS)]
    trap_filers = [filer(trap, i) for i in range(2)]
    # the trap community's counter exists: the test locks it (the app numbers by local date)
    SuggestionCounter.objects.get_or_create(community=trap, year=timezone.localdate().year)
    session = vote_world._session(votes.worker)
    return World(votes, load, trap, filers, trap_filers, session)


def ballot_job(poll, member) -> Job:
    return Job(
        "ballot",
        f"/api/v1/polls/{poll.pk}/ballots",
        {"choice": member.choice},
        member.token,
        f"drill-ballot-{poll.pk}-{member.user_id}",
    )


def suggestion_job(community, token, n) -> Job:
    return Job(
        "suggestion",
        "/api/v1/suggestions",
        {
            "community": community.code,
            "title": f"演练建议{n}：楼道灯坏了",
            "text": f"第{n}条演练建议：三单元楼道的灯坏了，晚上看不清台阶。",
            "category": "facilities",
        },
        token,
        f"drill-suggestion-{uuid.uuid4()}",
    )


def waiting_for_locks(cursor, db: str) -> int:
    cursor.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'",
        [db],
    )
    return cursor.fetchone()[0]


# -- the drill -------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_app_servers_behind_nginx_one_killed_mid_load(settings, tmp_path, request):
    _require_nginx()
    import psycopg

    from zizhi.audit.models import Event
    from zizhi.governance.actions.polls import POLL_LOCK_CLASS
    from zizhi.governance.models import Ballot
    from zizhi.proposals.models import Suggestion, SuggestionCounter

    started = time.monotonic()
    secret = secrets.token_urlsafe(50)
    settings.SECRET_KEY = secret  # the worker's session is signed with the servers' key
    world = build_world()
    db = connection.settings_dict
    dsn = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("ZIZHI_DEV", "DEBUG", "DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="zizhi.settings",
        DATABASE_URL=dsn,
        SECRET_KEY=secret,
        ZIZHI_DATA_KEY=settings.DATA_KEY,
        DEBUG="false",
        ZIZHI_HTTPS="true",
        ALLOWED_HOSTS="127.0.0.1",
        ZIZHI_PROXY_IP_HEADER="HTTP_X_REAL_IP",
        ZIZHI_VAR_DIR=str(tmp_path / "var"),
        ZIZHI_BACKGROUND_JOBS="false",
        CONN_MAX_AGE="60",
        LOG_LEVEL="ERROR",
    )
    connection.close()  # the servers and the test share the database; nothing held open

    running = []  # every server process, stopped however the test ends
    request.addfinalizer(lambda: [stop(proc) for proc in running])
    servers = start_servers(tmp_path, env, running)
    client = Client(servers)
    (tmp_path / "var" / "static" / "drill-probe.txt").write_text("served by nginx")

    # nginx serves /static/ itself (this file is in no app: the app could not answer it)
    status, body, headers = client.request("GET", "/static/drill-probe.txt")
    assert (status, body) == (200, b"served by nginx")
    assert headers.get("X-Content-Type-Options") == "nosniff"
    assert "max-age=31536000" in headers.get("Strict-Transport-Security", "")
    assert headers.get("Cache-Control") == "max-age=3600"
    # and collectstatic's .gz copy to a client that takes gzip
    probe = tmp_path / "var" / "static" / "drill-probe.txt.gz"
    probe.write_bytes(gzip.compress(b"served by nginx, gzipped"))
    status, body, headers = client.request(
        "GET", "/static/drill-probe.txt", headers={"Accept-Encoding": "gzip"}
    )
    assert status == 200 and headers.get("Content-Encoding") == "gzip"
    assert gzip.decompress(body) == b"served by nginx, gzipped"
    # HTTP is redirected to HTTPS, and the path is kept but not logged with its query
    plain = http.client.HTTPConnection("127.0.0.1", servers.http, timeout=10)
    plain.request("GET", f"/c/DRILL/residents/?q={PHONE}")
    redirect = plain.getresponse()
    assert redirect.status == 301
    assert redirect.getheader("Location").startswith("https://127.0.0.1/c/DRILL/residents/")
    plain.close()

    # Four requests held in flight, one ballot and one suggestion on each app server (nginx
    # takes the servers in turn): the test holds the trap poll's lock and the trap
    # community's suggestion counter, so each waits in the database until released.
    members = world.votes.members
    traps = [
        ballot_job(world.votes.warmup_poll, members[0]),
        ballot_job(world.votes.warmup_poll, members[1]),
        suggestion_job(world.trap_community, world.trap_filers[0][1], "T1"),
        suggestion_job(world.trap_community, world.trap_filers[1][1], "T2"),
    ]
    holder = psycopg.connect(dsn)  # a transaction of its own: the locks last until rollback
    watcher = psycopg.connect(dsn, autocommit=True)
    request.addfinalizer(holder.close)
    request.addfinalizer(watcher.close)
    holder.execute(
        "SELECT pg_advisory_xact_lock(%s, %s)",
        [POLL_LOCK_CLASS, world.votes.warmup_poll.pk & 0x7FFFFFFF],
    )
    holder.execute(
        f"SELECT id FROM {SuggestionCounter._meta.db_table} WHERE community_id = %s FOR UPDATE",
        [world.trap_community.pk],
    )
    trap_threads = []
    with watcher.cursor() as cursor:
        for n, job in enumerate(traps, start=1):
            thread = threading.Thread(target=Client(servers).send, args=(job,))
            thread.start()
            trap_threads.append(thread)
            deadline = time.monotonic() + 20
            while waiting_for_locks(cursor, db["NAME"]) < n:
                assert time.monotonic() < deadline, f"trapped request {n} is not waiting"
                time.sleep(0.02)

    # The load: every member's ballot on the main poll and the suggestions, mixed, from
    # CLIENTS threads; the first app server is killed after a third of them.
    jobs = [ballot_job(world.votes.poll, m) for m in members]
    numbers = itertools.count(1)
    jobs += [
        suggestion_job(world.load_community, token, next(numbers))
        for _user, token in world.filers
        for _ in range(SUGGESTIONS_EACH)
    ]
    random.Random(9).shuffle(jobs)
    done = itertools.count()
    finished = [0]

    def run(job):
        client.send(job)
        finished[0] = next(done) + 1

    killed_at = None
    with ThreadPoolExecutor(CLIENTS) as pool:
        futures = [pool.submit(run, job) for job in jobs]
        deadline = time.monotonic() + 40
        while finished[0] < len(jobs) // 3:
            assert time.monotonic() < deadline, f"only {finished[0]} of {len(jobs)} answered"
            time.sleep(0.005)
        os.killpg(servers.gunicorns[0].pid, signal.SIGKILL)  # master and workers, mid-load
        killed_at = finished[0]
        servers.gunicorns[0].wait(timeout=10)
        holder.rollback()  # the held requests go on (the killed server's have no client)
        for future in futures:
            future.result()
    for thread in trap_threads:
        thread.join(timeout=30)
        assert not thread.is_alive()
    assert 0 < killed_at < len(jobs), killed_at

    # Each first answer: a success, or a clear failure. Never a 500, 409, 400...
    for job in [*traps, *jobs]:
        (answer,) = job.answers
        assert succeeded(answer) or clear_failure(answer), (job.kind, job.key, answer)
    # The held requests: the one of each kind on the killed server failed, the other succeeded.
    for kind in ("ballot", "suggestion"):
        firsts = sorted(str(j.answers[0][0]) for j in traps if j.kind == kind)
        assert firsts == ["201", "503"], (kind, [j.answers for j in traps])
    failed = [j for j in [*traps, *jobs] if not succeeded(j.answers[0])]
    assert failed, "the kill failed no request"

    # Retry each failed request once, through nginx, with the same key: it succeeds now.
    for job in failed:
        client.send(job)
        assert job.answers[1][0] in (200, 201), (job.kind, job.key, job.answers)
    # The held ballot on the killed server was stored after its client was told 503 (its
    # statement waited for the lock and committed; the answer had no one to go to): the
    # retry is told so (200, the same ballot). The held suggestion was rolled back: filed anew.
    (lost_ballot,) = [j for j in traps if j.kind == "ballot" and not succeeded(j.answers[0])]
    assert lost_ballot.answers[1][0] == 200, lost_ballot.answers
    (lost_suggestion,) = [
        j for j in traps if j.kind == "suggestion" and not succeeded(j.answers[0])
    ]
    assert lost_suggestion.answers[1][0] == 201, lost_suggestion.answers

    # The store: every ballot and suggestion exactly once, as the success answers said.
    for poll, voted in ((world.votes.poll, members), (world.votes.warmup_poll, members[:2])):
        rows = list(Ballot.objects.filter(poll=poll).values_list("idempotency_key", "choice"))
        assert len(rows) == len(voted), (poll.question, len(rows))
        assert sorted(rows) == sorted(
            (f"drill-ballot-{poll.pk}-{m.user_id}", m.choice) for m in voted
        )
    suggestion_jobs = [j for j in [*traps, *jobs] if j.kind == "suggestion"]
    stored = dict(
        Suggestion.objects.filter(
            community__in=[world.load_community, world.trap_community]
        ).values_list("idempotency_key", "number")
    )
    count = Suggestion.objects.filter(
        community__in=[world.load_community, world.trap_community]
    ).count()
    assert count == len(stored) == len(suggestion_jobs)
    for job in suggestion_jobs:
        answer = next(a for a in job.answers if succeeded(a))
        assert json.loads(answer[1])["number"] == stored[job.key], job.key

    # The killed server had answered before the kill; the other one answered all after.
    nginx_log = (servers.logs / "zizhi-access.log").read_text()
    assert re.search(rf"upstream=127\.0\.0\.1:{servers.apps[0]} status=201", nginx_log)
    assert re.search(rf"upstream=127\.0\.0\.1:{servers.apps[1]} status=201", nginx_log)
    # The app took the client's address from nginx's X-Real-IP, not from the forged headers.
    ips = set(
        Event.objects.filter(verb__in=["poll.ballot", "suggestion.file"]).values_list(
            "ip", flat=True
        )
    )
    assert ips == {"127.0.0.1"}, ips

    # A roster search by phone through nginx: found by the app, logged without its query.
    status, body, _headers = client.request(
        "GET",
        f"/c/{world.votes.community.code}/residents/?q={PHONE}",
        headers={"Cookie": f"sessionid={world.worker_session}"},
    )
    assert status == 200, body[:500]
    # With no app server left, nginx answers pages and the API with its own clear message.
    stop(servers.gunicorns[1])
    status, body, _headers = client.request("GET", "/")
    assert status == 502 and "服务暂时不可用" in body.decode(), (status, body[:300])
    status, body, headers = client.request(
        "POST", "/api/v1/suggestions", b"{}", {"Content-Type": "application/json"}
    )
    assert status == 503 and headers.get("Retry-After") == "5", (status, body)
    assert json.loads(body)["detail"].startswith("服务暂时不可用")

    stop(servers.nginx)  # flushes its logs
    logs = {p.name: p.read_text() for p in servers.logs.iterdir() if p.is_file()}
    nginx_log = logs["zizhi-access.log"]
    assert f"/c/{world.votes.community.code}/residents/ " in nginx_log
    assert "/c/DRILL/residents/ " in nginx_log  # the plain-HTTP request, redirected
    gunicorn_log = logs[f"gunicorn-{servers.apps[1]}-access.log"]
    assert re.search(
        r'"POST /api/v1/(polls/\d+/ballots|suggestions) HTTP/1.0" 20[01]', gunicorn_log
    )
    for name, text in logs.items():
        assert PHONE not in text, f"{name} holds the phone number searched for"
        assert "?q=" not in text, f"{name} holds a query string"
    retried = [j.answers[1][0] for j in failed]
    print(
        f"drill: {len(jobs) + len(traps)} requests, the first app server killed after "
        f"{killed_at}; {len(failed)} failed clearly "
        f"({sum(j.answers[0][0] == 503 for j in failed)} x 503, "
        f"{sum(j.answers[0][0] == 'connection error' for j in failed)} broken connections); "
        f"retried: {retried.count(200)} already stored (200), {retried.count(201)} filed anew "
        f"(201); {time.monotonic() - started:.1f} s"
    )
    assert time.monotonic() - started < 60, "the drill took a minute or more"
