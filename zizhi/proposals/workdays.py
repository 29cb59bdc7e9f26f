"""Working days in mainland China: weekends, the public holidays and the make-up working days
(调休) the State Council announces each year.

Sources, the first that knows the day wins:
1. the community's own entry in the editable table (`CalendarDay` with the community),
2. an entry for all communities (`CalendarDay` without a community),
3. the `chinesecalendar` package (its data covers the years in `builtin_years()`),
4. otherwise Monday to Friday are working days.
"""

import datetime
from functools import lru_cache

from django.db.models import Q

try:  # the maintained source; optional so a missing package only loses the holidays
    import chinese_calendar
except ImportError:  # pragma: no cover
    chinese_calendar = None

ONE_DAY = datetime.timedelta(days=1)
MAX_DAYS = 366  # a deadline further than a year away is refused


@lru_cache(maxsize=1)
def builtin_years() -> tuple[int, ...]:
    """The years the built-in calendar knows (empty without the package)."""
    if chinese_calendar is None:
        return ()
    return tuple(sorted({d.year for d in chinese_calendar.holidays}))


def _builtin(day: datetime.date) -> bool:
    if chinese_calendar is not None and day.year in builtin_years():
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            pass
    return day.weekday() < 5


def _overrides(community, start: datetime.date, end: datetime.date) -> dict:
    """{date: is_workday} from the editable table between start and end (inclusive), the
    community's own entries winning over the ones for all communities."""
    from .models import CalendarDay

    scope = Q(community__isnull=True)
    if community is not None:
        scope |= Q(community=community)
    rows = CalendarDay.objects.filter(scope, date__gte=start, date__lte=end).values_list(
        "date", "is_workday", "community_id"
    )
    found: dict = {}
    for day, workday, _community_id in sorted(rows, key=lambda r: r[2] is not None):
        found[day] = workday  # the community's entries come last and win
    return found


def is_workday(day: datetime.date, community=None) -> bool:
    override = _overrides(community, day, day)
    if day in override:
        return override[day]
    return _builtin(day)


def add_workdays(start: datetime.date, n: int, community=None) -> datetime.date:
    """The n-th working day after `start` (start itself is not counted): a suggestion filed on
    a Friday with 2 working days to accept it is due on Tuesday. n=0 is start itself."""
    if n < 0:
        raise ValueError("n must not be negative")
    if n == 0:
        return start
    # one query for the table: n working days fit in n*2+30 calendar days except in a
    # table that declares many weeks off; widen and retry in that case
    span = n * 2 + 30
    while True:
        end = start + datetime.timedelta(days=span)
        override = _overrides(community, start + ONE_DAY, end)
        day, left = start, n
        while day < end:
            day += ONE_DAY
            if override[day] if day in override else _builtin(day):
                left -= 1
                if left == 0:
                    return day
        if span >= MAX_DAYS * 4:
            raise ValueError("no working day found")
        span *= 2


def workdays_between(start: datetime.date, end: datetime.date, community=None) -> int:
    """The working days after start up to and including end (0 when end <= start)."""
    if end <= start:
        return 0
    override = _overrides(community, start + ONE_DAY, end)
    count, day = 0, start
    while day < end:
        day += ONE_DAY
        if override[day] if day in override else _builtin(day):
            count += 1
    return count
