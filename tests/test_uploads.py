"""Every upload endpoint, sent every kind of bad file: each gets a clear refusal and changes
nothing (no row in any table, no file in MEDIA_ROOT); a good file with a path-trick name is
stored under a generated name inside MEDIA_ROOT and shown by its plain base name.

ENDPOINTS has one entry per view that reads request.FILES; `test_every_upload_view_is_covered`
finds those views by reading the source of every URL pattern's view and fails on one that is
not here. The files are sent as hand-made multipart bodies, so the server sees the names as
given (Django's test client would strip the paths itself).

Every export that writes a spreadsheet cell from user text neutralises formulas:
`test_every_export_neutralises_formulas`.
"""

import datetime
import inspect
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from openpyxl import load_workbook

from zizhi.web import uploads

from . import factories as f
from .upload_files import REAL_JPEG, REAL_PNG

MB = 1024 * 1024


# --- bad files ------------------------------------------------------------------------------
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
PHP = b"<?php system($_GET['c']); ?>\n"
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
# a PNG signature with a PHP payload behind it: right first bytes, not an image
PNG_POLYGLOT = b"\x89PNG\r\n\x1a\n" + PHP * 4


def png_claiming(width: int, height: int) -> bytes:
    """A small PNG whose header claims width x height pixels (a decompression bomb)."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + chunk(b"IEND", b"")
    )


_BOMB: dict[str, bytes] = {}


def zip_bomb(inflated=1024 * MB, office="xl") -> bytes:
    """An .xlsx (or .docx) whose one sheet inflates to `inflated` bytes (1 GB of XML
    whitespace) from about 1 MB on disk; every part a reader looks for is there. Built once
    per process."""
    key = f"{office}{inflated}"
    if key not in _BOMB:
        out = io.BytesIO()
        main = "xl/workbook.xml" if office == "xl" else "word/document.xml"
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
            z.writestr("[Content_Types].xml", "<Types/>")
            z.writestr(main, "<workbook/>")
            blank = b" " * (4 * MB)
            with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
                sheet.write(b"<worksheet><sheetData>")
                for _ in range(inflated // len(blank)):
                    sheet.write(blank)
        _BOMB[key] = out.getvalue()
    return _BOMB[key]


def lying_zip() -> bytes:
    """A zip bomb whose headers claim its sheet is 100 bytes: only inflating finds out."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"<row/>" * (40 * MB // 6))
    data = bytearray(out.getvalue())
    # patch the uncompressed size in the sheet's local header and central directory entry
    name = b"xl/worksheets/sheet1.xml"
    local = data.index(b"PK\x03\x04" + bytes(data[4:6]), 0)
    while data[local + 30 : local + 30 + len(name)] != name:
        local = data.index(b"PK\x03\x04", local + 4)
    struct.pack_into("<I", data, local + 22, 100)
    central = data.index(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(name)] != name:
        central = data.index(b"PK\x01\x02", central + 4)
    struct.pack_into("<I", data, central + 24, 100)
    return bytes(data)


@dataclass(frozen=True)
class Bad:
    key: str
    name: str  # the file name for each kind of endpoint: photo, attachment, spreadsheet
    data: Callable[[], bytes]
    names: dict | None = None


def huge(prefix: bytes, limit: int) -> bytes:
    return prefix + b"\x00" * (limit + 1 - len(prefix))


# --- endpoints --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Endpoint:
    name: str  # URL name
    user: str  # who posts (a persona of `world`, or a key of the context)
    field: str  # the file field
    accepts: str  # "photo", "attachment", "spreadsheet", "roster"
    setup: Callable  # (world) -> context dict with "url" and "data" (the other fields)
    redirects: bool = False  # a refusal comes back as a redirect with a message
    stores_file: bool = True  # a good file lands in MEDIA_ROOT (imports keep rows only)


def _greening(world, i):
    from .greening_rows import adopt, plot

    p = plot(world.hd, world.worker_a, name=f"草坪{i}")
    return p, adopt(p, world.resident_a, world.worker_a)


def ctx_roster(world, i=0):
    return {"url": reverse("registry:import", args=["HD"]), "data": {}}


def ctx_finance_import(world, i=0):
    from zizhi.finance import actions

    if i == 0:
        actions.do_open_period(world.hd, year=2026, month=3, actor=world.worker_a)
    return {"url": reverse("finance:import", args=["HD", 2026, 3]), "data": {}}


