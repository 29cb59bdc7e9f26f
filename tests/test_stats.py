"""The dashboard's figures on hand-made rows: what is counted, over which days, and who sees
them (a city administrator sees figures, never the lists of names)."""

import datetime

import pytest
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from zizhi.accounts.models import Role, RoleKind
from zizhi.associations.models import ServiceRecord
from zizhi.audit.log import record
from zizhi.mediation.models import MediationCase
from zizhi.proposals.models import Suggestion
from zizhi.registry.models import City
from zizhi.stats import dashboard, figures
from zizhi.stats.period import BadPeriod, Period, from_query
from zizhi.stats.scope import get_scope

from . import factories as f
from .bank_rows import service_record

START = datetime.date(2026, 3, 1)
END = datetime.date(2026, 3, 31)
MARCH = Period(START, END)


def _at(day: datetime.date, hour=12):
    return datetime.datetime.combine(day, datetime.time(hour), timezone.get_current_timezone())


def _board(user, kind, code, period=MARCH):
    return dashboard.compute(get_scope(user, kind, code), period)


@pytest.fixture
def city(world):
    city = City.objects.create(code="zs", name="示范市")
    world.dh.city = city
    world.dh.save()
    admin = f.user(name="市级管理员")
    Role.objects.create(user=admin, kind=RoleKind.CITY_ADMIN, city=city)
    return admin


def test_service_is_counted_on_the_period_days_only(world):
    r = f.resident(world.hd, "志愿者甲")
    days = [START - datetime.timedelta(days=1), START, END, END + datetime.timedelta(days=1)]
    for day in days:
        service_record(world, r, 60, day=day)  # records are append-only (PostgreSQL)
    board = _board(world.worker_a, "community", "HD")
    assert board.total.values["volunteer_hours"] == 2.0  # the first and the last day
    assert board.total.additive["service_minutes"] == 120


def test_a_subdistrict_is_the_sum_of_its_communities(world):
    for community, n in ((world.hd, 3), (world.xh, 2), (world.nhc, 5)):
        for i in range(n):
            f.resident(community, f"居民{i}")
    board = _board(world.subadmin, "subdistrict", "dh", Period.last_12_months())
    by_code = {row.unit.code: row.values["residents"] for row in board.rows}
    # HD also has resident_a, XH resident_b (the world's logins)
    assert by_code == {"HD": 4, "XH": 3}
    assert board.total.values["residents"] == 7  # NH is another subdistrict's


def _suggestion(community, n, **fields):
    return Suggestion.objects.create(
        community=community,
        number=f"HD-S-{n}",
        title="路灯坏了",
        text="三栋门口的路灯不亮",
        category="facilities",
        channel="office",
        accept_due=END,
        resident=community.residents.first() or f.resident(community, "建议人"),
        created_at=_at(START + datetime.timedelta(days=n)),
        **{"status": "replied", **fields},
    )


def test_suggestion_rates_count_replies_and_ratings(world):
    replied = {"replied_at": _at(END), "reply_due": END}
    _suggestion(world.hd, 1, rating="satisfied", **replied)
    _suggestion(world.hd, 2, rating="dissatisfied", late=True, **replied)
    _suggestion(world.hd, 3, rating="basic", **replied)
    _suggestion(world.hd, 4, status="accepted")  # not replied yet, not rated
    values = _board(world.worker_a, "community", "HD").total.values
    assert values["suggestions"] == 4
    assert values["suggestions_on_time"] == round(100 * 2 / 3, 1)
    assert values["suggestions_satisfied"] == round(100 * 2 / 3, 1)


def test_mediation_agreement_rate_is_of_decided_cases(world):
    def case(n, **fields):
        made = MediationCase.objects.create(
            community=world.hd,
            number=f"HD调2026-{n:04d}",
            kind="noise",
            status="registered",
            source="walk_in",
            description="楼上噪音",
            registered_by=world.worker_a,
            **fields,
        )
        MediationCase.objects.filter(pk=made.pk).update(registered_at=_at(START))

    case(1, outcome_on=END)
    case(2, outcome_on=END)
    case(3, outcome_on=END, referral_to="court")
    case(4)
    values = _board(world.worker_a, "community", "HD").total.values
    assert values["mediation_cases"] == 4
    assert values["mediation_agreement"] == round(100 * 2 / 3, 1)


