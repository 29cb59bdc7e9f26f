"""API schemas of the charter's versions and of duty reports and their appraisals."""

import datetime

from ninja import Field, Schema


class BylawOut(Schema):
    title: str
    text: str
    order: int


class CharterNumbers(Schema):
    motion_cosigners: int = Field(description="居民议案须有的代表附议人数")
    meeting_notice_days: int = Field(description="会议提前通知天数")
    workflow: str = Field(description="议事流程：seed 或 four_two")
    quorum_num: int
    quorum_den: int
    quorum_strict: bool = Field(description="是：超过；否：以上（含本数）")
    pass_num: int
    pass_den: int
    pass_strict: bool
    pass_of_all: bool = Field(description="一般事项：是，以应到人数计；否，以实到人数计")
    charter_pass_num: int
    charter_pass_den: int
    charter_pass_strict: bool
    recall_pass_num: int
    recall_pass_den: int
    recall_pass_strict: bool


class CharterVersionOut(CharterNumbers):
    number: int
    status: str
    status_label: str
    text: str
    note: str
    in_force_from: datetime.date | None
    resolution: str | None = Field(description="通过该版本的决议编号")
    matter_id: int | None = Field(description="提请表决的重大事项")
    numbers_in_words: list[list[str]]
    bylaws: list[BylawOut]
    diff: str = Field("", description="与上一版本的差异（unified diff），仅单个版本返回")


class NumbersIn(Schema):
    motion_cosigners: int | None = None
    meeting_notice_days: int | None = None
    workflow: str | None = None
    quorum_num: int | None = None
    quorum_den: int | None = None
    quorum_strict: bool | None = None
    pass_num: int | None = None
    pass_den: int | None = None
    pass_strict: bool | None = None
    pass_of_all: bool | None = None
    charter_pass_num: int | None = None
    charter_pass_den: int | None = None
    charter_pass_strict: bool | None = None
    recall_pass_num: int | None = None
    recall_pass_den: int | None = None
    recall_pass_strict: bool | None = None


class BylawIn(Schema):
    title: str = Field(max_length=100)
    text: str = ""


class CharterEditIn(Schema):
    text: str
    note: str = Field("", max_length=300)
    numbers: NumbersIn = Field(default_factory=NumbersIn, description="只填要改的数字")
    bylaws: list[BylawIn] | None = Field(None, description="配套制度（按顺序）；不填则不变")


class AppraisalOut(Schema):
    satisfied: int
    basically: int
    dissatisfied: int
    result_text: str
    notice_url: str


class DutyReportOut(Schema):
    id: int
    community: str
    cadre_id: int
    cadre_name: str
    period: str
    scheduled_on: datetime.date
    meeting_id: int | None
    poll_id: int | None
    title: str
    text: str
    status: str
    published_at: datetime.datetime | None
    notice_url: str
    appraisal: AppraisalOut | None


class ReportIn(Schema):
    cadre_id: int
    period: str = Field(max_length=30)
    scheduled_on: datetime.date
    meeting_id: int | None = None
    title: str = Field("", max_length=200)


class PublishReportIn(Schema):
    text: str


class AppraisalPollIn(Schema):
    mode: str = Field("online", description="online、paper 或 hands")
    secret: bool = Field(True, description="默认无记名")
