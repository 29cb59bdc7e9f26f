"""Public notices (公示 / 居务公开): a notice period, objections, attachments, paper postings.

A notice is a draft, then published for its notice period, then expired (derived: published
and past `ends_at`), or withdrawn with a public reason. Notices are never deleted.
"""

import datetime
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zizhi.registry.models import Community, Resident


class Category(models.TextChoices):
    RESOLUTION = "resolution", _("决议公告")
    IMPLEMENTATION = "implementation", _("实施结果")
    MAJOR_MATTER = "major_matter", _("重大事项")
    FINANCE = "finance", _("财务公开")
    RULES = "rules", _("制度规章")
    OTHER = "other", _("其他")


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("公示中")
    WITHDRAWN = "withdrawn", _("已撤回")


# Allowed moves of Notice.status. "Expired" is not a status: a published notice past its
# period is shown as 已到期 and may still be withdrawn.
TRANSITIONS = {
    NoticeStatus.DRAFT: {NoticeStatus.PUBLISHED, NoticeStatus.WITHDRAWN},
    NoticeStatus.PUBLISHED: {NoticeStatus.WITHDRAWN},
    NoticeStatus.WITHDRAWN: set(),
}

DEFAULT_PERIOD_DAYS = 7
MAX_PERIOD_DAYS = 365


def check_move(current: str, new: str) -> None:
    """Raise ValidationError (Chinese) unless the table allows current -> new."""
    if new not in TRANSITIONS[NoticeStatus(current)]:
        raise ValidationError(
            _("公示不能从“%(a)s”变为“%(b)s”")
            % {"a": NoticeStatus(current).label, "b": NoticeStatus(new).label}
        )


def period_end(published_at: datetime.datetime, days: int) -> datetime.datetime:
    """The period runs to the end of the day `days` days after publication (local time):
    published on 28 November for 7 days, it ends at the end of 5 December."""
    first_day = timezone.localtime(published_at).date()
    after_last = first_day + datetime.timedelta(days=days + 1)
    return timezone.make_aware(datetime.datetime.combine(after_last, datetime.time.min))


class Notice(models.Model):
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="notices", verbose_name=_("社区")
    )
    number = models.CharField(_("编号"), max_length=30, blank=True)
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"))
    period_days = models.PositiveSmallIntegerField(_("公示天数"), default=DEFAULT_PERIOD_DAYS)
    status = models.CharField(
        _("状态"), max_length=12, choices=NoticeStatus.choices, default=NoticeStatus.DRAFT
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    ends_at = models.DateTimeField(_("公示期结束"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdraw_reason = models.TextField(_("撤回原因"), blank=True)
    source_label = models.CharField(_("来源"), max_length=200, blank=True)
    source_url = models.CharField(_("来源链接"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        ordering = ["-published_at", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "number"],
                condition=~models.Q(number=""),
                name="notice_unique_number",
            ),
        ]
        indexes = [models.Index(fields=["community", "status", "-published_at"])]

    def __str__(self):
        return f"{self.number} {self.title}" if self.number else self.title

    @property
    def is_draft(self) -> bool:
        return self.status == NoticeStatus.DRAFT

    @property
    def is_withdrawn(self) -> bool:
        return self.status == NoticeStatus.WITHDRAWN

    @property
    def is_expired(self) -> bool:
        return (
            self.status == NoticeStatus.PUBLISHED
            and self.ends_at is not None
            and timezone.now() >= self.ends_at
        )

    @property
    def is_current(self) -> bool:
        """Published and within its notice period: objections may be filed."""
        return self.status == NoticeStatus.PUBLISHED and not self.is_expired

    @property
    def state_label(self) -> str:
        if self.is_expired:
            return _("已到期")
        return NoticeStatus(self.status).label

    @property
    def state(self) -> str:
        """draft, published, expired or withdrawn (the API and the CSS use it)."""
        return "expired" if self.is_expired else self.status

    @property
    def first_day(self) -> datetime.date | None:
        return timezone.localtime(self.published_at).date() if self.published_at else None

    @property
    def last_day(self) -> datetime.date | None:
        if self.ends_at is None:
            return None
        return (timezone.localtime(self.ends_at) - datetime.timedelta(microseconds=1)).date()


def _stored_name(prefix: str, filename: str) -> str:
    """A random file name under notices/: the uploaded name is kept in the row, not on disk."""
    suffix = PurePosixPath(filename).suffix.lower()[:6]
    return f"notices/{prefix}/{uuid.uuid4().hex}{suffix}"


def attachment_path(instance, filename):
    return _stored_name("attachments", filename)


def posting_photo_path(instance, filename):
    return _stored_name("postings", filename)


class NoticeAttachment(models.Model):
    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=200)
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["id"]

    def __str__(self):
        return self.name


class Objection(models.Model):
    """A resident's objection (异议) during the notice period; staff must answer it."""

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="objections")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("异议内容"))
    created_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(_("答复"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        ordering = ["created_at", "id"]

    def __str__(self):
        return _("对“%(title)s”的异议") % {"title": self.notice.title}

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class Posting(models.Model):
    """The paper notice put up on a board: when, where, and a photo as proof."""

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="postings")
    posted_at = models.DateTimeField(_("张贴时间"))
    place = models.CharField(_("张贴地点"), max_length=200)
    photo = models.FileField(_("照片"), upload_to=posting_photo_path, max_length=200)
    photo_type = models.CharField(max_length=20)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("张贴记录")
        verbose_name_plural = _("张贴记录")
        ordering = ["posted_at", "id"]

    def __str__(self):
        return f"{self.place} {self.posted_at:%Y-%m-%d}"


class NoticeCounter(models.Model):
    """The last number given to a notice of a community in a year (locked while numbering)."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["community", "year"], name="notice_counter_unique"),
        ]
