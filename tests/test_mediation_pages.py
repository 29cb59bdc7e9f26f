"""Mediation pages: the resident's request form, the worker's walk-in form, the lead's desk,
appointing the lead, the home sections; input kept on errors."""

import datetime

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zizhi.mediation.models import CaseStatus, FollowUp, MediationCase, MediationLead

from . import factories as f
from . import mediation_rows as rows


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


def test_a_resident_asks_for_mediation(world):
    c = client_for(world.resident_a)
    assert c.get(reverse("mediation:apply")).status_code == 200
    bad = c.post(reverse("mediation:apply"), {"kind": "noise", "other_name": "楼上"})
    assert bad.status_code == 200 and "楼上" in bad.content.decode()  # input kept
    assert not MediationCase.objects.exists()
    ok = c.post(
        reverse("mediation:apply"),
        {"kind": "noise", "description": "夜里吵", "other_name": "楼上", "other_building": "2栋"},
    )
    case = MediationCase.objects.get()
    assert ok.status_code == 302 and ok["Location"] == reverse("mediation:case", args=[case.pk])
    assert case.status == CaseStatus.REGISTERED
    page = c.get(ok["Location"]).content.decode()
    assert case.number in page and "夜里吵" not in page  # a party does not see contents


def test_a_worker_registers_a_walk_in_case(world):
    me = world.resident_a.resident
    c = client_for(world.worker_a)
    data = {
        "kind": "parking",
        "description": "车位被长期占用",
        "applicant_name": me.name,
        "applicant_phone": me.phone,
        "respondent_name": "车主",
        "respondent_building": "2栋",
    }
    response = c.post(reverse("mediation:register", args=["HD"]), data)
    assert response.status_code == 302
    case = MediationCase.objects.get()
    assert case.parties.get(side="applicant").resident == me
    assert case.source == "worker"
    register = c.get(reverse("mediation:register", args=["HD"])).content.decode()
    assert case.number in register and "车主" not in register and me.name not in register


def test_the_lead_is_appointed_on_the_lead_page(world):
    assoc = rows.legal_association(world.hd)
    member = rows.mediator(assoc, world.hd, "协会会员", "9栋", "901")
    c = client_for(world.worker_a)
    page = c.get(reverse("mediation:lead", args=["HD"])).content.decode()
    assert "协会会员" in page and world.worker_a.name in page
    response = c.post(
        reverse("mediation:lead", args=["HD"]), {"user": member.user_id, "follow_up_days": 20}
    )
    assert response.status_code == 302
    assert MediationLead.objects.get(ended_on__isnull=True).user == member.user
    # a user who is neither a worker nor a member cannot be picked
    stranger = f.user(name="陌生人")
    bad = c.post(
        reverse("mediation:lead", args=["HD"]), {"user": stranger.pk, "follow_up_days": 20}
    )
    assert bad.status_code == 200
    assert MediationLead.objects.get(ended_on__isnull=True).user == member.user


def test_the_desk_lists_due_and_overdue_follow_ups(world):
    s = rows.scene(world)
    FollowUp.objects.filter(case=s.agreed).update(
        due_on=timezone.localdate() - datetime.timedelta(days=2)
    )
    page = client_for(s.lead).get(reverse("mediation:desk", args=["HD"])).content.decode()
    assert s.agreed.number in page and "已逾期" in page
    assert s.other_party.name in page  # the lead sees the parties
    assert s.not_agreed.number in page  # listed among cases done, its follow-up not yet due


def test_a_full_flow_through_the_pages(world):
    s = rows.scene(world)
    case = rows.case_between(world.hd, s.bystander, s.other_party, world.worker_a)
    lead = client_for(s.lead)
    lead.post(reverse("mediation:assign", args=[case.pk]), {"resident": s.mediator.pk})
    mediator = client_for(s.mediator.user)
    mediator.post(reverse("mediation:respond", args=[case.pk]), {"accept": "yes"})
    today = timezone.localdate().isoformat()
    bad = mediator.post(
        reverse("mediation:session", args=[case.pk]),
        {"held_on": today, "place": "调解室", "notes": ""},
    )
    assert bad.status_code == 400 and "调解室" in bad.content.decode()
    mediator.post(
        reverse("mediation:session", args=[case.pk]),
        {"held_on": today, "place": "调解室", "notes": "谈妥", "mediators": [s.mediator.user_id]},
    )
    later = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    mediator.post(
        reverse("mediation:outcome", args=[case.pk]),
        {"agreed": "yes", "facts": "噪音", "terms": "一\n二", "performance_deadline": later},
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.AGREED and case.term_list == ["一", "二"]
    assert case.sessions.get().mediators.get() == s.mediator.user
    mediator.post(reverse("mediation:follow_up", args=[case.pk]), {"kept": "yes", "note": "好"})
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.follow_up.kept is True


def test_home_sections(world):
    from zizhi.mediation import home

    s = rows.scene(world)
    assert home.resident(world.resident_a)["party"] == 3
    mediator = home.resident(s.mediator.user)
    assert mediator["mediator"] == 3 and mediator["party"] == 0
    assert home.member(s.lead) == {"mediator": 0, "lead": "HD"}
    assert home.member(world.worker_b) is None
    assert home.staff(world.worker_a, world.hd) == {"code": "HD", "lead": False}
    page = client_for(world.resident_a).get("/").content.decode()
    assert "我的调解" in page
    staff_page = client_for(world.worker_a).get("/").content.decode()
    assert reverse("mediation:register", args=["HD"]) in staff_page
