"""The mediation API: a case run end to end by the lead and a mediator; every route in the
OpenAPI schema; bad input answers 400 with a Chinese message and changes nothing."""

import datetime
import json

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zizhi.mediation.models import CaseStatus, MediationCase

from . import mediation_rows as rows


def as_user(user):
    c = Client()
    c.force_login(user)
    return c


def post(client, name, payload, *args):
    return client.post(
        reverse(name, args=list(args)), json.dumps(payload), content_type="application/json"
    )


def test_a_case_through_the_api(world):
    s = rows.scene(world)
    worker = as_user(world.worker_a)
    created = post(
        worker,
        "api:mediation_register_case",
        {
            "community": "HD",
            "kind": "family",
            "description": "兄弟为赡养老人争执",
            "parties": [
                {"side": "applicant", "name": s.bystander.name, "phone": s.bystander.phone},
                {"side": "respondent", "name": "兄长", "phone": "13500000000"},
            ],
        },
    )
    assert created.status_code == 201, created.content
    case_id = created.json()["id"]
    assert created.json()["view"] == "party" and created.json()["description"] is None
    lead, mediator = as_user(s.lead), as_user(s.mediator.user)
    rows.member(s.association, s.bystander)  # a member, but a party to this case
    conflict = post(lead, "api:mediation_assign", {"resident_id": s.bystander.pk}, case_id)
    assert conflict.status_code == 400 and "当事人" in conflict.json()["detail"]
    assert (
        post(lead, "api:mediation_assign", {"resident_id": s.mediator.pk}, case_id).status_code
        == 200
    )
    assert post(mediator, "api:mediation_respond", {"accept": True}, case_id).status_code == 200
    today = timezone.localdate().isoformat()
    session = post(
        mediator,
        "api:mediation_session",
        {
            "held_on": today,
            "place": "调解室",
            "notes": "各退一步",
            "mediator_ids": [s.mediator.user_id],
        },
        case_id,
    )
    assert session.status_code == 201 and session.json()["sessions"][0]["mediators"] == ["调解员甲"]
    deadline = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    agreed = post(
        lead,
        "api:mediation_outcome",
        {
            "agreed": True,
            "facts": "赡养分担",
            "terms": "每人每月一千元",
            "performance_deadline": deadline,
        },
        case_id,
    )
    assert agreed.status_code == 200 and agreed.json()["status"] == "agreed"
    assert agreed.json()["agreement_url"] == reverse("mediation:agreement", args=[case_id])
    assert agreed.json()["follow_up_due_on"]
    late = post(lead, "api:mediation_withdraw", {"reason": "反悔"}, case_id)
    assert late.status_code == 400 and "不能改为" in late.json()["detail"]
    done = post(mediator, "api:mediation_follow_up", {"kept": True, "note": "已履行"}, case_id)
    assert done.status_code == 200 and done.json()["status"] == "closed"
    assert MediationCase.objects.get(pk=case_id).status == CaseStatus.CLOSED
    register = worker.get(reverse("api:mediation_register") + "?community=HD").json()
    assert {"id", "number", "kind", "status", "registered_at", "outcome_on"} == set(register[0])


def test_a_resident_applies_through_the_api(world):
    c = as_user(world.resident_a)
    answer = post(
        c, "api:mediation_apply", {"kind": "noise", "description": "吵", "other_name": "楼上"}
    )
    assert answer.status_code == 201 and answer.json()["status"] == "registered"
    bad = post(c, "api:mediation_apply", {"kind": "war", "description": "吵", "other_name": "楼上"})
    assert bad.status_code == 400 and "纠纷类型" in bad.json()["detail"]
    assert MediationCase.objects.count() == 1


def test_every_route_is_in_the_openapi_schema(world):
    schema = Client().get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    for path, method in [
        ("/api/v1/mediation/register", "get"),
        ("/api/v1/mediation/cases", "get"),
        ("/api/v1/mediation/cases", "post"),
        ("/api/v1/mediation/cases/{case_id}", "get"),
        ("/api/v1/mediation/applications", "post"),
        ("/api/v1/mediation/cases/{case_id}/mediators", "post"),
        ("/api/v1/mediation/cases/{case_id}/respond", "post"),
        ("/api/v1/mediation/cases/{case_id}/sessions", "post"),
        ("/api/v1/mediation/cases/{case_id}/outcome", "post"),
        ("/api/v1/mediation/cases/{case_id}/follow-up", "post"),
        ("/api/v1/mediation/cases/{case_id}/withdraw", "post"),
        ("/api/v1/mediation/stats", "get"),
    ]:
        assert method in paths[path], (path, method)
