"""Polls API: create on an agenda item, open, close, publish; a member's ballot (idempotent
with an `Idempotency-Key` header), assisted ballots, teller counts, the published result."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Header, Router, Status
from ninja.errors import HttpError

from . import actions, tally
from .access import (
    BALLOT_RELATED,
    ballot_polls,
    get_meeting_for,
    get_poll_for,
    is_staff_of,
    seat_in,
)
from .models import AgendaItem, Ballot, Membership, Poll, PollMode, PollStatus, Voter
from .schemas import (
    AssistedBallotIn,
    BallotIn,
    BallotOut,
    PollIn,
    PollOut,
    PollResultOut,
    TellerCountIn,
    TellerCountOut,
)

router = Router()
MAX_KEY = 80  # Ballot.idempotency_key


def poll_out(poll: Poll, user) -> dict:
    """The poll as the caller may see it: counts once published (staff: once closed)."""
    meeting = poll.item.meeting
    staff = is_staff_of(user, meeting.community_id)
    seat = seat_in(user, meeting.body)
    counted = poll.status == PollStatus.PUBLISHED or (staff and poll.status == PollStatus.CLOSED)
    mine = {"membership_id": seat.membership_id if seat else None, "poll": poll}
    return {
        "id": poll.pk,
        "meeting_id": meeting.pk,
        "agenda_item_id": poll.item_id,
        "question": poll.question,
        "kind": poll.kind,
        "mode": poll.mode,
        "secret": poll.secret,
        "status": poll.status,
        "status_label": poll.get_status_display(),
        "rule": poll.rule,
        "expected": poll.expected,
        "present": poll.present,
        "opened_at": poll.opened_at,
        "closed_at": poll.closed_at,
        "published_at": poll.published_at,
        "yes": poll.yes if counted else None,
        "no": poll.no if counted else None,
        "abstain": poll.abstain if counted else None,
        "passed": poll.passed if counted else None,
        "result_text": poll.result_text if counted else "",
        "ballots_hash": poll.ballots_hash if counted else "",
        "ballots_cast": poll.ballots.count() if staff else None,
        "is_voter": bool(seat) and Voter.objects.filter(**mine).exists(),
        "has_voted": bool(seat) and Ballot.objects.filter(**mine).exists(),
    }


@router.post(
    "/agenda-items/{int:item_id}/polls",
    response={201: PollOut},
    url_name="create_poll",
    summary="就议程创建表决（本社区工作人员）",
)
def create_poll(request, item_id: int, payload: PollIn):
    user = request.auth
    item = AgendaItem.objects.select_related("meeting__community__subdistrict", "matter")
    item = item.filter(pk=item_id, meeting__community__isnull=False).first()
    if item is None:
        raise Http404
    item.meeting = get_meeting_for(user, item.meeting.community, item.meeting_id)
    poll = actions.do_create_poll(
        item, question=payload.question, mode=payload.mode, secret=payload.secret, actor=user
    )
    return Status(201, poll_out(get_poll_for(user, poll.pk), user))


@router.get("/polls/{int:poll_id}", response=PollOut, url_name="get_poll", summary="表决详情")
def get_poll(request, poll_id: int):
    return poll_out(get_poll_for(request.auth, poll_id), request.auth)


def _step(name: str, summary: str, action):
    @router.post(
        f"/polls/{{int:poll_id}}/{name}",
        response=PollOut,
        url_name=f"{name}_poll",
        summary=summary,
        operation_id=f"{name}_poll",
    )
    def step(request, poll_id: int):
        poll = get_poll_for(request.auth, poll_id)
        action(poll, actor=request.auth)
        return poll_out(get_poll_for(request.auth, poll_id), request.auth)

    return step


open_poll = _step("open", "开始表决：此刻已签到的成员成为投票人", actions.do_open_poll)
close_poll = _step("close", "截止表决并计票", actions.do_close_poll)
publish_poll = _step("publish", "公布表决结果（重大事项随之进入下一环节）", actions.do_publish_poll)


@router.post(
    "/polls/{int:poll_id}/ballots",
    response={200: BallotOut, 201: BallotOut},
    url_name="cast_ballot",
    summary="本人投票（带 Idempotency-Key 重试得到同一张选票）",
)
def cast_ballot(
    request,
    poll_id: int,
    payload: BallotIn,
    idempotency_key: str = Header(
        "", alias="Idempotency-Key", description="每张选票一个新的随机值；重试时保持不变"
    ),
):
    user = request.auth
    key = idempotency_key.strip()
    if len(key) > MAX_KEY:
        raise HttpError(400, _("Idempotency-Key 不能超过%(n)s个字符") % {"n": MAX_KEY})
    started = timezone.now()
    poll = ballot_polls.get(poll_id)
    if poll is not None:
        try:  # the usual ballot: the poll from this process's memory, checked by the insert
            ballot = actions.do_cast_ballot(poll, payload.choice, actor=user, idempotency_key=key)
            return _ballot_answer(ballot, payload.choice, started)
        except (ValidationError, actions.AlreadyVoted):
            ballot_polls.forget(poll_id)  # ask again below: 404, or the refusal's reason
    poll = get_poll_for(user, poll_id, related=BALLOT_RELATED)
    try:  # a retry with the same key gets the first ballot, even after the poll closed
        ballot = actions.do_cast_ballot(poll, payload.choice, actor=user, idempotency_key=key)
    except actions.AlreadyVoted as exc:
        raise HttpError(409, _("您已投过票")) from exc
    ballot_polls.remember(poll)
    return _ballot_answer(ballot, payload.choice, started)


def _ballot_answer(ballot: Ballot, choice: str, started) -> Status:
    return Status(201 if ballot.cast_at >= started else 200, _same_choice(ballot, choice))


def _same_choice(ballot: Ballot, choice: str) -> Ballot:
    if ballot.choice != choice:  # the key of an earlier ballot with another choice
        raise HttpError(409, _("您已投过票"))
    return ballot


@router.post(
    "/polls/{int:poll_id}/assisted-ballots",
    response={201: BallotOut},
    url_name="assisted_ballot",
    summary="代为录入选票（工作人员，须写明原因）",
)
def assisted_ballot(request, poll_id: int, payload: AssistedBallotIn):
    poll = get_poll_for(request.auth, poll_id)
    membership = Membership.objects.filter(
        pk=payload.membership_id, body_id=poll.item.meeting.body_id
    ).first()
    if membership is None:
        raise Http404
    try:
        ballot = actions.do_enter_assisted_ballot(
            poll, membership, payload.choice, reason=payload.reason, actor=request.auth
        )
    except actions.AlreadyVoted as exc:
        raise HttpError(409, _("%(n)s已经投过票") % {"n": membership.name}) from exc
    return Status(201, ballot)


@router.post(
    "/polls/{int:poll_id}/teller-counts",
    response={201: TellerCountOut},
    url_name="teller_count",
    summary="计票人录入纸质选票或举手的票数（两名计票人须一致）",
)
def teller_count(request, poll_id: int, payload: TellerCountIn):
    poll = get_poll_for(request.auth, poll_id)
    count = actions.do_enter_teller_count(
        poll, yes=payload.yes, no=payload.no, abstain=payload.abstain, actor=request.auth
    )
    return Status(201, count)


@router.get(
    "/polls/{int:poll_id}/result",
    response=PollResultOut,
    url_name="poll_result",
    summary="表决结果（成员在公布后可见）及其哈希校验",
)
def poll_result(request, poll_id: int):
    poll = get_poll_for(request.auth, poll_id)
    staff = is_staff_of(request.auth, poll.item.meeting.community_id)
    if poll.status != PollStatus.PUBLISHED and not (staff and poll.status == PollStatus.CLOSED):
        raise HttpError(404, _("表决尚未截止") if staff else _("表决结果尚未公布"))
    return {
        "poll_id": poll.pk,
        "question": poll.question,
        "status": poll.status,
        "rule": poll.rule,
        "expected": poll.expected,
        "present": poll.present,
        "yes": poll.yes,
        "no": poll.no,
        "abstain": poll.abstain,
        "passed": poll.passed,
        "result_text": poll.result_text,
        "ballots_hash": poll.ballots_hash,
        "verified": tally.verify(poll) if poll.mode == PollMode.ONLINE else None,
    }
