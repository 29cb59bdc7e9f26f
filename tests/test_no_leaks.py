"""No ID number, phone or password in any log line, error page or audit summary (issue 9, PIPL).

A resident with a KNOWN ID number and phone, with an account under a KNOWN password, and a
broad run of requests that touch them: logging in wrong and right, the staff pages of the
resident, the roster search, export and import (a bad row and an import that fails with a
database error quoting the row), the audited reveal of the ID number, the resident's own pages
and data export, the API by session and by token, people of another community, bad requests,
a 404 and a 500 (DEBUG is off, as in production). Then every log line as the configured
handlers write it, every message the app logged, every response body and header, and every
audit event are searched for the known values.

Where the values may legitimately appear: the reveal answer shows the full ID number to the
worker (and it is audited); the phone is on the staff pages of the resident's own community
(that is the product) and on the resident's own pages; the login and activation forms echo the
phone their visitor typed. Never in a log, an audit event, an error page, or a page for
another community, another household or an anonymous visitor. The password appears nowhere.

SQL is not logged: django.db.backends logs queries only with DEBUG on (its parameters would
hold the phone); the test asserts DEBUG is off.
"""

import datetime
import io
import json
import logging
import zipfile

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse

from tests import factories as f
from tests.rosterfiles import good_rows, xlsx
from zizhi.accounts import messaging
from zizhi.accounts.actions import do_create_api_token
from zizhi.accounts.models import User
from zizhi.audit.models import Event
from zizhi.registry import idnumber
from zizhi.registry.models import ImportJob, Resident

KNOWN_ID = idnumber.make("330102", datetime.date(1948, 5, 17), 321)
KNOWN_PHONE = "13955507319"
KNOWN_PASSWORD = "Known-Secret-7731!"
# A second person, only in an uploaded roster file.
FILE_ID = idnumber.make("330106", datetime.date(1961, 9, 23), 458)
FILE_PHONE = "13766604182"
ID_VALUES = (KNOWN_ID, FILE_ID)
PHONES = (KNOWN_PHONE, FILE_PHONE)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ZIZHI_BACKGROUND_JOBS = False
    settings.ZIZHI_MESSAGE_BACKENDS = ["zizhi.accounts.messaging.LogBackend"]


@pytest.fixture
def written_logs():
    """Every logger at DEBUG; the configured handlers write to a buffer, as they would to the
    server's log. Also every record as logged, before any handler's filter."""
    out = io.StringIO()
    records: list[tuple[str, str]] = []

    class Keep(logging.Handler):
        """First of the root's handlers: it sees each record before a filter redacts it."""

        def emit(self, record):
            records.append((record.name, record.getMessage()))

    root = logging.getLogger()
    loggers = [root] + [
        lg for lg in logging.Logger.manager.loggerDict.values() if isinstance(lg, logging.Logger)
    ]
    saved_levels = [(lg, lg.level, lg.disabled) for lg in loggers]
    configured = [h for h in root.handlers if h.name == "console"]
    assert configured, "the console handler of settings.LOGGING"
    saved_streams = [(h, h.setStream(out), h.level) for h in configured]
    keep = Keep(level=logging.DEBUG)
    for lg in loggers:
        lg.setLevel(logging.DEBUG)
        lg.disabled = False
    for h in configured:
        h.setLevel(logging.DEBUG)
    root.handlers.insert(0, keep)
    try:
        yield out, records
    finally:
        root.removeHandler(keep)
        for h, stream, level in saved_streams:
            h.setStream(stream)
            h.setLevel(level)
        for lg, level, disabled in saved_levels:
            lg.setLevel(level)
            lg.disabled = disabled


def text_of(response) -> str:
    """The body as text (xlsx unzipped), and the headers."""
    if response.streaming:
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    parts = [str(dict(response.headers))]
    if body.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            parts += [z.read(n).decode("utf-8", "replace") for n in z.namelist()]
    else:
        parts.append(body.decode("utf-8", "replace"))
    return "\n".join(parts)


class Run:
    """Requests and what each may show."""

    def __init__(self):
        self.seen = []  # (label, text, allowed: set of "id" / "phone")

    def __call__(self, label, response, *, allow=(), status=None):
        if status is not None:
            assert response.status_code == status, (label, response.status_code)
        if response.status_code >= 400:
            allow = ()  # an error page shows nothing of anyone
        self.seen.append((label, response.status_code, text_of(response), set(allow)))
        return response


@pytest.fixture
def known(world):
    hh = f.household(world.hd, "9栋", "901")
    resident = f.resident(world.hd, name="顾知秋", hh=hh, phone=KNOWN_PHONE)
    resident.set_id_number(KNOWN_ID)
    resident.save()
    user = User.objects.create_user(phone=KNOWN_PHONE, password=KNOWN_PASSWORD, name="顾知秋")
    resident.user = user
    resident.save()
    return resident


