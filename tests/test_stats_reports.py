"""Monthly reports: the .xlsx (a summary with the communities side by side, a sheet per
community) and the PDF of HD and of dh carry compute()'s figures; progress, failure, the
month's limits, the audit event, versions, formula-safe names, pages, API, the thread."""

import base64
import datetime
import io
import logging
import re
import zlib

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zizhi.audit.models import Event
from zizhi.proposals import actions as sg
from zizhi.registry.models import Resident
from zizhi.stats import actions, definitions, report_jobs
from zizhi.stats.dashboard import compute
from zizhi.stats.models import MonthlyReport, ReportStatus
from zizhi.stats.period import Period
from zizhi.stats.scope import get_scope

from . import factories as f
from .test_meeting_pages import pdf_text

LAST = actions.last_month()


@pytest.fixture(autouse=True)
def inline_reports(settings, tmp_path):
    settings.ZIZHI_BACKGROUND_JOBS = False
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def month_data(world):
    """Residents of HD and XH registered last month (with resident_a and resident_b), and
    a suggestion of HD filed then."""
    during = timezone.make_aware(
        datetime.datetime.combine(LAST + datetime.timedelta(days=9), datetime.time(10))
    )
    for community, n in ((world.hd, 3), (world.xh, 2)):
        for i in range(n):
            f.resident(community, name=f"居民{i}", hh=f.household(community, "9栋", f"{i}01"))
    Resident.objects.update(created_at=during)
    found = sg.do_file_suggestion(
        world.hd, title="路灯", text="不亮", category="other", actor=world.resident_a
    )
    type(found).objects.filter(pk=found.pk).update(created_at=during)
    return world


def request(user, kind, code, month=LAST):
    report = actions.do_request_report(user, kind, code, month, actor=user)
    report_jobs.start(report)
    report.refresh_from_db()
    return report


def all_pdf_text(raw: bytes) -> str:
    """The text of a reportlab PDF whose page streams are compressed (ASCII85, then Flate)."""
    shown = [pdf_text(raw)]
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", raw, re.S):
        try:
            data = base64.a85decode(stream.strip().removesuffix(b"~>"))
            shown.append(pdf_text(zlib.decompress(data)))
        except (ValueError, zlib.error):
            continue
    return "\n".join(shown)


def summary_rows(sheet) -> dict:
    """{figure label: [values of the community columns...]} from the summary sheet."""
    out = {}
    for row in sheet.iter_rows(min_row=5, values_only=True):
        out[row[1]] = list(row[3:])
    return out


def test_subdistrict_report_has_a_summary_and_a_sheet_per_community(month_data):
    world = month_data
    report = request(world.subadmin, "subdistrict", "dh")
    assert report.status == ReportStatus.DONE and report.progress == 100
    assert report.finished_at is not None and report.message == ""

    board = compute(get_scope(world.subadmin, "subdistrict", "dh"), Period.month(LAST))
    book = openpyxl.load_workbook(io.BytesIO(report.xlsx.read()))
    assert book.sheetnames == ["汇总", "湖东社区", "西湖社区"]
    summary = book["汇总"]
    assert summary["A1"].value == f"东湖街道 {LAST.year}年{LAST.month}月 月度报表"
    assert [c.value for c in summary[4]][3:] == ["湖东社区", "西湖社区", "合计"]
    rows = summary_rows(summary)
    for figure in definitions.FIGURES:
        expected = [row.values[figure.key] for row in board.rows] + [board.total.values[figure.key]]
        assert rows[str(figure.label)] == expected, figure.key
    assert rows["居民"] == [3 + 1, 2 + 1, 7]  # with resident_a and resident_b
    assert rows["收到的建议"] == [1, 0, 1]

    for row in board.rows:
        sheet = book[row.unit.name]
        shown = {
            r[1]: r[2]
            for r in sheet.iter_rows(
                min_row=4, max_row=3 + len(definitions.FIGURES), values_only=True
            )
        }
        assert shown == {str(f.label): row.values[f.key] for f in definitions.FIGURES}
        # the community's own months: last month's suggestions are HD's one, none in XH
        last = next(r for r in sheet.iter_rows(values_only=True) if r[0] == f"{LAST:%Y-%m}")
        assert last[4] == (1 if row.unit.code == "HD" else 0)

    pdf = report.pdf.read()
    assert pdf.startswith(b"%PDF")
    text = all_pdf_text(pdf)
    assert "东湖街道" in text and "月度报表" in text
    assert "各社区比较" in text and "志愿者年龄结构" in text and "湖东社区" in text


