"""What credit is for and where it comes from besides activities.

- Offer: a branch's catalogue item (a haircut for the elderly, a repair, a home visit, goods)
  at a price in minutes, with an optional stock.
- Redemption: a depositor's purchase of an offer at any branch of their community, paid by one
  posted journal entry (with the settlement between branches in it), then fulfilled by the
  branch's clerk, or cancelled (the entry reversed, the credit back).
- Help: an hour of help a resident gave a neighbour ("I for all"), confirmed by the neighbour;
  confirmed, it is a service record and credited like a deposit.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zizhi.registry.models import Community, Resident

from .ledger import Account, Branch, Entry


class OfferKind(models.TextChoices):
    SERVICE = "service", _("服务")
    GOODS = "goods", _("物品")


class Offer(models.Model):
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="offers")
    title = models.CharField(_("名称"), max_length=100)
    description = models.CharField(_("说明"), max_length=500, blank=True)
    kind = models.CharField(_("类别"), max_length=10, choices=OfferKind.choices)
    price_minutes = models.PositiveIntegerField(_("所需时长（分钟）"))
    # how many are left; empty: no limit
    stock = models.PositiveIntegerField(_("剩余数量"), null=True, blank=True)
    active = models.BooleanField(_("上架"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("兑换项目")
        verbose_name_plural = _("兑换项目")
        ordering = ["branch_id", "price_minutes", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(price_minutes__gt=0), name="offer_price_positive"),
        ]

    def __str__(self):
        return self.title


class RedemptionStatus(models.TextChoices):
    WAITING = "waiting", _("待兑付")
    FULFILLED = "fulfilled", _("已兑付")
    CANCELLED = "cancelled", _("已退回")


class Redemption(models.Model):
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="redemptions")
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="redemptions")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="redemptions")
    entry = models.OneToOneField(Entry, on_delete=models.PROTECT, related_name="redemption")
    minutes = models.PositiveIntegerField(_("时长（分钟）"))
    status = models.CharField(
        _("状态"), max_length=10, choices=RedemptionStatus.choices, default="waiting"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("备注"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("兑换")
        verbose_name_plural = _("兑换")
        ordering = ["-id"]
        indexes = [models.Index(fields=["branch", "status"], name="redemption_branch_status")]

    @property
    def code(self) -> str:
        """兑换码 to show at the counter: the entry's number."""
        return self.entry.number


class HelpStatus(models.TextChoices):
    PENDING = "pending", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    DECLINED = "declined", _("未确认")


class Help(models.Model):
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    helper = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="+")
    neighbour = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="+")
    service_date = models.DateField(_("帮助日期"))
    minutes = models.PositiveIntegerField(_("时长（分钟）"))
    content = models.CharField(_("帮了什么"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=10, choices=HelpStatus.choices, default="pending"
    )
    reason = models.CharField(_("原因"), max_length=500, blank=True)
    service_record = models.OneToOneField(
        "associations.ServiceRecord",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("邻里互助")
        verbose_name_plural = _("邻里互助")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(helper=models.F("neighbour")), name="help_not_oneself"
            ),
            models.CheckConstraint(
                condition=Q(minutes__gt=0, minutes__lte=480), name="help_minutes_in_range"
            ),
        ]
