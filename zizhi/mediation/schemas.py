"""API shapes of mediation. The register row names nobody; a party's view of a case has no
description and no session notes; the full view is for the lead and the mediators."""

import datetime

from ninja import Field, Schema


class RegisterRow(Schema):
    id: int
    number: str
    kind: str
    status: str
    registered_at: datetime.datetime
    outcome_on: datetime.date | None


class PartyOut(Schema):
    side: str
    name: str
    phone: str = ""
    address: str = ""
    in_registry: bool = False


class SessionOut(Schema):
    id: int
    held_on: datetime.date
    place: str
    mediators: list[str]
    notes: str


class CaseOut(Schema):
    id: int
    community: str
    number: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    registered_at: datetime.datetime
    view: str = Field(description="full（调解员、负责人）或 party（当事人：无案情、无调解记录）")
    parties: list[PartyOut]
    description: str | None = None
    mediators: list[str] | None = None
    sessions: list[SessionOut] | None = None
    outcome_on: datetime.date | None = None
    terms: list[str] = []
    performance_deadline: datetime.date | None = None
    referral_to: str = ""
    follow_up_due_on: datetime.date | None = None
    agreement_url: str | None = None


class PartyIn(Schema):
    side: str = Field(description="applicant 或 respondent")
    name: str
    phone: str = ""
    building: str = ""
    address: str = ""


class RegisterIn(Schema):
    community: str = Field(description="社区代码")
    kind: str
    description: str
    parties: list[PartyIn]


class MediationApplyIn(Schema):
    kind: str
    description: str
    other_name: str
    other_building: str = ""
    other_phone: str = ""


class AssignIn(Schema):
    resident_id: int


class RespondIn(Schema):
    accept: bool
    reason: str = ""


class SessionIn(Schema):
    held_on: datetime.date
    place: str
    notes: str
    mediator_ids: list[int] = []
    minutes: int = Field(0, ge=0, le=600, description="时长（分钟）：计入到场调解员的志愿服务")


class OutcomeIn(Schema):
    agreed: bool
    facts: str
    terms: str = ""
    performance_deadline: datetime.date | None = None
    referral_to: str = ""
    referral_note: str = ""


class FollowUpIn(Schema):
    kept: bool | None = None
    note: str


class WithdrawIn(Schema):
    reason: str