def test_ages_are_counted_at_the_end_of_the_period(world):
    from zizhi.associations.models import Volunteer

    today = timezone.localdate()
    born = today.replace(year=today.year - 70)  # 70 today (the period's end)
    for i, day in enumerate((born, born + datetime.timedelta(days=1))):
        r = f.resident(world.hd, f"志愿者{i}", born=day)
        Volunteer.objects.create(
            resident=r, community=world.hd, number=f"V{i}", registered_by=world.worker_a
        )
    bands = figures.volunteer_bands([world.hd.pk], Period.last_12_months())[world.hd.pk]
    pyramid = figures.pyramid(bands)
    people = {band: sum(by_gender.values()) for band, by_gender in pyramid.items()}
    assert people["70-79"] == 1 and people["60-69"] == 1 and sum(people.values()) == 2


def test_rates_without_a_denominator_show_a_dash(world, client):
    client.force_login(world.worker_a)
    page = client.get(reverse("stats:community", args=["HD"]) + "?" + MARCH.query())
    assert page.status_code == 200
    values = page.context["board"].total.values
    assert values["suggestions_on_time"] is None and values["mediation_agreement"] is None
    assert "—" in page.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"from": "2026-13-01"}, "日期格式"),
        ({"from": "2026-05-01", "to": "2026-04-01"}, "开始日期不能晚于结束日期"),
        ({"from": "2000-01-01", "to": "2026-04-01"}, "最长五年"),
    ],
)
def test_a_bad_period_gets_a_message_not_an_error(world, client, query, message):
    with pytest.raises(BadPeriod, match=message):
        from_query(query)
    client.force_login(world.worker_a)
    page = client.get(reverse("stats:community", args=["HD"]), query)
    assert page.status_code == 200
    assert message in page.content.decode()
    assert page.context["period"] == Period.last_12_months()


def test_the_city_admin_sees_figures_of_the_city_only(world, city, client):
    client.force_login(city)
    for name, code in (
        ("stats:city", "zs"),
        ("stats:subdistrict", "dh"),
        ("stats:community", "HD"),
    ):
        assert client.get(reverse(name, args=[code])).status_code == 200, name
    # another subdistrict (not in the city), and the lists of names
    assert client.get(reverse("stats:subdistrict", args=["nh"])).status_code == 404
    assert client.get(reverse("stats:community", args=["NH"])).status_code == 404
    assert client.get(reverse("stats:list", args=["HD", "participants"])).status_code == 404
    page = client.get(reverse("stats:community", args=["HD"])).content.decode()
    assert reverse("stats:list", args=["HD", "participants"]) not in page
    city_page = client.get(reverse("stats:city", args=["zs"]))
    assert [row.unit.code for row in city_page.context["board"].rows] == ["dh"]
    assert reverse("stats:subdistrict", args=["dh"]) in city_page.content.decode()


def test_who_sees_which_dashboard(world, city, client):
    cases = [
        (world.worker_a, "stats:community", "HD", 200),
        (world.worker_a, "stats:community", "XH", 404),
        (world.worker_a, "stats:subdistrict", "dh", 404),
        (world.subadmin, "stats:subdistrict", "dh", 200),
        (world.subadmin, "stats:community", "XH", 200),
        (world.subadmin, "stats:city", "zs", 404),
        (world.subadmin_other, "stats:subdistrict", "dh", 404),
        (world.resident_a, "stats:community", "HD", 404),
        (world.resident_a, "stats:city", "zs", 404),
    ]
    for user, name, code, status in cases:
        client.force_login(user)
        assert client.get(reverse(name, args=[code])).status_code == status, (user, name, code)


def test_the_cache_is_renewed_when_the_community_changes(world, client, settings):
    client.force_login(world.worker_a)
    url = reverse("stats:community", args=["HD"]) + "?" + MARCH.query()
    assert client.get(url).context["board"].total.values["suggestions"] == 0
    repeat = client.get(url).context["board"]
    assert repeat.from_cache
    _suggestion(world.hd, 5)  # a row without an audit event: the cache still answers
    assert client.get(url).context["board"].total.values["suggestions"] == 0
    record(world.worker_a, "proposals.suggestion_registered", world.hd, community=world.hd)
    fresh = client.get(url).context["board"]
    assert not fresh.from_cache and fresh.total.values["suggestions"] == 1
    # XH's change does not renew HD's figures
    record(world.worker_b, "proposals.suggestion_registered", world.xh, community=world.xh)
    assert client.get(url).context["board"].from_cache