def test_community_report_has_the_summary_and_its_sheet(month_data):
    world = month_data
    report = request(world.worker_a, "community", "HD")
    assert report.status == ReportStatus.DONE and report.progress == 100
    board = compute(get_scope(world.worker_a, "community", "HD"), Period.month(LAST))
    book = openpyxl.load_workbook(io.BytesIO(report.xlsx.read()))
    assert book.sheetnames == ["汇总", "湖东社区"]
    rows = summary_rows(book["汇总"])
    assert [c.value for c in book["汇总"][4]][3:] == ["湖东社区"]  # no total for one
    for figure in definitions.FIGURES:
        assert rows[str(figure.label)] == [board.total.values[figure.key]], figure.key
    assert rows["收到的建议"] == [1]
    months = [
        r[0]
        for r in book["湖东社区"].iter_rows(values_only=True)
        if r[0] and re.fullmatch(r"\d{4}-\d\d", str(r[0]))
    ]
    assert months[-1] == LAST.strftime("%Y-%m") and len(months) == 12
    text = all_pdf_text(report.pdf.read())
    assert f"湖东社区 {LAST.year}年{LAST.month}月 月度报表" in text
    assert "各社区比较" not in text


def test_progress_goes_through_a_step_per_community(world, monkeypatch):
    seen = []
    real = MonthlyReport.show_step

    def spy(self, progress, step):
        seen.append((progress, step))
        return real(self, progress, step)

    monkeypatch.setattr(MonthlyReport, "show_step", spy)
    request(world.subadmin, "subdistrict", "dh")
    steps = [s for _p, s in seen]
    assert any("湖东社区" in s for s in steps) and any("西湖社区" in s for s in steps)
    assert "生成 PDF" in steps
    progress = [p for p, _s in seen]
    assert progress == sorted(progress) and progress[-1] < 100


def test_a_failure_ends_failed_with_a_message(world, monkeypatch, caplog):
    def broken(scope, period):
        raise RuntimeError("database gone")

    monkeypatch.setattr(actions, "compute", broken)
    with caplog.at_level(logging.ERROR, logger="zizhi.stats.actions"):
        report = request(world.worker_a, "community", "HD")
    assert report.status == ReportStatus.FAILED
    assert "请重新生成" in report.message
    assert not report.xlsx and not report.pdf
    assert "database gone" in caplog.text
    client = Client()
    client.force_login(world.worker_a)
    page = client.get(reverse("stats:report", args=[report.pk])).content.decode()
    assert "请重新生成" in page and "hx-trigger" not in page
    assert client.get(reverse("stats:report_xlsx", args=[report.pk])).status_code == 404


def test_a_stalled_report_is_failed_when_seen(world):
    report = actions.do_request_report(
        world.worker_a, "community", "HD", LAST, actor=world.worker_a
    )
    MonthlyReport.objects.filter(pk=report.pk).update(
        updated_at=timezone.now() - datetime.timedelta(minutes=11)
    )
    client = Client()
    client.force_login(world.worker_a)
    page = client.get(reverse("stats:report", args=[report.pk])).content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED and "中断" in page
    actions.run_report(report.pk)  # a late thread does nothing
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED


@pytest.mark.parametrize(
    ("month", "message"),
    [
        (datetime.date(1999, 12, 1), "2000年1月以后"),
        ("next", "还没到"),
    ],
)
def test_the_month_must_be_from_2000_to_now(world, month, message):
    if month == "next":
        month = (timezone.localdate().replace(day=28) + datetime.timedelta(days=5)).replace(day=1)
    with pytest.raises(ValidationError) as caught:
        actions.do_request_report(world.worker_a, "community", "HD", month, actor=world.worker_a)
    assert message in " ".join(caught.value.messages)
    assert (
        not MonthlyReport.objects.exists()
        and not Event.objects.filter(verb="stats.request_report").exists()
    )


def test_this_month_and_the_month_text(world):
    this = timezone.localdate().replace(day=1)
    assert actions.check_month(this) == this
    assert actions.parse_month("2026-03") == datetime.date(2026, 3, 1)
    assert actions.parse_month("2026-03-17") == datetime.date(2026, 3, 1)
    with pytest.raises(ValidationError, match="年-月"):
        actions.parse_month("三月")


def test_request_is_audited_and_makes_a_new_version(world):
    first = actions.do_request_report(
        world.subadmin, "subdistrict", "dh", LAST, actor=world.subadmin
    )
    second = actions.do_request_report(
        world.subadmin, "subdistrict", "dh", LAST, actor=world.subadmin
    )
    other = actions.do_request_report(world.worker_a, "community", "HD", LAST, actor=world.worker_a)
    assert (first.version, second.version, other.version) == (1, 2, 1)
    events = Event.objects.filter(verb="stats.request_report").order_by("pk")
    assert [e.object_id for e in events] == [str(first.pk), str(second.pk), str(other.pk)]
    assert events[0].actor_id == world.subadmin.pk and events[0].subdistrict_id == world.dh.pk
    assert events[0].community_id is None and events[0].summary["after"]["version"] == 1
    assert events[2].community_id == world.hd.pk


@pytest.mark.parametrize(
    ("role", "kind", "code"),
    [
        ("worker_a", "subdistrict", "dh"),
        ("worker_b", "community", "HD"),
        ("subadmin_other", "community", "HD"),
        ("resident_a", "community", "HD"),
        ("subadmin", "city", "hz"),
    ],
)
def test_only_who_sees_the_dashboard_may_ask(world, role, kind, code):
    with pytest.raises(Http404):
        actions.do_request_report(getattr(world, role), kind, code, LAST, actor=world.worker_a)
    assert not MonthlyReport.objects.exists()


def test_a_city_admin_asks_for_a_subdistrict(world):
    from zizhi.accounts.models import Role, RoleKind
    from zizhi.registry.models import City

    city = City.objects.create(code="hz", name="杭州市")
    world.dh.city = city
    world.dh.save()
    admin = f.user(name="市管理员")
    Role.objects.create(user=admin, kind=RoleKind.CITY_ADMIN, city=city)
    report = request(admin, "subdistrict", "dh")
    assert report.status == ReportStatus.DONE
    client = Client()
    client.force_login(admin)
    assert client.get(reverse("stats:report_pdf", args=[report.pk])).status_code == 200


def test_formula_like_names_are_written_as_text(world):
    world.xh.name = '=HYPERLINK("http://evil","x")'
    world.xh.save()
    report = request(world.subadmin, "subdistrict", "dh")
    book = openpyxl.load_workbook(io.BytesIO(report.xlsx.read()))
    header = [c.value for c in book["汇总"][4]]
    assert header[4] == '\'=HYPERLINK("http://evil","x")'
    assert not any(
        str(c.value).startswith("=") for s in book for r in s.iter_rows() for c in r if c.value
    )
    assert book.worksheets[2]["A2"].value.startswith("'=")


