"""API shapes of governance rows. Members' phones go to staff only; no ID number ever."""

import datetime

from django.utils.translation import gettext as _
from ninja import Field, Schema


def label(obj, field: str) -> str:
    return str(getattr(obj, f"get_{field}_display")())


# --- bodies and members ------------------------------------------------------------------


class BodyRef(Schema):
    id: int
    kind: str
    name: str


class BodyOut(BodyRef):
    community: str
    kind_label: str
    term_years: int
    term_start: datetime.date | None
    term_end: datetime.date | None
    member_count: int = Field(description="现任成员人数")

    @staticmethod
    def resolve_community(obj) -> str:
        return obj.community.code

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return label(obj, "kind")


class TermIn(Schema):
    term_start: datetime.date
    term_end: datetime.date | None = None


class MembershipOut(Schema):
    id: int
    name: str
    role: str
    role_label: str
    group: str | None = Field(description="选举产生的居民小组")
    started_on: datetime.date
    ended_on: datetime.date | None
    has_login: bool = Field(description="能否用手机参加（签到、投票）")
    phone: str | None = Field(description="仅本社区工作人员可见")

    @staticmethod
    def resolve_role_label(obj) -> str:
        return label(obj, "role")

    @staticmethod
    def resolve_group(obj) -> str | None:
        return obj.group.name if obj.group_id else None

    @staticmethod
    def resolve_has_login(obj) -> bool:
        return obj.user_id is not None

    @staticmethod
    def resolve_phone(obj) -> str | None:
        return obj.visible_phone


# --- rules, meetings, attendance ---------------------------------------------------------


class RuleOut(Schema):
    name: str
    source: str = Field(description="依据：法律条文或章程条款")
    quorum_words: str = Field(description="如：本组织全体成员三分之二以上出席")
    pass_words: str = Field(description="如：实到人数超过半数赞成")

    @staticmethod
    def resolve_quorum_words(obj) -> str:
        return _("%(base)s%(w)s出席") % {"base": label(obj, "quorum_base"), "w": obj.quorum.words()}

    @staticmethod
    def resolve_pass_words(obj) -> str:
        base = _("应到人数") if obj.pass_of_all else _("实到人数")
        return _("%(base)s%(w)s赞成") % {"base": base, "w": obj.majority.words()}


class PollRef(Schema):
    id: int
    question: str
    status: str
    status_label: str

    @staticmethod
    def resolve_status_label(obj) -> str:
        return label(obj, "status")


class AgendaItemOut(Schema):
    id: int
    position: int
    title: str
    text: str
    matter_id: int | None
    polls: list[PollRef]

    @staticmethod
    def resolve_polls(obj) -> list:
        return list(obj.polls.all())


class MeetingOut(Schema):
    id: int
    community: str
    body: BodyRef
    title: str
    starts_at: datetime.datetime
    place: str
    status: str
    status_label: str
    expected: int | None = Field(description="应到人数：会议开始时确定")
    present: int = Field(description="实到人数（已签到）")
    notified_at: datetime.datetime | None
    opened_at: datetime.datetime | None
    closed_at: datetime.datetime | None

    @staticmethod
    def resolve_community(obj) -> str:
        return obj.community.code

    @staticmethod
    def resolve_status_label(obj) -> str:
        return label(obj, "status")

    @staticmethod
    def resolve_present(obj) -> int:
        return obj.present_count


def quorum_met(meeting) -> bool:
    return bool(meeting.expected) and meeting.rule.quorum.met(
        meeting.present_count, meeting.expected
    )


def quorum_text(meeting) -> str:
    if meeting.expected is None:
        return _("会议开始时确定应到人数；已签到%(p)s人") % {"p": meeting.present_count}
    return _("应到%(e)s人，实到%(p)s人，%(w)s") % {
        "e": meeting.expected,
        "p": meeting.present_count,
        "w": meeting.rule.quorum.reached_words(quorum_met(meeting)),
    }