def test_the_list_behind_hours_adds_up_to_the_figure(world, client):
    r = f.resident(world.hd, "志愿者乙")
    for minutes in (30, 45, 90):
        service_record(world, r, minutes, day=START)
    client.force_login(world.worker_a)
    page = client.get(
        reverse("stats:list", args=["HD", "service"]), {"from": "2026-03-01", "to": "2026-03-31"}
    )
    assert page.status_code == 200
    assert page.context["page"].paginator.count == 3
    total = ServiceRecord.objects.filter(community=world.hd).aggregate(s=Sum("minutes"))["s"]
    assert (
        round(total / 60, 1)
        == _board(world.worker_a, "community", "HD").total.values["volunteer_hours"]
    )
    assert "志愿者乙" in page.content.decode()
    assert client.get(reverse("stats:list", args=["HD", "nonsense"])).status_code == 404


def test_home_pages_lead_to_the_dashboards(world, city, client):
    client.force_login(city)
    home = client.get(reverse("web:home")).content.decode()
    assert reverse("stats:city", args=["zs"]) in home
    assert reverse("stats:subdistrict", args=["dh"]) in home
    client.force_login(world.subadmin)
    home = client.get(reverse("web:home")).content.decode()
    assert reverse("stats:subdistrict", args=["dh"]) in home
    client.force_login(world.worker_a)
    home = client.get(reverse("web:home")).content.decode()
    assert reverse("stats:community", args=["HD"]) in home
    assert reverse("stats:subdistrict", args=["dh"]) not in home


def test_the_rollup_command_counts_every_community_then_the_changed_ones(world):
    import io

    from django.core.management import call_command

    from zizhi.stats.summary_models import DaySummary, SummaryState

    r = f.resident(world.hd, "志愿者丙")
    rec = service_record(world, r, 50)  # yesterday's service
    out = io.StringIO()
    call_command("stats", "rollup", stdout=out, stderr=io.StringIO())
    assert "已重算 3 个社区的汇总" in out.getvalue()
    assert SummaryState.objects.count() == 3
    day = DaySummary.objects.get(community=world.hd, day=rec.service_date)
    assert day.service_minutes == 50
    before = dict(SummaryState.objects.values_list("community_id", "computed_at"))
    record(world.worker_a, "stats.test_change", world.hd, community=world.hd)
    out = io.StringIO()
    call_command("stats", "rollup", "--changed", "--days", "3", stdout=out, stderr=io.StringIO())
    assert "已重算 1 个社区的汇总" in out.getvalue()
    after = dict(SummaryState.objects.values_list("community_id", "computed_at"))
    assert after[world.hd.pk] > before[world.hd.pk]
    assert after[world.xh.pk] == before[world.xh.pk]


def test_the_dashboards_reads_go_to_the_replica_when_there_is_one(monkeypatch):
    from zizhi.registry.models import Resident
    from zizhi.stats import router as routing
    from zizhi.stats.router import DashboardRouter, reading_replica

    router = DashboardRouter()
    assert router.db_for_read(Resident) is None
    with reading_replica():
        assert router.db_for_read(Resident) is None  # no replica configured
    monkeypatch.setattr(routing, "replica_configured", lambda: True)  # REPLICA_URL set
    with reading_replica():
        assert router.db_for_read(Resident) == "replica"
        assert router.db_for_write(Resident) is None
    assert router.db_for_read(Resident) is None
    assert router.allow_migrate("replica", "registry") is False


def test_the_api_gives_the_dashboards_figures(world, city, client):
    from zizhi.accounts.actions import do_create_api_token

    def get(user, kind, code, **params):
        key = do_create_api_token("看板", actor=user)
        url = reverse("api:stats_dashboard", args=[kind, code])
        return client.get(url, params, HTTP_AUTHORIZATION=f"Bearer {key}")

    answer = get(world.subadmin, "subdistrict", "dh", **{"from": "2026-03-01", "to": "2026-03-31"})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["from"], body["to"]) == ("2026-03-01", "2026-03-31")
    assert [u["code"] for u in body["units"]] == ["HD", "XH"]
    assert body["total"] == _board(world.subadmin, "subdistrict", "dh").total.values
    assert {f["key"] for f in body["figures"]} == set(body["total"])
    assert len(body["trend"]) == 12 and body["trend"][-1]["month"] == "2026-03"
    assert get(world.worker_a, "subdistrict", "dh").status_code == 404
    assert get(city, "city", "zs").json()["units"][0]["code"] == "dh"
    bad = get(world.worker_a, "community", "HD", **{"from": "2026-05-01", "to": "2026-04-01"})
    assert bad.status_code == 400 and "开始日期不能晚于结束日期" in bad.content.decode()
