"""Working-day arithmetic for suggestion deadlines: weekends, the National Day holiday of 2026
(1-7 October off, Sunday 20 September and Saturday 10 October worked) from the chinesecalendar
package, and the community-editable table winning over it."""

import datetime

import pytest

from zizhi.proposals import workdays
from zizhi.proposals.models import CalendarDay

D = datetime.date
pytestmark = pytest.mark.django_db


def test_plain_weekend():
    # Friday + 1 working day is Monday (2026-11-06 Fri -> 2026-11-09 Mon)
    assert workdays.add_workdays(D(2026, 11, 6), 1) == D(2026, 11, 9)
    assert workdays.add_workdays(D(2026, 11, 6), 0) == D(2026, 11, 6)


def test_national_day_2026_is_skipped():
    assert not workdays.is_workday(D(2026, 10, 1))
    assert not workdays.is_workday(D(2026, 10, 7))
    # Tuesday 29 Sep + 2: the 30th, then the holiday, then Thursday 8 Oct
    assert workdays.add_workdays(D(2026, 9, 29), 2) == D(2026, 10, 8)


def test_make_up_working_days_count():
    assert workdays.is_workday(D(2026, 9, 20))  # a Sunday, worked
    assert workdays.is_workday(D(2026, 10, 10))  # a Saturday, worked
    # Friday 9 Oct + 1 is the make-up Saturday, not Monday 12 Oct
    assert workdays.add_workdays(D(2026, 10, 9), 1) == D(2026, 10, 10)
    # Saturday 19 Sep + 1 is the make-up Sunday 20 Sep
    assert workdays.add_workdays(D(2026, 9, 19), 1) == D(2026, 9, 20)


def test_fifteen_days_across_national_day():
    # Mon 28 Sep: 29, 30 (2), 8, 9, 10 Sat (5), 12-16 (10), 19-23 (15)
    assert workdays.add_workdays(D(2026, 9, 28), 15) == D(2026, 10, 23)
    assert workdays.workdays_between(D(2026, 9, 28), D(2026, 10, 23)) == 15


def test_community_table_overrides_the_builtin(world):
    CalendarDay.objects.create(community=world.hd, date=D(2026, 9, 30), is_workday=False)
    assert workdays.add_workdays(D(2026, 9, 29), 2, world.hd) == D(2026, 10, 9)
    assert workdays.add_workdays(D(2026, 9, 29), 2, world.xh) == D(2026, 10, 8)
    assert not workdays.is_workday(D(2026, 9, 30), world.hd)
    assert workdays.is_workday(D(2026, 9, 30), world.xh)


def test_community_entry_wins_over_the_all_communities_entry(world):
    CalendarDay.objects.create(community=None, date=D(2026, 11, 9), is_workday=False)
    CalendarDay.objects.create(community=world.hd, date=D(2026, 11, 9), is_workday=True)
    assert workdays.add_workdays(D(2026, 11, 6), 1, world.hd) == D(2026, 11, 9)
    assert workdays.add_workdays(D(2026, 11, 6), 1, world.xh) == D(2026, 11, 10)
    assert workdays.add_workdays(D(2026, 11, 6), 1) == D(2026, 11, 10)


def test_year_the_package_does_not_know_uses_weekends_and_the_table():
    last = workdays.builtin_years()[-1]
    new_year = D(last + 1, 1, 1)
    before = new_year - datetime.timedelta(days=1)
    expected = (
        new_year
        if new_year.weekday() < 5
        else new_year + datetime.timedelta(days=7 - new_year.weekday())
    )
    assert workdays.add_workdays(before, 1) == expected
    CalendarDay.objects.create(community=None, date=expected, is_workday=False, note="元旦")
    assert workdays.add_workdays(before, 1) > expected


def test_negative_is_refused():
    with pytest.raises(ValueError):
        workdays.add_workdays(D(2026, 1, 5), -1)
