"""The demo year: the 365 days up to today, busier in some months than in others (the
dashboard's twelve-month trends are not flat), and growing as the platform is taken up."""

import bisect
import datetime
import random

from django.utils import timezone

# how busy each calendar month is (the Spring Festival in February, the summer heat)
MONTH_FACTOR = {
    1: 0.85,
    2: 0.55,
    3: 1.1,
    4: 1.2,
    5: 1.15,
    6: 1.0,
    7: 0.8,
    8: 0.75,
    9: 1.1,
    10: 1.0,
    11: 1.25,
    12: 1.05,
}


class Year:
    def __init__(self, today: datetime.date, now: datetime.datetime):
        self.today, self.now = today, now
        self.tz = timezone.get_current_timezone()
        self.days = [today - datetime.timedelta(days=n) for n in range(364, -1, -1)]
        self.cum, total = [], 0.0
        for i, day in enumerate(self.days):
            total += MONTH_FACTOR[day.month] * (0.7 + 0.6 * i / 364)
            self.cum.append(total)
        self.past = self.days[:-1]  # what ended already: up to yesterday

    def day(self, rng: random.Random, *, before_today: bool = True) -> datetime.date:
        """A day of the year, weighted by the month's factor and the uptake."""
        cum = self.cum[:-1] if before_today else self.cum
        return self.days[bisect.bisect_left(cum, rng.random() * cum[-1])]

    def at(self, day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
        return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.tz)

    def later(self, when: datetime.datetime, minutes: int) -> datetime.datetime:
        """`minutes` after `when`, but never after now."""
        return min(when + datetime.timedelta(minutes=minutes), self.now)

    def since(self, rng: random.Random, years: int) -> datetime.date:
        """A day in the `years` years before today (joining dates and the like)."""
        return self.today - datetime.timedelta(days=rng.randrange(1, 365 * years))
