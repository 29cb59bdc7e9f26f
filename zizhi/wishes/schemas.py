"""API shapes of wishes. The public shape never names the beneficiary; the beneficiary's own
shape and the staff shape do (to them alone)."""

import datetime

from ninja import Field, Schema


class WishOut(Schema):
    """A wish as anyone may see it: the worker's public wording, no person."""

    id: int
    community: str = Field(description="社区代码")
    title: str
    public_text: str
    category: str = Field(description="goods、service、company 或 other")
    category_label: str
    value_cap_fen: int | None = Field(description="物品估价上限（分），不超过 50000")
    status: str
    status_label: str
    rolled_over_times: int = Field(description="顺延次数；越多越优先")
    published_at: datetime.datetime | None

    @staticmethod
    def resolve_community(obj) -> str:
        return obj.community.code

    @staticmethod
    def resolve_category_label(obj) -> str:
        return str(obj.get_category_display())

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())


class MyWishOut(WishOut):
    """The beneficiary's own wish (and the staff's view): the wording they wrote too."""

    text: str
    reject_reason: str
    created_at: datetime.datetime


class StaffWishOut(MyWishOut):
    beneficiary_id: int
    beneficiary_name: str
    by_worker: bool

    @staticmethod
    def resolve_beneficiary_name(obj) -> str:
        return obj.beneficiary.name


class WishIn(Schema):
    text: str = Field(description="心愿内容，如：想要一台收音机")
    category: str = Field(description="goods、service、company 或 other")
    value_cap_yuan: int | None = Field(None, description="物品估价（元），不超过 500")
    beneficiary_id: int | None = Field(None, description="工作人员代为登记时：受助居民的 id")


class VerifyIn(Schema):
    title: str = Field(description="公开标题，不得出现姓名、电话、住址")
    public_text: str = ""
    contact_hint: str = Field("", description="给认领人的联系提示，认领后可见")


class WishReasonIn(Schema):
    reason: str


class WishClaimIn(Schema):
    kind: str = Field(description="party_member、volunteer 或 association")
    association_id: int | None = None


class WishClaimOut(Schema):
    id: int
    wish: WishOut
    kind: str
    kind_label: str
    claimed_at: datetime.datetime
    contact_due: datetime.datetime = Field(description="须在此前联系受助人")
    contacted_at: datetime.datetime | None
    fulfilled_at: datetime.datetime | None
    confirmed_at: datetime.datetime | None
    lapsed_at: datetime.datetime | None
    minutes: int
    service_record_number: str

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())


class ContactIn(Schema):
    note: str


class FulfilIn(Schema):
    minutes: int = Field(ge=0, le=480, description="服务时长（分钟）")
    proof_text: str = Field(description="实现情况（照片请在网页上传）")


class ConfirmIn(Schema):
    note: str = Field("", description="工作人员代为确认时必填：上门走访情况")


class ContactOut(Schema):
    name: str
    phone: str
    hint: str = Field(description="社区写给认领人的联系提示")
