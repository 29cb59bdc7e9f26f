"""Bodies (党支部, 居委会, 居民代表大会 ...), their members, residents' groups, rules, charters."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zizhi.registry.models import Building, Community, LocalUnit, Resident, Subdistrict


class BodyKind(models.TextChoices):
    SUBDISTRICT_PARTY_COMMITTEE = "subdistrict_party_committee", _("街道党工委")
    PARTY_BRANCH = "party_branch", _("社区党支部")
    RESIDENTS_COMMITTEE = "residents_committee", _("居民委员会")
    REPRESENTATIVE_ASSEMBLY = "representative_assembly", _("居民代表大会")
    RESIDENTS_MEETING = "residents_meeting", _("居民会议")
    MEMBERS_ASSEMBLY = "members_assembly", _("社区成员代表大会")
    JOINT_MEETING = "joint_meeting", _("社区单位联席会")


class MemberRole(models.TextChoices):
    SECRETARY = "secretary", _("书记")
    DEPUTY_SECRETARY = "deputy_secretary", _("副书记")
    CHAIR = "chair", _("主任")
    VICE_CHAIR = "vice_chair", _("副主任")
    MEMBER = "member", _("委员")
    REPRESENTATIVE = "representative", _("居民代表")
    UNIT_DELEGATE = "unit_delegate", _("单位代表")
    CLERK = "clerk", _("记录员")


class Body(models.Model):
    kind = models.CharField(_("类别"), max_length=32, choices=BodyKind.choices)
    name = models.CharField(_("名称"), max_length=100)
    subdistrict = models.ForeignKey(Subdistrict, on_delete=models.PROTECT, related_name="bodies")
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, null=True, blank=True, related_name="bodies"
    )
    term_years = models.PositiveSmallIntegerField(_("任期（年）"), default=5)
    term_start = models.DateField(_("本届任期开始"), null=True, blank=True)
    term_end = models.DateField(_("本届任期届满"), null=True, blank=True)

    class Meta:
        verbose_name = _("组织")
        verbose_name_plural = _("组织")
        ordering = ["community_id", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "kind"],
                condition=Q(community__isnull=False),
                name="body_one_kind_per_community",
            ),
            models.CheckConstraint(
                condition=Q(kind="subdistrict_party_committee", community__isnull=True)
                | (~Q(kind="subdistrict_party_committee") & Q(community__isnull=False)),
                name="body_scope_matches_kind",
            ),
        ]

    def __str__(self):
        return self.name

    # an election is prepared this long before the term ends
    ELECTION_NOTICE_DAYS = 180

    def days_left(self, today) -> int | None:
        """Days until the current term ends (negative: it has ended); None if not recorded."""
        return (self.term_end - today).days if self.term_end else None


class ResidentGroup(models.Model):
    """居民小组: a set of buildings that elects two or three representatives."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="resident_groups"
    )
    name = models.CharField(_("名称"), max_length=50)
    buildings = models.ManyToManyField(Building, blank=True, related_name="resident_groups")

    class Meta:
        verbose_name = _("居民小组")
        verbose_name_plural = _("居民小组")
        ordering = ["community_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="group_unique_name"),
        ]

    def __str__(self):
        return self.name


class ActiveMembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_on__isnull=True)


class Membership(models.Model):
    """A person's seat in a body. A member acts online through `user`; an elderly member
    without a login is still a member and votes on paper or with assistance."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="memberships")
    name = models.CharField(_("姓名"), max_length=50)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    resident = models.ForeignKey(
        Resident, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )
    role = models.CharField(_("职务"), max_length=20, choices=MemberRole.choices)
    group = models.ForeignKey(
        ResidentGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="representatives",
        verbose_name=_("选举产生的居民小组"),
    )
    local_unit = models.ForeignKey(
        LocalUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="delegates"
    )
    started_on = models.DateField(_("任职日期"))
    ended_on = models.DateField(_("离任日期"), null=True, blank=True)

    objects = ActiveMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("成员")
        verbose_name_plural = _("成员")
        ordering = ["body_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "user"],
                condition=Q(ended_on__isnull=True, user__isnull=False),
                name="membership_one_active_seat_per_user",
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.get_role_display()}）"


class CountBase(models.TextChoices):
    MEMBERS = "members", _("本组织全体成员")
    ADULT_RESIDENTS = "adult_residents", _("本社区全体十八周岁以上居民")
    HOUSEHOLDS = "households", _("本社区全体户代表")
    GROUP_REPRESENTATIVES = "group_representatives", _("各居民小组选举的代表")


class MatterType(models.TextChoices):
    GENERAL = "general", _("一般重大事项")
    BUDGET = "budget", _("经费使用")
    CONSTRUCTION = "construction", _("公共设施建设")
    PUBLIC_INTEREST = "public_interest", _("涉及居民切身利益")
    CHARTER = "charter", _("制定或修改自治章程、居民公约")
    RECALL = "recall", _("罢免居委会成员")


class Rule(models.Model):
    """A quorum and pass rule with its source. Community-less rows are the defaults from
    the statute (and the platform's default charter); a community's charter adds its own."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, null=True, blank=True, related_name="rules"
    )
    body_kind = models.CharField(_("适用组织"), max_length=32, choices=BodyKind.choices)
    matter_type = models.CharField(
        _("适用事项"), max_length=20, choices=MatterType.choices, blank=True
    )
    name = models.CharField(_("名称"), max_length=100)
    source = models.CharField(_("依据"), max_length=200)
    quorum_base = models.CharField(_("出席基数"), max_length=24, choices=CountBase.choices)
    quorum_num = models.PositiveSmallIntegerField()
    quorum_den = models.PositiveSmallIntegerField()
    quorum_strict = models.BooleanField(help_text=_("是：超过；否：以上（含本数）"))
    pass_num = models.PositiveSmallIntegerField()
    pass_den = models.PositiveSmallIntegerField()
    pass_strict = models.BooleanField()
    pass_of_all = models.BooleanField(
        default=False, help_text=_("是：以应到人数计；否：以实到人数计")
    )

    class Meta:
        verbose_name = _("表决规则")
        verbose_name_plural = _("表决规则")
        ordering = ["community_id", "body_kind", "matter_type", "id"]

    def __str__(self):
        return self.name

    @property
    def quorum(self):
        from ..counting import Threshold

        return Threshold(self.quorum_num, self.quorum_den, self.quorum_strict)

    @property
    def majority(self):
        from ..counting import Threshold

        return Threshold(self.pass_num, self.pass_den, self.pass_strict)


class WorkflowPreset(models.TextChoices):
    SEED = "seed", _("党支部审议、居民代表大会表决")
    FOUR_TWO = "four_two", _("四议两公开")
