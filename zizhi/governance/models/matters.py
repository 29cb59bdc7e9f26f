"""Major matters and what happens to them: review, escalation, consultation, resolution,
implementation. The moves between states are a table in governance/workflow.py."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zizhi.registry.models import Community, Household, Resident

from .bodies import CountBase, MatterType, Membership, WorkflowPreset
from .meetings import Meeting, Poll


class Matter(models.Model):
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="matters")
    number = models.CharField(_("编号"), max_length=30)
    title = models.CharField(_("事项名称"), max_length=200)
    matter_type = models.CharField(_("事项类别"), max_length=20, choices=MatterType.choices)
    text = models.TextField(_("事项内容"))
    why_major = models.TextField(_("属于重大事项的理由"))
    workflow = models.CharField(_("议事流程"), max_length=12, choices=WorkflowPreset.choices)
    state = models.CharField(_("当前环节"), max_length=24)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(_("登记时间"))
    updated_at = models.DateTimeField(auto_now=True)
    origin_label = models.CharField(_("来源"), max_length=100, blank=True)
    origin_url = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("重大事项")
        verbose_name_plural = _("重大事项")
        ordering = ["-registered_at"]
        constraints = [
            models.UniqueConstraint(fields=["community", "number"], name="matter_unique_number"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def state_label(self):
        from ..workflow import STATES

        return STATES.get(self.state, self.state)


class MatterAttachment(models.Model):
    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(_("文件名"), max_length=200)
    file = models.FileField(upload_to="matters/%Y/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)


class Step(models.Model):
    """One move of a matter: the timeline. Written only by governance.actions."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="steps")
    move = models.CharField(max_length=24)
    from_state = models.CharField(max_length=24)
    to_state = models.CharField(max_length=24)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_label = models.CharField(max_length=100)
    at = models.DateTimeField()
    note = models.TextField(blank=True)
    meeting = models.ForeignKey(Meeting, on_delete=models.SET_NULL, null=True, related_name="+")
    poll = models.ForeignKey(Poll, on_delete=models.SET_NULL, null=True, related_name="+")
    link_url = models.CharField(max_length=300, blank=True)
    link_label = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["matter_id", "at", "id"]

    @property
    def move_label(self):
        from ..workflow import MOVES

        return MOVES.get(self.move, _("登记") if self.move == "register" else self.move)


class ReviewOutcome(models.TextChoices):
    SUBMIT = "submit", _("提交居民代表大会表决")
    INTEND_REJECT = "intend_reject", _("拟否决，征求居民意见")
    ESCALATE = "escalate", _("请示街道党工委")


class Stance(models.TextChoices):
    AGREE = "agree", _("同意")
    DISAGREE = "disagree", _("不同意")
    UNSURE = "unsure", _("需请示")


class Review(models.Model):
    """The Party branch's pre-review: a collective study of all branch members."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="reviews")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, null=True, related_name="+")
    outcome = models.CharField(
        _("审议结论"), max_length=16, choices=ReviewOutcome.choices, blank=True
    )
    conclusion = models.TextField(_("审议意见"), blank=True)
    concluded_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField()

    class Meta:
        ordering = ["matter_id", "started_at"]


class Opinion(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="opinions")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    stance = models.CharField(_("意见"), max_length=10, choices=Stance.choices)
    text = models.TextField(_("具体意见"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["review_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "membership"], name="opinion_once"),
        ]


class Escalation(models.Model):
    """请示上级党委: the branch asks the subdistrict Party working committee."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="escalations")
    question = models.TextField(_("请示内容"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField()
    instruction = models.TextField(_("批复意见"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)


class Consultation(models.Model):
    """征求居民意见 when the branch intends to reject: majority consent rejects the matter."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="consultations")
    base = models.CharField(_("计算基数"), max_length=24, choices=CountBase.choices)
    base_count = models.PositiveIntegerField(_("基数人数"))
    question = models.CharField(_("征求意见的问题"), max_length=300)
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    consents = models.PositiveIntegerField(default=0)
    consented = models.BooleanField(null=True)
    result_text = models.CharField(max_length=300, blank=True)


class AnswerChannel(models.TextChoices):
    ONLINE = "online", _("网上答复")
    DOOR = "door", _("入户征询")


class ConsultationAnswer(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="answers")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, null=True, related_name="+")
    consent = models.BooleanField(_("同意否决"))
    channel = models.CharField(max_length=8, choices=AnswerChannel.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["consultation", "resident"], name="answer_once"),
        ]


class Resolution(models.Model):
    matter = models.OneToOneField(Matter, on_delete=models.PROTECT, related_name="resolution")
    number = models.CharField(_("决议编号"), max_length=40)
    text = models.TextField(_("决议内容"))
    poll = models.ForeignKey(Poll, on_delete=models.PROTECT, related_name="+")
    adopted_at = models.DateTimeField()
    notice_url = models.CharField(max_length=300, blank=True)
    result_notice_url = models.CharField(max_length=300, blank=True)


class ImplementationStep(models.Model):
    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="implementation")
    title = models.CharField(_("实施事项"), max_length=200)
    responsible = models.CharField(_("责任人"), max_length=50)
    deadline = models.DateField(_("完成期限"))
    done_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(_("完成情况"), blank=True)

    class Meta:
        ordering = ["matter_id", "deadline", "id"]