def test_pages_request_show_progress_and_download(world):
    client = Client()
    client.force_login(world.subadmin)
    listing = reverse("stats:subdistrict_reports", args=["dh"])
    page = client.get(listing).content.decode()
    assert f'value="{LAST:%Y-%m}"' in page and "还没有生成过报表" in page

    response = client.post(listing, {"month": LAST.strftime("%Y-%m")})
    report = MonthlyReport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "stats:report", args=[report.pk]
    )
    detail = client.get(response["Location"]).content.decode()
    assert "报表已生成" in detail and "hx-trigger" not in detail
    assert reverse("stats:report_xlsx", args=[report.pk]) in detail

    xlsx = client.get(reverse("stats:report_xlsx", args=[report.pk]))
    assert xlsx.status_code == 200 and "attachment" in xlsx["Content-Disposition"]
    assert "no-store" in xlsx["Cache-Control"]
    assert (
        openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).sheetnames[0] == "汇总"
    )
    pdf = client.get(reverse("stats:report_pdf", args=[report.pk]))
    assert pdf["Content-Type"] == "application/pdf" and b"".join(pdf.streaming_content).startswith(
        b"%PDF"
    )

    client.post(listing, {"month": LAST.strftime("%Y-%m")})
    page = client.get(listing).content.decode()
    versions = re.findall(r'data-label="版本">(\d+)<', page)
    assert versions == ["2", "1"]  # the latest first, the first kept

    bad = client.post(listing, {"month": "1999-01"})
    assert bad.status_code == 400 and "2000年1月以后" in bad.content.decode()


def test_progress_partial_polls_while_running(world):
    report = actions.do_request_report(
        world.worker_a, "community", "HD", LAST, actor=world.worker_a
    )
    report.move_to(ReportStatus.RUNNING)
    report.show_step(40, "写入湖东社区的工作表")
    client = Client()
    client.force_login(world.worker_a)
    part = client.get(reverse("stats:report", args=[report.pk]), HTTP_HX_REQUEST="true")
    html = part.content.decode()
    assert "<html" not in html and 'hx-trigger="every 1s"' in html
    assert 'value="40"' in html and "写入湖东社区的工作表" in html
    assert client.get(reverse("stats:report_pdf", args=[report.pk])).status_code == 404


def test_api_requests_and_follows_a_report(world):
    client = Client()
    client.force_login(world.subadmin)
    made = client.post(
        reverse("api:stats_request_report"),
        {"kind": "subdistrict", "code": "dh", "month": LAST.strftime("%Y-%m")},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["status"] == "done" and body["progress"] == 100 and body["version"] == 1
    assert body["xlsx_url"] == reverse("stats:report_xlsx", args=[body["id"]])
    seen = client.get(reverse("api:stats_report", args=[body["id"]])).json()
    assert seen["status"] == "done" and seen["month"] == LAST.strftime("%Y-%m")

    future = client.post(
        reverse("api:stats_request_report"),
        {"kind": "subdistrict", "code": "dh", "month": "2999-01"},
        content_type="application/json",
    )
    assert future.status_code == 400 and "还没到" in future.json()["detail"]
    other = Client()
    other.force_login(world.worker_a)
    assert other.get(reverse("api:stats_report", args=[body["id"]])).status_code == 404
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/stats/monthly-reports" in schema["paths"]


@pytest.mark.django_db(transaction=True)
def test_background_report_runs_in_a_thread(world, settings, monkeypatch):
    settings.ZIZHI_BACKGROUND_JOBS = True
    threads = []
    real_start = report_jobs.start
    monkeypatch.setattr(report_jobs, "start", lambda r: threads.append(real_start(r)))
    client = Client()
    client.force_login(world.worker_a)
    response = client.post(
        reverse("stats:community_reports", args=["HD"]), {"month": LAST.strftime("%Y-%m")}
    )
    assert response.status_code == 302 and len(threads) == 1
    threads[0].join(timeout=60)
    report = MonthlyReport.objects.get()
    assert report.status == ReportStatus.DONE and report.xlsx and report.pdf
