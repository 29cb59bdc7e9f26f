"""Mediation's own access matrix: the mediation personas x every mediation route.

Personas: HD's lead; the assigned mediator; an unassigned mediator of the same association;
resident_a, a party; the other party; a resident of HD who is neither; worker_a (a plain HD
worker); worker_b (XH); XH's lead; resident_b (XH). Every case is HD's. POSTs carry input
that the action refuses (so a success can only be a 400, a validation message or a
redirect back), never changing the shared rows; a 404 means "nothing here for you".
"""

import json

import pytest
from django.test import Client
from django.urls import reverse

from zizhi.mediation.models import CaseStatus

from . import mediation_rows as rows

PERSONAS = (
    "lead",
    "mediator",
    "other_mediator",
    "party",
    "other_party",
    "bystander",
    "worker_a",
    "worker_b",
    "xh_lead",
    "resident_b",
)
CONTENT = ("lead", "mediator")  # see a case's contents
PARTIES = ("party", "other_party")
RESIDENTS = ("mediator", "other_mediator", "party", "other_party", "bystander", "resident_b")


def only(ok, *who, default=404):
    return {p: (ok if p in who else default) for p in PERSONAS}


# URL name: (method, url, payload, expected per persona)
def routes(s):
    open_, agreed, refused = s.open.pk, s.agreed.pk, s.not_agreed.pk
    r = reverse
    return {
        "mediation:stats": ("get", r("mediation:stats", args=["HD"]), None, only(200, *PERSONAS)),
        "mediation:subdistrict_stats": (
            "get",
            r("mediation:subdistrict_stats", args=["dh"]),
            None,
            only(200, *PERSONAS),
        ),
        "mediation:mine": ("get", r("mediation:mine"), None, only(200, *PERSONAS)),
        "mediation:apply": ("get", r("mediation:apply"), None, only(200, *RESIDENTS)),
        "mediation:case": (
            "get",
            r("mediation:case", args=[open_]),
            None,
            only(200, *CONTENT, *PARTIES),
        ),
        "mediation:assign": ("get", r("mediation:assign", args=[open_]), None, only(200, "lead")),
        "mediation:respond": (
            "post",
            r("mediation:respond", args=[open_]),
            {},
            only(302, "mediator"),
        ),
        "mediation:session": (
            "post",
            r("mediation:session", args=[open_]),
            {},
            only(400, *CONTENT),
        ),
        "mediation:outcome": (
            "get",
            r("mediation:outcome", args=[open_]),
            None,
            only(200, *CONTENT),
        ),
        "mediation:follow_up": (
            "post",
            r("mediation:follow_up", args=[agreed]),
            {},
            only(400, *CONTENT),
        ),
        "mediation:withdraw": (
            "post",
            r("mediation:withdraw", args=[open_]),
            {},
            only(302, *CONTENT, *PARTIES),
        ),
        "mediation:agreement": (
            "get",
            r("mediation:agreement", args=[agreed]),
            None,
            only(200, *CONTENT, *PARTIES),
        ),
        "mediation:referral": (
            "get",
            r("mediation:referral", args=[refused]),
            None,
            only(200, *CONTENT, *PARTIES),
        ),
        "mediation:register": (
            "get",
            r("mediation:register", args=["HD"]),
            None,
            only(200, "lead", "worker_a"),
        ),
        "mediation:desk": ("get", r("mediation:desk", args=["HD"]), None, only(200, "lead")),
        "mediation:lead": ("get", r("mediation:lead", args=["HD"]), None, only(200, "worker_a")),
        "api:mediation_register": (
            "get",
            r("api:mediation_register") + "?community=HD",
            None,
            only(200, "lead", "worker_a"),
        ),
        "api:mediation_cases": ("get", r("api:mediation_cases"), None, only(200, *PERSONAS)),
        "api:mediation_case": (
            "get",
            r("api:mediation_case", args=[open_]),
            None,
            only(200, *CONTENT, *PARTIES),
        ),
        "api:mediation_register_case": (
            "json",
            r("api:mediation_register_case"),
            {"community": "HD", "kind": "noise", "description": "x", "parties": []},
            only(400, "lead", "worker_a"),
        ),
        "api:mediation_apply": (
            "json",
            r("api:mediation_apply"),
            {"kind": "noise", "description": "", "other_name": "某人"},
            only(400, *RESIDENTS, default=403),
        ),
        "api:mediation_assign": (
            "json",
            r("api:mediation_assign", args=[open_]),
            {"resident_id": s.other_party.pk},
            only(400, "lead"),
        ),
        "api:mediation_respond": (
            "json",
            r("api:mediation_respond", args=[open_]),
            {"accept": True},
            only(403, "mediator"),
        ),
        "api:mediation_session": (
            "json",
            r("api:mediation_session", args=[open_]),
            {"held_on": "2026-01-05", "place": "调解室", "notes": " "},
            only(400, *CONTENT),
        ),
        "api:mediation_outcome": (
            "json",
            r("api:mediation_outcome", args=[open_]),
            {"agreed": True, "facts": ""},
            only(400, *CONTENT),
        ),
        "api:mediation_follow_up": (
            "json",
            r("api:mediation_follow_up", args=[agreed]),
            {"note": ""},
            only(400, *CONTENT),
        ),
        "api:mediation_withdraw": (
            "json",
            r("api:mediation_withdraw", args=[open_]),
            {"reason": ""},
            only(400, *CONTENT, *PARTIES),
        ),
        "api:mediation_stats": (
            "get",
            r("api:mediation_stats") + "?community=HD",
            None,
            only(200, *PERSONAS),
        ),
    }


