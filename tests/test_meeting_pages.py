"""Meeting and poll pages: convene, notify, open, QR sign-in, staff ticks, live quorum,
online ballots with a double tap, assisted ballots, tellers, results, minutes, sign-in sheet."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from zizhi.governance import actions
from zizhi.governance.models import Ballot, Meeting, MemberRole, Poll
from zizhi.governance.pdf import minutes

from .govworld import gov, member


@pytest.fixture
def g(world):
    return gov(world, reps=5)


ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def pdf_text(raw: bytes) -> str:
    """The text shown by an uncompressed reportlab PDF (CID font: UTF-16BE in "(...) Tj")."""
    shown = []
    for literal in re.findall(rb"\(((?:\\.|[^\\)])*)\) Tj", raw, re.S):
        data = re.sub(
            rb"\\([0-7]{1,3}|.)",
            lambda m: bytes([int(m[1], 8)]) if m[1][:1].isdigit() else ESCAPES.get(m[1], m[1]),
            literal,
            flags=re.S,
        )
        shown.append(data.decode("utf-16-be", errors="replace"))
    return "\n".join(shown)


def act(client, meeting, verb, **data):
    return client.post(
        reverse("governance:meeting_act", args=["HD", meeting.pk, verb]), data, follow=True
    )


def poll_act(client, poll, verb, **data):
    return client.post(
        reverse("governance:poll_act", args=["HD", poll.pk, verb]), data, follow=True
    )


def convene(client, world, g, days=7):
    client.force_login(world.worker_a)
    start = (timezone.localtime() + datetime.timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("governance:meeting_new", args=["HD"]),
        {
            "body": g.assembly.pk,
            "title": "居民代表大会",
            "starts_at": start,
            "place": "活动室",
            "items": "加装电梯方案\n停车收费",
        },
        follow=True,
    )
    assert "会议已创建" in response.content.decode()
    return Meeting.objects.get()


def test_convene_notify_open_and_sign_in(client, world, g):
    meeting = convene(client, world, g, days=1)
    late = act(client, meeting, "notify").content.decode()
    assert "紧急召开的理由" in late  # refused: less than 3 days
    act(client, meeting, "notify", urgent_reason="管道抢修需尽快决定")
    assert g.reps[0].inbox.filter(subject__contains="居民代表大会").exists()
    act(client, meeting, "open")
    meeting.refresh_from_db()
    page = client.get(reverse("governance:meeting", args=["HD", meeting.pk])).content.decode()
    assert "<svg" in page and meeting.signin_token in page  # the QR code and its link
    quorum = client.get(
        reverse("governance:meeting_quorum", args=["HD", meeting.pk])
    ).content.decode()
    assert "应到" in quorum and "<strong>5</strong>" in quorum and "尚未达到" in quorum
    # a representative scans the code
    signin = reverse("governance:meeting_signin", args=["HD", meeting.pk, meeting.signin_token])
    client.force_login(g.reps[0])
    assert "确认签到" in client.get(signin).content.decode()
    client.post(signin)
    assert "您已签到" in client.get(signin).content.decode()
    wrong = reverse("governance:meeting_signin", args=["HD", meeting.pk, "wrong"])
    assert client.get(wrong).status_code == 404
    # staff tick the others
    client.force_login(world.worker_a)
    for u in g.reps[1:4]:
        act(client, meeting, "tick", membership=g.seat(g.assembly, u).pk)
    quorum = client.get(
        reverse("governance:meeting_quorum", args=["HD", meeting.pk])
    ).content.decode()
    assert "<strong>4</strong>" in quorum and "会议有效" in quorum


def open_poll(client, world, g, mode="online"):
    meeting = convene(client, world, g)
    act(client, meeting, "notify")
    act(client, meeting, "open")
    for u in g.reps:
        act(client, meeting, "tick", membership=g.seat(g.assembly, u).pk)
    item = meeting.items.first()
    act(client, meeting, "poll", item=item.pk, question="是否同意加装电梯", mode=mode)
    poll = Poll.objects.get()
    poll_act(client, poll, "open")
    return meeting, poll


def test_online_poll_with_double_tap_assisted_ballot_and_results(client, world, g):
    meeting, poll = open_poll(client, world, g)
    vote = reverse("governance:poll_vote", args=["HD", poll.pk])
    client.force_login(g.reps[0])
    page = client.get(reverse("governance:poll", args=["HD", poll.pk])).content.decode()
    assert "赞成" in page and 'name="key"' in page
    client.post(vote, {"choice": "yes", "key": "tap-1"})
    again = client.post(vote, {"choice": "yes", "key": "tap-1"}, follow=True)  # a double tap
    assert "您已投过票" not in again.content.decode()
    assert Ballot.objects.filter(poll=poll).count() == 1
    other = client.post(vote, {"choice": "no", "key": "tap-2"}, follow=True)
    assert "您已投过票" in other.content.decode()
    for u in g.reps[1:3]:
        client.force_login(u)
        client.post(vote, {"choice": "yes", "key": f"k{u.pk}"})
    client.force_login(world.worker_a)
    seat = g.seat(g.assembly, g.reps[4])
    refused = poll_act(client, poll, "assisted", membership=seat.pk, choice="no", reason="")
    assert "原因" in refused.content.decode()
    poll_act(client, poll, "assisted", membership=seat.pk, choice="no", reason="视力不好，口头表示")
    assert Ballot.objects.get(poll=poll, membership=seat).entered_by == world.worker_a
    poll_act(client, poll, "close")
    client.force_login(g.reps[0])
    hidden = client.get(reverse("governance:poll", args=["HD", poll.pk])).content.decode()
    assert "表决结果" not in hidden  # closed, not yet published
    client.force_login(world.worker_a)
    poll_act(client, poll, "publish")
    client.force_login(g.reps[0])
    shown = client.get(reverse("governance:poll", args=["HD", poll.pk])).content.decode()
    assert "赞成3票，超过实到人数的半数（3票），通过" in shown
    client.force_login(g.reps[3])  # a voter who did not vote: the poll is over
    late = client.post(vote, {"choice": "yes", "key": "late"}, follow=True).content.decode()
    assert "已截止" in late


def test_paper_poll_with_two_tellers_minutes_and_pdf(client, world, g):
    meeting, poll = open_poll(client, world, g, mode="paper")
    poll_act(client, poll, "count", yes="4", no="1", abstain="0")
    refused = poll_act(client, poll, "close").content.decode()
    assert "两名计票人" in refused
    client.force_login(world.subadmin)
    poll_act(client, poll, "count", yes="4", no="1", abstain="0")
    poll_act(client, poll, "close")
    poll_act(client, poll, "publish")
    poll.refresh_from_db()
    assert poll.passed and poll.status == "published"
    act(client, meeting, "minutes", minutes="代表们逐项讨论，一致认为方案可行。")
    act(client, meeting, "close")
    meeting.refresh_from_db()
    assert meeting.status == "closed"
    pdf = client.get(reverse("governance:meeting_minutes", args=["HD", meeting.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")

    text = pdf_text(minutes(meeting, compress=False))
    for words in ("居民代表大会 会议记录", "活动室", "加装电梯方案", "一致认为方案可行", "通过"):
        assert words in text
    sheet = client.get(
        reverse("governance:meeting_sheet", args=["HD", meeting.pk])
    ).content.decode()
    assert "本人签名" in sheet and "代表1" in sheet


def test_other_communities_see_no_meeting(client, world, g):
    meeting = convene(client, world, g)
    for user in (world.worker_b, world.resident_a, world.worker_c):
        client.force_login(user)
        assert client.get(reverse("governance:meeting", args=["HD", meeting.pk])).status_code == 404
    client.force_login(g.reps[0])  # a member sees it but cannot run it
    assert client.get(reverse("governance:meeting", args=["HD", meeting.pk])).status_code == 200
    assert (
        client.post(reverse("governance:meeting_act", args=["HD", meeting.pk, "open"])).status_code
        == 404
    )


def test_member_sees_own_meetings_and_a_way_to_the_open_poll(client, world, g):
    meeting, poll = open_poll(client, world, g)
    assert "/c/HD/meetings/" in client.get("/").content.decode()  # the staff link 会议
    branch_meeting = actions.do_convene_meeting(
        g.branch,
        title="党支部委员会",
        starts_at=timezone.now() + datetime.timedelta(days=5),
        place="党群服务中心",
        items=[("审议事项", "", None)],
        actor=world.worker_a,
    )
    client.force_login(g.reps[0])
    listing = client.get(reverse("governance:meetings", args=["HD"])).content.decode()
    assert meeting.title in listing and branch_meeting.title not in listing
    page = client.get(reverse("governance:meeting", args=["HD", meeting.pk])).content.decode()
    assert "正在表决" in page and reverse("governance:poll", args=["HD", poll.pk]) in page
    assert meeting.signin_token not in page  # the code is shown at the meeting only
    assert "您已签到" in page and "已投票" not in page
    client.post(reverse("governance:poll_vote", args=["HD", poll.pk]), {"choice": "no", "key": "k"})
    page = client.get(reverse("governance:meeting", args=["HD", meeting.pk])).content.decode()
    assert "（已投票）" in page
    home = client.get("/").content.decode()
    assert "我的会议" in home and meeting.title in home


def test_a_clerk_counts_paper_ballots_but_members_run_nothing(client, world, g):
    meeting, poll = open_poll(client, world, g, mode="paper")
    page = client.get(reverse("governance:meeting", args=["HD", meeting.pk])).content.decode()
    assert "截止表决并计票" in page  # the staff's button beside the poll
    poll_act(client, poll, "count", yes="3", no="2", abstain="0")
    clerk = member(g.assembly, MemberRole.CLERK, "记录员", comm=world.hd)
    client.force_login(clerk)
    page = client.get(reverse("governance:poll", args=["HD", poll.pk])).content.decode()
    assert "计票人录入票数" in page and "截止表决" not in page
    poll_act(client, poll, "count", yes="3", no="2", abstain="0")
    client.force_login(g.reps[0])
    page = client.get(reverse("governance:poll", args=["HD", poll.pk])).content.decode()
    assert "计票人录入票数" not in page
    for verb in ("close", "open", "publish", "assisted"):
        url = reverse("governance:poll_act", args=["HD", poll.pk, verb])
        assert client.post(url).status_code == 404
    refused = poll_act(client, poll, "count", yes="3", no="2", abstain="0").content.decode()
    assert "只有工作人员或记录员" in refused
    client.force_login(world.worker_a)
    poll_act(client, poll, "close")
    poll.refresh_from_db()
    assert poll.status == "closed" and poll.yes == 3


def test_a_clerk_keeps_the_minutes_on_the_page_but_runs_nothing_else(client, world, g):
    meeting = convene(client, world, g)
    clerk = member(g.assembly, MemberRole.CLERK, "记录员", comm=world.hd)
    client.force_login(clerk)
    assert (
        "保存会议记录"
        in client.get(reverse("governance:meeting", args=["HD", meeting.pk])).content.decode()
    )
    act(client, meeting, "minutes", minutes="会议由主任主持，代表们讨论了加装电梯方案。")
    meeting.refresh_from_db()
    assert meeting.minutes.startswith("会议由主任主持")
    url = reverse("governance:meeting_act", args=["HD", meeting.pk, "notify"])
    assert client.post(url).status_code == 404
    client.force_login(g.reps[0])  # a representative is not the clerk
    page = client.get(reverse("governance:meeting", args=["HD", meeting.pk])).content.decode()
    assert "保存会议记录" not in page
    url = reverse("governance:meeting_act", args=["HD", meeting.pk, "minutes"])
    assert client.post(url, {"minutes": "x"}).status_code == 404
