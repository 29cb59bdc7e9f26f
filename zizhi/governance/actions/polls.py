"""Polls: open (freeze the voters), cast, assisted ballots, teller counts, close, publish.

Concurrency (PostgreSQL): a ballot takes a shared lock on the poll while it checks the poll is
open and inserts; open, teller counts, close and publish take the exclusive lock (see _lock).
So many ballots go in at once, and a close waits for the ballots in flight, then counts
exactly the ballots committed before it; ballots arriving meanwhile wait behind the close and
are refused. One ballot per voter is a unique constraint. tests/test_vote_concurrency.py
checks this with real concurrent connections.

A ballot's audit event is written unsealed (audit.log.record(sealed=False)): ballots do not
queue on the community's audit chain head. The close seals them into the chain before it
records itself, under the poll's exclusive lock, so no ballot of a closed poll is left
unsealed (the audit verifier checks it). On PostgreSQL a ballot is one prepared statement:
the shared lock, the status check, the ballot and its event (_BALLOT_PG).
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zizhi.accounts import rows
from zizhi.audit.log import chain_key, new_event, record, seal, unsealed_insert_sql

from ..access import is_staff_of, seat_in
from ..counting import decide
from ..models import (
    APPRAISAL_COLUMNS,
    AgendaItem,
    Ballot,
    BallotMethod,
    Meeting,
    MeetingStatus,
    Membership,
    Poll,
    PollKind,
    PollMode,
    PollStatus,
    TellerCount,
    Voter,
)
from ..rules import pick_rule
from ..tally import ballots_digest
from .common import in_official_language, refuse, require_staff


class AlreadyVoted(Exception):
    pass


def do_create_poll(
    item: AgendaItem, *, question: str, mode: str = PollMode.ONLINE, secret=False, actor
) -> Poll:
    meeting = item.meeting
    require_staff(actor, meeting.community_id)
    if mode not in PollMode.values:
        refuse(_("表决方式不正确"))
    if not question.strip():
        refuse(_("请填写表决事项"))
    matter_type = item.matter.matter_type if item.matter_id else ""
    with transaction.atomic():
        poll = Poll.objects.create(
            item=item,
            question=question.strip(),
            mode=mode,
            secret=secret,
            rule=pick_rule(meeting.body, matter_type, base=meeting.rule.quorum_base),
        )
        record(
            actor,
            "poll.create",
            poll,
            community=meeting.community,
            after={"mode": mode, "secret": secret, "rule": poll.rule.name},
        )
    return poll


# Namespace of the poll's advisory lock (the two-key form: this constant, the poll id).
POLL_LOCK_CLASS = 0x706F6C6C  # "poll"


def _lock(poll: Poll) -> str:
    """Lock the poll exclusively for a change of its row; return its current status.

    On PostgreSQL a transaction-level advisory lock on the poll comes first: ballots hold it
    shared (_BALLOT_PG), changes exclusive. PostgreSQL queues these fairly, so a close
    waits only for the ballots already in flight, and ballots arriving later wait behind it
    (then find the poll closed). Row locks alone would not do: new FOR SHARE lockers are
    let in ahead of a waiting FOR UPDATE, and a steady stream of ballots would hold a close
    off until the stream stops. Every change of a poll's status goes through here.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            lock = "SELECT pg_advisory_xact_lock(%s, %s)"
            cursor.execute(lock, [POLL_LOCK_CLASS, poll.pk & 0x7FFFFFFF])
            cursor.execute("SELECT status FROM governance_poll WHERE id = %s FOR UPDATE", [poll.pk])
            return cursor.fetchone()[0]
    # SQLite: one writer at a time already; read the status inside the transaction
    return Poll.objects.filter(pk=poll.pk).values_list("status", flat=True).get()


