"""The party app's rows of the permission matrix (tests/test_access_matrix.py uses them).

ROUTES: one `Try` per URL name of the app (pages and API); objects(world): the rows of
community HD that they need, reached from a `Try` as `o.party`.

None of the standard personas holds a seat in a Party branch or committee, and none is a
Party member: every Party route is 404 for them (302 to login / 401 for anonymous), except
the public service posts and the public verification page. tests/test_party_access.py
tries the same routes with Party personas.
"""

import datetime
from types import SimpleNamespace

from django.utils import timezone

from zizhi.party.models import (
    CareVisit,
    PartyMember,
    PartyOrganisation,
    PostClaim,
    QuarterlyReport,
    ServicePost,
    quarter_of,
)

from . import factories as f
from .matrix_base import LOGIN, Try, everyone, expect, url

NOBODY = expect(404, anonymous=LOGIN)  # a page: login first, then 404 for everyone
NOBODY_API = expect(404, anonymous=401)

MEMBER_JSON = {"resident_id": 0, "status": "retired", "joined_on": "1980-07-01"}
VISIT_JSON = {"visited_on": "2026-01-05", "kind": "visit", "visitor": "书记"}
REPORT_IN_JSON = {"employer": "区税务局", "joined_on": "2010-07-01"}


def _p(attr):
    return lambda o: getattr(o.party, attr)


def _code(o):
    return "HD"


ROUTES: dict[str, Try] = {
    # public
    "party:posts": Try(url("party:posts", "HD"), everyone(200)),
    "party:verify": Try(url("party:verify", _p("verify_code")), everyone(200)),
    "api:party_posts": Try(url("api:party_posts", "HD"), everyone(200)),
    # a member's own pages: nobody of the standard personas is a member
    "party:claim": Try(url("party:claim", "HD", _p("post")), NOBODY, method="post"),
    "party:withdraw_claim": Try(
        url("party:withdraw_claim", "HD", _p("claim")), NOBODY, method="post"
    ),
    "party:report_in": Try(url("party:report_in"), NOBODY),
    "party:me": Try(url("party:me"), NOBODY),
    "party:report": Try(url("party:report", "HD", _p("member"), _p("quarter")), NOBODY),
    "party:report_pdf": Try(url("party:report_pdf", "HD", _p("member"), _p("quarter")), NOBODY),
    # the branch desk
    "party:desk": Try(url("party:desk", "HD"), NOBODY),
    "party:register": Try(url("party:register", "HD"), NOBODY, method="post"),
    "party:member": Try(url("party:member", "HD", _p("member")), NOBODY),
    "party:add_visit": Try(url("party:add_visit", "HD", _p("member")), NOBODY, method="post"),
    "party:evaluate": Try(
        url("party:evaluate", "HD", _p("member"), _p("quarter")), NOBODY, method="post"
    ),
    "party:organisations": Try(url("party:organisations", "HD"), NOBODY),
    "party:add_post": Try(url("party:add_post", "HD"), NOBODY, method="post"),
    "party:close_post": Try(url("party:close_post", "HD", _p("post")), NOBODY, method="post"),
    "party:reopen_post": Try(url("party:reopen_post", "HD", _p("post")), NOBODY, method="post"),
    "party:gaps": Try(url("party:gaps", "HD"), NOBODY),
    "party:care": Try(url("party:care", "HD"), NOBODY),
    # API
    "api:party_members": Try(url("api:party_members", "HD"), NOBODY_API),
    "api:register_party_member": Try(
        url("api:register_party_member", "HD"),
        NOBODY_API,
        method="post",
        json=lambda o: {**MEMBER_JSON, "resident_id": o.hd_resident.pk},
    ),
    "api:party_member": Try(url("api:party_member", _p("member")), NOBODY_API),
    "api:party_me": Try(url("api:party_me"), NOBODY_API),
    "api:party_organisations": Try(url("api:party_organisations", "HD"), NOBODY_API),
    "api:register_party_organisation": Try(
        url("api:register_party_organisation", "HD"),
        NOBODY_API,
        method="post",
        json={"name": "某单位党支部", "employer": "某单位"},
    ),
    "api:create_service_post": Try(
        url("api:create_service_post", "HD"), NOBODY_API, method="post", json={"title": "岗位"}
    ),
    "api:claim_service_post": Try(
        url("api:claim_service_post", _p("post")), NOBODY_API, method="post", json={}
    ),
    "api:withdraw_service_claim": Try(
        url("api:withdraw_service_claim", _p("claim")), NOBODY_API, method="post", json={}
    ),
    "api:close_service_post": Try(
        url("api:close_service_post", _p("post")), NOBODY_API, method="post", json={}
    ),
    "api:reopen_service_post": Try(
        url("api:reopen_service_post", _p("post")), NOBODY_API, method="post", json={}
    ),
    "api:party_report_in": Try(
        url("api:party_report_in"), NOBODY_API, method="post", json=REPORT_IN_JSON
    ),
    "api:party_report": Try(url("api:party_report", _p("member"), _p("quarter")), NOBODY_API),
    "api:evaluate_party_member": Try(
        url("api:evaluate_party_member", _p("member"), _p("quarter")),
        NOBODY_API,
        method="post",
        json={"grade": "qualified"},
    ),
    "api:party_gaps": Try(url("api:party_gaps", "HD"), NOBODY_API),
    "api:party_care": Try(url("api:party_care", "HD"), NOBODY_API),
    "api:record_care_visit": Try(
        url("api:record_care_visit", _p("member")), NOBODY_API, method="post", json=VISIT_JSON
    ),
}


def objects(world):
    """HD rows written directly (the standard personas may not write Party data)."""
    today = timezone.localdate()
    org = PartyOrganisation.objects.create(
        community=world.hd, name="区税务局机关党支部", employer="区税务局", registered_on=today
    )
    resident = f.resident(world.hd, name="湖东党员甲", born=datetime.date(1980, 1, 1))
    member = PartyMember.objects.create(
        community=world.hd,
        resident=resident,
        status="in_service",
        joined_on=datetime.date(2005, 7, 1),
        branch="employer",
        employer="区税务局",
        organisation=org,
    )
    post = ServicePost.objects.create(community=world.hd, title="周末巡逻")
    claim = PostClaim.objects.create(community=world.hd, post=post, member=member, claimed_on=today)
    quarter = quarter_of(today)
    report = QuarterlyReport.objects.create(
        community=world.hd,
        member=member,
        quarter=quarter,
        number=f"DYHD{quarter}00001",
        verify_code="matrix-verify-code",
        grade="qualified",
        evaluated_by=world.worker_a,
    )
    CareVisit.objects.create(
        community=world.hd,
        member=member,
        visited_on=today,
        kind="visit",
        visitor="书记",
        recorded_by=world.worker_a,
    )
    return SimpleNamespace(
        member=member.pk,
        post=post.pk,
        claim=claim.pk,
        quarter=quarter,
        verify_code=report.verify_code,
    )
