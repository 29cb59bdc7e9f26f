"""API shapes of Party data. Personal data comes masked from the registry row."""

import datetime

from ninja import Field, Schema


def mask_phone(phone: str) -> str:
    if not phone:
        return ""
    if len(phone) < 7:
        return "*" * len(phone)
    return f"{phone[:3]}****{phone[-4:]}"


class MemberOut(Schema):
    id: int
    community: str
    name: str
    phone_masked: str
    status: str = Field(description="in_service、retired 或 mobile")
    joined_on: datetime.date = Field(description="入党日期（政治生日）")
    branch: str = Field(description="community（本社区党支部）或 employer（在职单位党组织）")
    employer: str
    organisation: str | None
    reported_on: datetime.date | None = Field(description="到社区报到的日期；未报到为空")

    @staticmethod
    def resolve_community(obj) -> str:
        return obj.community.code

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.resident.name

    @staticmethod
    def resolve_phone_masked(obj) -> str:
        return mask_phone(obj.resident.phone)

    @staticmethod
    def resolve_organisation(obj) -> str | None:
        return obj.organisation.name if obj.organisation_id else None

    @staticmethod
    def resolve_reported_on(obj) -> datetime.date | None:
        report_in = getattr(obj, "report_in", None)
        return report_in.reported_on if report_in else None


class MemberIn(Schema):
    resident_id: int
    status: str
    joined_on: datetime.date
    branch: str = "community"
    employer: str = ""
    organisation_id: int | None = None
    note: str = ""


class OrganisationOut(Schema):
    id: int
    name: str
    employer: str
    contact_name: str
    registered_on: datetime.date


class OrganisationIn(Schema):
    name: str
    employer: str
    contact_name: str = ""
    contact_phone: str = ""


class PostOut(Schema):
    id: int
    community: str
    kind: str = Field(description="post（服务岗位）或 need（社区需求）")
    title: str
    description: str
    places: int = Field(description="名额；0 表示不限")
    is_open: bool

    @staticmethod
    def resolve_community(obj) -> str:
        return obj.community.code


class PostIn(Schema):
    title: str
    kind: str = "post"
    description: str = ""
    places: int = 0


class ClaimIn(Schema):
    note: str = ""


class ClaimOut(Schema):
    id: int
    post_id: int
    member_id: int
    claimed_on: datetime.date


class ReportInIn(Schema):
    employer: str
    organisation_id: int | None = None
    joined_on: datetime.date | None = Field(None, description="尚未登记为党员时必填")
    skills: str = ""
    availability: str = ""


class ReportInOut(Schema):
    id: int
    member_id: int
    community: str
    reported_on: datetime.date

    @staticmethod
    def resolve_community(obj) -> str:
        return obj.community.code


class ServiceLine(Schema):
    date: datetime.date
    content: str
    minutes: int


class EvaluationOut(Schema):
    number: str
    grade: str = Field(description="excellent、qualified、basic 或 unqualified")
    comment: str
    minutes: int
    evaluated_at: datetime.datetime


class QuarterReportOut(Schema):
    member_id: int
    quarter: str
    start: datetime.date
    end: datetime.date
    posts: list[str]
    services: list[ServiceLine]
    minutes: int
    evaluation: EvaluationOut | None


class EvaluationIn(Schema):
    grade: str
    comment: str = ""


class GapMember(Schema):
    member_id: int
    name: str
    claimed: bool
    minutes: int


class GapsOut(Schema):
    quarter: str
    not_reported: list[MemberOut]
    idle: list[GapMember]


class CareRow(Schema):
    member_id: int
    name: str
    age: int
    elderly: bool
    alone: bool
    ill: bool
    last_visit: datetime.date | None
    due: bool


class BirthdayRow(Schema):
    member_id: int
    name: str
    day: datetime.date
    years: int


class CareOut(Schema):
    members: list[CareRow]
    birthdays: list[BirthdayRow]


class VisitIn(Schema):
    visited_on: datetime.date
    kind: str = Field(description="visit、condolence、birthday 或 festival")
    visitor: str
    ill: bool = False
    needs: str = ""
    notes: str = ""


class VisitOut(Schema):
    id: int
    member_id: int
    visited_on: datetime.date
    kind: str
    visitor: str
    ill: bool
    needs: str
