"""Public statistics: counts by kind, outcome and month, the agreement rate, average days;
no names; cells of 1 or 2 cases read "<3"."""

import datetime

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zizhi.mediation.models import MediationCase
from zizhi.mediation.queries import statistics, suppressed

from . import mediation_rows as rows


def test_small_cells_are_suppressed():
    assert [suppressed(n) for n in (0, 1, 2, 3, 10)] == [0, "<3", "<3", 3, 10]


def _kind(stats, kind):
    return next(row for row in stats["by_kind"] if row["kind"] == kind)


def test_statistics_of_a_community(world):
    s = rows.scene(world)  # three noise cases: in mediation, agreed, not agreed
    # the agreed one took four days
    MediationCase.objects.filter(pk=s.agreed.pk).update(
        registered_at=timezone.now() - datetime.timedelta(days=4)
    )
    raw = statistics(world.hd, suppress=False)
    assert raw["total"] == 3 and _kind(raw, "noise")["count"] == 3
    assert raw["by_outcome"] == {"agreed": 1, "not_agreed": 1, "withdrawn": 0, "open": 1}
    assert raw["agreement_rate"] == 50.0
    assert raw["average_days_to_outcome"] == 2.0  # (4 + 0) / 2
    public = statistics(world.hd)
    assert public["total"] == 3 and _kind(public, "noise")["count"] == 3
    assert public["by_outcome"]["agreed"] == "<3"
    assert public["agreement_rate"] is None  # fewer than 3 outcomes: no rate
    assert _kind(public, "leak")["count"] == 0
    this_month = public["months"].index(timezone.localdate().strftime("%Y-%m"))
    assert _kind(public, "noise")["by_month"][this_month] in (3, "<3")
    assert statistics(world.xh, suppress=False)["total"] == 0  # HD's cases are HD's


def test_the_public_pages_show_no_names(world):
    s = rows.scene(world)
    client = Client()
    for target in (
        reverse("mediation:stats", args=["HD"]),
        reverse("mediation:subdistrict_stats", args=["dh"]),
        reverse("api:mediation_stats") + "?subdistrict=dh",
    ):
        response = client.get(target)
        assert response.status_code == 200
        text = response.content.decode()
        for secret in (s.other_party.name, world.resident_a.name, s.open.number, "拖椅子"):
            assert secret not in text
    data = client.get(reverse("api:mediation_stats") + "?community=HD").json()
    assert data["total"] == 3 and data["by_outcome"]["open"] == "<3"
    assert client.get(reverse("api:mediation_stats")).status_code == 422
