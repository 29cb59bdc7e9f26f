"""述职评议 pages: the schedule (staff), one report (public once published), a cadre's page
with their reports and appraisals (public)."""

import datetime

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zizhi.accounts.access import get_public_community

from . import actions
from .access import is_staff_of, require_staff_community
from .actions.reports import CADRE_BODIES
from .models import BodyKind, DutyReport, Meeting, Membership, PollMode, ReportStatus
from .web import attempt, to_int


def _staff(request, community) -> bool:
    return request.user.is_authenticated and is_staff_of(request.user, community.pk)


def _cadres(community):
    return (
        Membership.objects.active()
        .filter(body__community=community, body__kind__in=CADRE_BODIES)
        .select_related("body")
        .order_by("body__kind", "id")
    )


@login_required
def reports(request, code):
    community = require_staff_community(request.user, code)
    year = timezone.localdate().year
    rows = list(
        DutyReport.objects.filter(community=community)
        .select_related("cadre", "meeting", "appraisal")
        .order_by("-year", "scheduled_on", "id")
    )
    cadres = list(_cadres(community))
    this_year = {r.cadre_id for r in rows if r.year == year}
    missing = [
        c for c in cadres if c.body.kind == BodyKind.RESIDENTS_COMMITTEE and c.pk not in this_year
    ]
    meetings = Meeting.objects.filter(
        community=community, body__kind=BodyKind.REPRESENTATIVE_ASSEMBLY
    ).exclude(status="closed")
    return render(
        request,
        "governance/reports.html",
        {
            "community": community,
            "current_community": community,
            "reports": rows,
            "cadres": cadres,
            "missing": missing,
            "year": year,
            "meetings": meetings,
        },
    )


@require_POST
@login_required
def report_new(request, code):
    community = require_staff_community(request.user, code)
    p = request.POST
    cadre = _cadres(community).filter(pk=to_int(p.get("cadre"))).first()
    meeting = (
        Meeting.objects.filter(community=community, pk=to_int(p.get("meeting"))).first()
        if p.get("meeting")
        else None
    )
    try:
        on = datetime.date.fromisoformat(p.get("scheduled_on", ""))
    except ValueError:
        on = None
    if cadre is None:
        from django.contrib import messages

        messages.error(request, _("请选择述职人"))
        return redirect("governance:reports", code)
    attempt(
        request,
        actions.do_schedule_report,
        cadre,
        period=p.get("period", ""),
        scheduled_on=on,
        meeting=meeting,
        title=p.get("title", ""),
        actor=request.user,
    )
    return redirect("governance:reports", code)


def _report(request, community, pk) -> DutyReport:
    report = (
        DutyReport.objects.filter(community=community, pk=pk)
        .select_related("cadre", "cadre__body", "meeting", "poll")
        .first()
    )
    if report is None or (
        report.status == ReportStatus.SCHEDULED and not _staff(request, community)
    ):
        raise Http404
    return report


def duty_report(request, code, pk):
    community = get_public_community(code)
    report = _report(request, community, pk)
    appraisal = getattr(report, "appraisal", None)
    return render(
        request,
        "governance/duty_report.html",
        {
            "community": community,
            "current_community": community if _staff(request, community) else None,
            "report": report,
            "appraisal": appraisal,
            "attachments": report.attachments.all(),
            "is_staff": _staff(request, community),
            "modes": PollMode.choices,
        },
    )


@require_POST
@login_required
def report_act(request, code, pk, verb):
    community = require_staff_community(request.user, code)
    report = DutyReport.objects.filter(community=community, pk=pk).first()
    if report is None:
        raise Http404
    if verb == "publish":
        attempt(
            request,
            actions.do_publish_report,
            report,
            text=request.POST.get("text", ""),
            actor=request.user,
            done=_("述职报告已公示"),
        )
    elif verb == "attach":
        upload = request.FILES.get("file")
        if upload is None:
            from django.contrib import messages

            messages.error(request, _("请选择要上传的文件"))
        else:
            attempt(
                request,
                actions.do_add_report_attachment,
                report,
                upload,
                name=request.POST.get("name", ""),
                actor=request.user,
                done=_("附件已上传"),
            )
    elif verb == "appraise":
        poll = attempt(
            request,
            actions.do_create_appraisal_poll,
            report,
            mode=request.POST.get("mode", PollMode.ONLINE),
            secret=request.POST.get("open_ballot") != "1",
            actor=request.user,
        )
        if poll:
            return redirect("governance:poll", code, poll.pk)
    else:
        raise Http404
    return redirect("governance:duty_report", code, pk)


def cadre(request, code, pk):
    community = get_public_community(code)
    seat = (
        Membership.objects.filter(pk=pk, body__community=community, body__kind__in=CADRE_BODIES)
        .select_related("body")
        .first()
    )
    if seat is None:
        raise Http404
    history = (
        DutyReport.objects.filter(cadre=seat)
        .select_related("appraisal", "meeting")
        .order_by("-year", "-scheduled_on")
    )
    if not _staff(request, community):
        history = history.exclude(status=ReportStatus.SCHEDULED)
    return render(
        request,
        "governance/cadre.html",
        {
            "community": community,
            "current_community": community if _staff(request, community) else None,
            "seat": seat,
            "history": history,
        },
    )


def report_file(request, code, pk, file_id):
    """An attachment of a report: public once the report is; staff see it before."""
    from django.http import FileResponse

    from zizhi.notices.files import INLINE_TYPES

    community = get_public_community(code)
    report = _report(request, community, pk)
    item = report.attachments.filter(pk=file_id).first()
    if item is None:
        raise Http404
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        handle,
        as_attachment=item.content_type not in INLINE_TYPES,
        filename=item.name,
        content_type=item.content_type,
    )
