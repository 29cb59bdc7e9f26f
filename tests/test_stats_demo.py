"""The dashboard on the demo subdistrict: every number that links to a list is the length (or
the sum) of that list; the query count does not grow with the number of communities."""

import datetime
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from zizhi.accounts.models import User
from zizhi.audit.log import record
from zizhi.registry import demo
from zizhi.registry.models import Community, Resident
from zizhi.stats import big, dashboard, figures, rollup
from zizhi.stats.period import Period
from zizhi.stats.summary_models import SummaryState

from .test_demo import built, built_once  # noqa: F401  (the demo, built once per module)

MAX_QUERIES = 30
ONE_DAY = datetime.timedelta(days=1)


def _get(client, url):
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)
    assert page.status_code == 200, url
    return page, len(queries)


def test_each_linked_count_is_the_length_of_its_list(built, client):  # noqa: F811
    client.force_login(User.objects.get(phone="13800000101"))  # HD's worker
    page, _ = _get(client, reverse("stats:community", args=["HD"]) + "?fresh=1")
    board = page.context["board"]
    cards = [item for _label, items in page.context["cards"] for item in items]
    checked = 0
    for figure, value, href in cards:
        if not href.startswith("/c/HD/dashboard/") or figure.is_rate or figure.unit != "人":
            continue
        listed, _ = _get(client, href)
        assert listed.context["page"].paginator.count == value, figure.key
        checked += 1
    for key in ("matters", "suggestions"):
        listed, _ = _get(
            client, f"{reverse('stats:list', args=['HD', key])}?{board.period.query()}"
        )
        assert listed.context["page"].paginator.count == board.total.values[key], key
    assert checked >= 4  # participants, members, volunteers, depositors
    assert board.total.values["participants"] > 0 and board.total.values["volunteer_hours"] > 0


def test_queries_do_not_grow_with_the_communities(built, client):  # noqa: F811
    client.force_login(User.objects.get(phone=demo.ADMIN_LOGIN.phone))
    _, one = _get(client, reverse("stats:community", args=["HD"]) + "?fresh=1")
    _, seven = _get(client, reverse("stats:subdistrict", args=["dh"]) + "?fresh=1")
    client.force_login(User.objects.get(phone=demo.CITY_LOGIN.phone))
    _, city = _get(client, reverse("stats:city", args=[demo.CITY_CODE]) + "?fresh=1")
    assert seven <= MAX_QUERIES and city <= MAX_QUERIES
    assert seven - one <= 2  # the subdistrict's row and its communities
    # a repeat view comes from the cache
    _get(client, reverse("stats:city", args=[demo.CITY_CODE]))
    cached, n = _get(client, reverse("stats:city", args=[demo.CITY_CODE]))
    assert cached.context["board"].from_cache and n < city / 2


def test_the_subdistrict_page_compares_its_communities_with_charts_and_tables(built, client):  # noqa: F811
    client.force_login(User.objects.get(phone=demo.ADMIN_LOGIN.phone))
    page, _ = _get(client, reverse("stats:subdistrict", args=["dh"]))
    html = page.content.decode()
    board = page.context["board"]
    assert len(board.rows) == 7
    total = sum(row.values["residents"] for row in board.rows)
    assert total == board.total.values["residents"] == Resident.objects.count()
    # trend, compared, pyramid, depositors' ages, matters' stages: pictures hidden from
    # screen readers, each with its table
    assert len(re.findall(r'<svg[^>]*aria-hidden="true"', html)) >= 4 + 4 + 3
    assert html.count("<table") >= 5
    # each community's figure links to that community's list
    assert reverse("stats:list", args=["XH", "participants"]) in html
    assert sum(m["service_minutes"] for m in board.trend) > 0


PERIODS = [
    ("last 12 months", None),
    ("this month", lambda t: (t.replace(day=1), t)),
    (
        "last month",
        lambda t: ((t.replace(day=1) - ONE_DAY).replace(day=1), t.replace(day=1) - ONE_DAY),
    ),
    ("mid-month to mid-month", lambda t: (t.replace(day=1) - 100 * ONE_DAY, t - 20 * ONE_DAY)),
    ("yesterday", lambda t: (t - ONE_DAY, t - ONE_DAY)),
    ("three years", lambda t: (t - 1000 * ONE_DAY, t)),
]


def _both(ids, period):
    latest = dashboard.latest_events(ids)
    split = rollup.split(ids, latest)
    return (
        figures.per_community(ids, period, split),
        split,
        figures.per_community(ids, period, big.Split(live=list(ids))),
    )


def test_the_summaries_give_the_figures_of_the_rows(built):  # noqa: F811
    ids = list(Community.objects.values_list("pk", flat=True))
    today = timezone.localdate()
    assert SummaryState.objects.count() == len(ids)  # the demo summarised its year
    for label, make in PERIODS:
        period = Period.last_12_months() if make is None else Period(*make(today))
        (summed, trend), split, (counted, live_trend) = _both(ids, period)
        assert len(split.rolled) == len(ids), label
        assert summed == counted, label
        assert trend == live_trend, label
    assert any(row["participants"] for row in counted.values())


def test_a_change_makes_its_community_live_until_the_next_rollup(built, client):  # noqa: F811
    hd = Community.objects.get(code="HD")
    ids = list(Community.objects.values_list("pk", flat=True))
    record(None, "stats.test_change", hd, community=hd)
    (summed, trend), split, (counted, live_trend) = _both(ids, Period.last_12_months())
    assert split.live == [hd.pk] and len(split.rolled) == len(ids) - 1
    assert summed == counted and trend == live_trend
    rollup.refresh(rollup.changed(), days=40)
    assert rollup.split(ids, dashboard.latest_events(ids)).live == []