# One statement: insert the ballot only if the poll is open and the member is one of its
# frozen voters (by membership, or by the user of an active membership: a member's own
# ballot). A second ballot of the same voter fails the unique constraint.
_INSERT_IF_VOTER = (
    f"INSERT INTO {Ballot._meta.db_table} (poll_id, membership_id, choice, method, "
    "entered_by_id, assist_reason, idempotency_key, cast_at) "
    "SELECT p.id, v.membership_id, %s, %s, %s, %s, %s, %s "
    f"FROM {{source}}{Poll._meta.db_table} p "
    f"JOIN {Voter._meta.db_table} v ON v.poll_id = p.id "
    f"JOIN {Membership._meta.db_table} m ON m.id = v.membership_id "
    "WHERE {status} = %s AND p.id = %s AND {who} "
    # the poll is still the one the caller holds (it may come from access.BallotPolls)
    "AND p.mode = %s AND p.kind = %s AND p.secret = %s AND p.item_id = %s AND EXISTS (SELECT 1 "
    f"FROM {AgendaItem._meta.db_table} i JOIN {Meeting._meta.db_table} mt "
    "ON mt.id = i.meeting_id WHERE i.id = p.item_id AND mt.community_id {same} %s) "
    "ORDER BY v.membership_id LIMIT 1 RETURNING id, membership_id"
)
_BY_MEMBERSHIP = "v.membership_id = %s"
_BY_USER = "m.user_id = %s AND m.ended_on IS NULL"
# PostgreSQL: the ballot and its audit event in one statement. governance_poll_share_lock
# (migration 0005) takes the poll's shared lock (see _lock), then reads the poll's status
# with a snapshot taken after the lock was granted: a close that committed while this ballot
# waited is seen, and the insert is refused. The lock is held until the ballot commits, so a
# close waits for the ballots in flight and counts them.
_BALLOT_PG = (
    "WITH s AS MATERIALIZED (SELECT governance_poll_share_lock(%s, %s) AS status), "
    "b AS ({insert}), e AS ({event}) SELECT id, membership_id FROM b"
)


def _refusal(poll: Poll, membership_id) -> str:
    """Why _INSERT_IF_VOTER inserted nothing: the poll is not open, or not a voter."""
    status = Poll.objects.filter(pk=poll.pk).values_list("status", flat=True).get()
    if status != PollStatus.OPEN:
        return _("表决已截止，不能再投票") if status != "created" else _("表决尚未开始")
    return _("表决开始时您未签到，不在本次表决的投票人名单中")


class _NotInserted(Exception):
    """The poll is not open or the member not one of its voters (see _refusal)."""


def _write_ballot(poll, ballot: Ballot, who: str, who_id, event) -> None:
    """Insert the ballot if the poll is open and `who` a voter, with its unsealed audit
    event; sets ballot.pk and membership_id, or raises _NotInserted / IntegrityError.
    PostgreSQL: one statement (_BALLOT_PG), prepared by psycopg (accounts.rows.fetchone)."""
    params = [
        ballot.choice,
        ballot.method,
        ballot.entered_by_id,
        ballot.assist_reason,
        ballot.idempotency_key,
        ballot.cast_at,
        PollStatus.OPEN,
        poll.pk,
        who_id,
        poll.mode,
        poll.kind,
        poll.secret,
        poll.item_id,
        poll.item.meeting.community_id,
    ]
    if connection.vendor == "postgresql":
        insert = _INSERT_IF_VOTER.format(
            source="s, ", status="s.status", who=who, same="IS NOT DISTINCT FROM"
        )
        event_sql, event_params = unsealed_insert_sql(event, "b")
        sql = _BALLOT_PG.format(insert=insert, event=event_sql)
        params = [POLL_LOCK_CLASS, poll.pk, *params, *event_params]
        if connection.in_atomic_block:  # in the caller's transaction: a savepoint
            with transaction.atomic():
                row = rows.fetchone(sql, params)
        else:  # a transaction of its own
            row = rows.fetchone(sql, params)
    else:  # SQLite: one writer at a time already
        insert = _INSERT_IF_VOTER.format(source="", status="p.status", who=who, same="IS")
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(insert, params)
                row = cursor.fetchone()
            if row is not None:
                event.save(force_insert=True)
    if row is None:
        raise _NotInserted
    ballot.pk, ballot.membership_id = row
    ballot._state.adding = False


def _opened_meanwhile(poll: Poll, who: str, who_id) -> bool:
    """PostgreSQL: whether the poll is open and `who` one of its voters now. The ballot's
    statement reads the voters as they were when it started: if the poll opened while the
    ballot waited for the lock, the voters were not there yet (worth one more try)."""
    if connection.vendor != "postgresql":
        return False
    voters = Voter.objects.filter(poll_id=poll.pk, poll__status=PollStatus.OPEN)
    if who == _BY_USER:
        voters = voters.filter(membership__user_id=who_id, membership__ended_on__isnull=True)
    else:
        voters = voters.filter(membership_id=who_id)
    return voters.exists()