def ctx_receipt(world, i=0):
    from zizhi.finance import actions
    from zizhi.finance.models import Period

    period = Period.objects.filter(community=world.hd, year=2026, month=3).first()
    period = period or actions.do_open_period(world.hd, year=2026, month=3, actor=world.worker_a)
    entry = actions.do_add_entry(
        period,
        date=datetime.date(2026, 3, 2),
        direction="expense",
        category=world.hd.finance_categories.filter(direction="expense").first(),
        amount_fen=1200,
        description="打印纸",
        actor=world.worker_a,
    )
    return {"url": reverse("finance:add_receipt", args=["HD", 2026, 3, entry.pk]), "data": {}}


def ctx_report(world, i=0):
    from zizhi.governance.models import Body, DutyReport, Membership

    rc, _new = Body.objects.get_or_create(
        kind="residents_committee", community=world.hd, subdistrict=world.dh, name="湖东居委会"
    )
    seat = Membership.objects.create(
        body=rc, name="主任", role="chair", started_on=datetime.date(2021, 6, 1)
    )
    report = DutyReport.objects.create(
        community=world.hd,
        cadre=seat,
        period=f"{2026 + i}年度",
        year=2026 + i,
        scheduled_on=datetime.date(2030, 12, 1),
        title="主任述职",
        text="述职",
        status="scheduled",
    )
    return {
        "url": reverse("governance:report_act", args=["HD", report.pk, "attach"]),
        "data": {"name": ""},
    }


def ctx_my_adoption(world, i=0):
    _plot, adoption = _greening(world, i)
    return {
        "url": reverse("greening:my_adoption", args=[adoption.pk]),
        "data": {"done_on": timezone.localdate().isoformat(), "text": "浇水除草"},
    }


def ctx_plot_photo(world, i=0):
    p, _adoption = _greening(world, i)
    return {"url": reverse("greening:plot_photo_add", args=["HD", p.pk]), "data": {}}


def ctx_inspect(world, i=0):
    p, _adoption = _greening(world, i)
    return {
        "url": reverse("greening:inspect", args=["HD", p.pk]),
        "data": {"done_on": timezone.localdate().isoformat(), "text": "长势良好", "result": "good"},
    }


def ctx_association(world, i=0):
    from .assoc_rows import association

    item = association(world.hd, name=f"书法协会{i}")
    return {"url": reverse("associations:add_photo", args=[item.pk]), "data": {"caption": ""}}


# unlike one another, so that no suggestion is held back as "similar" to an earlier one
TITLES = [
    "门口增设休息座椅",
    "3栋路灯坏了",
    "垃圾分类亭漏雨",
    "电梯按钮失灵",
    "楼道堆放杂物",
    "健身器材生锈",
    "停车位划线模糊",
    "绿化带缺水",
]
TEXTS = [
    "老人走累了没地方坐",
    "晚上很黑",
    "下雨天漏水",
    "按了没反应",
    "影响通行",
    "扶手掉漆",
    "看不清车位",
    "草都黄了",
]


def ctx_suggestion(world, i=0):
    return {
        "url": reverse("proposals:new", args=["HD"]),
        "data": {"title": TITLES[i], "text": TEXTS[i], "category": "care"},
    }


def ctx_staff_suggestion(world, i=0):
    return {
        "url": reverse("proposals:staff_new", args=["HD"]),
        "data": {
            "title": TITLES[i],
            "text": TEXTS[i],
            "category": "care",
            "who": world.resident_a.resident.phone,
            "channel": "phone",
        },
    }


def _notice(world, i, publish=False):
    from zizhi.notices import actions as n

    notice = n.do_create_notice(
        world.hd, category="finance", title=f"公示{i}", body="正文", actor=world.worker_a
    )
    if publish:
        n.do_publish_notice(notice, actor=world.worker_a)
    return notice


def ctx_attachment(world, i=0):
    notice = _notice(world, i)
    return {"url": reverse("notices:add_attachment", args=["HD", notice.pk]), "data": {"name": ""}}


def ctx_posting(world, i=0):
    notice = _notice(world, i, publish=True)
    return {
        "url": reverse("notices:record_posting", args=["HD", notice.pk]),
        "data": {
            "posted_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "place": "3栋公告栏",
        },
    }


