"""API shapes of plots, adoptions, logs, donations and totals. Public shapes never name an
adopter who did not agree, nor who logged upkeep."""

import datetime

from django.urls import reverse
from ninja import Field, Schema


class PlotOut(Schema):
    id: int
    community: str
    name: str
    zone: str
    location: str
    area_m2: float
    kind: str
    kind_label: str
    state: str = Field(description="available、adopted、resting 或 retired")
    state_label: str
    adopter: str = Field(description="认领人名称（仅在其同意公开时），否则为“已被认领”或空")
    url: str

    @staticmethod
    def resolve_community(obj) -> str:
        return obj.community.code

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_state_label(obj) -> str:
        return str(obj.get_state_display())

    @staticmethod
    def resolve_adopter(obj) -> str:
        active = getattr(obj, "active_adoption", None)
        return str(active.public_name) if active else ""

    @staticmethod
    def resolve_url(obj) -> str:
        return reverse("greening:public_plot", args=[obj.community.code, obj.pk])


class PlotIn(Schema):
    community: str
    name: str
    zone: str = ""
    location: str
    area_m2: float = Field(gt=0)
    kind: str = Field(description="lawn、hedge、flower_bed 或 trees")
    description: str = ""


class StateIn(Schema):
    state: str = Field(description="available、resting 或 retired")
    reason: str = ""


class AdoptionOut(Schema):
    id: int
    plot_id: int
    plot: str
    community: str
    adopter_kind: str
    adopter_name: str
    starts_on: datetime.date
    ends_on: datetime.date
    show_name: bool
    status: str = Field(description="pending、active、rejected 或 ended")
    status_label: str
    review_note: str

    @staticmethod
    def resolve_plot(obj) -> str:
        return obj.plot.name

    @staticmethod
    def resolve_community(obj) -> str:
        return obj.community.code

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())


class ApplyIn(Schema):
    plot_id: int
    adopter_kind: str = Field(
        description="resident、household、party_member、association；工作人员代办时还可 unit"
    )
    starts_on: datetime.date
    ends_on: datetime.date
    show_name: bool = False
    contact_phone: str = ""
    note: str = ""
    resident_id: int | None = Field(None, description="工作人员代办时：居民")
    association_id: int | None = None
    unit_id: int | None = Field(None, description="工作人员代办时：辖区单位")


class AdoptionReviewIn(Schema):
    move: str = Field(description="approve、reject、renew 或 end")
    note: str = ""
    ends_on: datetime.date | None = Field(None, description="续期的新结束日期")


class UpkeepIn(Schema):
    done_on: datetime.date
    text: str


class InspectionIn(Schema):
    done_on: datetime.date
    text: str
    result: str = Field(description="good 或 needs_care")


class LogOut(Schema):
    id: int
    plot_id: int
    kind: str
    done_on: datetime.date
    text: str
    result: str


class GreeningDonationIn(Schema):
    community: str
    amount_fen: int = Field(gt=0)
    donor_kind: str = Field(description="resident、household、unit 或 anonymous")
    resident_id: int | None = None
    unit_id: int | None = None
    donor_label: str = ""
    receipt_no: str
    given_on: datetime.date
    purpose: str = ""
    plot_id: int | None = None


class DonationOut(Schema):
    id: int
    amount_fen: int
    donor_kind: str
    donor_label: str
    receipt_no: str
    given_on: datetime.date
    purpose: str
    plot_id: int | None
    finance_entry_id: int


class TotalsOut(Schema):
    community: str
    households_adopting: int
    adopters_by_kind: dict[str, int]
    adoptions_active: int
    m2_adopted: float
    m2_total: float
    plots: int
    plots_adopted: int
    funds_raised_fen: int
    funds_used_fen: int
    fund_balance_fen: int
