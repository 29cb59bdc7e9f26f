"""Monthly reports: asked for a community or a subdistrict and a month, generated in the
background (report_jobs.py), kept with their files for download. Every request makes a new
version; earlier versions stay."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zizhi.registry.models import Community, Subdistrict


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("正在生成")
    DONE = "done", _("已完成")
    FAILED = "failed", _("生成失败")


# Allowed moves of MonthlyReport.status. A failed report stays failed: asking again makes a
# new version.
REPORT_TRANSITIONS = {
    ReportStatus.QUEUED: {ReportStatus.RUNNING, ReportStatus.FAILED},
    ReportStatus.RUNNING: {ReportStatus.DONE, ReportStatus.FAILED},
    ReportStatus.DONE: set(),
    ReportStatus.FAILED: set(),
}

# queued or running without a step for this long: the server stopped mid-way
REPORT_STALLED_AFTER = datetime.timedelta(minutes=10)


class InvalidTransition(ValueError):
    pass


def report_file_path(instance, filename):
    """A random name under stats/reports/ (media is never served as is: report_views
    checks the scope before it sends a file)."""
    suffix = filename.rsplit(".", 1)[-1].lower()[:5]
    return f"stats/reports/{uuid.uuid4().hex}.{suffix}"


class MonthlyReport(models.Model):
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    subdistrict = models.ForeignKey(
        Subdistrict, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    month = models.DateField(_("月份"))  # the first day
    version = models.PositiveIntegerField(_("版本"), default=1)
    status = models.CharField(
        _("状态"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)
    step = models.CharField(_("当前步骤"), max_length=200, blank=True)
    xlsx = models.FileField(upload_to=report_file_path, max_length=200, blank=True)
    pdf = models.FileField(upload_to=report_file_path, max_length=200, blank=True)
    message = models.CharField(max_length=500, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("月度报表")
        verbose_name_plural = _("月度报表")
        ordering = ["-month", "-version"]
        constraints = [
            models.CheckConstraint(
                condition=Q(community__isnull=False, subdistrict__isnull=True)
                | Q(community__isnull=True, subdistrict__isnull=False),
                name="stats_report_one_scope",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="stats_report_progress"),
            models.UniqueConstraint(
                fields=["community", "month", "version"],
                condition=Q(community__isnull=False),
                name="stats_report_community_version",
            ),
            models.UniqueConstraint(
                fields=["subdistrict", "month", "version"],
                condition=Q(subdistrict__isnull=False),
                name="stats_report_subdistrict_version",
            ),
        ]

    def __str__(self):
        return f"{self.scope_name} {self.month:%Y-%m} v{self.version}"

    @property
    def kind(self) -> str:
        return "community" if self.community_id else "subdistrict"

    @property
    def place(self):
        return self.community if self.community_id else self.subdistrict

    @property
    def code(self) -> str:
        return self.place.code

    @property
    def scope_name(self) -> str:
        return self.place.name

    @property
    def is_working(self) -> bool:
        return self.status in (ReportStatus.QUEUED, ReportStatus.RUNNING)

    @property
    def is_stalled(self) -> bool:
        """Queued or running, but no step for a while (the server restarted mid-way)."""
        return self.is_working and self.updated_at < timezone.now() - REPORT_STALLED_AFTER

    def move_to(self, status: str, **fields) -> bool:
        """Change status if the table allows it and nobody moved it first (compare-and-set);
        False when another process did. InvalidTransition for a move the table forbids."""
        if status not in REPORT_TRANSITIONS[self.status]:
            raise InvalidTransition(f"{self.status} -> {status}")
        fields["updated_at"] = timezone.now()
        moved = MonthlyReport.objects.filter(pk=self.pk, status=self.status).update(
            status=status, **fields
        )
        if moved:
            self.status = status
            for name, value in fields.items():
                setattr(self, name, value)
        return bool(moved)

    def show_step(self, progress: int, step: str) -> bool:
        """Record the progress of a running report; False if it is not running any more."""
        now = timezone.now()
        moved = MonthlyReport.objects.filter(pk=self.pk, status=ReportStatus.RUNNING).update(
            progress=progress, step=step[:200], updated_at=now
        )
        if moved:
            self.progress, self.step, self.updated_at = progress, step[:200], now
        return bool(moved)
