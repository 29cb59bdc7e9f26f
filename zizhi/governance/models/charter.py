"""自治章程 as versioned documents: a version comes into force only through a resolution of
the residents' representative assembly; the numbers the system reads are its fields."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zizhi.registry.models import Community

from .bodies import WorkflowPreset


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PROPOSED = "proposed", _("已提请表决")
    IN_FORCE = "in_force", _("现行有效")
    SUPERSEDED = "superseded", _("已被修订")
    WITHDRAWN = "withdrawn", _("未通过或撤回")


# The allowed moves, one table: (from, to).
VERSION_MOVES = {
    (VersionStatus.DRAFT, VersionStatus.PROPOSED),
    (VersionStatus.DRAFT, VersionStatus.WITHDRAWN),
    (VersionStatus.PROPOSED, VersionStatus.IN_FORCE),
    (VersionStatus.PROPOSED, VersionStatus.WITHDRAWN),
    (VersionStatus.IN_FORCE, VersionStatus.SUPERSEDED),
}

# The fields that are the charter's numbers (copied into a new draft, compared in the diff).
NUMBER_FIELDS = [
    "motion_cosigners",
    "meeting_notice_days",
    "workflow",
    "quorum_num",
    "quorum_den",
    "quorum_strict",
    "pass_num",
    "pass_den",
    "pass_strict",
    "pass_of_all",
    "charter_pass_num",
    "charter_pass_den",
    "charter_pass_strict",
    "recall_pass_num",
    "recall_pass_den",
    "recall_pass_strict",
]


class CharterVersion(models.Model):
    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="charter_versions"
    )
    number = models.PositiveSmallIntegerField(_("版本"))
    status = models.CharField(
        _("状态"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    text = models.TextField(_("章程全文"), blank=True)
    note = models.CharField(_("修订说明"), max_length=300, blank=True)
    motion_cosigners = models.PositiveSmallIntegerField(_("居民议案附议人数"), default=5)
    meeting_notice_days = models.PositiveSmallIntegerField(_("会议提前通知天数"), default=3)
    workflow = models.CharField(
        _("议事流程"), max_length=12, choices=WorkflowPreset.choices, default=WorkflowPreset.SEED
    )
    # the residents' representative assembly: quorum (of its members) and pass rule
    quorum_num = models.PositiveSmallIntegerField(default=2)
    quorum_den = models.PositiveSmallIntegerField(default=3)
    quorum_strict = models.BooleanField(default=False)
    pass_num = models.PositiveSmallIntegerField(default=1)
    pass_den = models.PositiveSmallIntegerField(default=2)
    pass_strict = models.BooleanField(default=True)
    pass_of_all = models.BooleanField(default=False)
    # changing the charter and recalling a committee member: of all members
    charter_pass_num = models.PositiveSmallIntegerField(default=2)
    charter_pass_den = models.PositiveSmallIntegerField(default=3)
    charter_pass_strict = models.BooleanField(default=False)
    recall_pass_num = models.PositiveSmallIntegerField(default=2)
    recall_pass_den = models.PositiveSmallIntegerField(default=3)
    recall_pass_strict = models.BooleanField(default=False)
    matter = models.ForeignKey(
        "governance.Matter",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="charter_versions",
    )
    resolution = models.ForeignKey(
        "governance.Resolution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="charter_versions",
    )
    in_force_from = models.DateField(_("生效日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("自治章程版本")
        verbose_name_plural = _("自治章程版本")
        ordering = ["community_id", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "number"], name="charter_version_unique_number"
            ),
            models.UniqueConstraint(
                fields=["community"],
                condition=models.Q(status="in_force"),
                name="charter_one_in_force",
            ),
        ]

    def __str__(self):
        return f"{self.community} {self.number}"

    @property
    def quorum(self):
        from ..counting import Threshold

        return Threshold(self.quorum_num, self.quorum_den, self.quorum_strict)

    @property
    def majority(self):
        from ..counting import Threshold

        return Threshold(self.pass_num, self.pass_den, self.pass_strict)

    @property
    def charter_majority(self):
        from ..counting import Threshold

        return Threshold(self.charter_pass_num, self.charter_pass_den, self.charter_pass_strict)

    @property
    def recall_majority(self):
        from ..counting import Threshold

        return Threshold(self.recall_pass_num, self.recall_pass_den, self.recall_pass_strict)


class BylawText(models.Model):
    """One of the rules (八项制度) that belong to a version of the charter."""

    version = models.ForeignKey(CharterVersion, on_delete=models.CASCADE, related_name="bylaws")
    title = models.CharField(_("制度名称"), max_length=100)
    text = models.TextField(_("内容"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version_id", "order", "id"]

    def __str__(self):
        return self.title
