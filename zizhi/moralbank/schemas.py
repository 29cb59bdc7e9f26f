import datetime

from ninja import Field, Schema


class FamilyMember(Schema):
    id: int
    name: str


class AccountOut(Schema):
    """A depositor's own account: credit (balance) beside honour (attested service)."""

    number: str
    balance_minutes: int
    honour_minutes: int = Field(description="认定的志愿服务时长（分钟），兑换不会减少")
    stars: int
    family: list[FamilyMember] = Field(description="同户家人：可以转赠给他们")


class PassbookLine(Schema):
    id: int
    entry_id: int
    kind: str
    memo: str
    at: datetime.datetime
    minutes: int
    balance_after: int

    @staticmethod
    def resolve_entry_id(obj) -> int:
        return obj.entry_id

    @staticmethod
    def resolve_kind(obj) -> str:
        return obj.entry.kind

    @staticmethod
    def resolve_memo(obj) -> str:
        return obj.entry.memo

    @staticmethod
    def resolve_at(obj) -> datetime.datetime:
        return obj.entry.decided_at or obj.entry.created_at


class GiftIn(Schema):
    to_resident_id: int
    minutes: int = Field(..., gt=0, le=527040)


class DonationIn(Schema):
    minutes: int = Field(..., gt=0, le=527040)


class BankEntryOut(Schema):
    id: int
    number: str
    kind: str
    status: str
    memo: str
    lines: list[list[int]] = Field(description="[[账户id, 分钟], ...]")
    created_at: datetime.datetime

    @staticmethod
    def resolve_lines(obj) -> list[list[int]]:
        return obj.proposed


class RejectIn(Schema):
    reason: str = Field(..., max_length=500)


class OfferOut(Schema):
    id: int
    branch_id: int
    branch: str
    title: str
    description: str
    kind: str
    price_minutes: int
    stock: int | None = Field(description="剩余数量；空表示不限")
    active: bool

    @staticmethod
    def resolve_branch(obj) -> str:
        return obj.branch.name


class OfferIn(Schema):
    title: str = Field(..., max_length=100)
    kind: str = Field(..., description="service 或 goods")
    price_minutes: int = Field(..., gt=0, le=43200)
    description: str = Field("", max_length=500)
    stock: int | None = Field(None, ge=0, le=1_000_000)


class RedemptionIn(Schema):
    offer_id: int


class RedemptionOut(Schema):
    id: int
    code: str = Field(description="兑换码：到储蓄所出示")
    offer_id: int
    title: str
    branch: str
    minutes: int
    status: str
    entry_id: int
    created_at: datetime.datetime

    @staticmethod
    def resolve_title(obj) -> str:
        return obj.offer.title

    @staticmethod
    def resolve_branch(obj) -> str:
        return obj.branch.name


class ReasonIn(Schema):
    reason: str = Field(..., min_length=1, max_length=500)


class HelpIn(Schema):
    neighbour_phone: str = Field(..., max_length=20, description="邻居在社区登记的手机号")
    minutes: int = Field(..., gt=0, le=480)
    service_date: datetime.date
    content: str = Field(..., max_length=200)


class HelpOut(Schema):
    id: int
    helper: str
    neighbour: str
    service_date: datetime.date
    minutes: int
    content: str
    status: str
    service_record_id: int | None

    @staticmethod
    def resolve_helper(obj) -> str:
        return obj.helper.name

    @staticmethod
    def resolve_neighbour(obj) -> str:
        return obj.neighbour.name


class StatementRow(Schema):
    kind: str
    entries: int
    sides: dict[str, int]
    total: int


class StatementOut(Schema):
    branch_id: int
    month: str
    opening: dict[str, int]
    closing: dict[str, int]
    rows: list[StatementRow]
    totals: dict[str, int]
    community_clearing: int
    balanced: bool
