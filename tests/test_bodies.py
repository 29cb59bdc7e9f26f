"""Bodies and memberships: appointing, ending, and that a seat grants exactly its rights."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from zizhi.audit.models import Event
from zizhi.governance import actions as a
from zizhi.governance.access import is_branch_secretary, seats_of
from zizhi.governance.models import Membership

from . import factories as f
from .govworld import gov


@pytest.fixture
def g(world):
    return gov(world, reps=3)


def test_appoint_and_end_a_representative(world, g):
    r = world.resident_a.resident
    m = a.do_add_membership(g.assembly, r, role="representative", actor=world.worker_a)
    assert m.user == world.resident_a and m.name == r.name
    with pytest.raises(ValidationError, match="已经是"):
        a.do_add_membership(g.assembly, r, role="representative", actor=world.worker_a)
    with pytest.raises(ValidationError, match="没有“书记”"):
        a.do_add_membership(
            g.assembly, f.resident(world.hd, name="甲"), role="secretary", actor=world.worker_a
        )
    with pytest.raises(ValidationError, match="本社区"):
        a.do_add_membership(
            g.assembly, world.resident_b.resident, role="representative", actor=world.worker_a
        )
    with pytest.raises(PermissionDenied):
        a.do_add_membership(g.assembly, r, role="representative", actor=world.worker_b)
    with pytest.raises(ValidationError, match="离任原因"):
        a.do_end_membership(m, reason="", actor=world.worker_a)
    a.do_end_membership(m, reason="迁出本社区", actor=world.worker_a)
    assert not Membership.objects.active().filter(pk=m.pk).exists()
    assert Membership.objects.filter(pk=m.pk).exists()  # history stays
    assert Event.objects.filter(verb__in=["body.add_member", "body.end_member"]).count() == 2


def test_a_seat_grants_exactly_its_scope(world, g):
    assert is_branch_secretary(g.secretary, world.hd.pk)
    assert not is_branch_secretary(g.secretary, world.xh.pk)
    assert not is_branch_secretary(g.branch_members[1], world.hd.pk)
    assert [s.kind for s in seats_of(g.reps[0])] == ["representative_assembly"]
    assert seats_of(world.worker_a) == ()


def test_body_pages(client, world, g):
    client.force_login(world.worker_a)
    html = client.get(reverse("governance:bodies", args=["HD"])).content.decode()
    assert "湖东社区党支部" in html and "湖东社区居民代表大会" in html
    url = reverse("governance:add_member", args=["HD", g.assembly.pk])
    response = client.post(
        url, {"who": world.resident_a.resident.phone, "role": "representative"}, follow=True
    )
    assert "已任命湖东居民" in response.content.decode()
    missing = client.post(url, {"who": "查无此人", "role": "representative"}, follow=True)
    assert "没有找到" in missing.content.decode()
    # a representative (not staff) sees the bodies but cannot appoint
    client.force_login(g.reps[0])
    assert client.get(reverse("governance:body", args=["HD", g.assembly.pk])).status_code == 200
    assert client.post(url, {"who": "x", "role": "representative"}).status_code == 404
    client.force_login(world.worker_b)
    assert client.get(reverse("governance:body", args=["HD", g.assembly.pk])).status_code == 404
