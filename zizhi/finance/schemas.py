"""API shapes of periods, entries and assets. Amounts are integer fen (分)."""

import datetime

from django.urls import reverse
from ninja import Field, Schema


class CategoryTotalOut(Schema):
    direction: str
    name: str
    total_fen: int


class ReceiptOut(Schema):
    id: int
    name: str
    content_type: str
    size: int


class EntryOut(Schema):
    id: int
    date: datetime.date
    direction: str = Field(description="income（收入）或 expense（支出）")
    category: str
    amount_fen: int = Field(description="金额，单位：分")
    counterparty: str
    description: str
    receipt_no: str
    source: str = Field(description="manual、import 或 donation")
    receipts: list[ReceiptOut] = Field(
        description="票据（文件只对本社区居民和工作人员开放；匿名访问时为空）"
    )

    @staticmethod
    def resolve_category(obj) -> str:
        return obj.category.name

    @staticmethod
    def resolve_receipts(obj, context) -> list:
        request = context["request"]
        user = getattr(request, "auth", None) or request.user
        from .access import can_see_receipts

        if can_see_receipts(user, obj.period.community_id):
            return list(obj.receipts.all())
        return []


class PeriodOut(Schema):
    id: int
    community: str
    year: int
    month: int
    status: str = Field(description="draft、submitted、returned、approved 或 published")
    status_label: str
    opening_fen: int = Field(description="期初余额（上一账期的期末余额），单位：分")
    income_fen: int
    expense_fen: int
    closing_fen: int
    return_reason: str
    submitted_at: datetime.datetime | None
    approved_at: datetime.datetime | None
    published_at: datetime.datetime | None
    notice_id: int | None = Field(description="公开时发布的财务公示")
    url: str | None = Field(description="公开页面（已公开时）")

    @staticmethod
    def resolve_community(obj) -> str:
        return obj.community.code

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_url(obj) -> str | None:
        if not obj.is_published:
            return None
        return reverse("finance:public_period", args=[obj.community.code, obj.year, obj.month])


class PeriodDetailOut(PeriodOut):
    by_category: list[CategoryTotalOut]
    entries: list[EntryOut]

    @staticmethod
    def resolve_by_category(obj) -> list:
        from .actions import category_totals

        return category_totals(obj)

    @staticmethod
    def resolve_entries(obj) -> list:
        qs = obj.entries.select_related("category", "period").prefetch_related("receipts")
        return list(qs.order_by("date", "id"))


class PeriodIn(Schema):
    community: str = Field(description="社区代码，如 HD")
    year: int
    month: int = Field(ge=1, le=12)
    opening_fen: int | None = Field(None, ge=0, description="只有社区的第一个账期可以填写")


class EntryIn(Schema):
    date: datetime.date
    direction: str = Field(description="income 或 expense")
    category: str = Field(description="类别名称，如 办公经费")
    amount_fen: int = Field(gt=0, description="金额，单位：分")
    description: str
    counterparty: str = ""
    receipt_no: str = ""


class ReturnIn(Schema):
    reason: str = Field(description="退回原因，社区据此修改")


class AssetOut(Schema):
    id: int
    community: str
    name: str
    kind: str = Field(description="room、equipment、vehicle 或 other")
    location: str
    quantity: int
    value_fen: int | None
    manager_name: str
    acquired_on: datetime.date | None
    state: str = Field(description="in_use、idle、repair 或 disposed")
    state_note: str

    @staticmethod
    def resolve_community(obj) -> str:
        return obj.community.code
