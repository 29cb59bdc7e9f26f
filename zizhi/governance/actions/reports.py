"""述职评议: schedule a cadre's duty report, publish it before the meeting (a notice), put it
to the assembly as an appraisal poll (secret by default), and keep the counted result."""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zizhi.audit.log import record

from ..models import (
    Appraisal,
    BodyKind,
    DutyReport,
    Meeting,
    MeetingStatus,
    Membership,
    Poll,
    PollKind,
    PollMode,
    ReportStatus,
)
from ..rules import pick_rule
from .common import in_official_language, refuse, require_staff
from .meetings import do_add_agenda_item

CADRE_BODIES = (BodyKind.RESIDENTS_COMMITTEE, BodyKind.PARTY_BRANCH)


def report_url(report: DutyReport) -> str:
    return reverse("governance:duty_report", args=[report.community.code, report.pk])


def do_schedule_report(
    cadre: Membership,
    *,
    period: str,
    scheduled_on: datetime.date,
    meeting: Meeting | None = None,
    title: str = "",
    actor,
) -> DutyReport:
    """Put a cadre (a member of the residents' committee or the Party branch) on the
    schedule: the period (e.g. 2026年度), the date, and the assembly meeting if known."""
    community = cadre.body.community
    if community is None or cadre.body.kind not in CADRE_BODIES:
        refuse(_("只有居委会成员和党组织成员需要述职"))
    require_staff(actor, community.pk)
    if not period.strip() or scheduled_on is None:
        refuse(_("请填写述职年度和日期"))
    if meeting is not None and (
        meeting.community_id != community.pk
        or meeting.body.kind != BodyKind.REPRESENTATIVE_ASSEMBLY
    ):
        refuse(_("述职评议须在本社区居民代表大会上进行"))
    if DutyReport.objects.filter(cadre=cadre, period=period.strip()).exists():
        refuse(_("%(n)s已安排了%(p)s的述职") % {"n": cadre.name, "p": period.strip()})
    with transaction.atomic():
        report = DutyReport.objects.create(
            community=community,
            cadre=cadre,
            period=period.strip(),
            year=scheduled_on.year,
            scheduled_on=scheduled_on,
            meeting=meeting,
            title=title.strip()
            or _("%(n)s %(p)s述职报告") % {"n": cadre.name, "p": period.strip()},
        )
        record(
            actor,
            "report.schedule",
            report,
            community=community,
            after={"cadre": cadre.name, "period": report.period, "on": str(scheduled_on)},
        )
    return report


@in_official_language
def do_publish_report(report: DutyReport, *, text: str, actor) -> DutyReport:
    """Publish the report's text before the meeting, as a notice that links to it."""
    from zizhi.notices.actions import publish_notice

    require_staff(actor, report.community_id)
    if not text.strip():
        refuse(_("请填写述职报告内容"))
    with transaction.atomic():
        report = DutyReport.objects.select_for_update().get(pk=report.pk)
        if report.status != ReportStatus.SCHEDULED:
            refuse(_("述职报告已经公示过"))
        if report.meeting_id and report.meeting.status == MeetingStatus.CLOSED:
            refuse(_("述职报告须在评议会议之前公示"))
        report.text = text.strip()
        notice = publish_notice(
            report.community,
            category="other",
            title=_("述职报告公示：%(t)s") % {"t": report.title},
            body=report.text,
            source_label=report.title,
            source_url=report_url(report),
            actor=actor,
        )
        report.status = ReportStatus.PUBLISHED
        report.published_at = timezone.now()
        report.notice_url = reverse("notices:detail", args=[report.community.code, notice.pk])
        report.save(update_fields=["text", "status", "published_at", "notice_url"])
        record(actor, "report.publish", report, community=report.community)
    return report


