"""API schemas of residents' suggestions. What goes out carries no personal data beyond what
the resident wrote: the name only when they allowed it (masked in the status lookup)."""

import datetime

from ninja import Schema
from pydantic import Field

from .models import Channel, Rating, Suggestion, SuggestionCategory, SuggestionStatus


def masked(name: str) -> str:
    """张三丰 -> 张**: enough for the resident to recognise, not to identify."""
    name = (name or "").strip()
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


class SuggestionIn(Schema):
    community: str = Field(description="社区代码，例如 HD")
    title: str = Field(max_length=120)
    text: str = Field(max_length=5000)
    category: SuggestionCategory
    building: int | None = Field(None, description="楼栋编号（本社区的）")
    plan_x: float | None = Field(None, ge=0, le=100, description="平面图上的位置（0–100）")
    plan_y: float | None = Field(None, ge=0, le=100)
    show_name: bool = Field(False, description="公开栏上是否显示姓名")
    resident: int | None = Field(
        None, description="工作人员代居民登记时：花名册上的居民编号（居民本人提交时不填）"
    )
    channel: Channel = Field(Channel.ONLINE, description="工作人员代登记时为 office 或 phone")


class StatusIn(Schema):
    number: str = Field(max_length=32, description="建议编号，例如 HD-2026-00042")
    last4: str = Field(pattern=r"^\d{4}$", description="居民手机号后四位")


class RateIn(Schema):
    rating: Rating
    comment: str = Field("", max_length=1000)


class SuggestionStepOut(Schema):
    status: SuggestionStatus
    status_label: str
    at: datetime.datetime
    actor_label: str
    note: str

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()


class SuggestionOut(Schema):
    id: int
    number: str
    community: str
    title: str
    text: str
    category: SuggestionCategory
    category_label: str
    status: SuggestionStatus
    status_label: str
    building: str | None
    plan_x: float | None
    plan_y: float | None
    author: str = Field(description="居民同意公开时的姓名，否则“居民”")
    channel: Channel
    created_at: datetime.datetime
    accept_due: datetime.date
    reply_due: datetime.date | None
    overdue: bool
    reply: str
    decline_reason: str
    rating: str
    reopened: bool
    support_count: int

    @staticmethod
    def resolve_community(obj: Suggestion):
        return obj.community.code

    @staticmethod
    def resolve_category_label(obj: Suggestion):
        return obj.get_category_display()

    @staticmethod
    def resolve_status_label(obj: Suggestion):
        return obj.get_status_display()

    @staticmethod
    def resolve_building(obj: Suggestion):
        return obj.building.name if obj.building_id else None

    @staticmethod
    def resolve_author(obj: Suggestion):
        if obj.show_name:
            return obj.resident.name
        return "居民"

    @staticmethod
    def resolve_overdue(obj: Suggestion):
        return obj.is_overdue


class SuggestionDetailOut(SuggestionOut):
    steps: list[SuggestionStepOut]

    @staticmethod
    def resolve_steps(obj: Suggestion):
        from .queries import timeline

        return list(timeline(obj))


class StatusOut(SuggestionDetailOut):
    """The status lookup: the name masked whatever the resident chose."""

    @staticmethod
    def resolve_author(obj: Suggestion):
        return masked(obj.resident.name)
