"""The matter pages: register, each step's form, refusals shown as messages, consultation."""

import pytest
from django.urls import reverse

from zizhi.governance import actions as a
from zizhi.governance.models import Matter

from .govworld import gov


@pytest.fixture
def g(world):
    return gov(world, reps=5)


def register(world, title):
    return a.do_register_matter(
        world.hd,
        title=title,
        matter_type="construction",
        text=f"{title}的方案",
        why_major="涉及公共设施",
        actor=world.worker_a,
    )


def act(client, matter, verb, **data):
    url = reverse("governance:matter_act", args=["HD", matter.pk, verb])
    return client.post(url, data, follow=True)


def test_worker_registers_and_starts_review(client, world, g):
    client.force_login(world.worker_a)
    url = reverse("governance:matter_new", args=["HD"])
    bad = client.post(url, {"title": "加装电梯", "matter_type": "construction", "text": "方案"})
    assert bad.status_code == 200 and "属于重大事项的理由" in bad.content.decode()
    response = client.post(
        url,
        {
            "title": "加装电梯",
            "matter_type": "construction",
            "text": "方案",
            "why_major": "涉及全体住户",
        },
        follow=True,
    )
    matter = Matter.objects.get()
    assert response.redirect_chain[-1][0] == reverse("governance:matter", args=["HD", matter.pk])
    html = response.content.decode()
    assert "已登记" in html and "提交党支部审议" in html
    act(client, matter, "move", move="start_review")
    matter.refresh_from_db()
    assert matter.state == "in_review"
    listing = client.get(reverse("governance:matters", args=["HD"])).content.decode()
    assert "加装电梯" in listing and "党支部审议中" in listing


def test_members_give_opinions_and_secretary_concludes(client, world, g):
    matter = register(world, "车棚改造")
    a.do_move_matter(matter, "start_review", actor=world.worker_a)
    member = g.branch_members[1]
    client.force_login(member)
    page = client.get(reverse("governance:matter", args=["HD", matter.pk])).content.decode()
    assert "记录意见" in page and "作出审议结论" not in page
    seat = g.seat(g.branch, member)
    act(client, matter, "opinion", membership=seat.pk, stance="agree", text="赞成")
    other = g.seat(g.branch, g.branch_members[2])
    response = act(client, matter, "opinion", membership=other.pk, stance="agree")
    assert response.status_code == 403  # a member records only their own opinion
    client.force_login(g.secretary)
    refused = act(client, matter, "conclude", outcome="submit", conclusion="提交大会")
    assert "尚缺" in refused.content.decode()  # a message, not an error page
    for u in (g.secretary, g.branch_members[2]):
        act(client, matter, "opinion", membership=g.seat(g.branch, u).pk, stance="agree")
    act(client, matter, "conclude", outcome="escalate", conclusion="请示费用分摊")
    matter.refresh_from_db()
    assert matter.state == "escalated"
    client.force_login(g.committee_member)
    inbox = client.get(reverse("governance:escalations")).content.decode()
    assert "请示费用分摊" in inbox
    act(client, matter, "instruct", instruction="同意提交大会")
    matter.refresh_from_db()
    assert matter.state == "in_review"


def test_consultation_page_for_residents_and_door_answers(client, world, g):
    matter = register(world, "拆除车棚")
    a.do_move_matter(matter, "start_review", actor=world.worker_a)
    for u in g.branch_members:
        a.do_record_opinion(matter, g.seat(g.branch, u), stance="disagree", actor=u)
    a.do_conclude_review(matter, "intend_reject", conclusion="影响出行", actor=g.secretary)
    client.force_login(world.resident_a)
    url = reverse("governance:consult", args=["HD", matter.pk])
    assert "影响出行" in client.get(url).content.decode()
    client.post(url, {"consent": "1"})
    assert "同意否决" in client.get(url).content.decode()
    client.force_login(world.resident_b)  # another community's resident
    assert client.get(url).status_code == 404
    client.force_login(world.worker_a)
    response = act(client, matter, "door-answer", who="代表1", consent="0")
    assert "已记录代表1的意见" in response.content.decode()
    missing = act(client, matter, "door-answer", who="没有这个人", consent="0")
    assert "没有找到" in missing.content.decode()
    act(client, matter, "close-consultation")
    matter.refresh_from_db()
    assert matter.state == "awaiting_vote"


def test_other_community_and_residents_see_nothing(client, world, g):
    matter = register(world, "内部事项")
    for user in (world.worker_b, world.resident_a, world.worker_c):
        client.force_login(user)
        assert client.get(reverse("governance:matter", args=["HD", matter.pk])).status_code == 404
        assert client.get(reverse("governance:matters", args=["HD"])).status_code == 404
    client.force_login(world.worker_b)
    assert act(client, matter, "move", move="start_review").status_code == 404


def test_home_pages_show_what_waits_for_each_person(client, world, g):
    matter = register(world, "拆除车棚")
    a.do_move_matter(matter, "start_review", actor=world.worker_a)
    client.force_login(g.branch_members[1])  # a branch member with a resident row
    assert "党支部审议：请发表意见" in client.get("/").content.decode()
    for u in g.branch_members:
        a.do_record_opinion(matter, g.seat(g.branch, u), stance="unsure", actor=u)
    assert "党支部审议：请发表意见" not in client.get("/").content.decode()
    a.do_conclude_review(matter, "escalate", conclusion="请示", actor=g.secretary)
    client.force_login(g.committee_member)  # neither staff nor resident: the member home
    home = client.get("/").content.decode()
    assert "社区党支部的请示" in home and "1件待批复" in home
    a.do_answer_escalation(matter.escalations.get(), instruction="可", actor=g.committee_member)
    for u in g.branch_members:
        a.do_record_opinion(matter, g.seat(g.branch, u), stance="disagree", actor=u)
    a.do_conclude_review(matter, "intend_reject", conclusion="影响出行", actor=g.secretary)
    client.force_login(world.resident_a)
    assert "征求您的意见" in client.get("/").content.decode()
