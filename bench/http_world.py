"""The data and the routes of bench/http_mix.py.

build() fills a migrated database: the standard demo (`zizhi demo`), logins with a session and
an API token for residents of every demo community, the subdistrict admin's session, and
bench/vote_world.py's assembly with as many open polls as the ballots need. routes() then
makes, for each route of the mix, a function returning the next request (vote_client.Sent)
with the check of a right answer.
"""

import datetime
import io
import itertools
import json
import math
import secrets
from dataclasses import dataclass

import vote_world
from vote_client import Sent, Target

ADMIN_PHONE = "13800000001"  # the demo's subdistrict admin of 东湖街道 (dh)


@dataclass
class Login:
    name: str
    community: str  # code
    session: str
    token: str


@dataclass
class World:
    communities: dict  # code -> name
    subdistrict: str  # code
    residents: list  # Login
    admin: Login
    votes: object  # vote_world.World
    polls: list  # open polls, each voted by every member once
    csrf: str

    @property
    def ballots(self) -> int:
        return len(self.polls) * len(self.votes.members)


def build(residents: int, voters: int, ballots: int, demo_residents: int = 4000) -> World:
    """The demo, `residents` resident logins spread over its communities, and `voters`
    members of a bench assembly with enough open polls for `ballots` ballots."""
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    from zizhi.accounts import actions as accounts
    from zizhi.accounts.models import User
    from zizhi.governance import actions as gov
    from zizhi.registry.models import Community, Resident, Subdistrict

    call_command("demo", residents=demo_residents, verbosity=0, stdout=io.StringIO())
    admin = User.objects.get(phone=ADMIN_PHONE)
    sub = Subdistrict.objects.get(roles__user=admin)
    communities = dict(
        Community.objects.filter(subdistrict=sub).order_by("code").values_list("code", "name")
    )
    adults = Resident.objects.filter(
        user__isnull=True, birth_date__lte=datetime.date.today() - datetime.timedelta(days=20 * 366)
    ).select_related("community")
    per_community = math.ceil(residents / len(communities))
    chosen = []
    for code in communities:
        chosen += list(adults.filter(community__code=code).order_by("id")[:per_community])
    chosen = chosen[:residents]
    password = make_password(secrets.token_urlsafe(12))  # one hash for all: argon2 is slow
    users = User.objects.bulk_create(
        User(phone=f"136{i:08d}", name=r.name, password=password) for i, r in enumerate(chosen)
    )
    for r, u in zip(chosen, users, strict=True):
        r.user = u
    Resident.objects.bulk_update(chosen, ["user"])
    logins = [
        Login(
            r.name,
            r.community.code,
            vote_world._session(u),
            accounts.do_create_api_token("bench", actor=u),
        )
        for r, u in zip(chosen, users, strict=True)
    ]
    admin_login = Login(admin.name, "", vote_world._session(admin), "")

    votes = vote_world.build(voters, phone_prefix="135")  # 137... are the demo's
    gov.do_open_poll(votes.poll, actor=votes.worker)
    polls = [votes.warmup_poll, votes.poll]
    item = votes.poll.item
    for k in range(max(0, math.ceil(ballots / voters) - len(polls))):
        poll = gov.do_create_poll(item, question=f"基准表决{k + 3}", actor=votes.worker)
        polls.append(gov.do_open_poll(poll, actor=votes.worker))
    return World(communities, sub.code, logins, admin_login, votes, polls, secrets.token_hex(16))


def _is(status: int, *marks: bytes):
    def check(got: int, body: bytes) -> bool:
        return got == status and all(m in body for m in marks)

    return check


def routes(world: World, port: int) -> dict:
    """{route: next_request()} for the five routes of the mix."""

    def sent(route, target, check):
        return Sent(route, target.encode(port), check)

    boards = itertools.cycle(
        [
            sent("notice board", Target("GET", f"/c/{code}/notices/"), _is(200, name.encode()))
            for code, name in world.communities.items()
        ]
    )
    # the resident's own home page greets them by name; the public home page would not
    homes = itertools.cycle(
        [
            sent("resident home /", _cookie("GET", "/", r.session), _is(200, r.name.encode()))
            for r in world.residents
        ]
    )
    admin = _cookie("GET", f"/s/{world.subdistrict}/dashboard/", world.admin.session)
    dashboard = sent("subdistrict dashboard", admin, _is(200, b"</html>"))
    filers = itertools.cycle(world.residents)
    numbers = itertools.count(1)

    def suggestion():
        r, n = next(filers), next(numbers)
        body = {
            "community": r.community,
            "title": f"基准建议{n}：楼道灯坏了",
            "text": f"第{n}条基准建议：三单元楼道的灯坏了，晚上看不清台阶，请尽快修理。",
            "category": "facilities",
        }
        target = Target(
            "POST",
            "/api/v1/suggestions",
            json.dumps(body, ensure_ascii=False).encode(),
            {"Authorization": f"Bearer {r.token}", "Content-Type": "application/json"},
        )
        return sent("suggestion (API)", target, _is(201, b'"number"'))

    endpoint = vote_world.ballot_endpoint(world.votes)
    pairs = ((poll, m) for poll in world.polls for m in world.votes.members)
    repeats = itertools.cycle([(world.polls[0], m) for m in world.votes.members])

    def ballot():
        pair = next(pairs, None)
        if pair is not None:
            return sent("ballot", endpoint.request(pair[1], pair[0]), _is(201, b'"choice"'))
        poll, member = next(repeats)  # every ballot is cast: send the first ones again
        return sent("ballot REPEATED (pool used up)", endpoint.request(member, poll), _is(200))

    return {
        "notice board": lambda: next(boards),
        "resident home /": lambda: next(homes),
        "suggestion (API)": suggestion,
        "ballot": ballot,
        "subdistrict dashboard": lambda: dashboard,
    }


def _cookie(method: str, path: str, session: str) -> Target:
    return Target(method, path, headers={"Cookie": f"sessionid={session}"})


def floor(port: int) -> Sent:
    """The floor's request: GET /bench/floor/ (bench/urls_http.py), answered with a name."""
    return Sent("floor", Target("GET", "/bench/floor/").encode(port), _is(200))
