"""Monthly report pages: a scope's kept reports with the form to ask for a month, a report's
progress (polled by htmx while it is generated), and its two files. Who: as the dashboard
(scope.get_scope); everyone else 404."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from . import actions, report_jobs
from .models import ReportStatus
from .report_access import get_report_for, get_report_scope, reports_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHOWN = 100  # the latest reports listed


def _reports(request, kind: str, code: str):
    scope = get_report_scope(request.user, kind, code)
    month_text = actions.last_month().strftime("%Y-%m")
    error = ""
    if request.method == "POST":
        month_text = request.POST.get("month", "")
        try:
            month = actions.parse_month(month_text)
            report = actions.do_request_report(request.user, kind, code, month, actor=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            report_jobs.start(report)
            return redirect("stats:report", report.pk)
    reports = [actions.fail_if_stalled(r) for r in reports_of(kind, code)[:SHOWN]]
    context = {
        "scope": scope,
        "reports": reports,
        "month": month_text,
        "latest": timezone.localdate().strftime("%Y-%m"),
        "error": error,
        "dashboard": f"stats:{kind}",
    }
    return render(request, "stats/reports.html", context, status=400 if error else 200)


@login_required
def community_reports(request, code):
    return _reports(request, "community", code)


@login_required
def subdistrict_reports(request, code):
    return _reports(request, "subdistrict", code)


@login_required
def report_page(request, pk):
    report = actions.fail_if_stalled(get_report_for(request.user, pk))
    template = "stats/_report_progress.html" if request.htmx else "stats/report.html"
    list_name = f"stats:{report.kind}_reports"
    return render(request, template, {"report": report, "list_name": list_name})


def _file(report, field, content_type: str, suffix: str, attachment: bool):
    if report.status != ReportStatus.DONE or not field.name:
        raise Http404
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        content_type=content_type,
        as_attachment=attachment,
        filename=actions.download_name(report, suffix),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def report_xlsx(request, pk):
    report = get_report_for(request.user, pk)
    return _file(report, report.xlsx, XLSX, "xlsx", attachment=True)


@login_required
def report_pdf(request, pk):
    report = get_report_for(request.user, pk)
    return _file(report, report.pdf, "application/pdf", "pdf", attachment=False)
