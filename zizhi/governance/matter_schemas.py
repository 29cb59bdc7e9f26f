"""API shapes of major matters: the matter, its timeline, the moves allowed now, and the
records of each step (review, escalation, consultation, resolution, implementation)."""

import datetime

from ninja import Field, Schema

from .schemas import label


class MatterIn(Schema):
    community: str = Field(max_length=20, description="社区代码，如 HD")
    title: str = Field(max_length=200)
    matter_type: str = Field(max_length=20, description="general、budget、construction ...")
    text: str = Field(max_length=20000)
    why_major: str = Field(max_length=5000, description="属于重大事项的理由")


class MatterOut(Schema):
    id: int
    community: str
    number: str
    title: str
    matter_type: str
    matter_type_label: str
    workflow: str = Field(description="seed（党支部审议）或 four_two（四议两公开）")
    state: str
    state_label: str
    registered_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_community(obj) -> str:
        return obj.community.code

    @staticmethod
    def resolve_matter_type_label(obj) -> str:
        return label(obj, "matter_type")

    @staticmethod
    def resolve_state_label(obj) -> str:
        return str(obj.state_label)


class StepOut(Schema):
    move: str
    move_label: str
    from_state: str
    to_state: str
    actor_label: str
    at: datetime.datetime
    note: str
    meeting_id: int | None
    poll_id: int | None
    link_url: str
    link_label: str

    @staticmethod
    def resolve_move_label(obj) -> str:
        return str(obj.move_label)


class MoveOut(Schema):
    move: str
    label: str
    by: str = Field(description="worker、branch、committee 或 system（由计票结果决定）")
    allowed_for_you: bool = Field(description="调用者能否进行这一步")
    via: str = Field(description="进行这一步的 API 调用")


class OpinionOut(Schema):
    membership_id: int
    name: str
    stance: str
    stance_label: str
    text: str
    at: datetime.datetime

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.membership.name

    @staticmethod
    def resolve_stance_label(obj) -> str:
        return label(obj, "stance")


class ReviewOut(Schema):
    id: int
    started_at: datetime.datetime
    outcome: str
    conclusion: str
    concluded_at: datetime.datetime | None
    opinions: list[OpinionOut]

    @staticmethod
    def resolve_opinions(obj) -> list:
        return list(obj.opinions.all())


class EscalationOut(Schema):
    id: int
    matter_id: int
    question: str
    asked_at: datetime.datetime
    instruction: str
    answered_at: datetime.datetime | None


class ConsultationOut(Schema):
    id: int
    base: str
    base_count: int
    question: str
    opened_at: datetime.datetime
    closed_at: datetime.datetime | None
    answers: int
    consents: int | None = Field(description="同意否决的人数（户数）；结束后可见")
    consented: bool | None
    result_text: str

    @staticmethod
    def resolve_answers(obj) -> int:
        return obj.answer_count

    @staticmethod
    def resolve_consents(obj) -> int | None:
        return obj.consents if obj.closed_at else None


class ResolutionOut(Schema):
    number: str
    text: str
    poll_id: int
    adopted_at: datetime.datetime
    notice_url: str
    result_notice_url: str


class ImplementationOut(Schema):
    id: int
    title: str
    responsible: str
    deadline: datetime.date
    done_at: datetime.datetime | None
    outcome: str


class MatterDetailOut(MatterOut):
    text: str
    why_major: str
    steps: list[StepOut]
    moves: list[MoveOut] = Field(description="当前环节可以进行的下一步")
    review: ReviewOut | None
    escalation: EscalationOut | None
    consultation: ConsultationOut | None
    resolution: ResolutionOut | None
    implementation: list[ImplementationOut]

    # The route puts the records of the steps in `obj.api` (see api_matters.detail).
    @staticmethod
    def resolve_steps(obj) -> list:
        return obj.api["steps"]

    @staticmethod
    def resolve_moves(obj) -> list:
        return obj.api["moves"]

    @staticmethod
    def resolve_review(obj):
        return obj.api["review"]

    @staticmethod
    def resolve_escalation(obj):
        return obj.api["escalation"]

    @staticmethod
    def resolve_consultation(obj):
        return obj.api["consultation"]

    @staticmethod
    def resolve_resolution(obj):
        return obj.api["resolution"]

    @staticmethod
    def resolve_implementation(obj) -> list:
        return obj.api["implementation"]


class MoveIn(Schema):
    move: str = Field(
        max_length=24, description="start_review、propose、discuss、party_review、submit"
    )
    note: str = ""


class OpinionIn(Schema):
    membership_id: int
    stance: str = Field(max_length=10, description="agree、disagree 或 unsure")
    text: str = ""


class ReviewIn(Schema):
    outcome: str = Field(max_length=16, description="submit、intend_reject 或 escalate")
    conclusion: str
    base: str = Field("adult_residents", max_length=24, description="拟否决时征求意见的基数")


class InstructionIn(Schema):
    instruction: str


class ConsultationAnswerIn(Schema):
    resident_id: int
    consent: bool = Field(description="是否同意否决")


class ConsultationAnswerOut(Schema):
    resident_id: int
    consent: bool
    channel: str
    at: datetime.datetime


class AgendaIn(Schema):
    meeting_id: int = Field(description="本社区居民代表大会尚未结束的会议")


class ImplementationIn(Schema):
    title: str = Field(max_length=200)
    responsible: str = Field(max_length=50)
    deadline: datetime.date


class FinishIn(Schema):
    outcome: str
