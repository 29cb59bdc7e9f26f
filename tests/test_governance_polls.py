"""Meetings and polls through the actions: quorum, frozen voters, one ballot each, tellers,
assisted ballots, tally hash."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from zizhi.governance import actions as a
from zizhi.governance import tally
from zizhi.governance.models import Ballot, MeetingStatus, PollMode, PollStatus

from .govworld import gov


def meeting_of(world, g, days=10, title="第三次居民代表大会"):
    m = a.do_convene_meeting(
        g.assembly,
        title=title,
        starts_at=timezone.now() + datetime.timedelta(days=days),
        place="社区活动室",
        items=[("议题一", "内容", None)],
        actor=world.worker_a,
    )
    a.do_notify_meeting(m, actor=world.worker_a)
    a.do_open_meeting(m, actor=world.worker_a)
    return m


def sign_in(m, users):
    for u in users:
        a.do_sign_in(m, m.signin_token, actor=u)


@pytest.fixture
def g(world):
    return gov(world, reps=6)


def test_notice_must_go_out_in_time_or_say_why(world, g):
    m = a.do_convene_meeting(
        g.assembly,
        title="临时会议",
        starts_at=timezone.now() + datetime.timedelta(days=1),
        place="活动室",
        items=[("议题", "", None)],
        actor=world.worker_a,
    )
    with pytest.raises(ValidationError, match="会前3天"):
        a.do_notify_meeting(m, actor=world.worker_a)
    assert a.do_notify_meeting(m, urgent_reason="暴雨抢修", actor=world.worker_a) == 6
    assert g.reps[0].inbox.count() == 1


def test_poll_needs_quorum_and_freezes_voters(world, g):
    m = meeting_of(world, g)
    assert m.expected == 6
    item = m.items.get()
    poll = a.do_create_poll(item, question="是否同意", actor=world.worker_a)
    sign_in(m, g.reps[:3])  # 3 of 6: less than two thirds
    with pytest.raises(ValidationError, match="未达到三分之二"):
        a.do_open_poll(poll, actor=world.worker_a)
    sign_in(m, g.reps[3:4])  # 4 of 6 = two thirds: 以上 includes it
    a.do_open_poll(poll, actor=world.worker_a)
    sign_in(m, g.reps[4:5])  # late arrival: not a voter of this poll
    with pytest.raises(ValidationError, match="未签到"):
        a.do_cast_ballot(poll, "yes", actor=g.reps[4])
    a.do_cast_ballot(poll, "yes", actor=g.reps[0])
    a.do_cast_ballot(poll, "yes", actor=g.reps[1])
    with pytest.raises(a.AlreadyVoted):
        a.do_cast_ballot(poll, "no", actor=g.reps[1])
    a.do_cast_ballot(poll, "no", actor=g.reps[2])
    a.do_close_poll(poll, actor=world.worker_a)
    poll.refresh_from_db()
    # 2 yes of 4 present is not more than half: a tie fails
    assert (poll.yes, poll.no, poll.abstain, poll.passed) == (2, 1, 0, False)
    assert poll.result_text.endswith("未通过")
    with pytest.raises(ValidationError, match="截止"):
        a.do_cast_ballot(poll, "yes", actor=g.reps[3])
    assert tally.verify(poll)


def test_idempotent_retry_returns_the_same_ballot(world, g):
    m = meeting_of(world, g)
    sign_in(m, g.reps)
    poll = a.do_create_poll(m.items.get(), question="是否同意", actor=world.worker_a)
    a.do_open_poll(poll, actor=world.worker_a)
    first = a.do_cast_ballot(poll, "yes", actor=g.reps[0], idempotency_key="k1")
    again = a.do_cast_ballot(poll, "yes", actor=g.reps[0], idempotency_key="k1")
    assert first.pk == again.pk
    with pytest.raises(a.AlreadyVoted):
        a.do_cast_ballot(poll, "no", actor=g.reps[0], idempotency_key="k2")


def test_changed_ballot_changes_the_hash(world, g):
    m = meeting_of(world, g)
    sign_in(m, g.reps)
    poll = a.do_create_poll(m.items.get(), question="是否同意", actor=world.worker_a)
    a.do_open_poll(poll, actor=world.worker_a)
    for u in g.reps:
        a.do_cast_ballot(poll, "yes", actor=u)
    a.do_close_poll(poll, actor=world.worker_a)
    poll.refresh_from_db()
    assert poll.passed and tally.verify(poll)
    Ballot.objects.filter(poll=poll).order_by("id").first().__class__.objects.filter(
        pk=Ballot.objects.filter(poll=poll).order_by("id").first().pk
    ).update(choice="no")
    assert not tally.verify(poll)


def test_assisted_ballot_records_who_and_why(world, g):
    m = meeting_of(world, g)
    sign_in(m, g.reps)
    poll = a.do_create_poll(m.items.get(), question="是否同意", actor=world.worker_a)
    a.do_open_poll(poll, actor=world.worker_a)
    seat = g.seat(g.assembly, g.reps[5])
    with pytest.raises(ValidationError, match="原因"):
        a.do_enter_assisted_ballot(poll, seat, "yes", reason=" ", actor=world.worker_a)
    with pytest.raises(PermissionDenied):
        a.do_enter_assisted_ballot(poll, seat, "yes", reason="视力不好", actor=world.worker_b)
    ballot = a.do_enter_assisted_ballot(
        poll, seat, "yes", reason="视力不好，口头表示", actor=world.worker_a
    )
    assert ballot.entered_by == world.worker_a and ballot.method == "assisted"


def test_paper_poll_needs_two_tellers_who_agree(world, g):
    m = meeting_of(world, g)
    sign_in(m, g.reps)
    poll = a.do_create_poll(
        m.items.get(), question="是否同意", mode=PollMode.PAPER, actor=world.worker_a
    )
    a.do_open_poll(poll, actor=world.worker_a)
    with pytest.raises(ValidationError, match="超过了实到人数"):
        a.do_enter_teller_count(poll, yes=5, no=2, abstain=0, actor=world.worker_a)
    a.do_enter_teller_count(poll, yes=4, no=1, abstain=1, actor=world.worker_a)
    with pytest.raises(ValidationError, match="两名计票人"):
        a.do_close_poll(poll, actor=world.worker_a)
    a.do_enter_teller_count(poll, yes=4, no=2, abstain=0, actor=world.subadmin)
    with pytest.raises(ValidationError, match="完全一致"):
        a.do_close_poll(poll, actor=world.worker_a)
    a.do_enter_teller_count(poll, yes=4, no=2, abstain=0, actor=world.worker_a)  # recount
    a.do_close_poll(poll, actor=world.worker_a)
    poll.refresh_from_db()
    assert (poll.yes, poll.passed, poll.status) == (4, True, PollStatus.CLOSED)
    assert "赞成4票，超过实到人数的半数（4票），通过" in poll.result_text


def test_meeting_cannot_close_with_an_open_poll(world, g):
    m = meeting_of(world, g)
    sign_in(m, g.reps)
    poll = a.do_create_poll(m.items.get(), question="是否同意", actor=world.worker_a)
    a.do_open_poll(poll, actor=world.worker_a)
    with pytest.raises(ValidationError, match="正在进行的表决"):
        a.do_close_meeting(m, actor=world.worker_a)
    a.do_close_poll(poll, actor=world.worker_a)
    a.do_close_meeting(m, actor=world.worker_a)
    assert m.status == MeetingStatus.CLOSED


def test_a_result_is_recorded_in_chinese_whatever_the_staff_reads(world, g):
    from django.utils import translation

    m = meeting_of(world, g)
    sign_in(m, g.reps)
    poll = a.do_create_poll(m.items.get(), question="是否同意", actor=world.worker_a)
    a.do_open_poll(poll, actor=world.worker_a)
    a.do_cast_ballot(poll, "yes", actor=g.reps[0])
    with translation.override("en"):
        a.do_close_poll(poll, actor=world.worker_a)
    poll.refresh_from_db()
    assert poll.result_text.startswith("应到6人，实到6人")