def _insert_ballot(poll, choice, method, actor, *, membership_id=None, reason="", key=""):
    """Insert the ballot of `membership_id` (an assisted ballot) or, without it, of the
    actor's own seat. Raises _NotInserted if the poll is not open or not a voter's,
    AlreadyVoted if the voter has a ballot (the same one if the key matches: returned)."""
    if choice not in poll.choices:
        if poll.kind == PollKind.APPRAISAL:
            refuse(_("请选择满意、基本满意或不满意"))
        refuse(_("请选择赞成、反对或弃权"))
    ballot = Ballot(
        poll=poll,
        membership_id=membership_id,
        choice=choice,
        method=method,
        entered_by=actor,
        assist_reason=reason,
        idempotency_key=key[:80],
        cast_at=timezone.now(),
    )
    after = {"method": method}
    if not poll.secret:
        after["choice"] = choice
    if reason:
        after["reason"] = reason
    event = new_event(
        actor, "poll.ballot", poll, community=poll.item.meeting.community, after=after
    )
    if membership_id is None:
        who, who_id = _BY_USER, actor.pk
    else:
        who, who_id = _BY_MEMBERSHIP, membership_id
    try:
        try:
            _write_ballot(poll, ballot, who, who_id, event)
        except _NotInserted:
            if not _opened_meanwhile(poll, who, who_id):
                raise
            _write_ballot(poll, ballot, who, who_id, event)
        return ballot
    except IntegrityError:
        if membership_id is None:
            seat = seat_in(actor, poll.item.meeting.body_id)
            membership_id = seat.membership_id if seat else None
        existing = Ballot.objects.filter(poll=poll, membership_id=membership_id).first()
        if (
            existing
            and ballot.idempotency_key
            and existing.idempotency_key == ballot.idempotency_key
        ):
            return existing  # the same request again: same answer
        raise AlreadyVoted from None


def do_open_poll(poll: Poll, *, actor) -> Poll:
    """Open the poll: the members signed in now are its voters, frozen."""
    meeting = poll.item.meeting
    require_staff(actor, meeting.community_id)
    with transaction.atomic():
        if _lock(poll) != PollStatus.CREATED:
            refuse(_("这项表决已经开始过"))
        if meeting.status != MeetingStatus.IN_PROGRESS:
            refuse(_("会议开始后才能表决"))
        present = list(meeting.attendances.values_list("membership_id", flat=True))
        quorum = poll.rule.quorum
        if not quorum.met(len(present), meeting.expected or 0):
            refuse(
                _("应到%(e)s人，实到%(p)s人，%(w)s，不能表决")
                % {"e": meeting.expected, "p": len(present), "w": quorum.reached_words(False)}
            )
        Voter.objects.bulk_create(Voter(poll=poll, membership_id=m) for m in present)
        poll.status = PollStatus.OPEN
        poll.opened_at = timezone.now()
        poll.expected = meeting.expected or 0
        poll.present = len(present)
        poll.save(update_fields=["status", "opened_at", "expected", "present"])
        record(
            actor,
            "poll.open",
            poll,
            community=meeting.community,
            after={"expected": poll.expected, "present": poll.present},
        )
    return poll


def _earlier_ballot(poll: Poll, membership_id, key: str) -> Ballot | None:
    """The member's ballot sent earlier with this Idempotency-Key, if any."""
    if not key:
        return None
    return Ballot.objects.filter(
        poll=poll, membership_id=membership_id, idempotency_key=key[:80]
    ).first()


def do_cast_ballot(poll: Poll, choice: str, *, actor, idempotency_key: str = "") -> Ballot:
    """A member votes on their own phone. A retry with the same idempotency key gets the
    ballot of the first try, even after the poll closed (looked up only on a refusal).

    The member's seat is checked by the insert itself (a voter of the poll through an active
    membership of the actor): the usual ballot costs no query of its own for it."""
    if poll.mode != PollMode.ONLINE:
        refuse(_("这项表决用纸质选票或举手进行，请在会场表决"))
    try:
        return _insert_ballot(poll, choice, BallotMethod.ONLINE, actor, key=idempotency_key)
    except (ValidationError, AlreadyVoted, _NotInserted) as exc:
        seat = seat_in(actor, poll.item.meeting.body_id)
        if seat is None:
            refuse(_("您不是本会议的组成人员"))
        done = _earlier_ballot(poll, seat.membership_id, idempotency_key)
        if done is not None:
            return done
        if isinstance(exc, _NotInserted):
            refuse(_refusal(poll, seat.membership_id))
        raise


def do_enter_assisted_ballot(
    poll: Poll, membership: Membership, choice: str, *, reason: str, actor
) -> Ballot:
    """A worker enters the ballot of a member who asks for help (e.g. an elderly member
    without a phone); who entered it and why are kept with the ballot."""
    require_staff(actor, poll.item.meeting.community_id)
    if poll.mode != PollMode.ONLINE:
        refuse(_("这项表决由计票人清点，不能代为录入"))
    if not reason.strip():
        refuse(_("代为录入须写明原因，例如：本人年老不会使用手机，当面口头表示"))
    try:
        return _insert_ballot(
            poll,
            choice,
            BallotMethod.ASSISTED,
            actor,
            membership_id=membership.pk,
            reason=reason.strip(),
        )
    except _NotInserted:
        refuse(_refusal(poll, membership.pk))


