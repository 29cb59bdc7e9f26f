"""What the dashboard shows: each figure's label, how it is derived from the additive values
of figures.py, how it is written, and the list it counts (the link behind the number)."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _


def _ratio(top: str, bottom: str) -> Callable[[dict], float | None]:
    def value(v: dict):
        return round(100 * v.get(top, 0) / v[bottom], 1) if v.get(bottom) else None

    return value


def _hours(key: str) -> Callable[[dict], float]:
    return lambda v: round((v.get(key) or 0) / 60, 1)


def _yuan(key: str) -> Callable[[dict], float]:
    return lambda v: round((v.get(key) or 0) / 100, 2)


def _plain(key: str) -> Callable[[dict], int | float]:
    def value(v: dict):
        found = v.get(key) or 0
        return float(found) if isinstance(found, Decimal) else found

    return value


def _average_days(v: dict) -> float | None:
    return round(v["matter_days"] / v["matters_decided"], 1) if v.get("matters_decided") else None


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    section: str
    unit: str
    value: Callable[[dict], float | int | None]
    # the list behind the number: a stats list page ("list:<name>") or another app's page
    # ("url:<namespace:name>", taking the community's code), or "" for none
    link: str = ""
    is_rate: bool = False

    def of(self, values: dict):
        return self.value(values)


SECTIONS = [
    ("people", _("居民与参与")),
    ("associations", _("协会与志愿服务")),
    ("bank", _("道德银行")),
    ("matters", _("重大事项")),
    ("suggestions", _("居民建议")),
    ("green", _("绿地认领")),
    ("party", _("党员双报到")),
    ("mediation", _("矛盾调解")),
]

FIGURES = [
    Figure("residents", _("居民"), "people", _("人"), _plain("residents"), "url:registry:roster"),
    Figure("households", _("户数"), "people", _("户"), _plain("households"), "url:registry:households"),
    Figure("participants", _("参加活动的居民"), "people", _("人"), _plain("participants"), "list:participants"),
    Figure("participation_rate", _("参与率"), "people", "%", _ratio("participants", "residents"), "list:participants", True),
    Figure("associations", _("群团组织"), "associations", _("个"), _plain("associations"), "url:associations:associations"),
    Figure("association_members", _("会员"), "associations", _("人"), _plain("association_members"), "list:members"),
    Figure("volunteers", _("在册志愿者"), "associations", _("人"), _plain("volunteers"), "list:volunteers"),
    Figure("volunteer_hours", _("志愿服务时长"), "associations", _("小时"), _hours("service_minutes"), "list:service"),
    Figure("depositors", _("储户"), "bank", _("人"), _plain("depositors"), "list:depositors"),
    Figure("credit_issued", _("存入时长"), "bank", _("小时"), _hours("credit_issued"), "list:credit"),
    Figure("credit_redeemed", _("兑换时长"), "bank", _("小时"), _hours("credit_redeemed"), "list:redeemed"),
    Figure("credit_outstanding", _("储户余额合计"), "bank", _("小时"), _hours("credit_outstanding"), "list:depositors"),
    Figure("matters", _("登记的重大事项"), "matters", _("件"), _plain("matters"), "list:matters"),
    Figure("matters_decided", _("作出决定的事项"), "matters", _("件"), _plain("matters_decided"), "list:decided"),
    Figure("matter_avg_days", _("从登记到决定平均"), "matters", _("天"), _average_days, "list:decided"),
    Figure("suggestions", _("收到的建议"), "suggestions", _("件"), _plain("suggestions"), "list:suggestions"),
    Figure("suggestions_on_time", _("按时答复率"), "suggestions", "%", _ratio("replied_on_time", "replied"), "list:suggestions", True),
    Figure("suggestions_satisfied", _("满意率"), "suggestions", "%", _ratio("satisfied", "rated"), "list:suggestions", True),
    Figure("green_m2", _("认领绿地面积"), "green", _("平方米"), _plain("green_m2"), "url:greening:public_plots"),
    Figure("green_raised", _("自筹资金"), "green", _("元"), _yuan("green_raised"), "url:greening:fund"),
    Figure("green_used", _("资金使用"), "green", _("元"), _yuan("green_used"), "url:greening:fund"),
    Figure("party_reported", _("已报到党员"), "party", _("人"), _plain("party_reported"), "party:party:desk"),
    Figure("party_hours", _("党员服务时长"), "party", _("小时"), _hours("party_minutes"), "party:party:gaps"),
    Figure("mediation_cases", _("调解案件"), "mediation", _("件"), _plain("mediation_cases"), "url:mediation:stats"),
    Figure("mediation_agreement", _("调解成功率"), "mediation", "%", _ratio("mediation_agreed", "mediation_decided"), "url:mediation:stats", True),
]  # fmt: skip

BY_KEY = {f.key: f for f in FIGURES}

# the figures compared side by side in the chart of communities (or subdistricts)
COMPARED = ["participation_rate", "volunteer_hours", "credit_issued", "suggestions_on_time"]


def sections() -> list[tuple[str, str, list[Figure]]]:
    return [(key, label, [f for f in FIGURES if f.section == key]) for key, label in SECTIONS]


def values_of(additive: dict) -> dict:
    """Every figure's shown value from one unit's additive values."""
    return {f.key: f.of(additive) for f in FIGURES}


def add(units: list[dict]) -> dict:
    """The additive values of several units together."""
    total: dict = {}
    for values in units:
        for key, value in values.items():
            total[key] = total.get(key, 0) + (value or 0)
    return total
