"""居民建议: a resident's suggestion, its photos, its timeline of steps, residents' support
(附议), and the community's deadlines and editable holiday table."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zizhi.registry.models import Building, Community, LocalUnit, Resident


class SuggestionCategory(models.TextChoices):
    ENVIRONMENT = "environment", _("环境卫生")
    FACILITIES = "facilities", _("设施维修")
    SAFETY = "safety", _("安全")
    PROPERTY = "property", _("物业管理")
    TRAFFIC = "traffic", _("停车交通")
    CARE = "care", _("养老助残")
    CULTURE = "culture", _("文体活动")
    OTHER = "other", _("其他")


class SuggestionStatus(models.TextChoices):
    REGISTERED = "registered", _("已登记")
    ACCEPTED = "accepted", _("已受理")
    NOT_ACCEPTED = "not_accepted", _("不予受理")
    ASSIGNED = "assigned", _("已交办")
    IN_PROGRESS = "in_progress", _("办理中")
    REPLIED = "replied", _("已答复")
    ESCALATED = "escalated", _("已转街道")
    CLOSED = "closed", _("已办结")


# Waiting for the community to accept it, or for a reply (the deadlines that can run late).
WAITING_ACCEPT = (SuggestionStatus.REGISTERED,)
WAITING_REPLY = (
    SuggestionStatus.ACCEPTED,
    SuggestionStatus.ASSIGNED,
    SuggestionStatus.IN_PROGRESS,
)
OPEN_STATUSES = (
    *WAITING_ACCEPT,
    *WAITING_REPLY,
    SuggestionStatus.REPLIED,
    SuggestionStatus.ESCALATED,
)


class Channel(models.TextChoices):
    ONLINE = "online", _("网上提交")
    OFFICE = "office", _("来访登记")
    PHONE = "phone", _("电话登记")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")


class Suggestion(models.Model):
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="suggestions")
    number = models.CharField(_("建议编号"), max_length=32, unique=True)
    title = models.CharField(_("标题"), max_length=120)
    text = models.TextField(_("内容"))
    category = models.CharField(_("类别"), max_length=12, choices=SuggestionCategory.choices)
    building = models.ForeignKey(
        Building, on_delete=models.SET_NULL, null=True, blank=True, related_name="suggestions"
    )
    plan_x = models.FloatField(null=True, blank=True)
    plan_y = models.FloatField(null=True, blank=True)
    show_name = models.BooleanField(_("公开姓名"), default=False)
    resident = models.ForeignKey(
        Resident, on_delete=models.PROTECT, related_name="suggestions", verbose_name=_("居民")
    )
    channel = models.CharField(
        _("登记方式"), max_length=8, choices=Channel.choices, default=Channel.ONLINE
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("状态"),
        max_length=14,
        choices=SuggestionStatus.choices,
        default=SuggestionStatus.REGISTERED,
    )
    handler_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handled_suggestions",
    )
    handler_body = models.ForeignKey(
        "governance.Body", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    handler_unit = models.ForeignKey(
        LocalUnit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accept_due = models.DateField(_("受理期限"))
    reply_due = models.DateField(_("答复期限"), null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    reply = models.TextField(_("答复"), blank=True)
    decline_reason = models.TextField(_("不予受理的理由"), blank=True)
    rating = models.CharField(_("评价"), max_length=12, choices=Rating.choices, blank=True)
    reopened = models.BooleanField(_("已重新办理"), default=False)
    support_count = models.PositiveIntegerField(_("附议人数"), default=0)
    public = models.BooleanField(_("在公开栏显示"), default=False)
    # set once: the deadline in force was missed (kept for the on-time rate after the fact)
    late = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    # the client's Idempotency-Key (API): a retry of the same filing gets the same suggestion
    idempotency_key = models.CharField(max_length=80, blank=True, default="")

    class Meta:
        verbose_name = _("居民建议")
        verbose_name_plural = _("居民建议")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["community", "status", "-created_at"], name="sugg_comm_status"),
            models.Index(fields=["community", "-created_at"], name="sugg_comm_new"),
            models.Index(
                fields=["community", "public", "-support_count", "-created_at"],
                name="sugg_board",
            ),
            models.Index(fields=["community", "accept_due"], name="sugg_accept_due"),
            models.Index(fields=["community", "reply_due"], name="sugg_reply_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(plan_x__isnull=True) | models.Q(plan_x__gte=0, plan_x__lte=100),
                name="sugg_plan_x_range",
            ),
            models.CheckConstraint(
                condition=models.Q(plan_y__isnull=True) | models.Q(plan_y__gte=0, plan_y__lte=100),
                name="sugg_plan_y_range",
            ),
            models.UniqueConstraint(
                fields=["resident", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="sugg_idempotency_key",
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def overdue_on(self, today) -> bool:
        if self.status in WAITING_ACCEPT:
            return self.accept_due is not None and today > self.accept_due
        if self.status in WAITING_REPLY:
            return self.reply_due is not None and today > self.reply_due
        return False

    @property
    def is_overdue(self) -> bool:
        """Waiting past its deadline: acceptance, or the reply."""
        annotated = self.__dict__.get("overdue")
        if annotated is not None:
            return bool(annotated)
        return self.overdue_on(timezone.localdate())


class PhotoKind(models.TextChoices):
    RESIDENT = "resident", _("居民上传")
    REPLY = "reply", _("办理结果")


def photo_path(instance, filename):
    return f"suggestions/{instance.suggestion.community_id}/{instance.suggestion_id}/{filename}"


class SuggestionPhoto(models.Model):
    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to=photo_path)
    kind = models.CharField(max_length=10, choices=PhotoKind.choices, default=PhotoKind.RESIDENT)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]


class SuggestionStep(models.Model):
    """One step of the handling, timestamped; the visible ones make the resident's timeline."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="steps")
    status = models.CharField(max_length=14, choices=SuggestionStatus.choices)
    at = models.DateTimeField(default=timezone.now)
    actor_label = models.CharField(max_length=100, blank=True)
    note = models.TextField(blank=True)
    visible_to_resident = models.BooleanField(default=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["suggestion", "at"], name="sugg_step_at")]


class Support(models.Model):
    """A resident's support (附议) of a public suggestion."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="supports")
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "resident"], name="support_once")
        ]


class DeadlineSettings(models.Model):
    """The community's deadlines, in working days."""

    community = models.OneToOneField(
        Community, on_delete=models.CASCADE, related_name="suggestion_deadlines"
    )
    accept_days = models.PositiveSmallIntegerField(_("受理期限（工作日）"), default=2)
    reply_days = models.PositiveSmallIntegerField(_("答复期限（工作日）"), default=15)


class CalendarDay(models.Model):
    """An entry of the editable holiday table: a day off or a make-up working day. With no
    community it holds for all; a community's own entry wins over the all-communities one and
    both win over the built-in calendar."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    date = models.DateField(_("日期"))
    is_workday = models.BooleanField(_("上班"))
    note = models.CharField(_("说明"), max_length=50, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["community", "date"], name="calendar_day_once"),
            models.UniqueConstraint(
                fields=["date"],
                condition=models.Q(community__isnull=True),
                name="calendar_day_all_once",
            ),
        ]


class SuggestionCounter(models.Model):
    """The last sequence number given per community and year (locked when a number is taken)."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["community", "year"], name="sugg_counter_once")
        ]
