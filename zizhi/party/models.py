"""Party members of a community (in-service, retired, mobile), employers' Party
organisations, report-in (双报到), service posts and claims, quarterly reports with the
community's evaluation, and care visits to retired members."""

import datetime
import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zizhi.registry.models import Community, Resident


class MemberStatus(models.TextChoices):
    IN_SERVICE = "in_service", _("在职党员")
    RETIRED = "retired", _("离退休党员")
    MOBILE = "mobile", _("流动党员")


class BranchKind(models.TextChoices):
    """Where the member's Party membership (组织关系) is held."""

    COMMUNITY = "community", _("本社区党支部")
    EMPLOYER = "employer", _("在职单位党组织")


class PartyOrganisation(models.Model):
    """An employer's Party organisation that registered with the community (单位党组织报到)."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("党组织名称"), max_length=100)
    employer = models.CharField(_("所在单位"), max_length=100)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    registered_on = models.DateField(_("报到日期"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("单位党组织")
        verbose_name_plural = _("单位党组织")
        ordering = ["community_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="party_org_unique_name"),
        ]

    def __str__(self):
        return self.name


class PartyMember(models.Model):
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    resident = models.OneToOneField(Resident, on_delete=models.PROTECT, related_name="party_member")
    status = models.CharField(_("类别"), max_length=12, choices=MemberStatus.choices)
    joined_on = models.DateField(_("入党日期"))
    branch = models.CharField(
        _("组织关系所在"), max_length=12, choices=BranchKind.choices, default=BranchKind.COMMUNITY
    )
    employer = models.CharField(_("工作单位"), max_length=100, blank=True)
    organisation = models.ForeignKey(
        PartyOrganisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("单位党组织"),
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("党员")
        verbose_name_plural = _("党员")
        ordering = ["community_id", "resident__name_initials", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="in_service") | Q(organisation__isnull=True),
                name="party_member_org_only_in_service",
            ),
        ]

    def __str__(self):
        return self.resident.name

    @property
    def name(self) -> str:
        return self.resident.name

    def party_years(self, on: datetime.date) -> int:
        j = self.joined_on
        return on.year - j.year - ((on.month, on.day) < (j.month, j.day))


class ReportIn(models.Model):
    """An in-service member's report-in to the community where they live (双报到)."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    member = models.OneToOneField(PartyMember, on_delete=models.PROTECT, related_name="report_in")
    reported_on = models.DateField(_("报到日期"))
    skills = models.CharField(_("特长"), max_length=200, blank=True)
    availability = models.CharField(_("可服务时间"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("报到")
        verbose_name_plural = _("报到")
        ordering = ["community_id", "-reported_on", "id"]


class PostKind(models.TextChoices):
    POST = "post", _("服务岗位")
    NEED = "need", _("社区需求")


class ServicePost(models.Model):
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类型"), max_length=8, choices=PostKind.choices, default="post")
    title = models.CharField(_("岗位名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    places = models.PositiveSmallIntegerField(_("名额"), default=0)  # 0: no limit
    is_open = models.BooleanField(_("开放认领"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("服务岗位")
        verbose_name_plural = _("服务岗位")
        ordering = ["community_id", "-is_open", "id"]

    def __str__(self):
        return self.title


class PostClaim(models.Model):
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    post = models.ForeignKey(ServicePost, on_delete=models.PROTECT, related_name="claims")
    member = models.ForeignKey(PartyMember, on_delete=models.PROTECT, related_name="claims")
    claimed_on = models.DateField(_("认领日期"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("岗位认领")
        verbose_name_plural = _("岗位认领")
        ordering = ["community_id", "-claimed_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["post", "member"], name="party_claim_once"),
        ]


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    QUALIFIED = "qualified", _("合格")
    BASIC = "basic", _("基本合格")
    UNQUALIFIED = "unqualified", _("不合格")


QUARTER_RE = re.compile(r"^(20\d\d)Q([1-4])$")


def quarter_bounds(quarter: str) -> tuple[datetime.date, datetime.date]:
    """First and last day of a quarter written 2026Q4; ValueError if malformed."""
    m = QUARTER_RE.match(quarter or "")
    if not m:
        raise ValueError(quarter)
    year, q = int(m.group(1)), int(m.group(2))
    start = datetime.date(year, 3 * q - 2, 1)
    end_month = 3 * q
    nxt = datetime.date(year + (end_month == 12), end_month % 12 + 1, 1)
    return start, nxt - datetime.timedelta(days=1)


def quarter_of(day: datetime.date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


class QuarterlyReport(models.Model):
    """The community's report on a member for their employer's Party organisation: issued
    when the branch evaluates; the figures are frozen then. The public verification page
    (by `verify_code`) shows number, masked name, quarter, hours and grade and nothing more."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(PartyMember, on_delete=models.PROTECT, related_name="reports")
    quarter = models.CharField(_("季度"), max_length=6)
    number = models.CharField(_("报告编号"), max_length=30, unique=True)
    verify_code = models.CharField(max_length=32, unique=True)
    minutes = models.IntegerField(_("服务时长（分钟）"), default=0)
    posts = models.JSONField(default=list)  # titles of the posts claimed
    activities = models.JSONField(default=list)  # [{"date": "...", "content": "...", "minutes": n}]
    grade = models.CharField(_("社区评价"), max_length=12, choices=Grade.choices)
    comment = models.CharField(_("评语"), max_length=500, blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    evaluated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("季度报告")
        verbose_name_plural = _("季度报告")
        ordering = ["community_id", "-quarter", "id"]
        constraints = [
            models.UniqueConstraint(fields=["member", "quarter"], name="party_report_once"),
        ]


class VisitKind(models.TextChoices):
    VISIT = "visit", _("走访")
    CONDOLENCE = "condolence", _("慰问")
    BIRTHDAY = "birthday", _("政治生日")
    FESTIVAL = "festival", _("节日慰问")


class CareVisit(models.Model):
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(PartyMember, on_delete=models.PROTECT, related_name="visits")
    visited_on = models.DateField(_("走访日期"))
    kind = models.CharField(_("类型"), max_length=12, choices=VisitKind.choices)
    visitor = models.CharField(_("走访人"), max_length=100)
    ill = models.BooleanField(_("患病"), default=False)
    needs = models.CharField(_("发现的需求"), max_length=300, blank=True)
    notes = models.TextField(_("情况记录"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("走访慰问")
        verbose_name_plural = _("走访慰问")
        ordering = ["community_id", "-visited_on", "-id"]
