"""月度报表 API: ask for a community's or a subdistrict's report of a month, then follow its
progress and fetch its files. Who: as the dashboard (scope.get_scope); others 404."""

from typing import Literal

from django.urls import reverse
from ninja import Field, Router, Schema, Status

from . import actions, report_jobs
from .models import MonthlyReport
from .report_access import get_report_for

router = Router(tags=["stats"])


class MonthlyReportIn(Schema):
    kind: Literal["community", "subdistrict"] = Field(description="community 或 subdistrict")
    code: str = Field(description="社区或街道代码，如 HD、dh")
    month: str = Field(description="月份，如 2026-10", examples=["2026-10"])


class ReportOut(Schema):
    id: int
    kind: str
    code: str
    month: str
    version: int
    status: str = Field(description="queued、running、done 或 failed")
    status_label: str
    progress: int = Field(description="0-100")
    step: str
    message: str = Field(description="失败时的说明")
    url: str
    xlsx_url: str | None
    pdf_url: str | None


def report_out(report: MonthlyReport) -> dict:
    done = report.status == "done"
    return {
        "id": report.pk,
        "kind": report.kind,
        "code": report.code,
        "month": report.month.strftime("%Y-%m"),
        "version": report.version,
        "status": report.status,
        "status_label": str(report.get_status_display()),
        "progress": report.progress,
        "step": report.step,
        "message": report.message,
        "url": reverse("stats:report", args=[report.pk]),
        "xlsx_url": reverse("stats:report_xlsx", args=[report.pk]) if done else None,
        "pdf_url": reverse("stats:report_pdf", args=[report.pk]) if done else None,
    }


@router.post(
    "/stats/monthly-reports",
    response={201: ReportOut},
    url_name="stats_request_report",
    summary="生成月度报表（社区或街道；后台生成，新版本不覆盖旧版本）",
)
def request_report(request, payload: MonthlyReportIn):
    month = actions.parse_month(payload.month)
    report = actions.do_request_report(
        request.auth, payload.kind, payload.code, month, actor=request.auth
    )
    report_jobs.start(report)
    report.refresh_from_db()
    return Status(201, report_out(report))


@router.get(
    "/stats/monthly-reports/{int:report_id}",
    response=ReportOut,
    url_name="stats_report",
    summary="月度报表的进度和下载地址",
)
def get_report(request, report_id: int):
    return report_out(actions.fail_if_stalled(get_report_for(request.auth, report_id)))