def ctx_fulfilment(world, i=0):
    from zizhi.wishes.models import WishStatus

    from .wishes_rows import beneficiary, live_claim, volunteer_user, wish

    helper = volunteer_user(world.hd, name=f"志愿者{i}")
    granny = beneficiary(world.hd, name=f"王奶奶{i}").resident
    w = wish(world.worker_a, granny, WishStatus.CONTACTED, helper)
    return {
        "url": reverse("wishes:record_fulfilment", args=[live_claim(w).pk]),
        "data": {"proof_text": "", "hours": "1"},
        "user": helper,
    }


ENDPOINTS = {
    e.name: e
    for e in (
        Endpoint("registry:import", "worker_a", "file", "roster", ctx_roster, stores_file=False),
        Endpoint(
            "finance:import",
            "worker_a",
            "file",
            "spreadsheet",
            ctx_finance_import,
            stores_file=False,
        ),
        Endpoint("finance:add_receipt", "worker_a", "file", "receipt", ctx_receipt, True),
        Endpoint("governance:report_act", "worker_a", "file", "attachment", ctx_report, True),
        Endpoint("greening:my_adoption", "resident_a", "photo", "greening", ctx_my_adoption),
        Endpoint("greening:plot_photo_add", "worker_a", "photo", "greening", ctx_plot_photo),
        Endpoint("greening:inspect", "worker_a", "photo", "greening", ctx_inspect),
        Endpoint("associations:add_photo", "worker_a", "photo", "photo", ctx_association, True),
        Endpoint("proposals:new", "resident_a", "photos", "photo", ctx_suggestion),
        Endpoint("proposals:staff_new", "worker_a", "photos", "photo", ctx_staff_suggestion),
        Endpoint("notices:add_attachment", "worker_a", "file", "attachment", ctx_attachment),
        Endpoint("notices:record_posting", "worker_a", "photo", "photo", ctx_posting),
        Endpoint("wishes:record_fulfilment", "helper", "photo", "photo", ctx_fulfilment, True),
    )
}

# What each kind of endpoint takes (a good file) and calls a file of the wrong type.
GOOD = {
    "photo": ("photo.jpg", REAL_JPEG),
    "greening": ("photo.png", REAL_PNG),
    "receipt": ("receipt.png", REAL_PNG),
    "attachment": ("scan.png", REAL_PNG),
    "spreadsheet": ("三月.xlsx", None),  # built from the finance import's columns
    "roster": ("花名册.xlsx", None),
}
WRONG_TYPE = {
    "photo": "格式不对",
    "receipt": "格式不对",
    "attachment": "格式不对",
    "greening": "不是照片",
    "spreadsheet": "无法读取",
    "roster": "无法读取",
}
TOO_BIG = {"spreadsheet": "太大", "roster": "太大"}
BOMB = {"spreadsheet": "文件内容过大", "roster": "文件内容过大", "attachment": "解压后过大"}


def good_file(accepts: str) -> tuple[str, bytes]:
    name, data = GOOD[accepts]
    if accepts == "roster":
        from .rosterfiles import good_rows, xlsx

        data = xlsx(good_rows())
    elif accepts == "spreadsheet":
        from .test_finance_import import GOOD as rows
        from .test_finance_import import xlsx

        data = xlsx(rows)
    return name, data


def bad_files(accepts: str) -> list[tuple[str, str, bytes, str]]:
    """(case, file name, content, a part of the expected message) for one kind of endpoint."""
    office = accepts in ("spreadsheet", "roster")
    wrong = WRONG_TYPE[accepts]
    sheet = "data.xlsx"
    cases = [
        ("exe renamed", sheet if office else "photo.jpg", EXE, wrong),
        ("php as png", sheet if office else "shell.png", PHP, wrong),
        ("html as pdf", sheet if office else "report.pdf", HTML, wrong),
        ("png with a php payload", sheet if office else "shell.png", PNG_POLYGLOT, ""),
        (
            "huge",
            sheet if office else "big.png",
            huge(b"PK\x03\x04" if office else b"\x89PNG\r\n\x1a\n", 10 * MB),
            TOO_BIG.get(accepts, "太大，不能超过 10 MB"),
        ),
        ("zip bomb", "bomb.xlsx", zip_bomb(), BOMB.get(accepts, wrong)),
    ]
    if not office:
        cases.append(
            ("pixel bomb", "bomb.png", png_claiming(100_000, 100_000), "尺寸太大"),
        )
    if accepts == "greening":  # the name means nothing there: the content decides
        cases = [(c, n, d, m if c != "zip bomb" else wrong) for c, n, d, m in cases]
    polyglot = {
        "greening": "已损坏",
        "photo": "已损坏",
        "receipt": "已损坏",
        "attachment": "已损坏",
    }
    return [(c, n, d, m or polyglot.get(accepts, WRONG_TYPE[accepts])) for c, n, d, m in cases]


