"""The greening demo: every page has something real-looking to show (湖东社区 most)."""

from django.test import Client
from django.urls import reverse

from zizhi.finance.models import Entry
from zizhi.greening.models import Adoption, AdoptionStatus, Donation, Plot, PlotState
from zizhi.greening.queries import care_days, needs_care_q, totals, with_care
from zizhi.registry import demo
from zizhi.registry.models import Community

GREENING = "zizhi.greening.demo"


def test_the_demo_has_plots_adoptions_logs_and_money(db, monkeypatch):
    # the registry's demo with only the parts greening builds on (its own time: bench/ and
    # `zizhi demo` print it; the suite asserts behaviour, not speed)
    monkeypatch.setattr(
        demo, "EXTENSIONS", ("zizhi.finance.demo", "zizhi.associations.demo", GREENING)
    )
    demo.build(residents=140)

    hd = Community.objects.get(code="HD")
    t = totals(hd)
    assert t["plots"] >= 20 and t["households_adopting"] >= 5 and t["funds_raised_fen"] > 0
    assert t["funds_used_fen"] <= t["funds_raised_fen"]
    assert Plot.objects.filter(community=hd, state=PlotState.AVAILABLE).exists()
    assert Adoption.objects.filter(community=hd, status=AdoptionStatus.PENDING).exists()
    mine = Adoption.objects.get(community=hd, resident__phone="13900000001")
    assert mine.status == AdoptionStatus.ACTIVE and mine.show_name
    flagged = with_care(Plot.objects.filter(community=hd)).filter(
        needs_care_q(_today(), care_days(hd))
    )
    assert flagged.exists()
    for d in Donation.objects.filter(community=hd):
        assert Entry.objects.get(pk=d.finance_entry_id).amount_fen == d.amount_fen
    assert Community.objects.exclude(plots=None).count() == Community.objects.count()

    page = Client().get(reverse("greening:public_plot", args=["HD", mine.plot_id]))
    assert page.status_code == 200 and mine.adopter_name in page.content.decode()


def _today():
    from django.utils import timezone

    return timezone.localdate()
