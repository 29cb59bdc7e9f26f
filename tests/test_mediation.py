"""Mediation: registering, the status table, sessions, outcomes, follow-ups, numbers."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zizhi.audit.models import Event
from zizhi.mediation import actions as m
from zizhi.mediation.models import CaseStatus, FollowUp, MediationSettings, check_move

from . import factories as f
from . import mediation_rows as rows


def test_a_case_runs_from_registration_to_closed(world):
    s = rows.scene(world)
    case = s.agreed
    case.refresh_from_db()
    assert case.status == CaseStatus.AGREED
    assert case.number.startswith(f"HD调{timezone.localdate().year}-")
    follow = FollowUp.objects.get(case=case)
    assert follow.due_on == timezone.localdate() + datetime.timedelta(days=30)
    m.do_record_follow_up(case, kept=True, note="已履行", actor=s.lead)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.closed_at is not None
    verbs = set(
        Event.objects.filter(object_type__contains="mediation", object_id=str(case.pk)).values_list(
            "verb", flat=True
        )
    )
    assert {
        "mediation.register",
        "mediation.assign",
        "mediation.accept",
        "mediation.session",
        "mediation.outcome",
        "mediation.follow_up",
    } <= verbs


def test_the_status_table_is_explicit():
    check_move("registered", "assigned")
    check_move("in_mediation", "withdrawn")
    for old, new in [
        ("registered", "in_mediation"),
        ("agreed", "withdrawn"),
        ("closed", "registered"),
        ("withdrawn", "assigned"),
        ("not_agreed", "agreed"),
    ]:
        with pytest.raises(ValidationError):
            check_move(old, new)


def test_numbers_run_per_community_and_year(world):
    a = rows.person(world.hd, "甲", "1栋", "101")
    b = rows.person(world.hd, "乙", "2栋", "102")
    x = rows.person(world.xh, "丙", "1栋", "101")
    y = rows.person(world.xh, "丁", "2栋", "102")
    year = timezone.localdate().year
    first = rows.case_between(world.hd, a, b, world.worker_a)
    other = rows.case_between(world.xh, x, y, world.worker_b)
    second = rows.case_between(world.hd, a, b, world.worker_a)
    assert (first.number, second.number) == (f"HD调{year}-0001", f"HD调{year}-0002")
    assert other.number == f"XH调{year}-0001"


def test_a_worker_may_not_register_for_another_community(world):
    with pytest.raises(PermissionDenied):
        m.do_register_case(
            world.hd,
            kind="noise",
            description="x",
            parties=[{"side": "applicant", "name": "甲"}, {"side": "respondent", "name": "乙"}],
            actor=world.worker_b,
        )


def test_a_case_needs_both_sides_and_a_story(world):
    with pytest.raises(ValidationError, match="双方当事人"):
        m.do_register_case(
            world.hd,
            kind="noise",
            description="吵",
            parties=[{"side": "applicant", "name": "甲"}],
            actor=world.worker_a,
        )
    with pytest.raises(ValidationError, match="事情经过"):
        m.do_register_case(
            world.hd,
            kind="noise",
            description=" ",
            parties=[{"side": "applicant", "name": "甲"}, {"side": "respondent", "name": "乙"}],
            actor=world.worker_a,
        )


def test_a_resident_applies_and_the_case_waits_for_the_lead(world):
    other = rows.person(world.hd, "楼上邻居", "2栋", "301")
    case = m.do_apply_case(
        kind="leak",
        description="楼上卫生间漏水到我家",
        other_name="楼上邻居",
        other_phone=other.phone,
        actor=world.resident_a,
    )
    assert case.status == CaseStatus.REGISTERED and case.source == "party"
    assert case.community == world.hd
    sides = {p.side: p for p in case.parties.all()}
    assert sides["applicant"].resident == world.resident_a.resident
    assert sides["respondent"].resident == other
    with pytest.raises(PermissionDenied):
        m.do_apply_case(kind="leak", description="x", other_name="y", actor=world.worker_a)


def test_an_outcome_needs_a_session_and_an_agreement_needs_terms(world):
    s = rows.scene(world)
    case = rows.case_between(world.hd, s.bystander, s.other_party, world.worker_a)
    rows.run_to(case, "assigned", lead_user=s.lead, mediator_resident=s.mediator)
    with pytest.raises(ValidationError, match="至少一次调解"):
        m.do_record_outcome(case, agreed=False, facts="f", referral_to="court", actor=s.lead)
    with pytest.raises(ValidationError, match="日期"):
        m.do_record_session(
            case,
            held_on=timezone.localdate() + datetime.timedelta(days=1),
            place="p",
            notes="n",
            actor=s.lead,
        )
    m.do_record_session(case, held_on=timezone.localdate(), place="p", notes="n", actor=s.lead)
    with pytest.raises(ValidationError, match="协议内容"):
        m.do_record_outcome(case, agreed=True, facts="f", terms=" ", actor=s.lead)
    with pytest.raises(ValidationError, match="引导"):
        m.do_record_outcome(case, agreed=False, facts="f", referral_to="moon", actor=s.lead)
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_MEDIATION


def test_a_pending_mediator_may_not_act_until_they_accept(world):
    s = rows.scene(world)
    case = rows.case_between(world.hd, s.bystander, s.other_party, world.worker_a)
    m.do_assign_mediator(case, s.mediator, actor=s.lead)
    with pytest.raises(PermissionDenied):
        m.do_record_session(
            case, held_on=timezone.localdate(), place="p", notes="n", actor=s.mediator.user
        )
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED


def test_withdrawal_only_before_an_outcome(world):
    s = rows.scene(world)
    m.do_withdraw_case(s.open, reason="双方私下和解", actor=world.resident_a)
    s.open.refresh_from_db()
    assert s.open.status == CaseStatus.WITHDRAWN
    with pytest.raises(ValidationError):
        m.do_withdraw_case(s.agreed, reason="反悔", actor=world.resident_a)
    with pytest.raises(PermissionDenied):
        m.do_withdraw_case(s.agreed, reason="x", actor=world.worker_a)


def test_the_follow_up_interval_is_a_community_setting(world):
    m.do_set_follow_up_days(world.hd, 14, actor=world.worker_a)
    assert MediationSettings.follow_up_days_for(world.hd.pk) == 14
    s = rows.scene(world)
    assert FollowUp.objects.get(case=s.agreed).due_on == timezone.localdate() + datetime.timedelta(
        days=14
    )
    with pytest.raises(ValidationError):
        m.do_set_follow_up_days(world.hd, 0, actor=world.worker_a)
    with pytest.raises(PermissionDenied):
        m.do_set_follow_up_days(world.hd, 10, actor=world.worker_b)


def test_one_lead_at_a_time_appointed_by_staff(world):
    first, second = f.user(name="一任"), f.user(name="二任")
    m.do_appoint_lead(world.hd, first, actor=world.worker_a)
    m.do_appoint_lead(world.hd, second, actor=world.subadmin)
    from zizhi.mediation.models import MediationLead

    current = MediationLead.objects.get(community=world.hd, ended_on__isnull=True)
    assert current.user == second
    with pytest.raises(PermissionDenied):
        m.do_appoint_lead(world.hd, first, actor=world.worker_b)


def test_the_agreement_pdf(world):
    from zizhi.mediation.pdf import render_agreement_pdf

    s = rows.scene(world)
    pdf = render_agreement_pdf(s.agreed, compress=False)
    assert pdf.startswith(b"%PDF")
    client = Client()
    client.force_login(s.other_party.user)
    response = client.get(reverse("mediation:agreement", args=[s.agreed.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    # no agreement for a case without one
    assert client.get(reverse("mediation:agreement", args=[s.not_agreed.pk])).status_code == 404
    referral = client.get(reverse("mediation:referral", args=[s.not_agreed.pk]))
    assert "人民法院" in referral.content.decode()


def test_a_session_with_a_duration_counts_as_volunteer_service(world):
    from zizhi.associations.models import ServiceRecord

    s = rows.scene(world)  # the scene's sessions have no duration: no records
    assert not ServiceRecord.objects.exists()
    m.do_record_session(
        s.open,
        held_on=timezone.localdate(),
        place="调解室",
        notes="第二次调解",
        mediator_ids=[s.mediator.user_id, s.other_mediator.user_id],  # the second not assigned
        minutes=90,
        actor=s.mediator.user,
    )
    record = ServiceRecord.objects.get()
    assert (record.resident, record.minutes, record.category) == (s.mediator, 90, "legal")
    assert record.content == "人民调解" and s.other_party.name not in record.organiser
    with pytest.raises(ValidationError):
        m.do_record_session(
            s.open, held_on=timezone.localdate(), place="p", notes="n", minutes=601, actor=s.lead
        )
