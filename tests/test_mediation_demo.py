"""The mediation demo on a small demo subdistrict: every page has something to show."""

import pytest
from django.test import Client
from django.urls import reverse

from zizhi.accounts.models import User
from zizhi.mediation import demo as mediation_demo
from zizhi.mediation.models import CaseStatus, MediationCase
from zizhi.registry import demo


@pytest.fixture
def built(db, monkeypatch):
    """The registry demo (300 residents) with only the associations' and mediation's parts."""
    monkeypatch.setattr(demo, "EXTENSIONS", ("zizhi.associations.demo",))
    demo.build(residents=300)
    from zizhi.registry.models import Subdistrict

    subdistrict = Subdistrict.objects.get()
    hashed = User.objects.get(phone=demo.ADMIN_LOGIN.phone).password
    return mediation_demo.build(subdistrict, hashed)


def test_the_demo_fills_every_page(built):
    counts = built
    assert counts["mediation_cases"] >= 14
    hd = MediationCase.objects.filter(community__code="HD")
    statuses = set(hd.values_list("status", flat=True))
    assert {"registered", "in_mediation", "agreed", "closed", "withdrawn"} <= statuses
    assert hd.filter(status=CaseStatus.CLOSED, referral_to="").exists()
    assert hd.exclude(referral_to="").exists()
    lead, mediator, granny = (
        User.objects.get(phone=p) for p in ("13900000092", "13900000091", "13900000001")
    )
    c = Client()
    c.force_login(lead)
    desk = c.get(reverse("mediation:desk", args=["HD"])).content.decode()
    assert "已逾期" in desk and "王秀英" in desk
    c.force_login(mediator)
    assert "HD调" in c.get(reverse("mediation:mine")).content.decode()
    c.force_login(granny)
    mine = c.get(reverse("mediation:mine")).content.decode()
    assert "已登记" in mine and "已结案" in mine
    closed = hd.filter(status="closed", referral_to="", parties__resident__user=granny).first()
    assert closed is not None
    pdf = c.get(reverse("mediation:agreement", args=[closed.pk]))
    assert pdf.status_code == 200
    stats = Client().get(reverse("mediation:stats", args=["HD"])).content.decode()
    assert "王秀英" not in stats and "调解成功率" in stats
    assert {login.phone for login in mediation_demo.logins()} == {"13900000091", "13900000092"}
