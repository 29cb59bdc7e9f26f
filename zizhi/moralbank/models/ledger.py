"""The Moral Bank's credit book: a double-entry ledger of time credits in minutes.

The honour book is elsewhere: attested ServiceRecords (app associations) are a person's record
of service, and spending credit never lowers them.

- Branch (储蓄所): a savings branch of a community (the trade union, an association, a
  merchant ...), with clerks who approve its entries.
- Account: one personal account per depositor (a resident; a minor's names a guardian), one
  issuing account per branch (may go negative: credit comes from it), one clearing account per
  branch (what the branch owes or is owed by other branches), one donation pool per community.
- Entry: one journal entry with a kind and a status. A pending entry holds its proposed lines
  only; postings are written when it is posted, so an account's balance is the plain sum of
  its postings. Postings of an entry sum to zero and none is zero (a deferred constraint
  trigger on PostgreSQL; the action on SQLite). Posted entries and all postings are never
  changed or deleted (triggers); a mistake is corrected by a reversal entry.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zizhi.registry.models import Community, Resident

DEFAULT_PERSONAL_CAP_HOURS = 1500


class BranchKind(models.TextChoices):
    COMMUNITY = "community", _("社区")
    TRADE_UNION = "trade_union", _("工会")
    ASSOCIATION = "association", _("群团组织")
    MERCHANT = "merchant", _("商户")
    YOUTH = "youth", _("青少年")
    SCIENCE = "science", _("科普")


class Branch(models.Model):
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("储蓄所"), max_length=100)
    kind = models.CharField(_("类别"), max_length=20, choices=BranchKind.choices)
    # the association whose attested activities this branch credits, if any
    association = models.ForeignKey(
        "associations.Association",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("储蓄所")
        verbose_name_plural = _("储蓄所")
        ordering = ["community_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="branch_unique_name"),
        ]

    def __str__(self):
        return self.name


class Clerk(models.Model):
    """A user who keeps a branch's book: approves its entries, runs its catalogue."""

    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="clerks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "user"],
                condition=Q(ended_on__isnull=True),
                name="clerk_one_active_seat",
            ),
        ]


class AccountKind(models.TextChoices):
    PERSONAL = "personal", _("个人账户")
    ISSUING = "issuing", _("储蓄所发行账户")
    CLEARING = "clearing", _("储蓄所清算账户")
    POOL = "pool", _("社区捐赠池")


# accounts whose balance may go below zero
MAY_BE_NEGATIVE = (AccountKind.ISSUING, AccountKind.CLEARING)


class Account(models.Model):
    kind = models.CharField(_("类别"), max_length=10, choices=AccountKind.choices)
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey(
        Resident, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    guardian = models.ForeignKey(
        Resident, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, null=True, blank=True, related_name="accounts"
    )
    # the sum of the account's postings, kept in the transaction that writes them
    balance = models.BigIntegerField(_("余额（分钟）"), default=0)
    # the depositor agreed to be named on the community's public honour roll
    on_honour_roll = models.BooleanField(_("上光荣榜"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("账户")
        verbose_name_plural = _("账户")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="personal", resident__isnull=False, branch__isnull=True)
                    | Q(
                        kind__in=["issuing", "clearing"],
                        resident__isnull=True,
                        branch__isnull=False,
                    )
                    | Q(kind="pool", resident__isnull=True, branch__isnull=True)
                ),
                name="account_owner_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(balance__gte=0) | Q(kind__in=["issuing", "clearing"]),
                name="account_balance_not_negative",
            ),
            models.UniqueConstraint(
                fields=["resident"], condition=Q(kind="personal"), name="account_one_per_person"
            ),
            models.UniqueConstraint(
                fields=["branch", "kind"],
                condition=Q(branch__isnull=False),
                name="account_one_kind_per_branch",
            ),
            models.UniqueConstraint(
                fields=["community"], condition=Q(kind="pool"), name="account_one_pool"
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def number(self) -> str:
        """账号: the community's code and the row's id (needs community loaded)."""
        return f"{self.community.code}{self.pk:07d}"


class BankRules(models.Model):
    """A community's Moral Bank settings (defaults when it has no row)."""

    community = models.OneToOneField(Community, on_delete=models.CASCADE, related_name="+")
    personal_cap_minutes = models.PositiveIntegerField(
        _("个人账户上限（分钟）"), default=DEFAULT_PERSONAL_CAP_HOURS * 60
    )

    @classmethod
    def for_community(cls, community_id) -> "BankRules":
        found = cls.objects.filter(community_id=community_id).first()
        return found or cls(community_id=community_id)


class EntryKind(models.TextChoices):
    SERVICE_CREDIT = "service_credit", _("服务存入")
    REDEMPTION = "redemption", _("兑换")
    GIFT = "gift", _("转赠")
    DONATION = "donation", _("捐赠")
    GRANT = "grant", _("捐赠池发放")
    SETTLEMENT = "settlement", _("储蓄所间结算")
    REVERSAL = "reversal", _("冲正")
    ADJUSTMENT = "adjustment", _("调整")


class EntryStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    POSTED = "posted", _("已入账")
    REJECTED = "rejected", _("已驳回")
    CANCELLED = "cancelled", _("已撤销")


class Entry(models.Model):
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    kind = models.CharField(_("类别"), max_length=16, choices=EntryKind.choices)
    status = models.CharField(_("状态"), max_length=10, choices=EntryStatus.choices)
    idempotency_key = models.CharField(max_length=80, unique=True)
    request_hash = models.CharField(max_length=64)  # what was asked, to refuse a reused key
    memo = models.CharField(_("摘要"), max_length=200)
    # a pending entry's lines, [[account_id, minutes], ...]; written as postings when posted
    proposed = models.JSONField(default=list)
    service_record = models.ForeignKey(
        "associations.ServiceRecord",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversal"
    )
    reason = models.CharField(_("原因"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("记账凭证")
        verbose_name_plural = _("记账凭证")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["service_record"],
                condition=Q(kind="service_credit") & ~Q(status__in=["rejected", "cancelled"]),
                name="entry_one_credit_per_record",
            ),
            models.CheckConstraint(
                condition=Q(kind="reversal", reverses__isnull=False)
                | (~Q(kind="reversal") & Q(reverses__isnull=True)),
                name="entry_reversal_names_original",
            ),
        ]
        # the dashboard counts the credit posted today live (zizhi/stats/big.py)
        indexes = [models.Index(fields=["decided_at"], name="entry_decided_at")]

    def __str__(self):
        return self.number

    @property
    def number(self) -> str:
        """凭证号: the row's id, in order of writing (no counter row that every entry of a
        community would queue on)."""
        return f"J{self.pk:09d}"


class Posting(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="postings")
    # indexed by posting_account_id below (account, id): a passbook reads it in order
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="postings", db_index=False
    )
    minutes = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["account", "id"], name="posting_account_id")]
        constraints = [
            models.CheckConstraint(condition=~Q(minutes=0), name="posting_not_zero"),
        ]
