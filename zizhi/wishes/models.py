"""Wishes (微心愿) and their claims.

A resident in difficulty (or a worker for them) posts a small wish; a worker verifies it and
publishes it under a public wording that does not expose the person; someone claims it, must
contact the beneficiary within 7 days, fulfils it with proof, and the beneficiary confirms.
"""

import datetime
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from zizhi.registry.models import Community, LocalUnit, Resident

CONTACT_DAYS = 7
MAX_VALUE_FEN = 500_00  # a micro-wish: goods worth at most 500 yuan


class WishCategory(models.TextChoices):
    GOODS = "goods", _("物品")
    SERVICE = "service", _("服务")
    COMPANY = "company", _("陪伴")
    OTHER = "other", _("其他")


class WishStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待审核")
    REJECTED = "rejected", _("未通过")
    PUBLISHED = "published", _("待认领")
    CLAIMED = "claimed", _("已认领，待联系")
    CONTACTED = "contacted", _("已联系，待实现")
    FULFILLED = "fulfilled", _("已实现，待确认")
    CONFIRMED = "confirmed", _("已完成")


S = WishStatus
# The one table of allowed moves. claimed -> published is a lapse (no contact in 7 days).
TRANSITIONS: dict[str, frozenset[str]] = {
    S.SUBMITTED: frozenset({S.PUBLISHED, S.REJECTED}),
    S.REJECTED: frozenset(),
    S.PUBLISHED: frozenset({S.CLAIMED}),
    S.CLAIMED: frozenset({S.CONTACTED, S.PUBLISHED}),
    S.CONTACTED: frozenset({S.FULFILLED}),
    S.FULFILLED: frozenset({S.CONFIRMED}),
    S.CONFIRMED: frozenset(),
}
PUBLIC_STATUSES = (S.PUBLISHED, S.CLAIMED, S.CONTACTED, S.FULFILLED, S.CONFIRMED)
IN_HAND = (S.CLAIMED, S.CONTACTED, S.FULFILLED)


def check_move(current: str, new: str) -> None:
    if new not in TRANSITIONS.get(current, frozenset()):
        raise ValidationError(
            gettext("这个心愿现在是“%(a)s”，不能改为“%(b)s”")
            % {"a": WishStatus(current).label, "b": WishStatus(new).label}
        )


class ClaimKind(models.TextChoices):
    PARTY_MEMBER = "party_member", _("党员")
    VOLUNTEER = "volunteer", _("志愿者")
    ASSOCIATION = "association", _("社会组织")
    LOCAL_UNIT = "local_unit", _("辖区单位")


class Wish(models.Model):
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="wishes")
    beneficiary = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="wishes")
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    by_worker = models.BooleanField(_("工作人员代为登记"), default=False)
    text = models.CharField(_("心愿内容"), max_length=300)
    category = models.CharField(_("类别"), max_length=10, choices=WishCategory.choices)
    value_cap_fen = models.PositiveIntegerField(_("估计价值上限（分）"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=WishStatus.choices, default=WishStatus.SUBMITTED
    )
    # Written by the worker at verification: shown to everyone, never names the person.
    title = models.CharField(_("公开标题"), max_length=100, blank=True)
    public_text = models.CharField(_("公开说明"), max_length=500, blank=True)
    # For the claimant only, after claiming (e.g. the best time to call, a grid worker).
    contact_hint = models.CharField(_("联系提示"), max_length=200, blank=True)
    reject_reason = models.CharField(_("未通过原因"), max_length=300, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    rolled_over_times = models.PositiveSmallIntegerField(_("顺延次数"), default=0)
    rolled_over_at = models.DateTimeField(_("最近顺延"), null=True, blank=True)
    closed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("微心愿")
        verbose_name_plural = _("微心愿")
        ordering = ["-rolled_over_times", "published_at", "id"]
        indexes = [models.Index(fields=["community", "status"], name="wish_community_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(value_cap_fen__isnull=True) | Q(value_cap_fen__lte=MAX_VALUE_FEN),
                name="wish_value_cap_small",
            ),
        ]

    def __str__(self):
        return self.title or self.text[:20]

    @property
    def value_cap_yuan(self):
        return None if self.value_cap_fen is None else self.value_cap_fen // 100

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @property
    def live_claim(self):
        """The claim in hand (uses prefetched claims when there are)."""
        return next((c for c in self.claims.all() if c.lapsed_at is None), None)


def proof_photo_path(instance, filename):
    suffix = PurePosixPath(filename).suffix.lower()[:6]
    return f"wishes/proofs/{uuid.uuid4().hex}{suffix}"


class Claim(models.Model):
    """One claim of a wish. A lapsed claim (no contact in 7 days) stays as history."""

    wish = models.ForeignKey(Wish, on_delete=models.PROTECT, related_name="claims")
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("认领身份"), max_length=20, choices=ClaimKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="wish_claims"
    )
    # The person whose hours count as service (none for a local unit).
    resident = models.ForeignKey(
        Resident, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    association = models.ForeignKey(
        "associations.Association",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    local_unit = models.ForeignKey(
        LocalUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    by_worker = models.BooleanField(_("工作人员代为登记"), default=False)
    claimed_at = models.DateTimeField(_("认领时间"))
    contact_due = models.DateTimeField(_("联系期限"))
    contacted_at = models.DateTimeField(_("联系时间"), null=True, blank=True)
    contact_note = models.CharField(_("联系情况"), max_length=300, blank=True)
    fulfilled_at = models.DateTimeField(_("实现时间"), null=True, blank=True)
    proof_text = models.CharField(_("实现情况"), max_length=500, blank=True)
    proof_photo = models.FileField(
        _("照片"), upload_to=proof_photo_path, max_length=200, blank=True
    )
    proof_type = models.CharField(max_length=20, blank=True)
    minutes = models.PositiveIntegerField(_("服务时长（分钟）"), default=0)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_by_worker = models.BooleanField(_("工作人员上门确认"), default=False)
    confirm_note = models.CharField(_("确认说明"), max_length=300, blank=True)
    service_record_number = models.CharField(_("服务记录编号"), max_length=30, blank=True)
    lapsed_at = models.DateTimeField(_("失效时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("心愿认领")
        verbose_name_plural = _("心愿认领")
        ordering = ["-claimed_at", "-id"]
        constraints = [
            # one live claim per wish, whatever the race
            models.UniqueConstraint(
                fields=["wish"], condition=Q(lapsed_at__isnull=True), name="claim_one_live"
            ),
        ]

    def __str__(self):
        return f"{self.wish} · {self.get_kind_display()}"

    @property
    def is_live(self) -> bool:
        return self.lapsed_at is None

    @property
    def claimant_label(self) -> str:
        if self.local_unit_id:
            return self.local_unit.name
        if self.association_id:
            return str(self.association)
        return self.resident.name if self.resident_id else str(self.user)

    def days_left(self, now: datetime.datetime) -> int:
        return (self.contact_due - now).days
