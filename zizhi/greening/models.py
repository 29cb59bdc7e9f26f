"""Green-plot adoption (认领绿地): plots on the community's plan, adoptions for a term,
upkeep logs (adopters) and inspections (workers), greening donations and uses of the fund.

A plot is available, adopted, resting (being maintained) or retired; the moves are the one
table PLOT_MOVES. An adoption is pending, then active (approved) or rejected, and an active
one is ended; at most one adoption of a plot is active (a database constraint).
Money is in fen (integers), never mixed with hours.
"""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zizhi.registry.models import Community, Household, LocalUnit, Resident

DEFAULT_CARE_DAYS = 30


class PlotKind(models.TextChoices):
    LAWN = "lawn", _("草坪")
    HEDGE = "hedge", _("绿篱")
    FLOWER_BED = "flower_bed", _("花坛")
    TREES = "trees", _("树木")


class PlotState(models.TextChoices):
    AVAILABLE = "available", _("可认领")
    ADOPTED = "adopted", _("已认领")
    RESTING = "resting", _("养护休整")
    RETIRED = "retired", _("已停用")


# The allowed moves of Plot.state. available -> adopted happens only by approving an
# adoption, adopted -> available only by ending it.
PLOT_MOVES = {
    PlotState.AVAILABLE: {PlotState.ADOPTED, PlotState.RESTING, PlotState.RETIRED},
    PlotState.ADOPTED: {PlotState.AVAILABLE},
    PlotState.RESTING: {PlotState.AVAILABLE, PlotState.RETIRED},
    PlotState.RETIRED: {PlotState.AVAILABLE},
}


def check_plot_move(current: str, new: str) -> None:
    if new not in PLOT_MOVES[PlotState(current)]:
        raise ValidationError(
            _("绿地不能从“%(a)s”变为“%(b)s”")
            % {"a": PlotState(current).label, "b": PlotState(new).label}
        )


class AdopterKind(models.TextChoices):
    RESIDENT = "resident", _("居民")
    HOUSEHOLD = "household", _("家庭")
    PARTY_MEMBER = "party_member", _("党员")
    ASSOCIATION = "association", _("群团组织")
    UNIT = "unit", _("辖区单位")


class AdoptionStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    ACTIVE = "active", _("认领中")
    REJECTED = "rejected", _("未通过")
    ENDED = "ended", _("已结束")


ADOPTION_MOVES = {
    AdoptionStatus.PENDING: {AdoptionStatus.ACTIVE, AdoptionStatus.REJECTED},
    AdoptionStatus.ACTIVE: {AdoptionStatus.ENDED},
    AdoptionStatus.REJECTED: set(),
    AdoptionStatus.ENDED: set(),
}


def check_adoption_move(current: str, new: str) -> None:
    if new not in ADOPTION_MOVES[AdoptionStatus(current)]:
        raise ValidationError(
            _("认领不能从“%(a)s”变为“%(b)s”")
            % {"a": AdoptionStatus(current).label, "b": AdoptionStatus(new).label}
        )


def _stored_name(folder: str, filename: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower()[:6]
    return f"greening/{folder}/{uuid.uuid4().hex}{suffix}"


def plot_photo_path(instance, filename):
    return _stored_name("plots", filename)


def log_photo_path(instance, filename):
    return _stored_name("logs", filename)


class Plot(models.Model):
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="plots")
    name = models.CharField(_("名称"), max_length=100)
    zone = models.CharField(_("片区"), max_length=50, blank=True)
    location = models.CharField(_("位置"), max_length=200)
    area_m2 = models.DecimalField(_("面积（平方米）"), max_digits=9, decimal_places=1)
    kind = models.CharField(_("类型"), max_length=20, choices=PlotKind.choices)
    state = models.CharField(
        _("状态"), max_length=12, choices=PlotState.choices, default=PlotState.AVAILABLE
    )
    description = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("绿地")
        verbose_name_plural = _("绿地")
        ordering = ["community_id", "zone", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="greening_plot_name"),
            models.CheckConstraint(condition=Q(area_m2__gt=0), name="greening_plot_area"),
        ]

    def __str__(self):
        return self.name


class PlotPhoto(models.Model):
    plot = models.ForeignKey(Plot, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("照片"), upload_to=plot_photo_path, max_length=200)
    content_type = models.CharField(max_length=30)
    caption = models.CharField(_("说明"), max_length=100, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]


