"""Service posts after they are listed: a member withdraws their own claim (while the post
is open and their quarter not yet evaluated; the place is free again), and the branch
closes and reopens a post (a closed post takes no claims and shows as closed)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from zizhi.audit.models import Event
from zizhi.party import actions
from zizhi.party.models import PostClaim, ServicePost

from .party_rows import party_resident_user, party_world


@pytest.fixture
def pw(world):
    return party_world(world)


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


def reported_member(world, pw, name):
    """A fresh in-service HD member, reported in, whose quarter is not evaluated."""
    user = party_resident_user(world.hd, name)
    actions.do_report_in(
        employer="区教育局", organisation=pw.org, joined_on=datetime.date(2012, 7, 1), actor=user
    )
    return user


def test_withdraw_frees_the_place(world, pw):
    post = actions.do_create_post(world.hd, title="楼栋长助理", places=1, actor=pw.hd_secretary)
    a = reported_member(world, pw, "报到党员甲")
    b = reported_member(world, pw, "报到党员乙")
    claim = actions.do_claim_post(post, actor=a)
    with pytest.raises(ValidationError, match="名额已满"):
        actions.do_claim_post(post, actor=b)
    actions.do_withdraw_claim(claim, actor=a)
    assert not PostClaim.objects.filter(pk=claim.pk).exists()
    event = Event.objects.get(verb="party.post.withdraw_claim")
    assert event.actor_id == a.pk and event.community_id == world.hd.pk
    actions.do_claim_post(post, actor=b)  # the place is free again
    # withdrawing twice: the claim is gone
    with pytest.raises(ValidationError):
        actions.do_withdraw_claim(claim, actor=a)


def test_only_the_member_withdraws_their_own_claim(world, pw):
    a = reported_member(world, pw, "报到党员甲")
    claim = actions.do_claim_post(pw.post2, actor=a)
    for someone in (pw.member_user, pw.hd_secretary, world.resident_a):
        with pytest.raises(PermissionDenied):
            actions.do_withdraw_claim(claim, actor=someone)
        r = client_for(someone).post(reverse("party:withdraw_claim", args=["HD", claim.pk]))
        assert r.status_code == 404
        r = client_for(someone).post(reverse("api:withdraw_service_claim", args=[claim.pk]))
        assert r.status_code == 404
    assert PostClaim.objects.filter(pk=claim.pk).exists()


def test_no_withdrawal_once_the_quarter_is_evaluated(pw):
    # party_world's member is evaluated for this quarter
    with pytest.raises(ValidationError, match="已经评价"):
        actions.do_withdraw_claim(pw.claim, actor=pw.member_user)
    assert PostClaim.objects.filter(pk=pw.claim.pk).exists()
    body = client_for(pw.member_user).get(reverse("party:me")).content.decode()
    assert "撤回认领" not in body


def test_no_withdrawal_from_a_closed_post(world, pw):
    a = reported_member(world, pw, "报到党员甲")
    claim = actions.do_claim_post(pw.post2, actor=a)
    actions.do_close_post(pw.post2, actor=pw.hd_secretary)
    with pytest.raises(ValidationError, match="已停止认领"):
        actions.do_withdraw_claim(claim, actor=a)
    assert PostClaim.objects.filter(pk=claim.pk).exists()


def test_close_and_reopen(world, pw):
    a = reported_member(world, pw, "报到党员甲")
    actions.do_close_post(pw.post2, actor=pw.hd_secretary)
    assert ServicePost.objects.get(pk=pw.post2.pk).is_open is False
    with pytest.raises(ValidationError, match="已停止认领"):
        actions.do_claim_post(pw.post2, actor=a)
    with pytest.raises(ValidationError):
        actions.do_close_post(pw.post2, actor=pw.dh_committee)  # already closed
    # a worker without a seat, the XH secretary, a member: no
    for someone in (world.worker_a, pw.xh_secretary, pw.member_user):
        with pytest.raises(PermissionDenied):
            actions.do_reopen_post(pw.post2, actor=someone)
    # the public list shows it as closed, without a claim button
    body = Client().get(reverse("party:posts", args=["HD"])).content.decode()
    assert "已停止认领" in body
    body = client_for(a).get(reverse("party:posts", args=["HD"])).content.decode()
    assert "认领“法律咨询”" not in body and "认领“周末巡逻”" in body
    actions.do_reopen_post(pw.post2, actor=pw.dh_committee)
    actions.do_claim_post(pw.post2, actor=a)
    with pytest.raises(ValidationError):
        actions.do_reopen_post(pw.post2, actor=pw.hd_secretary)  # already open
    verbs = list(
        Event.objects.filter(verb__in=["party.post.close", "party.post.reopen"])
        .order_by("id")
        .values_list("verb", flat=True)
    )
    assert verbs == ["party.post.close", "party.post.reopen"]


def test_pages(world, pw):
    a = reported_member(world, pw, "报到党员甲")
    c = client_for(a)
    claim = actions.do_claim_post(pw.post2, actor=a)
    body = c.get(reverse("party:me")).content.decode()
    assert "撤回认领“法律咨询”" in body
    body = c.get(reverse("party:posts", args=["HD"])).content.decode()
    assert reverse("party:withdraw_claim", args=["HD", claim.pk]) in body
    r = c.post(reverse("party:withdraw_claim", args=["HD", claim.pk]), {"next": "me"})
    assert r.status_code == 302 and r["Location"] == reverse("party:me")
    assert not PostClaim.objects.filter(pk=claim.pk).exists()
    # the branch's posts list: a close button, then a reopen button
    s = client_for(pw.hd_secretary)
    body = s.get(reverse("party:posts", args=["HD"])).content.decode()
    assert reverse("party:close_post", args=["HD", pw.post2.pk]) in body
    r = s.post(reverse("party:close_post", args=["HD", pw.post2.pk]))
    assert r.status_code == 302
    body = s.get(reverse("party:posts", args=["HD"])).content.decode()
    assert reverse("party:reopen_post", args=["HD", pw.post2.pk]) in body
    assert "已停止认领：法律咨询" in body  # the message
    # the XH secretary cannot close an HD post, nor through XH's code
    x = client_for(pw.xh_secretary)
    assert x.post(reverse("party:reopen_post", args=["HD", pw.post2.pk])).status_code == 404
    assert x.post(reverse("party:reopen_post", args=["XH", pw.post2.pk])).status_code == 404
    assert s.post(reverse("party:reopen_post", args=["HD", pw.post2.pk])).status_code == 302
    assert ServicePost.objects.get(pk=pw.post2.pk).is_open


def test_api(world, pw):
    a = reported_member(world, pw, "报到党员甲")
    claim = actions.do_claim_post(pw.post2, actor=a)
    r = client_for(a).post(reverse("api:withdraw_service_claim", args=[claim.pk]))
    assert r.status_code == 200 and r.json()["id"] == pw.post2.pk
    assert not PostClaim.objects.filter(pk=claim.pk).exists()
    s = client_for(pw.hd_secretary)
    r = s.post(reverse("api:close_service_post", args=[pw.post2.pk]))
    assert r.status_code == 200 and r.json()["is_open"] is False
    assert s.post(reverse("api:close_service_post", args=[pw.post2.pk])).status_code == 400
    x = client_for(pw.xh_secretary)
    assert x.post(reverse("api:reopen_service_post", args=[pw.post2.pk])).status_code == 404
    r = s.post(reverse("api:reopen_service_post", args=[pw.post2.pk]))
    assert r.status_code == 200 and r.json()["is_open"] is True
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/party/claims/{claim_id}/withdraw",
        "/api/v1/party/posts/{post_id}/close",
        "/api/v1/party/posts/{post_id}/reopen",
    ):
        assert path in paths
