"""Activities (活动): organised by an association, a team, a body or the community itself;
sign-up with a waiting list; attendance by QR check-in/out, from the list, or afterwards."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zizhi.registry.models import Community, Resident, Subdistrict


class OrganiserKind(models.TextChoices):
    COMMUNITY = "community", _("社区")
    ASSOCIATION = "association", _("群团组织")
    TEAM = "team", _("志愿服务队")
    BODY = "body", _("组织机构")


class Audience(models.TextChoices):
    PUBLIC = "public", _("所有居民")
    MEMBERS = "members", _("本组织成员")
    VOLUNTEERS = "volunteers", _("注册志愿者")


class ServiceCategory(models.TextChoices):
    ELDERLY = "elderly", _("助老扶弱")
    ENVIRONMENT = "environment", _("环境卫生")
    SAFETY = "safety", _("治安巡逻")
    CULTURE = "culture", _("文体活动")
    EDUCATION = "education", _("教育辅导")
    HEALTH = "health", _("医疗健康")
    LEGAL = "legal", _("法律服务")
    CIVILISATION = "civilisation", _("文明倡导")
    EMERGENCY = "emergency", _("应急救援")
    OTHER = "other", _("其他")


class ActivityStatus(models.TextChoices):
    OPEN = "open", _("报名中")
    CANCELLED = "cancelled", _("已取消")
    # attendance is closed; for volunteer service, the hours await attestation
    ENDED = "ended", _("已结束")
    ATTESTED = "attested", _("时长已认定")


def new_qr_secret() -> str:
    return secrets.token_hex(16)


class Activity(models.Model):
    subdistrict = models.ForeignKey(Subdistrict, on_delete=models.PROTECT, related_name="+")
    # Empty for an activity of a subdistrict-wide association.
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, null=True, blank=True, related_name="activities"
    )
    organiser_kind = models.CharField(_("组织方类型"), max_length=12, choices=OrganiserKind.choices)
    association = models.ForeignKey(
        "associations.Association",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
    )
    team = models.ForeignKey(
        "associations.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
    )
    body = models.ForeignKey(
        "governance.Body", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("活动名称"), max_length=100)
    description = models.TextField(_("活动内容"), blank=True)
    place = models.CharField(_("地点"), max_length=200)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    capacity = models.PositiveIntegerField(_("名额"), null=True, blank=True)  # empty: no limit
    audience = models.CharField(
        _("参加对象"), max_length=12, choices=Audience.choices, default=Audience.PUBLIC
    )
    minors_allowed = models.BooleanField(_("适合未成年人"), default=False)
    category = models.CharField(
        _("服务类别"), max_length=20, choices=ServiceCategory.choices, default=ServiceCategory.OTHER
    )
    is_volunteer_service = models.BooleanField(_("计入志愿服务时长"), default=True)
    signup_deadline = models.DateTimeField(_("报名和取消截止时间"))
    status = models.CharField(
        _("状态"), max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.OPEN
    )
    cancel_reason = models.CharField(_("取消原因"), max_length=500, blank=True)
    # The key of the rotating check-in QR code; never shown, never sent to a browser.
    qr_secret = models.CharField(max_length=32, default=new_qr_secret, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("活动")
        verbose_name_plural = _("活动")
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["community", "starts_at"], name="activity_community_start"),
            models.Index(fields=["association", "starts_at"], name="activity_assoc_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="activity_ends_after_start"
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        organiser_kind="community",
                        association__isnull=True,
                        team__isnull=True,
                        body__isnull=True,
                    )
                    | Q(
                        organiser_kind="association",
                        association__isnull=False,
                        team__isnull=True,
                        body__isnull=True,
                    )
                    | Q(
                        organiser_kind="team",
                        association__isnull=True,
                        team__isnull=False,
                        body__isnull=True,
                    )
                    | Q(
                        organiser_kind="body",
                        association__isnull=True,
                        team__isnull=True,
                        body__isnull=False,
                    )
                ),
                name="activity_one_organiser",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def organiser(self):
        """The association, team or body that organises it, or the community."""
        return self.association or self.team or self.body or self.community


class SignUpStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("已报名")
    WAITING = "waiting", _("候补")
    CANCELLED = "cancelled", _("已取消")


class SignUp(models.Model):
    """A resident's place (or place on the waiting list). The waiting list is served in the
    order of `id`; a cancelled sign-up keeps its row."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="signups")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="signups")
    status = models.CharField(_("状态"), max_length=10, choices=SignUpStatus.choices)
    # an under-14 participant's accompanying adult (a resident)
    accompanied_by = models.ForeignKey(
        Resident, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    by_organiser = models.BooleanField(_("组织者代为报名"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    promoted_at = models.DateTimeField(null=True, blank=True)  # from the waiting list
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["activity_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "resident"],
                condition=~Q(status="cancelled"),
                name="signup_once",
            ),
        ]
        indexes = [models.Index(fields=["activity", "status", "id"], name="signup_queue")]


class AttendanceSource(models.TextChoices):
    QR = "qr", _("扫码签到")
    LIST = "list", _("组织者点名签到")
    AFTERWARDS = "afterwards", _("组织者事后补录")


class Attendance(models.Model):
    """Who came and when. Minutes are computed (check-out minus check-in, within the
    activity's window and under the daily cap) when checked out; a missing check-out is
    flagged for the organiser, never guessed."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendance")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="attendance")
    check_in_at = models.DateTimeField(_("签到时间"))
    check_out_at = models.DateTimeField(_("签退时间"), null=True, blank=True)
    check_in_source = models.CharField(max_length=12, choices=AttendanceSource.choices)
    check_out_source = models.CharField(max_length=12, choices=AttendanceSource.choices, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    minutes = models.PositiveIntegerField(_("服务时长（分钟）"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        ordering = ["activity_id", "check_in_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "resident"], name="activity_attendance_once"
            ),
            models.CheckConstraint(
                condition=Q(check_out_at__isnull=True)
                | Q(check_out_at__gte=models.F("check_in_at")),
                name="activity_attendance_out_after_in",
            ),
        ]
        # the dashboard counts today's check-ins live (zizhi/stats/big.py)
        indexes = [models.Index(fields=["check_in_at"], name="attendance_check_in")]

    @property
    def missing_check_out(self) -> bool:
        return self.check_out_at is None

    @property
    def organiser_entered(self) -> bool:
        return AttendanceSource.AFTERWARDS in (self.check_in_source, self.check_out_source)
