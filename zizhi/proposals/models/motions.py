"""居民议案: a representatives' motion. Opened by a representative, co-signed by the number of
representatives the charter in force sets, submitted, then accepted by the community (it becomes
a major matter of the governance workflow) or not accepted with a written reason."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zizhi.registry.models import Community


class MotionStatus(models.TextChoices):
    COLLECTING = "collecting", _("征集联名中")
    SUBMITTED = "submitted", _("已提交，待受理")
    ACCEPTED = "accepted", _("已受理，转为重大事项")
    NOT_ACCEPTED = "not_accepted", _("不予受理")
    WITHDRAWN = "withdrawn", _("已撤回")


class Motion(models.Model):
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="motions")
    number = models.CharField(_("议案编号"), max_length=32, unique=True)
    title = models.CharField(_("议案名称"), max_length=120)
    text = models.TextField(_("议案内容"))
    reason = models.TextField(_("理由和依据"))
    # the proposer's seat in the assembly, and their name as it was when they signed
    proposer_seat = models.ForeignKey(
        "governance.Membership", on_delete=models.PROTECT, related_name="motions"
    )
    proposer_name = models.CharField(_("领衔代表"), max_length=50)
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="motions"
    )
    cosigners_needed = models.PositiveSmallIntegerField(_("所需联名人数"))
    status = models.CharField(
        _("状态"), max_length=14, choices=MotionStatus.choices, default=MotionStatus.COLLECTING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by_label = models.CharField(max_length=100, blank=True)
    decline_reason = models.TextField(_("不予受理的理由"), blank=True)
    matter = models.OneToOneField(
        "governance.Matter",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="motion",
    )

    class Meta:
        verbose_name = _("居民议案")
        verbose_name_plural = _("居民议案")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["community", "status"])]

    def __str__(self):
        return f"{self.number} {self.title}"


class Cosignature(models.Model):
    """One representative's co-signature (联名), given in the app or on paper and entered by a
    worker. It may be withdrawn while the motion collects."""

    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, related_name="cosignatures")
    seat = models.ForeignKey("governance.Membership", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=50)
    # who signed in the app; empty when a worker entered a signature given on paper
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("联名")
        verbose_name_plural = _("联名")
        ordering = ["signed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["motion", "seat"], name="cosign_once"),
        ]

    def __str__(self):
        return self.name