# --- sending --------------------------------------------------------------------------------
BOUNDARY = "zizhi-upload-test-boundary"


def multipart(fields: dict, field: str, filename: str, content: bytes) -> bytes:
    """A multipart body with the file name exactly as given (paths, NUL and all)."""
    parts = []
    for key, value in fields.items():
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        )
    quoted = filename.replace("\\", "\\\\").replace('"', '\\"')
    parts.append(
        f"--{BOUNDARY}\r\nContent-Disposition: form-data; "
        f'name="{field}"; filename="{quoted}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{BOUNDARY}--\r\n".encode())
    return b"".join(parts)


def post(client, ctx, endpoint, filename, content):
    return client.post(
        ctx["url"],
        data=multipart(ctx["data"], endpoint.field, filename, content),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )


def rows() -> dict[str, int]:
    """The row count of every table (sessions aside: logging in writes one)."""
    return {
        m._meta.label: m._base_manager.count()
        for m in apps.get_models()
        if m._meta.label != "sessions.Session" and not m._meta.proxy
    }


def files_in(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def shown(response, client) -> str:
    """The page the person sees: the response itself, or where its redirect leads."""
    if response.status_code == 302:
        return client.get(response["Location"]).content.decode()
    return response.content.decode()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ZIZHI_BACKGROUND_JOBS = False
    # the roster's own limit (ROSTER_MAX_BYTES, 50 MB by default) brought down to the others'
    # so that the huge file stays 10 MB in memory
    settings.ROSTER_MAX_BYTES = 10 * MB
    return settings.MEDIA_ROOT


@pytest.mark.parametrize("name", sorted(ENDPOINTS))
def test_bad_files_are_refused_and_change_nothing(world, media, name):
    endpoint = ENDPOINTS[name]
    ctx = endpoint.setup(world)
    client = Client()
    client.force_login(ctx.get("user") or getattr(world, endpoint.user))
    problems = []
    for case, filename, content, message in bad_files(endpoint.accepts):
        before_rows, before_files = rows(), files_in(media)
        response = post(client, ctx, endpoint, filename, content)
        expected = 302 if endpoint.redirects else 200
        page = shown(response, client)
        after_rows = rows()
        changed = {k: (v, after_rows[k]) for k, v in before_rows.items() if after_rows[k] != v}
        if response.status_code != expected:
            problems.append(f"{case}: status {response.status_code}, expected {expected}")
        if message not in page:
            problems.append(f"{case}: the page does not say “{message}”")
        if changed:
            problems.append(f"{case}: rows changed {changed}")
        if files_in(media) != before_files:
            problems.append(f"{case}: files written {files_in(media) - before_files}")
    assert not problems, f"{name}:\n" + "\n".join(problems)


TRICK_NAMES = (
    "../../etc/passwd{suffix}",
    "C:\\x\\..\\a{suffix}",
    "/var/www/html/index{suffix}",
    "a\x00.php{suffix}",
    "..{suffix}",
    "CON{suffix}",
    "长" * 300 + "{suffix}",
)


@pytest.mark.parametrize("name", sorted(ENDPOINTS))
def test_path_tricks_in_names_are_stored_under_generated_names(world, media, name):
    """A good file under a tricky name is taken, but its name never reaches the disk: the
    stored file is inside MEDIA_ROOT under a generated name, and the name shown is a plain
    base name. (Refusing it would refuse photos from old browsers that send full paths.)"""
    endpoint = ENDPOINTS[name]
    good_name, content = good_file(endpoint.accepts)
    suffix = Path(good_name).suffix
    stored = 0
    for i, trick in enumerate(TRICK_NAMES):
        if endpoint.accepts == "spreadsheet":
            # the import is idempotent: each round a new row, so that each one is stored
            from .test_finance_import import GOOD as good_rows
            from .test_finance_import import xlsx

            content = xlsx([[*good_rows[0][:5], f"第{i}次", f"T{i}"]])
        ctx = endpoint.setup(world, i)
        client = Client()
        client.force_login(ctx.get("user") or getattr(world, endpoint.user))
        before = files_in(media)
        response = post(client, ctx, endpoint, trick.format(suffix=suffix), content)
        assert response.status_code in (200, 302), (trick, response.status_code)
        page = shown(response, client)
        new = files_in(media) - before
        for path in new:
            assert path.resolve().is_relative_to(media.resolve())
            assert re.fullmatch(r"[0-9a-f]{32}\.(png|jpg|xlsx)", path.name), path
        stored += len(new)
        assert "/etc/passwd" not in page and "C:\\x" not in page and "\x00" not in page
    if endpoint.stores_file:
        assert stored == len(TRICK_NAMES), f"{name}: {stored} files stored"
    for text in shown_names():
        assert "/" not in text and "\\" not in text and "\x00" not in text, text
        assert len(text) <= 200


def shown_names() -> list[str]:
    """Every uploaded file's name as the platform keeps it for display."""
    from zizhi.finance.models import Receipt
    from zizhi.governance.models import DutyReportAttachment
    from zizhi.notices.models import NoticeAttachment
    from zizhi.registry.models import ImportJob

    names = []
    for model, field in (
        (Receipt, "name"),
        (DutyReportAttachment, "name"),
        (NoticeAttachment, "name"),
        (ImportJob, "filename"),
    ):
        names += list(model.objects.values_list(field, flat=True))
    return names


def test_display_names_keep_only_a_plain_base_name():
    assert uploads.display_name("../../etc/passwd.jpg") == "passwd.jpg"
    assert uploads.display_name("C:\\x\\..\\a.png") == "a.png"
    assert uploads.display_name("a\x00b\x1f.pdf") == "ab.pdf"
    assert uploads.display_name("..") == ""
    assert uploads.display_name("..", fallback="附件") == "附件"
    assert uploads.display_name("CON.txt") == "_CON.txt"
    assert uploads.display_name('a<b>:"c"|?*.png') == "a_b___c____.png"
    long = uploads.display_name("长" * 300 + ".png")
    assert len(long) == uploads.MAX_NAME and long.endswith(".png")


def test_a_zip_whose_headers_lie_about_its_size_is_caught_while_inflating():
    data = lying_zip()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert sum(i.file_size for i in z.infolist()) < 1000  # the headers say it is tiny
    with pytest.raises(ValidationError, match="损坏|过大"):
        uploads.check_spreadsheet_bytes(data, what="表格", max_total=10 * MB)


def test_the_zip_limits_count_inflated_bytes_members_and_the_ratio():
    bomb = zip_bomb()
    assert len(bomb) < 2 * MB
    with pytest.raises(uploads.ZipBomb):
        uploads.check_spreadsheet_bytes(bomb, what="表格", max_total=500 * MB)
    many = io.BytesIO()
    with zipfile.ZipFile(many, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        for i in range(uploads.ZIP_MAX_MEMBERS):
            z.writestr(f"xl/x{i}.xml", "")
    with pytest.raises(uploads.ZipBomb):
        uploads.check_spreadsheet_bytes(many.getvalue(), what="表格", max_total=500 * MB)
    # a real spreadsheet passes
    uploads.check_spreadsheet_bytes(good_file("roster")[1], what="表格", max_total=500 * MB)


def test_a_phone_sized_photo_passes_and_a_pixel_bomb_does_not(settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    big = SimpleUploadedFile("p.png", png_claiming(8000, 6000))  # 48 MP, a phone's camera
    assert uploads.check_upload(big, uploads.PHOTO_KINDS, what="照片") is uploads.PNG
    bomb = SimpleUploadedFile("p.png", png_claiming(30_000, 30_000))
    with pytest.raises(ValidationError, match="尺寸太大"):
        uploads.check_upload(bomb, uploads.PHOTO_KINDS, what="照片")
    settings.UPLOAD_MAX_PIXELS = 1000
    with pytest.raises(ValidationError, match="尺寸太大"):
        uploads.check_upload(big, uploads.PHOTO_KINDS, what="照片")


# --- completeness -----------------------------------------------------------------------------
def upload_views(resolver=None, namespace=""):
    """URL names whose view reads request.FILES (by the view's source)."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from upload_views(pattern, inner)
            continue
        view = inspect.unwrap(pattern.callback)
        try:
            source = inspect.getsource(view)
        except (OSError, TypeError):
            continue
        if "request.FILES" in source or "UploadedFile" in source:
            yield f"{namespace}{pattern.name}"


def test_every_upload_view_is_covered():
    found = set(upload_views())
    missing = sorted(found - ENDPOINTS.keys())
    assert not missing, f"upload views not in tests/test_uploads.py ENDPOINTS: {missing}"
    stale = sorted(ENDPOINTS.keys() - found)
    assert not stale, f"ENDPOINTS names views that take no upload: {stale}"


def test_the_api_takes_no_file_uploads():
    """Uploads go through the pages only; a file parameter in the API would need an entry."""
    import json

    schema = json.loads(Client().get("/api/v1/openapi.json").content)
    text = json.dumps(schema)
    assert "multipart/form-data" not in text and '"format": "binary"' not in text


# --- exports ----------------------------------------------------------------------------------
EVIL = ["=cmd|' /C calc'!A0", "+1", "-1", "@SUM(1)", "＝1+1", "\t=1", "\r=1"]


def cells(data: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(data))
    return [
        c.value
        for s in book.worksheets
        for row in s.iter_rows()
        for c in row
        if c.value is not None
    ]


def assert_neutral(data: bytes, where: str):
    values = [v for v in cells(data) if isinstance(v, str)]
    live = [v for v in values if v.startswith(("=", "+", "-", "@", "\t", "\r", "\n", "＝"))]
    assert not live, f"{where}: cells a spreadsheet would run: {live}"
    for evil in EVIL[:4]:  # stored as typed, so exported with the quote in front
        assert "'" + evil in values, f"{where}: {evil!r} not found neutralised"
    book = load_workbook(io.BytesIO(data))
    formulas = [
        c.coordinate
        for s in book.worksheets
        for row in s.iter_rows()
        for c in row
        if c.data_type == "f"
    ]
    assert not formulas, f"{where}: formula cells {formulas}"


def test_every_export_neutralises_formulas(world, media):
    from zizhi.finance import actions as fin
    from zizhi.finance import importing
    from zizhi.finance.models import Category, Entry
    from zizhi.proposals import actions as sg
    from zizhi.proposals.export import suggestions_xlsx
    from zizhi.registry import actions as reg

    # the roster: names and door numbers as the registry holds them
    for i, evil in enumerate(EVIL):
        f.resident(world.hd, name=evil, hh=f.household(world.hd, evil, str(i)))
    assert_neutral(reg.do_export_roster(world.hd, actor=world.worker_a), "roster export")

    # a month's books: counterparty and description; the template lists category names
    period = fin.do_open_period(world.hd, year=2026, month=3, actor=world.worker_a)
    office = Category.objects.filter(community=world.hd, direction="expense").first()
    for evil in EVIL:
        Entry.objects.create(
            period=period,
            date=datetime.date(2026, 3, 2),
            direction="expense",
            category=office,
            amount_fen=100,
            counterparty=evil,
            description=evil,
            created_by=world.worker_a,
        )
    assert_neutral(importing.export_xlsx(period, period.entries.all()), "finance export")
    for evil in EVIL:
        Category.objects.create(community=world.hd, direction="income", name=evil[:30])
    template = cells(importing.template_xlsx(world.hd))
    assert not [v for v in template if str(v).startswith(("=", "+", "-", "@", "＝"))], template

    # suggestions: titles and texts of residents
    for evil in EVIL:
        sg.do_file_suggestion(
            world.hd, title=f"{evil}", text=evil, category="other", actor=world.resident_a
        )
    today = timezone.localdate()
    data = suggestions_xlsx(world.hd, today, today, actor=world.worker_a)
    assert_neutral(data, "suggestions export")


def test_the_monthly_report_workbook_neutralises_text():
    from zizhi.stats.report_xlsx import _cell_value

    for evil in EVIL:
        assert _cell_value(evil) == "'" + evil
    assert _cell_value(3) == 3
