"""Volunteers (志愿者), their community's rules, and teams (志愿服务队)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zizhi.registry.models import Building, Community, FiveOlds, Resident


class VolunteerRules(models.Model):
    """A community's settings for volunteers and activities; defaults from the issue and the
    2021 rules. A community without a row uses the defaults (`VolunteerRules.for_community`)."""

    community = models.OneToOneField(
        Community, on_delete=models.CASCADE, related_name="volunteer_rules"
    )
    guardian_consent_under = models.PositiveSmallIntegerField(
        _("需监护人同意的年龄（未满）"), default=18
    )
    minors_only_under = models.PositiveSmallIntegerField(
        _("只能参加适合未成年人活动的年龄（未满）"), default=14
    )
    daily_cap_minutes = models.PositiveSmallIntegerField(_("每日服务时长上限（分钟）"), default=480)
    four_eyes = models.BooleanField(_("服务时长需第二人审核"), default=False)
    cancel_hours_before = models.PositiveSmallIntegerField(
        _("活动开始前多少小时截止取消报名"), default=2
    )

    class Meta:
        verbose_name = _("志愿服务规则")
        verbose_name_plural = _("志愿服务规则")

    @classmethod
    def for_community(cls, community_id: int | None) -> "VolunteerRules":
        rules = cls.objects.filter(community_id=community_id).first() if community_id else None
        return rules or cls(community_id=community_id)


class VolunteerStatus(models.TextChoices):
    ACTIVE = "active", _("在册")
    LEFT = "left", _("已退出")


class Volunteer(models.Model):
    """A resident registered as a volunteer, by themself or by a worker."""

    resident = models.OneToOneField(Resident, on_delete=models.PROTECT, related_name="volunteer")
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="volunteers")
    number = models.CharField(_("志愿者编号"), max_length=30, unique=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=VolunteerStatus.choices, default=VolunteerStatus.ACTIVE
    )
    skills = models.CharField(_("技能特长"), max_length=200, blank=True)
    availability = models.CharField(_("可服务时间"), max_length=200, blank=True)
    five_olds = models.CharField(
        _("五老"), max_length=20, choices=FiveOlds.choices, default="", blank=True
    )
    emergency_name = models.CharField(_("紧急联系人"), max_length=50, blank=True)
    emergency_phone = models.CharField(_("紧急联系电话"), max_length=20, blank=True)
    # A minor's guardian (a resident of the registry) and when their consent was recorded.
    guardian = models.ForeignKey(
        Resident, on_delete=models.PROTECT, null=True, blank=True, related_name="wards"
    )
    guardian_consent_at = models.DateTimeField(_("监护人同意时间"), null=True, blank=True)
    registered_at = models.DateTimeField(auto_now_add=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    by_worker = models.BooleanField(_("工作人员代为登记"), default=False)

    class Meta:
        verbose_name = _("志愿者")
        verbose_name_plural = _("志愿者")
        ordering = ["community_id", "number"]

    def __str__(self):
        return f"{self.number} {self.resident.name}"


class Team(models.Model):
    """A volunteer team (e.g. a building's), with leaders."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(_("名称"), max_length=100)
    building = models.ForeignKey(
        Building, on_delete=models.PROTECT, null=True, blank=True, related_name="teams"
    )
    description = models.TextField(_("简介"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("志愿服务队")
        verbose_name_plural = _("志愿服务队")
        ordering = ["community_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="team_unique_name"),
        ]

    def __str__(self):
        return self.name


class TeamRole(models.TextChoices):
    LEADER = "leader", _("队长")
    MEMBER = "member", _("队员")


class TeamMember(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="teams")
    role = models.CharField(
        _("职务"), max_length=10, choices=TeamRole.choices, default=TeamRole.MEMBER
    )
    joined_on = models.DateField(_("加入日期"))
    left_on = models.DateField(_("退出日期"), null=True, blank=True)

    class Meta:
        ordering = ["team_id", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "volunteer"],
                condition=Q(left_on__isnull=True),
                name="team_member_once",
            ),
        ]
