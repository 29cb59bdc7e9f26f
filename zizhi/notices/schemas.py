"""API shapes of notices and objections. Objections never name the resident, except to staff."""

import datetime

from django.urls import reverse
from ninja import Field, Schema

from zizhi.accounts.access import access_for

from .models import DEFAULT_PERIOD_DAYS, MAX_PERIOD_DAYS


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    url: str

    @staticmethod
    def resolve_url(obj) -> str:
        n = obj.notice
        return reverse("notices:attachment", args=[n.community.code, n.pk, obj.pk])


class NoticeOut(Schema):
    id: int
    community: str
    number: str = Field(description="如 HD-2026-007；草稿为空")
    category: str
    category_label: str
    title: str
    body: str
    period_days: int
    status: str = Field(description="draft、published 或 withdrawn")
    state: str = Field(description="draft、published、expired（已到期）或 withdrawn")
    state_label: str
    published_at: datetime.datetime | None
    ends_at: datetime.datetime | None = Field(description="公示期结束的时刻（不含）")
    first_day: datetime.date | None
    last_day: datetime.date | None = Field(description="公示期最后一天（含）")
    withdrawn_at: datetime.datetime | None
    withdraw_reason: str
    source_label: str
    source_url: str
    url: str
    pdf_url: str
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_community(obj) -> str:
        return obj.community.code

    @staticmethod
    def resolve_category_label(obj) -> str:
        return str(obj.get_category_display())

    @staticmethod
    def resolve_state_label(obj) -> str:
        return str(obj.state_label)

    @staticmethod
    def resolve_url(obj) -> str:
        return reverse("notices:detail", args=[obj.community.code, obj.pk])

    @staticmethod
    def resolve_pdf_url(obj) -> str:
        return reverse("notices:pdf", args=[obj.community.code, obj.pk])

    @staticmethod
    def resolve_attachments(obj) -> list:
        return list(obj.attachments.all())


class NoticeIn(Schema):
    community: str = Field(description="社区代码，如 HD")
    category: str = Field(
        description="resolution、implementation、major_matter、finance、rules 或 other"
    )
    title: str
    body: str
    period_days: int = Field(DEFAULT_PERIOD_DAYS, ge=1, le=MAX_PERIOD_DAYS)
    source_label: str = ""
    source_url: str = ""


class NoticeWithdrawIn(Schema):
    reason: str = Field(description="撤回原因，将向居民公开")


class ObjectionIn(Schema):
    text: str


class AnswerIn(Schema):
    answer: str


class ObjectionOut(Schema):
    id: int
    notice: int
    text: str
    created_at: datetime.datetime
    answer: str
    answered_at: datetime.datetime | None
    resident_name: str | None = Field(description="只向本社区工作人员显示")

    @staticmethod
    def resolve_notice(obj) -> int:
        return obj.notice_id

    @staticmethod
    def resolve_resident_name(obj, context) -> str | None:
        request = context["request"]
        user = getattr(request, "auth", None) or request.user
        if obj.notice.community_id in access_for(user).community_ids:
            return obj.resident.name
        return None