@pytest.fixture
def scene(world):
    return rows.scene(world)


def users(world, s):
    return {
        "lead": s.lead,
        "mediator": s.mediator.user,
        "other_mediator": s.other_mediator.user,
        "party": world.resident_a,
        "other_party": s.other_party.user,
        "bystander": s.bystander.user,
        "worker_a": world.worker_a,
        "worker_b": world.worker_b,
        "xh_lead": s.xh_lead,
        "resident_b": world.resident_b,
    }


def call(user, method, target, payload):
    client = Client()
    client.force_login(user)
    if method == "json":
        return client.post(target, json.dumps(payload), content_type="application/json")
    return getattr(client, method)(target, payload or {})


def test_every_mediation_route_is_tried():
    from types import SimpleNamespace

    from .test_access_matrix import project_routes

    ours = {n for n in project_routes() if n.startswith(("mediation:", "api:mediation_"))}
    one = SimpleNamespace(pk=1)
    fake = SimpleNamespace(open=one, agreed=one, not_agreed=one, other_party=one)
    assert ours == set(routes(fake))


def test_the_mediation_matrix(world, scene):
    people = users(world, scene)
    mismatches = []
    for name, (method, target, payload, expected) in routes(scene).items():
        for persona, want in expected.items():
            got = call(people[persona], method, target, payload).status_code
            if got != want:
                mismatches.append(f"{name} as {persona}: expected {want}, got {got}")
    assert not mismatches, f"{len(mismatches)} mismatches:\n" + "\n".join(mismatches)
    for case in (scene.open, scene.agreed, scene.not_agreed):
        before = case.status
        case.refresh_from_db()
        assert case.status == before  # nothing above changed a case
    assert scene.open.status == CaseStatus.IN_MEDIATION


def test_the_register_names_nobody(world, scene):
    page = call(world.worker_a, "get", reverse("mediation:register", args=["HD"]), None)
    text = page.content.decode()
    assert scene.open.number in text
    for secret in ("对方当事人", world.resident_a.name, "双方各自陈述", "拖椅子", "调解员甲"):
        assert secret not in text
    rows_ = call(world.worker_a, "get", reverse("api:mediation_register") + "?community=HD", None)
    assert "对方当事人" not in rows_.content.decode() and "拖椅子" not in rows_.content.decode()
    assert call(world.worker_a, "get", reverse("api:mediation_cases"), None).json() == []


def test_a_party_sees_status_and_agreement_not_the_notes(world, scene):
    page = call(world.resident_a, "get", reverse("mediation:case", args=[scene.agreed.pk]), None)
    text = page.content.decode()
    assert "达成协议" in text and reverse("mediation:agreement", args=[scene.agreed.pk]) in text
    assert "双方各自陈述" not in text and "拖椅子" not in text
    data = call(
        world.resident_a, "get", reverse("api:mediation_case", args=[scene.agreed.pk]), None
    )
    body = data.json()
    assert body["view"] == "party" and body["sessions"] is None and body["description"] is None
    assert all(p["phone"] == "" for p in body["parties"])
    mine = call(world.resident_a, "get", reverse("api:mediation_cases"), None).json()
    assert {c["id"] for c in mine} == {scene.open.pk, scene.agreed.pk, scene.not_agreed.pk}
    assert all(c["view"] == "party" and c["sessions"] is None for c in mine)


def test_the_mediator_and_lead_see_the_notes(world, scene):
    for user in (scene.lead, scene.mediator.user):
        text = call(user, "get", reverse("mediation:case", args=[scene.open.pk]), None)
        assert "双方各自陈述" in text.content.decode()
        body = call(user, "get", reverse("api:mediation_case", args=[scene.open.pk]), None).json()
        assert body["view"] == "full" and body["sessions"][0]["notes"].startswith("双方")


def test_nothing_of_hd_reaches_xh_or_an_uninvolved_resident(world, scene):
    outsiders = (
        scene.xh_lead,
        world.worker_b,
        world.resident_b,
        scene.bystander.user,
        scene.other_mediator.user,
    )
    for user in outsiders:
        assert call(user, "get", reverse("api:mediation_cases"), None).json() == []
        mine = call(user, "get", reverse("mediation:mine"), None).content.decode()
        assert scene.open.number not in mine
    xh_desk = call(scene.xh_lead, "get", reverse("mediation:desk", args=["XH"]), None)
    assert xh_desk.status_code == 200 and "HD调" not in xh_desk.content.decode()


def test_a_declined_mediator_loses_access(world, scene):
    from zizhi.mediation import actions as m

    m.do_assign_mediator(scene.open, scene.other_mediator, actor=scene.lead)
    item = scene.open.assignments.get(resident=scene.other_mediator)
    url = reverse("mediation:case", args=[scene.open.pk])
    assert call(scene.other_mediator.user, "get", url, None).status_code == 200
    m.do_respond_assignment(item, accept=False, reason="出差", actor=scene.other_mediator.user)
    assert call(scene.other_mediator.user, "get", url, None).status_code == 404


def test_a_former_lead_loses_access(world, scene):
    from zizhi.mediation import actions as m

    successor = world.worker_a
    m.do_appoint_lead(world.hd, successor, actor=world.worker_a)
    url = reverse("mediation:case", args=[scene.open.pk])
    assert call(scene.lead, "get", url, None).status_code == 404
    assert call(successor, "get", url, None).status_code == 200