def test_no_id_number_phone_or_password_leaks(
    world, known, written_logs, monkeypatch, django_capture_on_commit_callbacks
):
    assert not django_settings.DEBUG  # and so no SQL in the log
    out, records = written_logs
    run = Run()
    anonymous = Client(raise_request_exception=False)
    own = Client(raise_request_exception=False)
    worker = Client(raise_request_exception=False)
    worker.force_login(world.worker_a)
    other = Client(raise_request_exception=False)  # a resident of another community
    other.force_login(world.resident_b)
    neighbour = Client(raise_request_exception=False)  # same community, another household
    neighbour.force_login(world.resident_a)
    r = known.pk
    login = reverse("accounts:login")

    # Logging in: a wrong password, then the right one.
    run(
        "login, wrong password",
        anonymous.post(login, {"username": KNOWN_PHONE, "password": KNOWN_PASSWORD + "x"}),
        allow={"phone"},  # the form keeps the phone its visitor typed
        status=200,
    )
    run(
        "login",
        own.post(login, {"username": KNOWN_PHONE, "password": KNOWN_PASSWORD}),
        status=302,
    )
    run(
        "activation, wrong code",
        anonymous.post(
            reverse("accounts:activate"),
            {
                "phone": KNOWN_PHONE,
                "code": "ABCD-EFGH",
                "password1": KNOWN_PASSWORD,
                "password2": KNOWN_PASSWORD,
            },
        ),
        allow={"phone"},
    )

    # The resident's own pages and data.
    for name in ("web:home", "web:my_data", "web:my_data_export"):
        run(name, own.get(reverse(name)), allow={"phone"}, status=200)
    run("API me", own.get("/api/v1/me"), status=200)

    # Staff pages of the resident.
    for label, url in [
        ("roster", reverse("registry:roster", args=["HD"])),
        ("roster search by phone", reverse("registry:roster", args=["HD"]) + f"?q={KNOWN_PHONE}"),
        (
            "roster search by ID tail",
            reverse("registry:roster", args=["HD"]) + f"?q={KNOWN_ID[-4:]}",
        ),
        ("resident", reverse("registry:resident", args=["HD", r])),
        ("household", reverse("registry:household", args=["HD", known.household_id])),
        ("households", reverse("registry:households", args=["HD"])),
        ("export", reverse("registry:export", args=["HD"])),
    ]:
        run(label, worker.get(url), allow={"phone"}, status=200)
    assert Event.objects.filter(verb="registry.export_roster").exists()
    revealed = run(
        "reveal",
        worker.post(reverse("registry:reveal_id", args=["HD", r])),
        allow={"id", "phone"},
        status=200,
    )
    assert KNOWN_ID in revealed.content.decode()
    assert Event.objects.filter(verb="resident.reveal_id_number", object_id=str(r)).exists()
    run(
        "activation code for a resident with an account",
        worker.post(reverse("registry:activation_code", args=["HD", r])),
    )

    # The API, by session and by token.
    token = do_create_api_token("程序", actor=world.worker_a)
    bearer = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {token}")
    run("API residents", bearer.get("/api/v1/residents?page_size=200"), allow={"phone"})
    run("API resident", bearer.get(f"/api/v1/residents/{r}"), allow={"phone"}, status=200)
    run("API households", bearer.get(f"/api/v1/households/{known.household_id}"), allow={"phone"})
    run("API bad page", bearer.get("/api/v1/residents?page=abc"))
    run("API bad body", bearer.post("/api/v1/tokens", "{not json", content_type="application/json"))
    run("API bad token", anonymous.get("/api/v1/residents", HTTP_AUTHORIZATION="Bearer zz_no"))

    # People who must not see the resident.
    for label, client in [("other community", other), ("neighbour", neighbour)]:
        run(label + ": resident page", client.get(reverse("registry:resident", args=["HD", r])))
        run(label + ": API resident", client.get(f"/api/v1/residents/{r}"))
        run(label + ": home", client.get(reverse("web:home")))
        run(label + ": my data", client.get(reverse("web:my_data_export")))
    run("anonymous: community page", anonymous.get(reverse("web:community", args=["HD"])))
    run("anonymous: roster", anonymous.get(reverse("registry:roster", args=["HD"])))
    run("anonymous: API resident", anonymous.get(f"/api/v1/residents/{r}"))
    run("worker of XH", _as(world.worker_b).get(reverse("registry:resident", args=["HD", r])))

    # Errors: 404s, a bad roster file, an import that fails quoting the row, a 500.
    run("404", worker.get(reverse("registry:resident", args=["HD", 999999])), status=404)
    run("404 path", worker.get(f"/c/HD/residents/{KNOWN_PHONE}/"), status=404)
    bad_rows = [["顾某", "男", KNOWN_ID[:17] + "0", KNOWN_PHONE, "9", "", "901", "", "", ""]]
    run("upload with a bad row", _upload(worker, xlsx(good_rows() + bad_rows)))
    job = ImportJob.objects.latest("pk")
    run("bad row page", worker.get(reverse("registry:import_job", args=["HD", job.pk])))
    new_row = [["梁新", "女", FILE_ID, FILE_PHONE, "9", "", "902", "", "", ""]]
    run("upload", _upload(worker, xlsx(new_row)))
    job = ImportJob.objects.latest("pk")

    def refused(*args, **kwargs):
        raise IntegrityError(
            'duplicate key value violates unique constraint "registry_resident_phone"\n'
            f"DETAIL:  Key (phone, id_number)=({FILE_PHONE}, {FILE_ID}) already exists."
        )

    with monkeypatch.context() as m:
        m.setattr(Resident.objects, "bulk_create", refused)
        run("failed import", worker.post(reverse("registry:import_confirm", args=["HD", job.pk])))
    run("failed import page", worker.get(reverse("registry:import_job", args=["HD", job.pk])))

    def crash(*args, **kwargs):
        raise RuntimeError(f"could not render {KNOWN_PHONE} {KNOWN_ID}")

    with monkeypatch.context() as m:
        m.setattr("zizhi.registry.views.render", crash)
        run("500", worker.get(reverse("registry:resident", args=["HD", r])), status=500)

    # A message to the resident, through the development log backend.
    with django_capture_on_commit_callbacks(execute=True):
        messaging.send([known.user], "会议通知", "明天开会", "/")

    leaks = []
    # 1. What the handlers wrote, and what the app itself put in its messages.
    written = out.getvalue()
    assert "Internal Server Error" in written and "roster import failed" in written
    assert "会议通知" in written
    for value in (*ID_VALUES, *PHONES, KNOWN_PASSWORD):
        if value in written:
            leaks.append(("log output", value))
    for name, message in records:
        if not name.startswith("zizhi"):
            continue  # Django's own lines quote the path a client asked for: redacted above
        for value in (*ID_VALUES, *PHONES, KNOWN_PASSWORD):
            if value in message:
                leaks.append((f"log record {name}", message[:200]))
    # 2. Responses.
    for label, status, text, allow in run.seen:
        if KNOWN_PASSWORD in text:
            leaks.append((label, "password"))
        for value in ID_VALUES:
            if "id" not in allow and value in text:
                leaks.append((label, status, "ID number"))
        for value in PHONES:
            if "phone" not in allow and value in text:
                leaks.append((label, status, "phone"))
    # 3. The audit log.
    events = list(Event.objects.all())
    assert {"resident.reveal_id_number", "registry.export_roster"} <= {e.verb for e in events}
    for e in events:
        text = json.dumps([e.summary, e.object_repr, e.actor_label], ensure_ascii=False)
        for value in (*ID_VALUES, *PHONES, KNOWN_PASSWORD):
            if value in text:
                leaks.append((f"audit {e.verb}", value))
    assert leaks == []


