"""Meetings, agenda, attendance, polls, ballots and the counts of tellers."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zizhi.registry.models import Community

from .bodies import Body, Membership, Rule


def new_token() -> str:
    return secrets.token_urlsafe(16)


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("筹备中")
    NOTIFIED = "notified", _("已通知")
    IN_PROGRESS = "in_progress", _("进行中")
    CLOSED = "closed", _("已结束")


class Meeting(models.Model):
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings")
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings"
    )
    title = models.CharField(_("会议名称"), max_length=200)
    starts_at = models.DateTimeField(_("开会时间"))
    place = models.CharField(_("地点"), max_length=200)
    rule = models.ForeignKey(Rule, on_delete=models.PROTECT, related_name="meetings")
    status = models.CharField(
        _("状态"), max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    expected = models.PositiveIntegerField(_("应到人数"), null=True, blank=True)
    signin_token = models.CharField(max_length=40, default=new_token, unique=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    minutes = models.TextField(_("会议记录"), blank=True)
    convened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["-starts_at"]

    def __str__(self):
        return self.title


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("议题"), max_length=200)
    text = models.TextField(_("内容"), blank=True)
    matter = models.ForeignKey(
        "governance.Matter",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
    )

    class Meta:
        verbose_name = _("议程")
        verbose_name_plural = _("议程")
        ordering = ["meeting_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="agenda_unique_position"),
        ]

    def __str__(self):
        return self.title


class SignInMethod(models.TextChoices):
    QR = "qr", _("扫码签到")
    STAFF = "staff", _("工作人员登记")
    PAPER = "paper", _("纸质签到表")


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    method = models.CharField(_("签到方式"), max_length=8, choices=SignInMethod.choices)
    signed_in_at = models.DateTimeField(_("签到时间"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("出席")
        verbose_name_plural = _("出席")
        ordering = ["meeting_id", "signed_in_at"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "membership"], name="attendance_once"),
        ]


class PollStatus(models.TextChoices):
    CREATED = "created", _("未开始")
    OPEN = "open", _("投票中")
    CLOSED = "closed", _("已截止")
    PUBLISHED = "published", _("已公布")


class PollMode(models.TextChoices):
    ONLINE = "online", _("手机投票（可代为录入）")
    PAPER = "paper", _("纸质选票，计票人清点")
    HANDS = "hands", _("举手表决，计票人清点")


class Choice(models.TextChoices):
    YES = "yes", _("赞成")
    NO = "no", _("反对")
    ABSTAIN = "abstain", _("弃权")


class AppraisalChoice(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")


class PollKind(models.TextChoices):
    DECISION = "decision", _("表决")
    APPRAISAL = "appraisal", _("述职评议")


# An appraisal poll keeps its three counts in the poll's three count columns (one table, so
# the teller counts, the digest and the close need no second set of columns).
APPRAISAL_COLUMNS = {
    AppraisalChoice.SATISFIED: "yes",
    AppraisalChoice.BASICALLY: "abstain",
    AppraisalChoice.DISSATISFIED: "no",
}


class Poll(models.Model):
    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="polls")
    kind = models.CharField(
        _("类别"), max_length=10, choices=PollKind.choices, default=PollKind.DECISION
    )
    question = models.CharField(_("表决事项"), max_length=300)
    mode = models.CharField(_("表决方式"), max_length=8, choices=PollMode.choices)
    secret = models.BooleanField(_("无记名"), default=False)
    rule = models.ForeignKey(Rule, on_delete=models.PROTECT, related_name="polls")
    status = models.CharField(
        _("状态"), max_length=10, choices=PollStatus.choices, default=PollStatus.CREATED
    )
    expected = models.PositiveIntegerField(_("应到人数"), default=0)
    present = models.PositiveIntegerField(_("实到人数"), default=0)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    yes = models.PositiveIntegerField(default=0)
    no = models.PositiveIntegerField(default=0)
    abstain = models.PositiveIntegerField(default=0)
    passed = models.BooleanField(null=True)
    result_text = models.CharField(_("结果说明"), max_length=300, blank=True)
    ballots_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("表决")
        verbose_name_plural = _("表决")
        ordering = ["item_id", "id"]

    def __str__(self):
        return self.question

    @property
    def choices(self) -> list[str]:
        """The choice values a ballot of this poll may carry."""
        if self.kind == PollKind.APPRAISAL:
            return list(AppraisalChoice.values)
        return list(Choice.values)


class Voter(models.Model):
    """The voters of a poll, frozen when it opens: the members signed in at that moment."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="voters")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["poll", "membership"], name="voter_once"),
        ]


class BallotMethod(models.TextChoices):
    ONLINE = "online", _("本人手机投票")
    ASSISTED = "assisted", _("工作人员代为录入")


class Ballot(models.Model):
    # indexed by ballot_one_per_voter (poll, membership), which serves poll alone too
    poll = models.ForeignKey(Poll, on_delete=models.PROTECT, related_name="ballots", db_index=False)
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(
        _("意见"), max_length=12, choices=Choice.choices + AppraisalChoice.choices
    )
    method = models.CharField(max_length=8, choices=BallotMethod.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assist_reason = models.CharField(_("代为录入的原因"), max_length=200, blank=True)
    idempotency_key = models.CharField(max_length=80, blank=True)
    cast_at = models.DateTimeField()

    class Meta:
        verbose_name = _("选票")
        verbose_name_plural = _("选票")
        constraints = [
            models.UniqueConstraint(fields=["poll", "membership"], name="ballot_one_per_voter"),
            models.CheckConstraint(
                condition=~Q(method="assisted") | ~Q(assist_reason=""),
                name="ballot_assisted_has_reason",
            ),
        ]


class TellerCount(models.Model):
    """Counts of paper ballots or hands that a teller entered. Two different tellers must
    enter the same counts before the poll can close."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="teller_counts")
    teller = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    yes = models.PositiveIntegerField(_("赞成"))
    no = models.PositiveIntegerField(_("反对"))
    abstain = models.PositiveIntegerField(_("弃权"))
    entered_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["poll", "teller"], name="teller_counts_once"),
        ]