def do_create_appraisal_poll(
    report: DutyReport, *, mode: str = PollMode.ONLINE, secret: bool = True, actor
) -> Poll:
    """An agenda item "述职评议" on the report's meeting and its appraisal poll."""
    require_staff(actor, report.community_id)
    if mode not in PollMode.values:
        refuse(_("表决方式不正确"))
    with transaction.atomic():
        report = DutyReport.objects.select_for_update().get(pk=report.pk)
        if report.status != ReportStatus.PUBLISHED:
            refuse(_("述职报告须先公示，再进行评议"))
        if report.meeting_id is None:
            refuse(_("请先为述职评议安排居民代表大会会议"))
        if report.poll_id:
            refuse(_("这份述职报告已有评议表决"))
        meeting = report.meeting
        item = do_add_agenda_item(
            meeting,
            title=_("述职评议：%(n)s") % {"n": report.cadre.name},
            text=report.title,
            actor=actor,
        )
        poll = Poll.objects.create(
            item=item,
            kind=PollKind.APPRAISAL,
            question=_("对%(n)s%(p)s履职情况的评议") % {"n": report.cadre.name, "p": report.period},
            mode=mode,
            secret=secret,
            rule=pick_rule(meeting.body, "", base=meeting.rule.quorum_base),
        )
        report.item, report.poll = item, poll
        report.save(update_fields=["item", "poll"])
        record(
            actor,
            "poll.create",
            poll,
            community=meeting.community,
            after={"kind": "appraisal", "mode": mode, "secret": secret, "report": report.pk},
        )
    return poll


def appraisal_text(satisfied: int, basically: int, dissatisfied: int) -> str:
    total = satisfied + basically + dissatisfied

    def rate(n):
        return f"{n * 100 / total:.1f}%" if total else "—"

    return _("满意 %(s)s 票（%(sr)s），基本满意 %(b)s 票（%(br)s），不满意 %(d)s 票（%(dr)s）") % {
        "s": satisfied,
        "sr": rate(satisfied),
        "b": basically,
        "br": rate(basically),
        "d": dissatisfied,
        "dr": rate(dissatisfied),
    }


@in_official_language
def record_appraisal(poll: Poll, *, actor) -> Appraisal | None:
    """Called inside the close of an appraisal poll: keep the counts on the report and
    publish the results as a notice."""
    from zizhi.notices.actions import publish_notice

    report = DutyReport.objects.select_for_update().filter(poll=poll).first()
    if report is None:
        return None
    appraisal = Appraisal(
        report=report,
        poll=poll,
        satisfied=poll.yes,
        basically=poll.abstain,
        dissatisfied=poll.no,
        result_text=poll.result_text,
        recorded_at=timezone.now(),
    )
    notice = publish_notice(
        report.community,
        category="other",
        title=_("述职评议结果：%(n)s %(p)s") % {"n": report.cadre.name, "p": report.period},
        body=_("%(m)s对%(n)s%(p)s述职进行了评议。应到%(e)s人，实到%(pr)s人。%(r)s")
        % {
            "m": poll.item.meeting.title,
            "n": report.cadre.name,
            "p": report.period,
            "e": poll.expected,
            "pr": poll.present,
            "r": poll.result_text,
        },
        source_label=report.title,
        source_url=report_url(report),
        actor=actor,
    )
    appraisal.notice_url = reverse("notices:detail", args=[report.community.code, notice.pk])
    appraisal.save()
    report.status = ReportStatus.APPRAISED
    report.save(update_fields=["status"])
    record(
        actor,
        "report.appraised",
        report,
        community=report.community,
        after={"result": poll.result_text},
    )
    return appraisal


def do_add_report_attachment(report: DutyReport, upload, *, name: str = "", actor):
    """Attach a file (PDF, JPG, PNG, DOCX, XLSX) to a report not yet published."""
    from zizhi.notices import files

    from ..models import DutyReportAttachment

    require_staff(actor, report.community_id)
    content_type = files.check_upload(upload, files.ATTACHMENT_KINDS, what=_("附件"))
    with transaction.atomic():
        report = DutyReport.objects.select_for_update().get(pk=report.pk)
        if report.status != ReportStatus.SCHEDULED:
            refuse(_("述职报告公示后不能再添加附件"))
        attachment = DutyReportAttachment(
            report=report,
            name=((name or "").strip() or files.display_name(upload.name, fallback=_("附件")))[
                :200
            ],
            content_type=content_type,
            size=upload.size,
        )
        attachment.file.save(upload.name, upload, save=False)
        attachment.save()
        record(
            actor,
            "report.add_attachment",
            report,
            community=report.community,
            extra={"attachment": attachment.pk, "name": attachment.name, "size": upload.size},
        )
    return attachment
