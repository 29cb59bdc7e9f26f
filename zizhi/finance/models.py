"""Finance and asset disclosure (财务公开, 人财物).

A community keeps its books by month: a `Period` holds the month's `Entry` rows (income or
expense, in integer fen), each with a `Category` and optional receipt files. The period is
submitted by the community's staff, approved or returned (with a reason) by the
subdistrict, and then published as a notice. Submitted, approved and published periods are
frozen: a correction is a new entry in a later period. The opening balance of a period is
the closing balance of the community's previous period.

`Asset` lists the community's rooms, equipment and vehicles with who manages them.
"""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from zizhi.registry.models import Community

from .money import format_fen


class Direction(models.TextChoices):
    INCOME = "income", _("收入")
    EXPENSE = "expense", _("支出")


# The categories every community starts with: (direction, name).
DEFAULT_CATEGORIES = [
    (Direction.INCOME, "上级拨款"),
    (Direction.INCOME, "社区自有收入"),
    (Direction.INCOME, "捐赠"),
    (Direction.INCOME, "其他"),
    (Direction.EXPENSE, "办公经费"),
    (Direction.EXPENSE, "活动经费"),
    (Direction.EXPENSE, "维修维护"),
    (Direction.EXPENSE, "绿化养护"),
    (Direction.EXPENSE, "其他"),
]
DONATION_CATEGORY = "捐赠"


class PeriodStatus(models.TextChoices):
    DRAFT = "draft", _("记账中")
    SUBMITTED = "submitted", _("待街道审核")
    RETURNED = "returned", _("已退回修改")
    APPROVED = "approved", _("街道已审核")
    PUBLISHED = "published", _("已公开")


# The allowed moves of Period.status: the one table. (from, move) -> to.
MOVES = {
    "submit": _("提交街道审核"),
    "approve": _("审核通过"),
    "return": _("退回修改"),
    "publish": _("公开"),
}
TRANSITIONS = {
    (PeriodStatus.DRAFT, "submit"): PeriodStatus.SUBMITTED,
    (PeriodStatus.RETURNED, "submit"): PeriodStatus.SUBMITTED,
    (PeriodStatus.SUBMITTED, "approve"): PeriodStatus.APPROVED,
    (PeriodStatus.SUBMITTED, "return"): PeriodStatus.RETURNED,
    (PeriodStatus.APPROVED, "publish"): PeriodStatus.PUBLISHED,
}
EDITABLE = {PeriodStatus.DRAFT, PeriodStatus.RETURNED}
# Closed: the closing balance is final and carries into the next period.
CLOSED = {PeriodStatus.APPROVED, PeriodStatus.PUBLISHED}


def check_move(status: str, move: str) -> str:
    """The new status of a move, or a ValidationError (Chinese) saying why not."""
    new = TRANSITIONS.get((PeriodStatus(status), move))
    if new is None:
        raise ValidationError(
            _("账期“%(s)s”时不能“%(m)s”")
            % {"s": PeriodStatus(status).label, "m": MOVES.get(move, move)}
        )
    return new


class Category(models.Model):
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="finance_categories"
    )
    direction = models.CharField(_("收支"), max_length=10, choices=Direction.choices)
    name = models.CharField(_("类别"), max_length=30)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("收支类别")
        verbose_name_plural = _("收支类别")
        ordering = ["direction", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "direction", "name"], name="finance_category_unique"
            )
        ]

    def __str__(self):
        return f"{self.get_direction_display()}·{self.name}"


