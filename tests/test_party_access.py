"""Party data's own permission matrix: Party personas x every party route.

Personas: the HD branch secretary, the XH branch secretary, a member of dh's Party
committee (HD and XH), a member of nh's committee, an in-service HD member with a login
(his own rows vs another member's), a plain HD worker, the dh subdistrict administrator
(no seat), a resident who is not a member, anonymous. Every pair is tried; any success
where the table says 404 (or login) fails the test, so nothing of HD reaches XH or nh.
"""

import json

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zizhi.party import actions
from zizhi.party.models import PartyMember, PostClaim

from . import factories as f
from .party_matrix import ROUTES as STANDARD_ROUTES
from .party_rows import party_world

PERSONAS = (
    "anonymous",
    "hd_secretary",
    "xh_secretary",
    "dh_committee",
    "nh_committee",
    "member",
    "worker",
    "subadmin",
    "resident",
)
LOGIN = "login"
BRANCH = ("hd_secretary", "dh_committee")


def table(default, **who):
    return {p: who.get(p, default) for p in PERSONAS}


def page(ok=200, **more):
    """A page of HD's branch desk: the HD branch and dh's committee only."""
    return table(404, anonymous=LOGIN, hd_secretary=ok, dh_committee=ok, **more)


def api(ok=200, **more):
    return table(404, anonymous=401, hd_secretary=ok, dh_committee=ok, **more)


def u(name, *args):
    return lambda p: reverse(name, args=[a(p) if callable(a) else a for a in args])


def own(p):
    return p.member.pk


def other(p):
    return p.other.pk


def q(p):
    return p.quarter


POST_OK = (302, 400)  # done, or refused with a message on the re-rendered form
API_WRITE = (200, 201, 400)

# (name, url, method, payload, expected)
CASES = [
    ("party:posts", u("party:posts", "HD"), "get", None, table(200)),
    (
        "party:verify",
        lambda p: reverse("party:verify", args=[p.report.verify_code]),
        "get",
        None,
        table(200),
    ),
    (
        "party:claim",
        u("party:claim", "HD", lambda p: p.post2.pk),
        "post",
        None,
        table(404, anonymous=LOGIN, member=302),
    ),
    # withdrawing: the member's own claim only (refused with a message: the quarter is
    # evaluated in party_world), another member's claim is 404 for everyone
    (
        "party:withdraw_claim own",
        u("party:withdraw_claim", "HD", lambda p: p.claim.pk),
        "post",
        None,
        table(404, anonymous=LOGIN, member=302),
    ),
    (
        "party:withdraw_claim other",
        u("party:withdraw_claim", "HD", lambda p: p.other_claim.pk),
        "post",
        None,
        table(404, anonymous=LOGIN),
    ),
    ("party:report_in", u("party:report_in"), "get", None, table(404, anonymous=LOGIN, member=302)),
    ("party:me", u("party:me"), "get", None, table(404, anonymous=LOGIN, member=200)),
    ("party:report own", u("party:report", "HD", own, q), "get", None, page(member=200)),
    ("party:report other", u("party:report", "HD", other, q), "get", None, page()),
    ("party:report_pdf own", u("party:report_pdf", "HD", own, q), "get", None, page(member=200)),
    ("party:report_pdf other", u("party:report_pdf", "HD", other, q), "get", None, page()),
    ("party:desk", u("party:desk", "HD"), "get", None, page()),
    (
        "party:register",
        u("party:register", "HD"),
        "post",
        lambda p: {"resident": p.candidate.pk, "status": "retired", "joined_on": "1980-07-01"},
        page(POST_OK),
    ),
    ("party:member own", u("party:member", "HD", own), "get", None, page()),
    ("party:member other", u("party:member", "HD", other), "get", None, page()),
    (
        "party:add_visit",
        u("party:add_visit", "HD", other),
        "post",
        {"visited_on": "2026-01-05", "kind": "visit", "visitor": "书记"},
        page(302),
    ),
    (
        "party:evaluate",
        u("party:evaluate", "HD", own, q),
        "post",
        {"grade": "qualified"},
        page(302),
    ),
    ("party:organisations", u("party:organisations", "HD"), "get", None, page()),
    ("party:add_post", u("party:add_post", "HD"), "post", {"title": "楼栋长助理"}, page(302)),
    # close, then reopen: the post ends open for the rows after
    (
        "party:close_post",
        u("party:close_post", "HD", lambda p: p.post3.pk),
        "post",
        None,
        page(302),
    ),
    (
        "party:reopen_post",
        u("party:reopen_post", "HD", lambda p: p.post3.pk),
        "post",
        None,
        page(302),
    ),
    ("party:gaps", u("party:gaps", "HD"), "get", None, page()),
    ("party:care", u("party:care", "HD"), "get", None, page()),
    ("api:party_posts", u("api:party_posts", "HD"), "get", None, table(200)),
    ("api:party_members", u("api:party_members", "HD"), "get", None, api()),
    (
        "api:register_party_member",
        u("api:register_party_member", "HD"),
        "post",
        lambda p: {"resident_id": p.candidate2.pk, "status": "retired", "joined_on": "1980-07-01"},
        api(API_WRITE),
    ),
    ("api:party_member own", u("api:party_member", own), "get", None, api(member=200)),
    ("api:party_member other", u("api:party_member", other), "get", None, api()),
    ("api:party_me", u("api:party_me"), "get", None, table(404, anonymous=401, member=200)),
    ("api:party_organisations", u("api:party_organisations", "HD"), "get", None, api()),
    (
        "api:register_party_organisation",
        u("api:register_party_organisation", "HD"),
        "post",
        {"name": "区教育局机关党委", "employer": "区教育局"},
        api(API_WRITE),
    ),
    (
        "api:create_service_post",
        u("api:create_service_post", "HD"),
        "post",
        {"title": "助老"},
        api(201),
    ),
    (
        "api:claim_service_post",
        u("api:claim_service_post", lambda p: p.post2.pk),
        "post",
        {},
        table(404, anonymous=401, member=API_WRITE),
    ),
    (
        "api:withdraw_service_claim own",
        u("api:withdraw_service_claim", lambda p: p.claim.pk),
        "post",
        {},
        table(404, anonymous=401, member=400),
    ),
    (
        "api:withdraw_service_claim other",
        u("api:withdraw_service_claim", lambda p: p.other_claim.pk),
        "post",
        {},
        table(404, anonymous=401),
    ),
    (
        "api:close_service_post",
        u("api:close_service_post", lambda p: p.post3.pk),
        "post",
        {},
        api((200, 400)),
    ),
    (
        "api:reopen_service_post",
        u("api:reopen_service_post", lambda p: p.post3.pk),
        "post",
        {},
        api((200, 400)),
    ),
    (
        "api:party_report_in",
        u("api:party_report_in"),
        "post",
        {"employer": "区税务局"},
        table(404, anonymous=401, member=400),
    ),
    ("api:party_report own", u("api:party_report", own, q), "get", None, api(member=200)),
    ("api:party_report other", u("api:party_report", other, q), "get", None, api()),
    (
        "api:evaluate_party_member",
        u("api:evaluate_party_member", own, q),
        "post",
        {"grade": "excellent", "comment": "好"},
        api(),
    ),
    ("api:party_gaps", u("api:party_gaps", "HD"), "get", None, api()),
    ("api:party_care", u("api:party_care", "HD"), "get", None, api()),
    (
        "api:record_care_visit",
        u("api:record_care_visit", other),
        "post",
        {"visited_on": "2026-01-05", "kind": "festival", "visitor": "书记"},
        api(201),
    ),
]