class Adoption(models.Model):
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    plot = models.ForeignKey(Plot, on_delete=models.PROTECT, related_name="adoptions")
    adopter_kind = models.CharField(_("认领人类型"), max_length=20, choices=AdopterKind.choices)
    resident = models.ForeignKey(
        Resident, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    association = models.ForeignKey(
        "associations.Association",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    unit = models.ForeignKey(
        LocalUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    adopter_name = models.CharField(_("认领人"), max_length=100)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    starts_on = models.DateField(_("认领开始"))
    ends_on = models.DateField(_("认领结束"))
    show_name = models.BooleanField(_("同意公开认领人名称"), default=False)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=AdoptionStatus.choices, default=AdoptionStatus.PENDING
    )
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    applied_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(_("审核意见"), max_length=300, blank=True)
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("认领")
        verbose_name_plural = _("认领")
        ordering = ["-applied_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plot"],
                condition=Q(status="active"),
                name="greening_one_active_adoption",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="greening_adoption_term"
            ),
        ]
        indexes = [models.Index(fields=["community", "status", "ends_on"])]

    def __str__(self):
        return f"{self.plot} · {self.adopter_name}"

    @property
    def public_name(self) -> str:
        return self.adopter_name if self.show_name else str(_("已被认领"))


class LogKind(models.TextChoices):
    UPKEEP = "upkeep", _("养护")
    INSPECTION = "inspection", _("巡查")


class InspectionResult(models.TextChoices):
    GOOD = "good", _("养护良好")
    NEEDS_CARE = "needs_care", _("需要养护")


class UpkeepLog(models.Model):
    """An adopter's upkeep record (kind upkeep) or a worker's inspection (kind inspection)."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    plot = models.ForeignKey(Plot, on_delete=models.PROTECT, related_name="logs")
    adoption = models.ForeignKey(
        Adoption, on_delete=models.PROTECT, null=True, blank=True, related_name="logs"
    )
    kind = models.CharField(_("类型"), max_length=12, choices=LogKind.choices)
    done_on = models.DateField(_("日期"))
    text = models.CharField(_("做了什么"), max_length=300)
    result = models.CharField(
        _("巡查结果"), max_length=12, choices=InspectionResult.choices, blank=True
    )
    photo = models.FileField(_("照片"), upload_to=log_photo_path, max_length=200, blank=True)
    photo_type = models.CharField(max_length=30, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("养护记录")
        verbose_name_plural = _("养护记录")
        ordering = ["-done_on", "-id"]
        indexes = [models.Index(fields=["plot", "kind", "-done_on"])]


class CareSetting(models.Model):
    """A community's rule: an adopted plot without upkeep for `care_days` days is flagged."""

    community = models.OneToOneField(Community, on_delete=models.CASCADE, related_name="+")
    care_days = models.PositiveSmallIntegerField(_("未养护提醒天数"), default=DEFAULT_CARE_DAYS)


class DonorKind(models.TextChoices):
    RESIDENT = "resident", _("居民")
    HOUSEHOLD = "household", _("家庭")
    UNIT = "unit", _("辖区单位")
    ANONYMOUS = "anonymous", _("匿名")


class Donation(models.Model):
    """Money given for greening (自筹资金); posted to the finance disclosure as 捐赠."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    amount_fen = models.PositiveBigIntegerField(_("金额（分）"))
    donor_kind = models.CharField(_("捐赠人类型"), max_length=12, choices=DonorKind.choices)
    resident = models.ForeignKey(
        Resident, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unit = models.ForeignKey(
        LocalUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    donor_label = models.CharField(_("捐赠人（公开显示）"), max_length=100)
    receipt_no = models.CharField(_("收据号"), max_length=50)
    given_on = models.DateField(_("捐赠日期"))
    purpose = models.CharField(_("用途"), max_length=200, blank=True)
    plot = models.ForeignKey(
        Plot, on_delete=models.PROTECT, null=True, blank=True, related_name="donations"
    )
    adoption = models.ForeignKey(
        Adoption, on_delete=models.PROTECT, null=True, blank=True, related_name="donations"
    )
    finance_entry_id = models.PositiveBigIntegerField(_("财务账目编号"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("捐款")
        verbose_name_plural = _("捐款")
        ordering = ["-given_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "receipt_no"], name="greening_donation_receipt"
            ),
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="greening_donation_amount"),
        ]


class FundUse(models.Model):
    """Money of the greening fund spent: what for, how much, optionally on which plot."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    used_on = models.DateField(_("日期"))
    amount_fen = models.PositiveBigIntegerField(_("金额（分）"))
    purpose = models.CharField(_("用途"), max_length=200)
    plot = models.ForeignKey(
        Plot, on_delete=models.PROTECT, null=True, blank=True, related_name="fund_uses"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("资金使用")
        verbose_name_plural = _("资金使用")
        ordering = ["-used_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="greening_use_amount"),
        ]
