"""Roster import and export pages (upload, preview, confirm, progress)."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zizhi.accounts.access import get_staff_community
from zizhi.web import uploads

from . import actions, import_jobs, roster
from .import_forms import RosterUploadForm
from .models import ImportJob, ImportStatus
from .spreadsheets import SpreadsheetError

logger = logging.getLogger(__name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RECENT_JOBS = 10


def _xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    add_never_cache_headers(response)
    return response


def _get_job(request, code, job_id):
    community = get_staff_community(request.user, code)
    job = get_object_or_404(
        ImportJob.objects.select_related("created_by"), pk=job_id, community=community
    )
    return community, job


@login_required
def upload(request, code):
    community = get_staff_community(request.user, code)
    form = RosterUploadForm()
    if request.method == "POST":
        form = RosterUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                job = actions.do_upload_roster(
                    community,
                    upload.read(),
                    uploads.display_name(upload.name, fallback="roster.xlsx"),
                    actor=request.user,
                )
            except SpreadsheetError as exc:
                form.add_error("file", str(exc))
            else:
                return redirect("registry:import_job", code, job.pk)
    jobs = ImportJob.objects.filter(community=community).select_related("created_by")
    return render(
        request,
        "registry/import_upload.html",
        {
            "current_community": community,
            "form": form,
            "jobs": jobs[:RECENT_JOBS],
            "max_bytes": settings.ROSTER_MAX_BYTES,
        },
    )


@login_required
def template(request, code):
    get_staff_community(request.user, code)
    return _xlsx_response(roster.template_xlsx(), _("居民花名册模板.xlsx"))


@login_required
def job_detail(request, code, job_id):
    community, job = _get_job(request, code, job_id)
    return render(
        request,
        "registry/import_job.html",
        {"current_community": community, "job": job},
    )


@login_required
def job_progress(request, code, job_id):
    community, job = _get_job(request, code, job_id)
    return render(
        request,
        "registry/_import_progress.html",
        {"current_community": community, "job": job},
    )


@login_required
@require_POST
def confirm(request, code, job_id):
    community, job = _get_job(request, code, job_id)
    startable = job.status in (ImportStatus.VALIDATED, ImportStatus.FAILED) or job.is_stalled
    if not startable or not job.move_to(ImportStatus.IMPORTING, message=""):
        messages.info(request, _("这个导入已经开始或已经完成了"))
        return redirect("registry:import_job", code, job.pk)
    if settings.ZIZHI_BACKGROUND_JOBS:
        import_jobs.start(job, request.user)
    else:
        try:
            actions.do_import_residents(job, actor=request.user)
        except Exception:
            # The job is now failed with a message; the page shows it and offers a re-run.
            logger.warning("roster import %s failed", job.pk)
    return redirect("registry:import_job", code, job.pk)


@login_required
def export_roster(request, code):
    community = get_staff_community(request.user, code)
    data = actions.do_export_roster(community, actor=request.user)
    stamp = timezone.localdate().strftime("%Y%m%d")
    return _xlsx_response(data, f"{community.name}{_('花名册')}-{stamp}.xlsx")