class Period(models.Model):
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="finance_periods"
    )
    year = models.PositiveSmallIntegerField(_("年"))
    month = models.PositiveSmallIntegerField(_("月"))
    status = models.CharField(
        _("状态"), max_length=12, choices=PeriodStatus.choices, default=PeriodStatus.DRAFT
    )
    opening_fen = models.BigIntegerField(_("期初余额（分）"), default=0)
    income_fen = models.BigIntegerField(_("本期收入（分）"), default=0)
    expense_fen = models.BigIntegerField(_("本期支出（分）"), default=0)
    return_reason = models.TextField(_("退回原因"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    returned_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    notice = models.ForeignKey(
        "notices.Notice", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("账期")
        verbose_name_plural = _("账期")
        ordering = ["-year", "-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "year", "month"], name="finance_period_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12), name="finance_period_month"
            ),
        ]
        indexes = [models.Index(fields=["community", "status", "-year", "-month"])]

    def __str__(self):
        return f"{self.label}（{self.community}）"

    @property
    def label(self) -> str:
        return _("%(y)d年%(m)d月") % {"y": self.year, "m": self.month}

    @property
    def slug(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @property
    def key(self) -> int:
        return self.year * 12 + self.month - 1

    @property
    def closing_fen(self) -> int:
        return self.opening_fen + self.income_fen - self.expense_fen

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED

    @property
    def is_published(self) -> bool:
        return self.status == PeriodStatus.PUBLISHED

    def money(self) -> dict:
        return {
            "opening": format_fen(self.opening_fen),
            "income": format_fen(self.income_fen),
            "expense": format_fen(self.expense_fen),
            "closing": format_fen(self.closing_fen),
        }


class EntrySource(models.TextChoices):
    MANUAL = "manual", _("手工录入")
    IMPORT = "import", _("Excel 导入")
    DONATION = "donation", _("捐赠登记")


class Entry(models.Model):
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="entries")
    date = models.DateField(_("日期"))
    direction = models.CharField(_("收支"), max_length=10, choices=Direction.choices)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="entries", verbose_name=_("类别")
    )
    amount_fen = models.BigIntegerField(_("金额（分）"))
    counterparty = models.CharField(_("对方"), max_length=100, blank=True)
    description = models.CharField(_("摘要"), max_length=300)
    receipt_no = models.CharField(_("票据号"), max_length=50, blank=True)
    source = models.CharField(max_length=10, choices=EntrySource.choices, default="manual")
    # Rows of an Excel import: a fingerprint of the row (and its repeat number in the file),
    # so importing the same file twice adds nothing the second time.
    import_key = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("收支明细")
        verbose_name_plural = _("收支明细")
        ordering = ["date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "import_key"],
                condition=~models.Q(import_key=""),
                name="finance_entry_import_key",
            ),
            models.CheckConstraint(condition=models.Q(amount_fen__gt=0), name="finance_amount"),
        ]

    def __str__(self):
        return f"{self.date} {self.get_direction_display()} {format_fen(self.amount_fen)}"

    @property
    def amount(self) -> str:
        return format_fen(self.amount_fen)

    @property
    def is_income(self) -> bool:
        return self.direction == Direction.INCOME


def receipt_path(instance, filename):
    """A random name under finance/receipts/: the uploaded name is kept in the row only."""
    suffix = PurePosixPath(filename).suffix.lower()[:6]
    return f"finance/receipts/{uuid.uuid4().hex}{suffix}"


class Receipt(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="receipts")
    file = models.FileField(_("文件"), upload_to=receipt_path, max_length=200)
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("票据")
        verbose_name_plural = _("票据")
        ordering = ["id"]

    def __str__(self):
        return self.name


class AssetKind(models.TextChoices):
    ROOM = "room", _("房屋场地")
    EQUIPMENT = "equipment", _("设备")
    VEHICLE = "vehicle", _("车辆")
    OTHER = "other", _("其他")


class AssetState(models.TextChoices):
    IN_USE = "in_use", _("在用")
    IDLE = "idle", _("闲置")
    REPAIR = "repair", _("维修中")
    DISPOSED = "disposed", _("已处置")


class Asset(models.Model):
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="assets")
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=12, choices=AssetKind.choices)
    location = models.CharField(_("存放地点"), max_length=200, blank=True)
    quantity = models.PositiveIntegerField(_("数量"), default=1)
    value_fen = models.BigIntegerField(_("价值（分）"), null=True, blank=True)
    manager_name = models.CharField(_("管理人"), max_length=50)
    manager_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("管理人账号"),
    )
    acquired_on = models.DateField(_("取得日期"), null=True, blank=True)
    state = models.CharField(
        _("状态"), max_length=10, choices=AssetState.choices, default=AssetState.IN_USE
    )
    state_note = models.CharField(_("状态说明"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("资产")
        verbose_name_plural = _("资产")
        ordering = ["kind", "name", "id"]

    def __str__(self):
        return self.name

    @property
    def value(self) -> str:
        return format_fen(self.value_fen)
