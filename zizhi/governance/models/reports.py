"""述职评议: a cadre's duty report, scheduled (at least yearly), published before the assembly
meeting, appraised there by a poll of kind "appraisal"; the results kept on the report."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from zizhi.registry.models import Community

from .bodies import Membership
from .meetings import AgendaItem, Meeting, Poll


class ReportStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("已排期")
    PUBLISHED = "published", _("已公示")
    APPRAISED = "appraised", _("已评议")


class DutyReport(models.Model):
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="duty_reports")
    cadre = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="duty_reports")
    period = models.CharField(_("述职年度"), max_length=30)
    year = models.PositiveSmallIntegerField(_("年份"))
    scheduled_on = models.DateField(_("述职日期"))
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="duty_reports"
    )
    item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    poll = models.OneToOneField(
        Poll, on_delete=models.PROTECT, null=True, blank=True, related_name="duty_report"
    )
    title = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("述职报告"), blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.SCHEDULED
    )
    published_at = models.DateTimeField(null=True, blank=True)
    notice_url = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("述职报告")
        verbose_name_plural = _("述职报告")
        ordering = ["-year", "scheduled_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cadre", "period"], name="duty_report_once_a_period"),
        ]

    def __str__(self):
        return self.title


class Appraisal(models.Model):
    """The counted appraisal of a report: satisfied / basically satisfied / dissatisfied."""

    report = models.OneToOneField(DutyReport, on_delete=models.PROTECT, related_name="appraisal")
    poll = models.OneToOneField(Poll, on_delete=models.PROTECT, related_name="+")
    satisfied = models.PositiveIntegerField(_("满意"))
    basically = models.PositiveIntegerField(_("基本满意"))
    dissatisfied = models.PositiveIntegerField(_("不满意"))
    result_text = models.CharField(_("评议结果"), max_length=300)
    notice_url = models.CharField(max_length=300, blank=True)
    recorded_at = models.DateTimeField()

    @property
    def total(self) -> int:
        return self.satisfied + self.basically + self.dissatisfied

    def rate(self, n: int) -> str:
        return f"{n * 100 / self.total:.1f}%" if self.total else "—"


def report_file_path(instance, filename):
    import uuid
    from pathlib import PurePosixPath

    suffix = PurePosixPath(filename).suffix.lower()[:6]
    return f"reports/{uuid.uuid4().hex}{suffix}"


class DutyReportAttachment(models.Model):
    """A file of the report (as a notice's attachments): public once the report is."""

    report = models.ForeignKey(DutyReport, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("文件"), upload_to=report_file_path, max_length=200)
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