def _as(user) -> Client:
    c = Client(raise_request_exception=False)
    c.force_login(user)
    return c


def _upload(client, data):
    return client.post(
        reverse("registry:import", args=["HD"]),
        {"file": SimpleUploadedFile("花名册.xlsx", data)},
    )


def test_the_redaction_masks_ids_and_phones_in_chinese_text():
    from zizhi.accounts.privacy import redact

    text = redact(
        f"手机号{KNOWN_PHONE}不是，身份证{KNOWN_ID}。电话 0571-88880000，编号 20261129001"
    )
    assert KNOWN_PHONE not in text and KNOWN_ID not in text
    assert "139****7319" in text and "0571-88880000" in text and "20261129001" in text


def test_no_audit_event_of_the_demo_holds_an_id_number_or_a_phone(db, written_logs):
    """The demo runs every kind of action (registry, votes, ledger, wishes, mediation, ...):
    no event's summary, object or actor label, and no line it logs, holds an unmasked ID
    number or mobile number."""
    from django.core.management import call_command

    from zizhi.accounts.privacy import redact

    out, records = written_logs
    call_command("demo", "--residents", "300", verbosity=0, stdout=io.StringIO())
    found = []
    for e in Event.objects.all().iterator():
        text = json.dumps([e.summary, e.object_repr, e.actor_label], ensure_ascii=False)
        if redact(text) != text:
            found.append((e.verb, text[:200]))
    for name, message in records:
        if name.startswith("zizhi") and redact(message) != message:
            found.append((name, message[:200]))
    assert Event.objects.count() > 100
    assert found == []
