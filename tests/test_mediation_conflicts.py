"""The conflict check (回避): no mediator who is a party, a relative (same household) or a
neighbour (same building) of a party; enforced in the action and shown on the assign form."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from zizhi.mediation import actions as m
from zizhi.mediation.conflicts import candidates, conflict_reason
from zizhi.mediation.models import MediatorAssignment

from . import factories as f
from . import mediation_rows as rows


@pytest.fixture
def hd(world):
    """HD with a legal association, a lead, and a case between A (3栋301) and B (4栋402)."""
    assoc = rows.legal_association(world.hd)
    lead = f.user(name="负责人")
    rows.lead(world.hd, lead, world.worker_a)
    a = rows.person(world.hd, "甲方", "3栋", "301")
    b = rows.person(world.hd, "乙方", "4栋", "402")
    case = rows.case_between(world.hd, a, b, world.worker_a)
    return world.hd, assoc, lead, a, b, case


def refused(case, resident, lead) -> str:
    with pytest.raises(ValidationError) as exc:
        m.do_assign_mediator(case, resident, actor=lead)
    assert not MediatorAssignment.objects.filter(case=case, resident=resident).exists()
    return " ".join(exc.value.messages)


def test_a_relative_of_a_party_may_not_mediate(hd):
    community, assoc, lead, a, b, case = hd
    spouse = f.resident(community, name="甲方配偶", hh=a.household)
    spouse.user = f.user(phone=spouse.phone, name="甲方配偶")
    spouse.save()
    rows.member(assoc, spouse)
    message = refused(case, spouse, lead)
    assert "同户" in message and "回避" in message
    assert "甲方" not in message.replace("甲方配偶", "")  # names the mediator, not the party


def test_a_neighbour_of_a_party_may_not_mediate(hd):
    community, assoc, lead, a, b, case = hd
    neighbour = rows.mediator(assoc, community, "同楼邻居", "4栋", "101")
    assert "同住一栋楼" in refused(case, neighbour, lead)


def test_a_party_may_not_mediate_their_own_case(hd):
    community, assoc, lead, a, b, case = hd
    rows.member(assoc, b)
    assert "当事人" in refused(case, b, lead)


def test_an_outside_party_by_building_is_checked_too(world, hd):
    community, assoc, lead, a, b, _case = hd
    near = rows.mediator(assoc, community, "七栋调解员", "7栋", "702")
    case = m.do_register_case(
        community,
        kind="parking",
        description="车位纠纷",
        parties=[
            {"side": "applicant", "name": a.name, "phone": a.phone},
            {"side": "respondent", "name": "外来车主", "phone": "13600000000", "building": "7栋"},
        ],
        actor=world.worker_a,
    )
    outsider = case.parties.get(side="respondent")
    assert outsider.resident_id is None and outsider.building.name == "7栋"
    assert "同住一栋楼" in refused(case, near, lead)


def test_an_eligible_mediator_is_assigned_once(hd):
    community, assoc, lead, a, b, case = hd
    good = rows.mediator(assoc, community, "合格调解员", "9栋", "901")
    assert conflict_reason(case, good) == ""
    m.do_assign_mediator(case, good, actor=lead)
    assert "已指派" in refused_again(case, good, lead)


def refused_again(case, resident, lead):
    with pytest.raises(ValidationError) as exc:
        m.do_assign_mediator(case, resident, actor=lead)
    return " ".join(exc.value.messages)


def test_only_members_of_a_legal_association_serving_the_community(world, hd):
    community, assoc, lead, a, b, case = hd
    plain = rows.person(community, "普通居民", "9栋", "902")
    assert "法律服务协会" in refused_again(case, plain, lead)
    # a subdistrict-wide legal association serves HD; one of another subdistrict does not
    wide = rows.legal_association(world.xh, subdistrict_wide=True)
    from_xh = rows.mediator(wide, world.xh, "街道调解员", "1栋", "101")
    far = rows.legal_association(world.nhc, subdistrict_wide=True)
    from_nh = rows.mediator(far, world.nhc, "南湖调解员", "1栋", "101")
    ids = {c.resident.pk for c in candidates(case)}
    assert from_xh.pk in ids and from_nh.pk not in ids
    m.do_assign_mediator(case, from_xh, actor=lead)  # XH's 1栋 is not HD's 1栋


def test_a_member_who_left_or_has_no_login_is_not_assignable(hd):
    import datetime

    community, assoc, lead, a, b, case = hd
    left = rows.mediator(assoc, community, "已退会", "9栋", "903")
    left.association_memberships.update(left_on=datetime.date(2026, 1, 1))
    offline = rows.mediator(assoc, community, "无账号", "9栋", "904", login=False)
    by_id = {c.resident.pk: c for c in candidates(case)}
    assert left.pk not in by_id
    assert "没有登录账号" in by_id[offline.pk].reason
    assert "没有登录账号" in refused_again(case, offline, lead)


def test_only_the_lead_assigns(world, hd):
    community, assoc, lead, a, b, case = hd
    good = rows.mediator(assoc, community, "合格调解员", "9栋", "905")
    for someone in (world.worker_a, world.subadmin, good.user, a.user):
        with pytest.raises(PermissionDenied):
            m.do_assign_mediator(case, good, actor=someone)


def test_the_form_greys_out_the_ineligible_with_the_reason(hd):
    community, assoc, lead, a, b, case = hd
    good = rows.mediator(assoc, community, "合格调解员", "9栋", "906")
    near = rows.mediator(assoc, community, "同楼邻居", "3栋", "102")
    client = Client()
    client.force_login(lead)
    page = client.get(reverse("mediation:assign", args=[case.pk]))
    text = page.content.decode()
    assert f'name="resident" value="{good.pk}"' in text
    assert f'name="resident" value="{near.pk}"' not in text
    assert "同住一栋楼（邻居关系），须回避" in text and 'aria-disabled="true"' in text
    # posting the ineligible one anyway is refused with the reason, nothing written
    answer = client.post(reverse("mediation:assign", args=[case.pk]), {"resident": near.pk})
    assert "同住一栋楼" in answer.content.decode()
    assert not MediatorAssignment.objects.filter(resident=near).exists()
    done = client.post(reverse("mediation:assign", args=[case.pk]), {"resident": good.pk})
    assert done.status_code == 302
    assert MediatorAssignment.objects.filter(resident=good, case=case).exists()
