"""Duty reports API: the schedule and the reports (public once published, with appraisal
results); staff schedule, publish and open the appraisal poll. Ballots go through the polls
API (api_polls.py) with the choices satisfied / basically / dissatisfied."""

from django.http import Http404
from ninja import Router, Status
from ninja.pagination import paginate

from zizhi.accounts.access import get_public_community
from zizhi.accounts.api_auth import PUBLIC
from zizhi.registry.api import Pages

from . import actions
from .access import is_staff_of, require_staff_community
from .actions.reports import CADRE_BODIES
from .api_common import reasons
from .charter_schemas import AppraisalPollIn, DutyReportOut, PublishReportIn, ReportIn
from .models import DutyReport, Meeting, Membership, ReportStatus

router = Router(tags=["duty reports"])


def _out(r: DutyReport) -> dict:
    a = getattr(r, "appraisal", None)
    return {
        "id": r.pk,
        "community": r.community.code,
        "cadre_id": r.cadre_id,
        "cadre_name": r.cadre.name,
        "period": r.period,
        "scheduled_on": r.scheduled_on,
        "meeting_id": r.meeting_id,
        "poll_id": r.poll_id,
        "title": r.title,
        "text": r.text,
        "status": r.status,
        "published_at": r.published_at,
        "notice_url": r.notice_url,
        "appraisal": a,
    }


def _visible(user, community):
    qs = DutyReport.objects.filter(community=community).select_related(
        "community", "cadre", "appraisal"
    )
    if not (user and user.is_authenticated and is_staff_of(user, community.pk)):
        qs = qs.exclude(status=ReportStatus.SCHEDULED)
    return qs


def _report(user, pk) -> DutyReport:
    report = DutyReport.objects.select_related("community").filter(pk=pk).first()
    if report is None:
        raise Http404
    found = _visible(user, report.community).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@router.get(
    "/reports",
    response=list[DutyReportOut],
    auth=PUBLIC,
    url_name="list_reports",
    summary="述职安排和述职报告（未公示的仅工作人员可见）",
)
@paginate(Pages)
def list_reports(request, community: str, cadre_id: int | None = None):
    qs = _visible(request.auth, get_public_community(community))
    if cadre_id:
        qs = qs.filter(cadre_id=cadre_id)
    return [_out(r) for r in qs.order_by("-year", "scheduled_on", "id")]


@router.get(
    "/reports/{int:report_id}",
    response=DutyReportOut,
    auth=PUBLIC,
    url_name="get_report",
    summary="一份述职报告及其评议结果",
)
def get_report(request, report_id: int):
    return _out(_report(request.auth, report_id))


@router.post(
    "/reports",
    response={201: DutyReportOut},
    url_name="schedule_report",
    summary="安排述职（居委会成员、党组织成员）",
)
def schedule_report(request, community: str, payload: ReportIn):
    found = require_staff_community(request.auth, community)
    cadre = (
        Membership.objects.active()
        .filter(pk=payload.cadre_id, body__community=found, body__kind__in=CADRE_BODIES)
        .select_related("body__community")
        .first()
    )
    if cadre is None:
        raise Http404
    meeting = None
    if payload.meeting_id:
        meeting = Meeting.objects.filter(pk=payload.meeting_id, community=found).first()
        if meeting is None:
            raise Http404
    with reasons():
        report = actions.do_schedule_report(
            cadre,
            period=payload.period,
            scheduled_on=payload.scheduled_on,
            meeting=meeting,
            title=payload.title,
            actor=request.auth,
        )
    return Status(201, _out(report))


def _staff_report(user, pk) -> DutyReport:
    report = DutyReport.objects.select_related("community").filter(pk=pk).first()
    if report is None:
        raise Http404
    require_staff_community(user, report.community.code)
    return report


@router.post(
    "/reports/{int:report_id}/publish",
    response=DutyReportOut,
    url_name="publish_report",
    summary="会前公示述职报告（同时发布公告）",
)
def publish_report(request, report_id: int, payload: PublishReportIn):
    report = _staff_report(request.auth, report_id)
    with reasons():
        actions.do_publish_report(report, text=payload.text, actor=request.auth)
    return _out(_report(request.auth, report_id))


@router.post(
    "/reports/{int:report_id}/appraisal",
    response={201: DutyReportOut},
    url_name="create_appraisal_poll",
    summary="在会议上建立述职评议表决（满意、基本满意、不满意；默认无记名）",
)
def create_appraisal_poll(request, report_id: int, payload: AppraisalPollIn):
    report = _staff_report(request.auth, report_id)
    with reasons():
        actions.do_create_appraisal_poll(
            report, mode=payload.mode, secret=payload.secret, actor=request.auth
        )
    return Status(201, _out(_report(request.auth, report_id)))