class MeetingDetailOut(MeetingOut):
    rule: RuleOut
    quorum_met: bool
    quorum_text: str
    minutes: str
    items: list[AgendaItemOut]
    signin_token: str | None = Field(description="会场签到二维码的内容；仅工作人员可见")

    @staticmethod
    def resolve_quorum_met(obj) -> bool:
        return quorum_met(obj)

    @staticmethod
    def resolve_quorum_text(obj) -> str:
        return quorum_text(obj)

    @staticmethod
    def resolve_items(obj) -> list:
        return obj.item_rows

    @staticmethod
    def resolve_signin_token(obj) -> str | None:
        return obj.signin_token if obj.show_token else None


class AgendaItemIn(Schema):
    title: str = Field(max_length=200)
    text: str = ""
    matter_id: int | None = Field(None, description="关联的重大事项")


class MeetingIn(Schema):
    body_id: int
    title: str = Field(max_length=200)
    starts_at: datetime.datetime = Field(description="不带时区时按北京时间")
    place: str = Field(max_length=200)
    items: list[AgendaItemIn] = Field(max_length=100)
    matter_type: str = Field(
        "", max_length=20, description="决定适用的表决规则，如 charter、recall"
    )


class NotifyIn(Schema):
    urgent_reason: str = Field("", max_length=500, description="距开会不足章程规定的天数时必填")


class SignInIn(Schema):
    token: str = Field(max_length=100, description="会场二维码中的签到码")


class AttendanceIn(Schema):
    membership_id: int


class AttendanceRow(Schema):
    membership_id: int
    name: str
    role: str
    present: bool
    method: str | None
    signed_in_at: datetime.datetime | None


class AttendanceOut(Schema):
    expected: int | None
    present: int
    quorum_met: bool
    quorum_text: str
    members: list[AttendanceRow]


# --- polls and ballots -------------------------------------------------------------------


class PollIn(Schema):
    question: str = Field(max_length=300)
    mode: str = Field("online", max_length=10, description="online、paper 或 hands")
    secret: bool = False


class PollOut(Schema):
    id: int
    meeting_id: int
    agenda_item_id: int
    question: str
    kind: str = Field("decision", description="decision（表决）或 appraisal（述职评议）")
    mode: str
    secret: bool
    status: str
    status_label: str
    rule: RuleOut
    expected: int
    present: int
    opened_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    published_at: datetime.datetime | None
    yes: int | None = Field(description="公布后可见（工作人员截止后即可见）")
    no: int | None
    abstain: int | None
    passed: bool | None
    result_text: str
    ballots_hash: str
    ballots_cast: int | None = Field(description="已投票数；仅工作人员可见")
    is_voter: bool = Field(description="调用者是否在本次表决的投票人名单中")
    has_voted: bool


class BallotIn(Schema):
    choice: str = Field(
        max_length=12,
        description="yes、no 或 abstain；述职评议为 satisfied、basically 或 dissatisfied",
    )


class AssistedBallotIn(BallotIn):
    membership_id: int
    reason: str = Field(max_length=200, description="代为录入的原因")


class BallotOut(Schema):
    id: int
    poll_id: int
    membership_id: int
    choice: str
    method: str
    assist_reason: str
    cast_at: datetime.datetime


class TellerCountIn(Schema):
    yes: int
    no: int
    abstain: int


class TellerCountOut(Schema):
    poll_id: int
    teller: str
    yes: int
    no: int
    abstain: int
    entered_at: datetime.datetime

    @staticmethod
    def resolve_teller(obj) -> str:
        return str(obj.teller)


class PollResultOut(Schema):
    poll_id: int
    question: str
    status: str
    rule: RuleOut
    expected: int
    present: int
    yes: int
    no: int
    abstain: int
    passed: bool | None
    result_text: str
    ballots_hash: str
    verified: bool | None = Field(
        description="存储的票数和哈希与选票重新计算的结果一致；纸质或举手表决为 null"
    )
