"""The permission matrix: every URL and API route, tried as every persona.

MATRIX has one entry per URL name. Each says how to build the URL for an object of
community HD, which method to try, and the status each persona must get. A new route
that is not in MATRIX fails `test_every_route_is_in_the_matrix`; `test_the_matrix`
tries every (route, persona) pair and reports all mismatches at once.

Personas (tests/conftest.py `world`): resident_a (HD), resident_b (XH), worker_a (HD),
worker_b (XH), worker_c (NH, other subdistrict), subadmin (dh: HD and XH),
subadmin_other (nh).
"""

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from zizhi.accounts.actions import do_create_api_token
from zizhi.accounts.models import ApiToken
from zizhi.governance.actions import do_register_matter
from zizhi.governance.models import Body, Membership
from zizhi.registry.models import ImportJob, ImportStatus

from . import factories as f

ROLES = (
    "anonymous",
    "resident_a",
    "resident_b",
    "worker_a",
    "worker_b",
    "worker_c",
    "subadmin",
    "subadmin_other",
)
LOGIN = "302 to login"  # the expected answer of a login-only page to an anonymous visitor

# Django's own routes, not the project's: tested by Django.
EXCLUDED_NAMES = {"set_language"}
EXCLUDED_PREFIXES = (settings.STATIC_URL.lstrip("/"),)


def expect(default, **roles) -> dict:
    unknown = set(roles) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    return {role: roles.get(role, default) for role in ROLES}


def everyone(status) -> dict:
    return expect(status)


def logged_in(ok, anonymous=LOGIN) -> dict:
    return expect(ok, anonymous=anonymous)


def hd_staff(ok=200, anonymous=LOGIN, **roles) -> dict:
    """Staff of HD (worker_a, subadmin of dh) succeed; everyone else 404 alike."""
    return expect(404, worker_a=ok, subadmin=ok, anonymous=anonymous, **roles)


def any_staff(ok=200, anonymous=LOGIN) -> dict:
    return expect(ok, resident_a=404, resident_b=404, anonymous=anonymous)


def residents_only(ok=200, anonymous=LOGIN) -> dict:
    return expect(404, resident_a=ok, resident_b=ok, anonymous=anonymous)


def api_hd(ok=200) -> dict:
    """API view of HD rows: HD staff, and resident_a for their own rows."""
    return hd_staff(ok, anonymous=401, resident_a=ok)


@dataclass(frozen=True)
class Objects:
    """Rows of community HD that the routes need."""

    hd_resident: object  # no login, own household: for the staff pages
    resident_a: object  # resident_a's registry row (HD)
    worker_a_token: object
    hd_import_job: object  # a finished roster import of HD
    hd_matter: object  # a registered major matter of HD
    hd_body: object  # HD's representative assembly
    hd_seat: object  # a representative's seat in it


@dataclass(frozen=True)
class Try:
    url: Callable[[Objects], str]
    expect: dict
    method: str = "get"
    json: dict | None = field(default=None)


def url(name, *args):
    return lambda o: reverse(name, args=[a(o) if callable(a) else a for a in args])


def hd_resident(o):
    return o.hd_resident.pk


def hd_household(o):
    return o.hd_resident.household_id


def hd_import_job(o):
    return o.hd_import_job.pk


def hd_matter(o):
    return o.hd_matter.pk