def _may_count(actor, poll) -> bool:
    meeting = poll.item.meeting
    seat = seat_in(actor, meeting.body)
    return is_staff_of(actor, meeting.community_id) or (seat is not None and seat.role == "clerk")


def do_enter_teller_count(poll: Poll, *, yes: int, no: int, abstain: int, actor) -> TellerCount:
    """A teller enters the counted paper ballots or hands. A teller may correct their own
    entry until the poll closes; two different tellers must agree before it can close."""
    if poll.mode == PollMode.ONLINE:
        refuse(_("手机投票的表决不需要计票人录入"))
    if not _may_count(actor, poll):
        refuse(_("只有工作人员或记录员可以担任计票人"))
    if min(yes, no, abstain) < 0:
        refuse(_("票数不能为负数"))
    with transaction.atomic():
        if _lock(poll) != PollStatus.OPEN:
            refuse(_("只有在表决进行中才能录入票数"))
        if yes + no + abstain > poll.present:
            refuse(
                _("票数合计%(s)s超过了实到人数%(p)s，请重新清点")
                % {"s": yes + no + abstain, "p": poll.present}
            )
        count, _created = TellerCount.objects.update_or_create(
            poll=poll,
            teller=actor,
            defaults={"yes": yes, "no": no, "abstain": abstain, "entered_at": timezone.now()},
        )
        record(
            actor,
            "poll.teller_count",
            poll,
            community=poll.item.meeting.community,
            after={"yes": yes, "no": no, "abstain": abstain},
        )
    return count


def agreed_teller_counts(poll: Poll) -> tuple[int, int, int] | None:
    counts = {(c.yes, c.no, c.abstain) for c in poll.teller_counts.all()}
    tellers = poll.teller_counts.count()
    if tellers >= 2 and len(counts) == 1:
        return counts.pop()
    return None


@in_official_language
def do_close_poll(poll: Poll, *, actor) -> Poll:
    """Close and count. Ballots committed before the close are all counted; none after."""
    meeting = poll.item.meeting
    require_staff(actor, meeting.community_id)
    with transaction.atomic():
        if _lock(poll) != PollStatus.OPEN:
            refuse(_("只有进行中的表决可以截止"))
        # The ballots' audit events, all committed now (the lock waited for those in flight),
        # go into the community's chain before the close's own event.
        seal(chain_key(meeting.community))
        if poll.mode == PollMode.ONLINE:
            counts, digest = ballots_digest(poll)
            if poll.kind == PollKind.APPRAISAL:  # satisfied/basically/dissatisfied: see model
                counts = {col: counts.get(c, 0) for c, col in APPRAISAL_COLUMNS.items()}
            yes, no, abstain = counts["yes"], counts["no"], counts["abstain"]
        else:
            agreed = agreed_teller_counts(poll)
            if agreed is None:
                refuse(_("须由两名计票人分别录入票数且完全一致，才能截止表决"))
            yes, no, abstain = agreed
            digest = ""
        if poll.kind == PollKind.APPRAISAL:
            from .reports import appraisal_text

            passed, text = None, appraisal_text(yes, abstain, no)
        else:
            outcome = decide(
                expected=poll.expected,
                present=poll.present,
                yes=yes,
                no=no,
                abstain=abstain,
                quorum=poll.rule.quorum,
                majority=poll.rule.majority,
                majority_of_all=poll.rule.pass_of_all,
            )
            passed, text = outcome.passed, outcome.text
        poll.status = PollStatus.CLOSED
        poll.closed_at = timezone.now()
        poll.yes, poll.no, poll.abstain = yes, no, abstain
        poll.passed = passed
        poll.result_text = text
        poll.ballots_hash = digest
        poll.save()
        record(
            actor,
            "poll.close",
            poll,
            community=meeting.community,
            after={
                "yes": yes,
                "no": no,
                "abstain": abstain,
                "passed": passed,
                "hash": digest,
            },
        )
        if poll.kind == PollKind.APPRAISAL:
            from .reports import record_appraisal

            record_appraisal(poll, actor=actor)
    return poll


def do_publish_poll(poll: Poll, *, actor) -> Poll:
    """Announce the result; a poll on a major matter moves the matter on."""
    from .matters import apply_vote  # matters builds on polls, not the other way round

    meeting = poll.item.meeting
    require_staff(actor, meeting.community_id)
    with transaction.atomic():
        if _lock(poll) != PollStatus.CLOSED:
            refuse(_("表决截止后才能公布结果"))
        poll.status = PollStatus.PUBLISHED
        poll.published_at = timezone.now()
        poll.save(update_fields=["status", "published_at"])
        record(
            actor,
            "poll.publish",
            poll,
            community=meeting.community,
            after={"result": poll.result_text},
        )
        if poll.item.matter_id:
            apply_vote(poll.item.matter, poll, actor=actor)
    return poll
