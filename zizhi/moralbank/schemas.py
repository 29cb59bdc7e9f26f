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


class EntryOut(Schema):
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
