"""The data of bench/vote.py: an assembly of N members with logins and API tokens, a meeting
in progress with everyone signed in, an open online poll (and a warm-up poll); which ballot
endpoint to use; the final check that no ballot was lost or doubled."""

import datetime
import json
import secrets
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import timezone
from vote_client import Target

TERM_START = datetime.date(2024, 1, 1)


@dataclass
class Member:
    user_id: int
    token: str
    session: str
    choice: str


@dataclass
class World:
    community: object
    worker: object
    meeting: object
    poll: object
    warmup_poll: object
    members: list


def build(n: int, phone_prefix: str = "137") -> World:
    """n members with logins (phones phone_prefix + 8 digits); see the module's docstring."""
    from zizhi.accounts import actions as accounts
    from zizhi.accounts.models import Role, RoleKind, User
    from zizhi.governance import actions as a
    from zizhi.governance.models import Body, BodyKind, MemberRole, Membership
    from zizhi.registry.models import Community, Subdistrict

    sub = Subdistrict.objects.create(code="bench", name="基准街道")
    comm = Community.objects.create(subdistrict=sub, code="BENCH", name="基准社区")
    worker = User.objects.create_user(phone="13900000000", password=None, name="基准工作者")
    Role.objects.create(user=worker, kind=RoleKind.COMMUNITY_WORKER, community=comm)
    body = Body.objects.create(
        kind=BodyKind.REPRESENTATIVE_ASSEMBLY,
        name="基准居民代表大会",
        subdistrict=sub,
        community=comm,
    )
    password = make_password(secrets.token_urlsafe(12))  # one hash for all: argon2 is slow
    users = User.objects.bulk_create(
        User(phone=f"{phone_prefix}{i:08d}", name=f"代表{i}", password=password) for i in range(n)
    )
    Membership.objects.bulk_create(
        Membership(
            body=body, name=u.name, user=u, role=MemberRole.REPRESENTATIVE, started_on=TERM_START
        )
        for u in users
    )
    meeting = a.do_convene_meeting(
        body,
        title="基准表决会议",
        starts_at=timezone.now() + datetime.timedelta(hours=1),
        place="社区礼堂",
        items=[("热身表决", "", None), ("正式表决", "", None)],
        actor=worker,
    )
    a.do_notify_meeting(meeting, urgent_reason="基准测试", actor=worker)
    a.do_open_meeting(meeting, actor=worker)
    for u in users:
        a.do_sign_in(meeting, meeting.signin_token, actor=u)
    warm_item, item = meeting.items.order_by("position")
    warmup_poll = a.do_open_poll(
        a.do_create_poll(warm_item, question="热身", actor=worker), actor=worker
    )
    poll = a.do_create_poll(item, question="是否同意实施加装电梯方案", actor=worker)
    members = [
        Member(
            user_id=u.pk,
            token=accounts.do_create_api_token("bench", actor=u),
            session=_session(u),
            choice=("yes", "yes", "no", "abstain")[i % 4],
        )
        for i, u in enumerate(users)
    ]
    return World(comm, worker, meeting, poll, warmup_poll, members)


def _session(user) -> str:
    """A logged-in session made directly (a login form would cost an argon2 hash each)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def close_warmup(world: World) -> None:
    from zizhi.governance import actions as a

    a.do_close_poll(world.warmup_poll, actor=world.worker)
    a.do_open_poll(world.poll, actor=world.worker)


@dataclass
class Endpoint:
    describe: str
    make: object

    def request(self, member: Member, poll) -> Target:
        return self.make(member, poll)


def ballot_endpoint(world: World) -> Endpoint:
    """The JSON API ballot route if it exists, else the poll-vote page, else a stand-in."""
    poll = world.poll
    api_path = f"/api/v1/polls/{poll.pk}/ballots"
    try:
        resolve(api_path)
        has_api = True
    except Resolver404:
        has_api = False
    if has_api:

        def api(member, poll):
            return Target(
                "POST",
                f"/api/v1/polls/{poll.pk}/ballots",
                json.dumps({"choice": member.choice}).encode(),
                {
                    "Authorization": f"Bearer {member.token}",
                    "Content-Type": "application/json",
                    "Idempotency-Key": f"bench-{poll.pk}-{member.user_id}",
                },
            )

        return Endpoint(
            f"JSON API POST {api_path.replace(str(poll.pk), '{id}')} "
            "(bearer token, Idempotency-Key)",
            api,
        )
    try:
        reverse("governance:poll_vote", args=[world.community.code, poll.pk])
        has_page = True
    except NoReverseMatch:
        has_page = False
    if has_page:
        csrf = secrets.token_hex(16)

        def page(member, poll):
            path = reverse("governance:poll_vote", args=[world.community.code, poll.pk])
            return Target(
                "POST",
                path,
                f"choice={member.choice}&idempotency_key=bench-{member.user_id}".encode(),
                {
                    "Cookie": f"sessionid={member.session}; csrftoken={csrf}",
                    "X-CSRFToken": csrf,
                    "Content-Type": "application/x-www-form-urlencoded",
                },
            )

        return Endpoint("web form POST governance:poll_vote (session cookie)", page)

    def stand_in(member, poll):
        return Target(
            "POST",
            f"/bench/ballot/{poll.pk}/",
            json.dumps({"choice": member.choice}).encode(),
            {
                "Authorization": f"Bearer {member.token}",
                "Content-Type": "application/json",
                "Idempotency-Key": f"bench-{poll.pk}-{member.user_id}",
            },
        )

    return Endpoint(
        "STAND-IN bench/urls_vote.py ballot view (bearer token -> do_cast_ballot); "
        "neither the API route nor the poll-vote page exists yet",
        stand_in,
    )


def check(world: World, n: int) -> str:
    """Close the poll, then count: one ballot per member, tally hash and audit chains."""
    from django.db.models import Count

    from zizhi.audit.log import verify as verify_audit
    from zizhi.governance import actions as a
    from zizhi.governance import tally
    from zizhi.governance.models import Ballot

    poll = world.poll
    a.do_close_poll(poll, actor=world.worker)
    poll.refresh_from_db()
    rows = Ballot.objects.filter(poll=poll)
    total = rows.count()
    doubled = rows.values("membership").annotate(c=Count("id")).filter(c__gt=1).count()
    members = rows.values("membership").distinct().count()
    expected = {c: sum(m.choice == c for m in world.members) for c in ("yes", "no", "abstain")}
    stored = {"yes": poll.yes, "no": poll.no, "abstain": poll.abstain}
    checked, problems = verify_audit()
    ok = (
        total == n
        and members == n
        and doubled == 0
        and stored == expected
        and tally.verify(poll)
        and not problems
    )
    return (
        f"check: {'OK' if ok else 'FAILED'}: {total:,} ballot rows for {members:,} of {n:,} "
        f"members, {doubled} doubled; tally {stored} (expected {expected}); "
        f"tally hash verifies: {tally.verify(poll)}; audit chains: {checked:,} events, "
        f"{len(problems)} problems"
    )