@pytest.fixture
def pw(world):
    p = party_world(world)
    p.candidate = f.resident(world.hd, name="待登记甲", political_status="party_member")
    p.candidate2 = f.resident(world.hd, name="待登记乙", political_status="party_member")
    p.post3 = actions.do_create_post(world.hd, title="楼栋长助理", actor=p.hd_secretary)
    p.other_claim = PostClaim.objects.create(
        community=world.hd, post=p.post2, member=p.other, claimed_on=timezone.localdate()
    )
    p.users = {
        "anonymous": None,
        "hd_secretary": p.hd_secretary,
        "xh_secretary": p.xh_secretary,
        "dh_committee": p.dh_committee,
        "nh_committee": p.nh_committee,
        "member": p.member_user,
        "worker": world.worker_a,
        "subadmin": world.subadmin,
        "resident": world.resident_a,
    }
    return p


def send(user, method, target, payload):
    client = Client()
    if user is not None:
        client.force_login(user)
    if method == "get":
        return client.get(target)
    if target.startswith("/api/"):
        return client.post(target, json.dumps(payload or {}), content_type="application/json")
    return client.post(target, payload or {})


def ok(expected, response) -> bool:
    if expected == LOGIN:
        return response.status_code == 302 and response["Location"].startswith(
            reverse(settings.LOGIN_URL)
        )
    if isinstance(expected, tuple):
        return response.status_code in expected
    return response.status_code == expected


def test_every_party_route_is_in_this_matrix():
    names = {name.split(" ")[0] for name, *_ in CASES}
    assert names == set(STANDARD_ROUTES)


def test_party_matrix(pw):
    mismatches = []
    for name, target, method, payload, expected in CASES:
        assert tuple(expected) == PERSONAS, name
        url = target(pw)
        data = payload(pw) if callable(payload) else payload
        for persona, want in expected.items():
            response = send(pw.users[persona], method, url, data)
            if not ok(want, response):
                mismatches.append(
                    f"{name}: {method.upper()} {url} as {persona}: expected {want}, "
                    f"got {response.status_code} {response.get('Location', '')}"
                )
    assert not mismatches, f"{len(mismatches)} mismatches:\n" + "\n".join(mismatches)


def test_nothing_of_hd_reaches_xh_or_nh(pw, world):
    """The XH secretary and nh's committee see their own lists without HD names; HD's
    lists hold HD members only."""
    hd_names = set(
        PartyMember.objects.filter(community=world.hd).values_list("resident__name", flat=True)
    )
    for user, code in ((pw.xh_secretary, "XH"), (pw.nh_committee, "NH")):
        client = Client()
        client.force_login(user)
        for name in ("party:desk", "party:gaps", "party:care"):
            body = client.get(reverse(name, args=[code])).content.decode()
            assert not any(n in body for n in hd_names), (name, code)
        members = client.get(reverse("api:party_members", args=[code])).json()
        assert not any(m["name"] in hd_names for m in members)
    client = Client()
    client.force_login(pw.dh_committee)
    names = {m["name"] for m in client.get(reverse("api:party_members", args=["HD"])).json()}
    assert names == hd_names
    # the XH desk of the dh committee shows the XH member, not HD's
    xh = {m["name"] for m in client.get(reverse("api:party_members", args=["XH"])).json()}
    assert xh == {"西湖党员"}


def test_member_sees_only_his_own_rows(pw):
    client = Client()
    client.force_login(pw.member_user)
    body = client.get(reverse("party:me")).content.decode()
    assert "周末巡逻" in body
    assert client.get(reverse("api:party_member", args=[pw.other.pk])).status_code == 404
    assert client.get(reverse("api:party_members", args=["HD"])).status_code == 404
    # the public post list does not say who claimed
    posts = Client().get(reverse("party:posts", args=["HD"])).content.decode()
    assert "湖东党员" not in posts