MATRIX: dict[str, Try] = {
    # web
    "web:home": Try(url("web:home"), everyone(200)),
    "web:healthz": Try(url("web:healthz"), everyone(200)),
    "web:large_text": Try(url("web:large_text"), everyone(302), method="post"),
    "web:my_data": Try(url("web:my_data"), residents_only()),
    "web:my_data_export": Try(url("web:my_data_export"), residents_only()),
    "web:community": Try(url("web:community", "HD"), everyone(200)),
    # accounts
    "accounts:login": Try(url("accounts:login"), expect(302, anonymous=200)),
    "accounts:logout": Try(url("accounts:logout"), everyone(302), method="post"),
    "accounts:activate": Try(url("accounts:activate"), everyone(200)),
    "accounts:tokens": Try(url("accounts:tokens"), any_staff()),
    "accounts:inbox": Try(url("accounts:inbox"), logged_in(200)),
    "accounts:inbox_read": Try(url("accounts:inbox_read"), logged_in(302), method="post"),
    "accounts:revoke_token": Try(
        url("accounts:revoke_token", lambda o: o.worker_a_token.pk),
        expect(404, worker_a=302, anonymous=LOGIN),
        method="post",
    ),
    # registry pages of HD
    "registry:roster": Try(url("registry:roster", "HD"), hd_staff()),
    "registry:resident": Try(url("registry:resident", "HD", hd_resident), hd_staff()),
    "registry:reveal_id": Try(
        url("registry:reveal_id", "HD", hd_resident), hd_staff(), method="post"
    ),
    "registry:activation_code": Try(
        url("registry:activation_code", "HD", hd_resident), hd_staff(), method="post"
    ),
    "registry:households": Try(url("registry:households", "HD"), hd_staff()),
    "registry:household": Try(url("registry:household", "HD", hd_household), hd_staff()),
    "registry:import": Try(url("registry:import", "HD"), hd_staff()),
    "registry:import_template": Try(url("registry:import_template", "HD"), hd_staff()),
    "registry:import_job": Try(url("registry:import_job", "HD", hd_import_job), hd_staff()),
    "registry:import_progress": Try(
        url("registry:import_progress", "HD", hd_import_job), hd_staff()
    ),
    # the job is done: confirming again only redirects back to it
    "registry:import_confirm": Try(
        url("registry:import_confirm", "HD", hd_import_job), hd_staff(302), method="post"
    ),
    "registry:export": Try(url("registry:export", "HD"), hd_staff()),
    # governance: bodies and members
    "governance:bodies": Try(url("governance:bodies", "HD"), hd_staff()),
    "governance:body": Try(url("governance:body", "HD", lambda o: o.hd_body.pk), hd_staff()),
    "governance:add_member": Try(
        url("governance:add_member", "HD", lambda o: o.hd_body.pk), hd_staff(302), method="post"
    ),
    "governance:end_member": Try(
        url("governance:end_member", "HD", lambda o: o.hd_body.pk, lambda o: o.hd_seat.pk),
        hd_staff(302),
        method="post",
    ),
    # governance: the charter
    "governance:charter": Try(url("governance:charter", "HD"), hd_staff()),
    "governance:update_charter": Try(
        url("governance:update_charter", "HD"), hd_staff(302), method="post"
    ),
    "governance:add_rule": Try(url("governance:add_rule", "HD"), hd_staff(302), method="post"),
    # governance: major matters (members of bodies are tested in tests/test_matter_pages.py)
    "governance:matters": Try(url("governance:matters", "HD"), hd_staff()),
    "governance:matter_new": Try(url("governance:matter_new", "HD"), hd_staff()),
    "governance:matter": Try(url("governance:matter", "HD", hd_matter), hd_staff()),
    "governance:matter_act": Try(
        url("governance:matter_act", "HD", hd_matter, "move"), hd_staff(302), method="post"
    ),
    # a resident answers only while the matter is in consultation: none is now
    "governance:consult": Try(url("governance:consult", "HD", hd_matter), hd_staff(404)),
    "governance:escalations": Try(url("governance:escalations"), logged_in(404)),
    # audit
    "audit:events": Try(url("audit:events"), any_staff()),
    # API
    "api:api-root": Try(url("api:api-root"), everyone(404)),
    "api:openapi-json": Try(url("api:openapi-json"), everyone(200)),
    "api:openapi-view": Try(url("api:openapi-view"), everyone(200)),
    "api:me": Try(url("api:me"), logged_in(200, anonymous=401)),
    "api:list_tokens": Try(url("api:list_tokens"), logged_in(200, anonymous=401)),
    "api:create_token": Try(
        url("api:create_token"),
        logged_in(201, anonymous=401),
        method="post",
        json={"name": "matrix"},
    ),
    "api:revoke_token": Try(
        url("api:revoke_token", lambda o: o.worker_a_token.pk),
        expect(404, worker_a=204, anonymous=401),
        method="delete",
    ),
    "api:list_communities": Try(url("api:list_communities"), everyone(200)),
    "api:get_community": Try(url("api:get_community", "HD"), everyone(200)),
    "api:list_residents": Try(lambda o: reverse("api:list_residents") + "?community=HD", api_hd()),
    "api:get_resident": Try(url("api:get_resident", lambda o: o.resident_a.pk), api_hd()),
    "api:list_households": Try(
        lambda o: reverse("api:list_households") + "?community=HD", api_hd()
    ),
    "api:get_household": Try(
        url("api:get_household", lambda o: o.resident_a.household_id), api_hd()
    ),
}


