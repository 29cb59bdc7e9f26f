"""Monthly reports: asking for one (checked and audited), and generating it (run_report,
in the background through report_jobs.start, or inline)."""

import datetime
import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from zizhi.audit.log import record
from zizhi.registry.models import Community, Subdistrict

from . import report_pdf, report_xlsx
from .dashboard import compute
from .models import MonthlyReport, ReportStatus
from .period import Period
from .scope import Scope, Unit, get_scope

logger = logging.getLogger(__name__)

KINDS = {"community": Community, "subdistrict": Subdistrict}
FIRST_MONTH = datetime.date(2000, 1, 1)


class Abandoned(Exception):
    """The report is no longer running (marked failed as stalled): stop quietly."""


def parse_month(text: str) -> datetime.date:
    """'2026-10' (a month input) or '2026-10-01': the month's first day."""
    raw = (text or "").strip()
    try:
        if len(raw) == 7:
            return datetime.date.fromisoformat(raw + "-01")
        return datetime.date.fromisoformat(raw).replace(day=1)
    except ValueError as exc:
        raise ValidationError(_("月份格式应为 年-月，如 2026-10")) from exc


def check_month(month: datetime.date) -> datetime.date:
    first = month.replace(day=1)
    if first < FIRST_MONTH:
        raise ValidationError(_("只能生成2000年1月以后的月度报表"))
    if first > timezone.localdate().replace(day=1):
        raise ValidationError(_("这个月份还没到，不能生成报表"))
    return first


def last_month(today: datetime.date | None = None) -> datetime.date:
    today = today or timezone.localdate()
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def do_request_report(user, kind: str, code: str, month: datetime.date, *, actor) -> MonthlyReport:
    """A new version of the scope's report for the month, queued. 404 if the user may not
    see the scope's dashboard; ValidationError for a month in the future or before 2000."""
    if kind not in KINDS:
        raise Http404
    get_scope(user, kind, code)
    month = check_month(month)
    with transaction.atomic():
        # the scope's row, locked: two requests at once take versions one after the other
        place = KINDS[kind].objects.select_for_update().get(code=code)
        taken = MonthlyReport.objects.filter(**{kind: place}, month=month).aggregate(
            n=Max("version")
        )["n"]
        report = MonthlyReport.objects.create(
            **{kind: place}, month=month, version=(taken or 0) + 1, requested_by=actor
        )
        record(
            actor,
            "stats.request_report",
            report,
            **{kind: place},
            after={
                "scope": f"{kind}:{code}",
                "month": month.isoformat(),
                "version": report.version,
            },
        )
    return report


def fail_if_stalled(report: MonthlyReport) -> MonthlyReport:
    """A report queued or running with no step for a while (the server stopped) is failed,
    so that nobody waits for it; asking again makes a new version."""
    if report.is_stalled:
        report.move_to(
            ReportStatus.FAILED,
            message=_("生成中断了（服务器可能重启过），请重新生成"),
            finished_at=timezone.now(),
        )
    return report


def report_scope(report: MonthlyReport) -> Scope:
    """The report's communities (the request was checked; generating needs no user)."""
    place = report.place
    if report.community_id:
        communities = [place]
    else:
        communities = list(Community.objects.filter(subdistrict=place))
    units = [Unit("community", c.code, c.name, [c.pk]) for c in communities]
    return Scope(report.kind, place.code, place.name, units)


def report_period(month: datetime.date) -> Period:
    """The calendar month; the current month up to today, as the dashboard counts it."""
    period = Period.month(month)
    today = timezone.localdate()
    return Period(period.start, today) if period.start <= today < period.end else period


def heading(report: MonthlyReport) -> str:
    return _("%(name)s %(year)d年%(month)d月 月度报表") % {
        "name": report.scope_name,
        "year": report.month.year,
        "month": report.month.month,
    }


def download_name(report: MonthlyReport, suffix: str) -> str:
    return f"{report.scope_name}-{report.month:%Y-%m}-{_('月度报表')}-v{report.version}.{suffix}"


def _step(report: MonthlyReport, progress: int, text: str) -> None:
    if not report.show_step(progress, text):
        raise Abandoned


def _alone(unit: Unit) -> Scope:
    return Scope("community", unit.code, unit.name, [unit])


def _generate(report: MonthlyReport) -> tuple[bytes, bytes]:
    period = report_period(report.month)
    _step(report, 2, _("统计全部数字"))
    board = compute(report_scope(report), period)
    title = heading(report)
    note = _("统计期间 %(start)s 至 %(end)s；第 %(version)d 版；生成于 %(at)s") % {
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "version": report.version,
        "at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
    }
    book = report_xlsx.new_book(board, title, note)
    count = len(board.rows)
    for i, row in enumerate(board.rows):
        _step(
            report, 5 + 75 * i // max(count, 1), _("写入%(name)s的工作表") % {"name": row.unit.name}
        )
        # the community's own months and volunteers, counted as the dashboard counts them
        own = board if count == 1 else compute(_alone(row.unit), period)
        report_xlsx.add_unit_sheet(book, row, own.trend, own.pyramid, title)
    xlsx = report_xlsx.to_bytes(book)
    _step(report, 80, _("生成 PDF"))
    pdf = report_pdf.render(board, title, note, report.scope_name)
    _step(report, 95, _("保存文件"))
    return xlsx, pdf


def _drop_files(report: MonthlyReport) -> None:
    """Remove files written by this run, and read the row as the database has it."""
    for field in (report.xlsx, report.pdf):
        if field.name:
            field.storage.delete(field.name)
    report.refresh_from_db()


def run_report(report_id: int) -> MonthlyReport:
    """Generate a queued report: counts, the .xlsx (a step per community), the PDF; done
    with both files, or failed with a message (and the error in the log)."""
    report = MonthlyReport.objects.select_related("community", "subdistrict").get(pk=report_id)
    if report.status != ReportStatus.QUEUED or not report.move_to(
        ReportStatus.RUNNING, progress=0, step=""
    ):
        return report  # already taken, or failed meanwhile
    try:
        xlsx, pdf = _generate(report)
        report.xlsx.save("report.xlsx", ContentFile(xlsx), save=False)
        report.pdf.save("report.pdf", ContentFile(pdf), save=False)
        done = report.move_to(
            ReportStatus.DONE,
            progress=100,
            step="",
            xlsx=report.xlsx.name,
            pdf=report.pdf.name,
            finished_at=timezone.now(),
        )
        if not done:
            raise Abandoned
    except Abandoned:
        logger.warning("monthly report %s stopped: it is no longer running", report_id)
        _drop_files(report)
    except Exception:
        logger.exception("monthly report %s failed", report_id)
        _drop_files(report)
        if report.status == ReportStatus.RUNNING:
            report.move_to(
                ReportStatus.FAILED,
                message=_("生成报表时出错，请重新生成；如果再次出错，请联系系统管理员"),
                finished_at=timezone.now(),
            )
    return report
