"""Mediation (调解): a dispute case (MediationCase) of a community, its parties (CaseParty),
the mediators assigned to it (MediatorAssignment), its sessions (Session), the outcome (fields
on the case) and the follow-up visit (FollowUp); the community's mediation lead
(MediationLead) and its settings (MediationSettings).

The case's status moves only along TRANSITIONS (check_move); see actions.py.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from zizhi.registry.models import Building, Community, Resident

DEFAULT_FOLLOW_UP_DAYS = 30


class CaseKind(models.TextChoices):
    NEIGHBOURS = "neighbours", _("邻里纠纷")
    NOISE = "noise", _("噪音")
    LEAK = "leak", _("漏水")
    PARKING = "parking", _("停车")
    FAMILY = "family", _("家庭")
    PROPERTY = "property", _("物业")
    OTHER = "other", _("其他")


class CaseStatus(models.TextChoices):
    REGISTERED = "registered", _("已登记")
    ASSIGNED = "assigned", _("已指派")
    IN_MEDIATION = "in_mediation", _("调解中")
    AGREED = "agreed", _("达成协议")
    NOT_AGREED = "not_agreed", _("未达成协议")
    CLOSED = "closed", _("已结案")
    WITHDRAWN = "withdrawn", _("已撤回")


S = CaseStatus
# The one table of allowed moves. After an outcome (agreed / not agreed) the follow-up visit
# is due (FollowUp.due_on); recording it closes the case. Withdrawal only before an outcome.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.REGISTERED: (S.ASSIGNED, S.WITHDRAWN),
    S.ASSIGNED: (S.IN_MEDIATION, S.WITHDRAWN),
    S.IN_MEDIATION: (S.AGREED, S.NOT_AGREED, S.WITHDRAWN),
    S.AGREED: (S.CLOSED,),
    S.NOT_AGREED: (S.CLOSED,),
    S.CLOSED: (),
    S.WITHDRAWN: (),
}
OPEN = (S.REGISTERED, S.ASSIGNED, S.IN_MEDIATION)
OUTCOMES = (S.AGREED, S.NOT_AGREED)


def check_move(old: str, new: str) -> None:
    if new not in TRANSITIONS.get(old, ()):
        raise ValidationError(
            gettext("案件状态为“%(old)s”，不能改为“%(new)s”")
            % {"old": CaseStatus(old).label, "new": CaseStatus(new).label}
        )


class Referral(models.TextChoices):
    COURT = "court", _("人民法院")
    POLICE = "police", _("派出所")
    ARBITRATION = "arbitration", _("仲裁")
    PETITION = "petition", _("信访")
    OTHER = "other", _("其他")


class Source(models.TextChoices):
    WORKER = "worker", _("工作人员登记")
    PARTY = "party", _("当事人申请")


class MediationCase(models.Model):
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("案件编号"), max_length=30, unique=True)
    kind = models.CharField(_("纠纷类型"), max_length=20, choices=CaseKind.choices)
    status = models.CharField(
        _("状态"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.REGISTERED
    )
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    description = models.TextField(_("事情经过"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    # the outcome
    outcome_on = models.DateField(_("调解结果日期"), null=True, blank=True)
    facts = models.TextField(_("纠纷事实及争议"), blank=True)
    terms = models.TextField(_("协议内容"), blank=True, help_text=_("每行一条"))
    performance_deadline = models.DateField(_("履行期限"), null=True, blank=True)
    referral_to = models.CharField(
        _("引导去向"), max_length=20, choices=Referral.choices, blank=True
    )
    referral_note = models.TextField(_("引导说明"), blank=True)
    withdrawn_reason = models.CharField(_("撤回原因"), max_length=200, blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("调解案件")
        verbose_name_plural = _("调解案件")
        ordering = ["-registered_at", "-id"]
        indexes = [models.Index(fields=["community", "status"], name="mediation_case_status")]

    def __str__(self):
        return self.number

    @property
    def term_list(self) -> list[str]:
        return [line.strip() for line in self.terms.splitlines() if line.strip()]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN


class CaseCounter(models.Model):
    """The last case number of a community in a year (taken under a row lock)."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["community", "year"], name="mediation_counter_once")
        ]


class Side(models.TextChoices):
    APPLICANT = "applicant", _("申请人")
    RESPONDENT = "respondent", _("被申请人")


class CaseParty(models.Model):
    """A party: a registry resident of the community, or an outside person by name and phone.
    `building` is the resident's building, or the one named for an outside person (for the
    conflict check)."""

    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="parties")
    side = models.CharField(_("身份"), max_length=10, choices=Side.choices)
    resident = models.ForeignKey(
        Resident, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("电话"), max_length=20, blank=True)
    building = models.ForeignKey(
        Building, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    address = models.CharField(_("住址"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")
        ordering = ["case_id", "side", "id"]

    def __str__(self):
        return self.name


class MediatorAssignment(models.Model):
    """A mediator assigned to a case: pending until they accept; a declined one keeps no
    access to the case."""

    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="+")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(_("不接受的原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("调解员指派")
        verbose_name_plural = _("调解员指派")
        ordering = ["case_id", "assigned_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user"],
                condition=Q(declined_at__isnull=True),
                name="mediator_assigned_once",
            )
        ]

    @property
    def state_label(self) -> str:
        if self.declined_at:
            return gettext("不接受")
        return gettext("已接受") if self.accepted_at else gettext("待确认")


class Session(models.Model):
    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("日期"))
    place = models.CharField(_("地点"), max_length=100)
    mediators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("到场调解员")
    )
    notes = models.TextField(_("调解记录"))
    # minutes > 0: each mediator present gets a volunteer service record (actions)
    minutes = models.PositiveIntegerField(_("时长（分钟）"), default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("调解会谈")
        verbose_name_plural = _("调解会谈")
        ordering = ["case_id", "held_on", "id"]


class FollowUp(models.Model):
    """The visit after the outcome: due on `due_on`; recording it (done_on) closes the case."""

    case = models.OneToOneField(MediationCase, on_delete=models.CASCADE, related_name="follow_up")
    due_on = models.DateField(_("回访日期"))
    done_on = models.DateField(_("回访完成"), null=True, blank=True)
    kept = models.BooleanField(_("协议是否履行"), null=True, blank=True)
    note = models.TextField(_("回访情况"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("回访")
        verbose_name_plural = _("回访")
        indexes = [models.Index(fields=["done_on", "due_on"], name="mediation_followup_due")]


class MediationLead(models.Model):
    """The community's mediation lead (调解负责人); one current (ended_on empty) at a time."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("调解负责人")
        verbose_name_plural = _("调解负责人")
        ordering = ["community_id", "-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["community"],
                condition=Q(ended_on__isnull=True),
                name="mediation_one_current_lead",
            )
        ]


class MediationSettings(models.Model):
    community = models.OneToOneField(Community, on_delete=models.CASCADE, related_name="+")
    follow_up_days = models.PositiveIntegerField(
        _("回访间隔（天）"), default=DEFAULT_FOLLOW_UP_DAYS
    )

    @classmethod
    def follow_up_days_for(cls, community_id: int) -> int:
        row = cls.objects.filter(community_id=community_id).values_list("follow_up_days", flat=True)
        return row.first() or DEFAULT_FOLLOW_UP_DAYS