def project_routes(resolver=None, namespace=""):
    """Every URL name of the project (a nameless pattern by its route), Django's own left out."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from project_routes(pattern, inner)
        elif pattern.name in EXCLUDED_NAMES or str(pattern.pattern).startswith(EXCLUDED_PREFIXES):
            continue
        else:
            yield f"{namespace}{pattern.name}" if pattern.name else str(pattern.pattern)


def test_every_route_is_in_the_matrix():
    routes = set(project_routes())
    missing = sorted(routes - MATRIX.keys())
    assert not missing, "\n".join(
        f"route {name} is not in the permission matrix; add it with the expected status per role"
        for name in missing
    )
    stale = sorted(MATRIX.keys() - routes)
    assert not stale, f"routes in the permission matrix that no longer exist: {stale}"


def test_every_entry_names_every_role():
    for name, entry in MATRIX.items():
        assert tuple(entry.expect) == ROLES, name


@pytest.fixture
def objects(world):
    hd_resident = f.resident(world.hd, name="湖东居民乙", hh=f.household(world.hd, "1栋", "101"))
    do_create_api_token("matrix", actor=world.worker_a)
    assembly = Body.objects.create(
        kind="representative_assembly", name="湖东代表大会", subdistrict=world.dh, community=world.hd
    )
    return Objects(
        hd_resident=hd_resident,
        resident_a=world.resident_a.resident,
        worker_a_token=ApiToken.objects.get(user=world.worker_a),
        hd_import_job=ImportJob.objects.create(
            community=world.hd,
            created_by=world.worker_a,
            filename="花名册.xlsx",
            status=ImportStatus.DONE,
            total_rows=1,
            processed_rows=1,
        ),
        hd_body=assembly,
        hd_seat=Membership.objects.create(
            body=assembly, name="代表", role="representative", started_on=datetime.date(2021, 6, 1)
        ),
        hd_matter=do_register_matter(
            world.hd,
            title="加装电梯",
            matter_type="construction",
            text="方案",
            why_major="涉及全体住户",
            actor=world.worker_a,
        ),
    )


def request_as(user, entry: Try, target: str):
    client = Client()
    if user is not None:
        client.force_login(user)
    send = getattr(client, entry.method)
    if entry.json is not None:
        return send(target, json.dumps(entry.json), content_type="application/json")
    return send(target)


def matches(expected, response) -> bool:
    if expected == LOGIN:
        login = reverse(settings.LOGIN_URL)
        return response.status_code == 302 and response["Location"].startswith(login)
    if isinstance(expected, tuple):
        return response.status_code in expected
    return response.status_code == expected


def test_the_matrix(world, objects):
    mismatches = []
    for name, entry in MATRIX.items():
        target = entry.url(objects)
        for role, expected in entry.expect.items():
            user = None if role == "anonymous" else getattr(world, role)
            response = request_as(user, entry, target)
            if not matches(expected, response):
                where = response.get("Location", "")
                got = f"{response.status_code} {where}".strip()
                mismatches.append(
                    f"{name}: {entry.method.upper()} {target} as {role}: "
                    f"expected {expected}, got {got}"
                )
    assert not mismatches, f"{len(mismatches)} mismatches:\n" + "\n".join(mismatches)
