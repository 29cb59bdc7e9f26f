"""The date range every figure is counted over: from and to, both days included."""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_DAYS = 366 * 5


def _month_start(day: datetime.date, back: int = 0) -> datetime.date:
    month = day.year * 12 + day.month - 1 - back
    return datetime.date(month // 12, month % 12 + 1, 1)


def month_end(day: datetime.date) -> datetime.date:
    return _month_start(day, -1) - datetime.timedelta(days=1)


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    @classmethod
    def last_12_months(cls, today: datetime.date | None = None) -> "Period":
        today = today or timezone.localdate()
        return cls(_month_start(today, 11), today)

    @classmethod
    def month(cls, first: datetime.date) -> "Period":
        return cls(first.replace(day=1), month_end(first))

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """Aware datetimes: the start's midnight, and the midnight after the end."""
        tz = timezone.get_current_timezone()
        start = datetime.datetime.combine(self.start, datetime.time(), tz)
        end = datetime.datetime.combine(self.end + datetime.timedelta(days=1), datetime.time(), tz)
        return start, end

    def months(self) -> list[datetime.date]:
        """First days of the 12 months that end with the end's month (the trend's axis)."""
        return [_month_start(self.end, back) for back in range(11, -1, -1)]

    def query(self) -> str:
        return f"from={self.start.isoformat()}&to={self.end.isoformat()}"

    def __str__(self):
        return f"{self.start.isoformat()} – {self.end.isoformat()}"


class BadPeriod(ValueError):
    pass


def presets(today: datetime.date | None = None) -> list[tuple[str, Period]]:
    today = today or timezone.localdate()
    last_month = _month_start(today, 1)
    return [
        (gettext_lazy("本月"), Period(_month_start(today), today)),
        (gettext_lazy("上月"), Period.month(last_month)),
        (gettext_lazy("本年"), Period(datetime.date(today.year, 1, 1), today)),
        (gettext_lazy("近12个月"), Period.last_12_months(today)),
    ]


def from_query(params) -> Period:
    """The period asked for in ?from=YYYY-MM-DD&to=YYYY-MM-DD; the last 12 months if neither.
    BadPeriod with a message for the user if a date is not a date or the range is wrong."""
    default = Period.last_12_months()
    raw_from, raw_to = params.get("from", "").strip(), params.get("to", "").strip()
    try:
        start = datetime.date.fromisoformat(raw_from) if raw_from else default.start
        end = datetime.date.fromisoformat(raw_to) if raw_to else default.end
    except ValueError as exc:
        raise BadPeriod(_("日期格式应为 年-月-日，如 2026-01-31")) from exc
    if start > end:
        raise BadPeriod(_("开始日期不能晚于结束日期"))
    if (end - start).days > MAX_DAYS:
        raise BadPeriod(_("时间范围最长五年"))
    return Period(start, end)
