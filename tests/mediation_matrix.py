"""The mediation app's rows of the permission matrix (tests/test_access_matrix.py uses them).

ROUTES: one `Try` per URL name of the app (pages and API); objects(world): the rows of
community HD that they need, reached from a `Try` as `o.mediation`.

None of the matrix personas is HD's mediation lead or a mediator: resident_a is a party to
HD's cases (sees status and agreement, nothing else); HD's staff see the register only.
The mediation personas (lead, mediators, the other party, XH's lead) are in
tests/test_mediation_access.py.
"""

from django.urls import reverse

from . import mediation_rows as rows
from .matrix_base import LOGIN, Try, everyone, expect, hd_staff, logged_in, residents_only, url


def _case(name):
    return lambda o: getattr(o.mediation, name).pk


def _party_only(ok=200, anonymous=LOGIN):
    """resident_a, a party to the case, gets `ok`; everyone else 404 alike."""
    return expect(404, resident_a=ok, anonymous=anonymous)


NOBODY = expect(404, anonymous=LOGIN)  # only the lead and the mediators: no matrix persona
NOBODY_API = expect(404, anonymous=401)


def _api(name, *args, query=""):
    return lambda o: reverse(name, args=[a(o) for a in args]) + query


WITHDRAW = {"reason": "双方已自行和解"}
PARTIES = [
    {"side": "applicant", "name": "来访甲", "phone": "13712345678"},
    {"side": "respondent", "name": "来访乙", "building": "1栋"},
]

ROUTES: dict[str, Try] = {
    # pages
    "mediation:stats": Try(url("mediation:stats", "HD"), everyone(200)),
    "mediation:subdistrict_stats": Try(url("mediation:subdistrict_stats", "dh"), everyone(200)),
    "mediation:mine": Try(url("mediation:mine"), logged_in(200)),
    "mediation:apply": Try(url("mediation:apply"), residents_only(200)),
    "mediation:case": Try(url("mediation:case", _case("agreed")), _party_only()),
    "mediation:assign": Try(url("mediation:assign", _case("open")), NOBODY),
    "mediation:respond": Try(url("mediation:respond", _case("open")), NOBODY, method="post"),
    "mediation:session": Try(url("mediation:session", _case("open")), NOBODY, method="post"),
    "mediation:outcome": Try(url("mediation:outcome", _case("open")), NOBODY),
    "mediation:follow_up": Try(url("mediation:follow_up", _case("agreed")), NOBODY, "post"),
    "mediation:withdraw": Try(
        url("mediation:withdraw", _case("to_withdraw")), _party_only(302), method="post"
    ),
    "mediation:agreement": Try(url("mediation:agreement", _case("agreed")), _party_only()),
    "mediation:referral": Try(url("mediation:referral", _case("not_agreed")), _party_only()),
    "mediation:register": Try(url("mediation:register", "HD"), hd_staff()),
    "mediation:desk": Try(url("mediation:desk", "HD"), NOBODY),
    "mediation:lead": Try(url("mediation:lead", "HD"), hd_staff()),
    # API
    "api:mediation_register": Try(
        _api("api:mediation_register", query="?community=HD"), hd_staff(anonymous=401)
    ),
    "api:mediation_cases": Try(url("api:mediation_cases"), logged_in(200, anonymous=401)),
    "api:mediation_case": Try(
        url("api:mediation_case", _case("agreed")), _party_only(anonymous=401)
    ),
    "api:mediation_register_case": Try(
        url("api:mediation_register_case"),
        hd_staff(201, anonymous=401),
        method="post",
        json={"community": "HD", "kind": "parking", "description": "车位被占", "parties": PARTIES},
    ),
    "api:mediation_apply": Try(
        url("api:mediation_apply"),
        expect(403, resident_a=201, resident_b=201, anonymous=401),
        method="post",
        json={"kind": "leak", "description": "楼上漏水到我家", "other_name": "楼上住户"},
    ),
    "api:mediation_assign": Try(
        url("api:mediation_assign", _case("open")),
        NOBODY_API,
        method="post",
        json=lambda o: {"resident_id": o.mediation.other_mediator.pk},
    ),
    "api:mediation_respond": Try(
        url("api:mediation_respond", _case("open")),
        NOBODY_API,
        method="post",
        json={"accept": True},
    ),
    "api:mediation_session": Try(
        url("api:mediation_session", _case("open")),
        NOBODY_API,
        method="post",
        json={"held_on": "2026-01-05", "place": "调解室", "notes": "记录"},
    ),
    "api:mediation_outcome": Try(
        url("api:mediation_outcome", _case("open")),
        NOBODY_API,
        method="post",
        json={"agreed": False, "facts": "事实", "referral_to": "court"},
    ),
    "api:mediation_follow_up": Try(
        url("api:mediation_follow_up", _case("agreed")),
        NOBODY_API,
        method="post",
        json={"kept": True, "note": "已履行"},
    ),
    "api:mediation_withdraw": Try(
        url("api:mediation_withdraw", _case("to_withdraw_api")),
        _party_only(200, anonymous=401),
        method="post",
        json=WITHDRAW,
    ),
    "api:mediation_stats": Try(_api("api:mediation_stats", query="?community=HD"), everyone(200)),
}


def objects(world):
    s = rows.scene(world)
    me = world.resident_a.resident
    s.to_withdraw = rows.case_between(world.hd, me, s.other_party, world.worker_a)
    s.to_withdraw_api = rows.case_between(world.hd, me, s.other_party, world.worker_a)
    assert s.to_withdraw.status == "registered"
    return s
