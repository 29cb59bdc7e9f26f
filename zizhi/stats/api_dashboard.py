"""数据看板 API: the figures of a community, a subdistrict or a city over a date range, for
the same people as the pages (scope.get_scope); others 404. Lists of names are not in it."""

from typing import Literal

from django.core.exceptions import ValidationError
from ninja import Field, Query, Router, Schema

from . import dashboard, definitions
from . import period as periods
from .scope import get_scope

router = Router(tags=["stats"])


class RangeIn(Schema):
    from_: str = Field("", alias="from", description="开始日期，如 2026-01-01；默认近12个月")
    to: str = Field("", description="结束日期，如 2026-11-30")


class FigureOut(Schema):
    key: str
    label: str
    section: str
    unit: str
    is_rate: bool


class UnitOut(Schema):
    kind: str
    code: str
    name: str
    values: dict[str, float | None]


class DashboardOut(Schema):
    kind: str
    code: str
    name: str
    start: str = Field(alias="from")
    end: str = Field(alias="to")
    figures: list[FigureOut]
    total: dict[str, float | None]
    units: list[UnitOut] = Field(description="各社区（街道、社区看板）或各街道（城市看板）")
    trend: list[dict[str, int | str]] = Field(
        description="近12个月：参与人数、服务分钟、存入分钟、建议件数"
    )
    from_cache: bool


@router.get(
    "/stats/dashboards/{kind}/{code}",
    response=DashboardOut,
    url_name="stats_dashboard",
    summary="数据看板的数字（社区、街道或城市；时间范围）",
    by_alias=True,
)
def get_dashboard(
    request, kind: Literal["community", "subdistrict", "city"], code: str, q: Query[RangeIn]
):
    scope = get_scope(request.auth, kind, code)
    try:
        period = periods.from_query({"from": q.from_, "to": q.to})
    except periods.BadPeriod as exc:
        raise ValidationError(str(exc)) from exc
    board = dashboard.get(scope, period)
    figures = definitions.FIGURES
    return {
        "kind": scope.kind,
        "code": scope.code,
        "name": scope.name,
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        "figures": [
            {"key": f.key, "label": str(f.label), "section": f.section, "unit": str(f.unit),
             "is_rate": f.is_rate}
            for f in figures
        ],
        "total": board.total.values,
        "units": [
            {"kind": r.unit.kind, "code": r.unit.code, "name": r.unit.name, "values": r.values}
            for r in board.rows
        ],
        "trend": [{**m, "month": m["month"].strftime("%Y-%m")} for m in board.trend],
        "from_cache": board.from_cache,
    }  # fmt: skip
