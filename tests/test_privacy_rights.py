"""PIPL rights: a resident downloads everything held about them (JSON, PDF, API), asks for a
correction that a worker applies or declines, and a worker erases a resident who moved away
while votes, the Moral Bank's book and service hours stay consistent.

The erasure test builds a resident with activity in many apps, erases them, then scans every
text and JSON column of every table for their name, phone and ID number. It runs on SQLite
and on PostgreSQL (where triggers refuse any change of posted ledger rows and service records,
so an erasure that touched them would fail there)."""

import datetime
import json

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zizhi.accounts.models import InboxMessage, User
from zizhi.associations.models import ServiceRecord
from zizhi.audit import log as audit_log
from zizhi.audit.models import Event
from zizhi.governance import actions as g
from zizhi.governance import tally
from zizhi.governance.models import Body, BodyKind, MemberRole, Membership
from zizhi.greening.models import Adoption
from zizhi.mediation.models import CaseParty
from zizhi.moralbank.actions import accounts as acc
from zizhi.moralbank.actions import flows
from zizhi.moralbank.models import Account
from zizhi.moralbank.reconcile import reconcile
from zizhi.notices import actions as n
from zizhi.party.models import PartyMember
from zizhi.proposals import actions as sg
from zizhi.registry import crypto, idnumber, rights
from zizhi.registry.models import CorrectionStatus, DataCorrection, Resident

from . import bank_rows, greening_rows, wishes_rows
from . import factories as f
from .assoc_rows import volunteer
from .govworld import TERM_START

pytestmark = pytest.mark.django_db

NAME = "欧阳秀兰"


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def events(verb):
    return list(Event.objects.filter(verb=verb).order_by("id"))


def assert_clean_event(event, *secrets):
    text = json.dumps(
        [event.summary, event.object_repr, event.actor_label], ensure_ascii=False, default=str
    )
    for secret in secrets:
        assert secret not in text


# --- a resident with activity in many apps ----------------------------------------------------


def votes(world, subject_user) -> list:
    """An assembly of the subject and two more representatives; a meeting with an open and a
    secret online poll in which all three vote (the subject "no"), both closed with tallies."""
    assembly = Body.objects.create(
        kind=BodyKind.REPRESENTATIVE_ASSEMBLY,
        name="湖东社区居民代表大会",
        subdistrict=world.dh,
        community=world.hd,
    )
    users = [subject_user] + [f.resident_user(world.hd, f"代表{i}") for i in (1, 2)]
    for u in users:
        Membership.objects.create(
            body=assembly,
            user=u,
            resident=u.resident,
            name=u.resident.name,
            role=MemberRole.REPRESENTATIVE,
            started_on=TERM_START,
        )
    meeting = g.do_convene_meeting(
        assembly,
        title="代表大会",
        starts_at=timezone.now() + datetime.timedelta(days=10),
        place="社区活动室",
        items=[("议题一", "内容", None), ("议题二", "内容", None)],
        actor=world.worker_a,
    )
    g.do_notify_meeting(meeting, actor=world.worker_a)
    g.do_open_meeting(meeting, actor=world.worker_a)
    for u in users:
        g.do_sign_in(meeting, meeting.signin_token, actor=u)
    polls = []
    for item, secret in zip(meeting.items.order_by("position"), (False, True), strict=True):
        poll = g.do_create_poll(
            item, question=f"是否同意{item.title}", secret=secret, actor=world.worker_a
        )
        g.do_open_poll(poll, actor=world.worker_a)
        g.do_cast_ballot(poll, "no", actor=subject_user)
        for u in users[1:]:
            g.do_cast_ballot(poll, "yes", actor=u)
        g.do_close_poll(poll, actor=world.worker_a)
        poll.refresh_from_db()
        polls.append(poll)
    return polls


def active_subject(world, django_capture_on_commit_callbacks):
    """A resident of HD with a login, a seat and ballots, Moral Bank hours, a suggestion and
    an objection naming them, a wish, a mediation case, a plot, a volunteer registration with
    an emergency contact, a Party record, an open correction request, an inbox message."""
    user = f.resident_user(world.hd, NAME)
    subject = user.resident
    subject.address = "湖东路 18 号 3 单元"
    subject.note = "行动不便，需上门"
    subject.save()
    polls = votes(world, user)
    # Moral Bank: 90 minutes of attested service credited to their account
    branch = acc.do_open_branch(world.hd, name="湖东储蓄所", kind="community", actor=world.worker_a)
    clerk = f.user(name="储蓄所管理员")
    acc.do_add_clerk(branch, clerk, actor=world.worker_a, started_on=datetime.date(2026, 1, 1))
    record = bank_rows.service_record(world, subject, 90)
    with django_capture_on_commit_callbacks(execute=True):
        entry = flows.do_request_credit(record, branch, actor=world.worker_a)
        flows.do_approve_credit(entry, actor=clerk)
    volunteer(subject)
    subject.volunteer.emergency_name = "欧阳明"
    subject.volunteer.emergency_phone = "13911112222"
    subject.volunteer.save()
    sg.do_file_suggestion(
        world.hd,
        title="楼道灯坏了",
        text=f"我是{NAME}，住{subject.address}，电话{subject.phone}，请来修。",
        category="facilities",
        actor=user,
    )
    notice = n.do_create_notice(
        world.hd, category="finance", title="公示", body="正文", actor=world.worker_a
    )
    n.do_publish_notice(notice, actor=world.worker_a)
    n.do_file_objection(notice, f"{NAME}对此有异议", actor=user)
    wishes_rows.wish(world.worker_a, subject, text=f"{NAME}想要一台收音机，电话{subject.phone}")
    other = bank_rows.neighbour(world.hd, "邻居老李")
    from .mediation_rows import case_between

    case_between(world.hd, subject, other, world.worker_a)
    greening_rows.adopt(greening_rows.plot(world.hd, world.worker_a), user, world.worker_a)
    PartyMember.objects.create(
        community=world.hd,
        resident=subject,
        status="retired",
        joined_on=datetime.date(1980, 7, 1),
        employer="杭州第二棉纺厂",
        note=f"{NAME}，老党员",
    )
    rights.do_request_correction(subject, "phone", "13922223333", "换号了", actor=user)
    InboxMessage.objects.create(user=user, subject="会议通知", body=f"{NAME}您好")
    # a mistyped password: the lockout keeps the phone in its records of attempts
    Client().post(reverse("accounts:login"), {"username": user.phone, "password": "nope"})
    return user, subject, polls


# --- download ---------------------------------------------------------------------------------


def test_my_data_downloads_are_complete_audited_and_not_cached(
    world, django_capture_on_commit_callbacks
):
    user, subject, polls = active_subject(world, django_capture_on_commit_callbacks)
    full_id = subject.reveal_id_number()
    client = login(user)
    page = client.get(reverse("web:my_data"))
    assert page.status_code == 200
    assert reverse("web:my_data_pdf") in page.content.decode()
    assert reverse("web:my_data") in client.get(reverse("web:home")).content.decode()

    response = client.get(reverse("web:my_data_export"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    parts = {s["key"]: s for s in data["sections"]}
    registry = parts["registry"]["rows"][0]
    assert registry["name"] == data["name"] == NAME
    assert registry["id_number"] == data["id_number"] == subject.id_number_masked
    assert full_id not in response.content.decode()  # masked, as on every page
    assert registry["phone"] == subject.phone
    for key in (
        "account",
        "seats",
        "ballots",
        "passbook",
        "bank_accounts",
        "service_records",
        "volunteer",
        "suggestions",
        "objections",
        "wishes",
        "mediation_cases",
        "adoptions",
        "party_member",
        "corrections",
        "inbox",
    ):
        assert parts[key]["rows"], f"section {key} is empty"
    assert parts["passbook"]["rows"][0]["minutes"] == 90
    assert parts["volunteer"]["rows"][0]["emergency_phone"] == "13911112222"
    assert parts["corrections"]["rows"][0]["status"] == "待处理"

    pdf = client.get(reverse("web:my_data_pdf"))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and len(pdf.content) > 3000
    assert "no-store" in pdf["Cache-Control"]

    api = client.get("/api/v1/me/data")
    assert api.status_code == 200 and "no-store" in api["Cache-Control"]
    assert {s["key"] for s in api.json()["sections"]} == set(parts)

    exported = events("resident.export_own_data")
    assert [e.summary["format"] for e in exported] == ["json", "pdf", "api"]
    for event in exported:
        assert event.object_id == str(subject.pk)
        assert_clean_event(event, full_id, subject.phone)


def test_a_secret_ballots_choice_is_not_exported(world, django_capture_on_commit_callbacks):
    user, subject, (open_poll, secret_poll) = active_subject(
        world, django_capture_on_commit_callbacks
    )
    data = rights.do_export_personal_data(subject, actor=user)
    ballots = {
        b["poll"]: b["choice"] for s in data["sections"] if s["key"] == "ballots" for b in s["rows"]
    }
    assert ballots[open_poll.question] == "反对"
    assert "反对" not in ballots[secret_poll.question]
    assert "无记名" in ballots[secret_poll.question]


def test_only_the_resident_downloads_their_data(world):
    worker = login(world.worker_a)
    assert worker.get(reverse("web:my_data_export")).status_code == 404
    assert worker.get("/api/v1/me/data").status_code == 404
    with pytest.raises(PermissionDenied):
        rights.do_export_personal_data(world.resident_b.resident, actor=world.resident_a)


# --- correction --------------------------------------------------------------------------------


def test_a_correction_is_checked_applied_by_the_worker_and_answered(world):
    resident = world.resident_a.resident
    client = login(world.resident_a)
    bad = client.post(
        reverse("web:my_data_correct"), {"field": "id_number", "value": "110105195003010010"}
    )
    assert bad.status_code == 400 and "校验位" in bad.content.decode()
    assert not DataCorrection.objects.exists()

    new_id = idnumber.make("330106", datetime.date(1950, 3, 1), 77)
    ok = client.post(
        reverse("web:my_data_correct"),
        {"field": "id_number", "value": new_id, "reason": "登记时抄错了"},
    )
    assert ok.status_code == 302
    asked = DataCorrection.objects.get()
    assert asked.shown_value == idnumber.mask(new_id) and new_id not in asked.new_value
    again = client.post(reverse("web:my_data_correct"), {"field": "id_number", "value": new_id})
    assert again.status_code == 400  # one open request per field

    url = reverse("registry:correction", args=["HD", asked.pk])
    assert login(world.worker_b).get(url).status_code == 404  # another community's worker
    listed = login(world.worker_a).get(reverse("registry:corrections", args=["HD"]))
    assert idnumber.mask(new_id) in listed.content.decode()
    answer = login(world.worker_a).post(url, {"decision": "approve", "reply": "已核对身份证"})
    assert answer.status_code == 302
    resident.refresh_from_db()
    assert resident.reveal_id_number() == new_id
    assert resident.id_number_hash == crypto.lookup_hash(new_id)
    asked.refresh_from_db()
    assert asked.status == CorrectionStatus.APPROVED and asked.new_value == ""
    update = events("resident.update")[-1]
    assert update.summary["fields"] == ["id_number"]
    assert_clean_event(update, new_id)
    assert "已核对身份证" in client.get(reverse("web:my_data")).content.decode()


def test_a_declined_correction_needs_a_reply_and_a_phone_change_moves_the_login(world):
    resident = world.resident_a.resident
    first = rights.do_request_correction(resident, "name", "湖东居民丙", "", actor=world.resident_a)
    with pytest.raises(ValidationError, match="原因"):
        rights.do_decline_correction(first, "", actor=world.worker_a)
    rights.do_decline_correction(first, "户口簿上就是这个名字", actor=world.worker_a)
    first.refresh_from_db()
    assert first.status == CorrectionStatus.DECLINED
    resident.refresh_from_db()
    assert resident.name == "湖东居民"
    with pytest.raises(ValidationError, match="手机号"):
        rights.do_request_correction(resident, "phone", "12345", "", actor=world.resident_a)
    phone = rights.do_request_correction(
        resident, "phone", "13955556666", "换号", actor=world.resident_a
    )
    with pytest.raises(PermissionDenied):  # XH's worker
        rights.do_approve_correction(phone, actor=world.worker_b)
    rights.do_approve_correction(phone, actor=world.worker_a)
    resident.refresh_from_db()
    world.resident_a.refresh_from_db()
    assert resident.phone == "13955556666" == world.resident_a.phone
    with pytest.raises(ValidationError, match="处理过"):
        rights.do_approve_correction(phone, actor=world.worker_a)
    name = rights.do_request_correction(resident, "name", "湖东居民丁", "", actor=world.resident_a)
    rights.do_approve_correction(name, actor=world.worker_a)
    world.resident_a.refresh_from_db()
    assert world.resident_a.name == "湖东居民丁" == Resident.objects.get(pk=resident.pk).name
    for event in events("resident.approve_correction") + events("resident.request_correction"):
        assert_clean_event(event, "13955556666")


# --- erasure -----------------------------------------------------------------------------------


def text_columns(model):
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField | models.JSONField)
    ]


def traces(needles: list[str], skip=("audit.Event",)) -> list[str]:
    """Every (table, column) of the whole database holding one of the needles."""
    found = []
    for model in apps.get_models():
        if model._meta.label in skip or model._meta.proxy or not model._meta.managed:
            continue
        for field in text_columns(model):
            for value in model.objects.values_list(field.attname, flat=True).iterator():
                text = json.dumps(value, ensure_ascii=False) if value is not None else ""
                hits = [n for n in needles if n in text]
                if hits:
                    found.append(f"{model._meta.label}.{field.name}: {hits}")
    return found


def test_erasing_a_resident_who_moved_away_leaves_no_trace_and_keeps_the_books(
    world, django_capture_on_commit_callbacks
):
    user, subject, polls = active_subject(world, django_capture_on_commit_callbacks)
    full_id, phone = subject.reveal_id_number(), subject.phone
    needles = [NAME, phone, full_id, subject.address, "13911112222", "杭州第二棉纺厂"]
    before = traces(needles)
    assert len(before) >= 10  # the scan finds the copies before
    assert any(t.startswith("axes.") for t in before)
    hours_before = sum(
        ServiceRecord.objects.filter(resident=subject).values_list("minutes", flat=True)
    )
    balance_before = Account.objects.get(resident=subject).balance
    session = login(user)
    assert session.get(reverse("web:my_data")).status_code == 200

    url = reverse("registry:erase", args=["HD", subject.pk])
    assert login(world.worker_b).get(url).status_code == 404
    worker = login(world.worker_a)
    assert worker.get(url).status_code == 200
    wrong = worker.post(url, {"moved_out": "on", "confirm_name": "别人", "reason": "已迁出"})
    assert wrong.status_code == 400 and "姓名" in wrong.content.decode()
    assert Resident.objects.get(pk=subject.pk).name == NAME  # nothing changed
    done = worker.post(
        url, {"moved_out": "on", "confirm_name": NAME, "reason": f"{NAME}已迁往外省"}
    )
    assert done.status_code == 302

    # no trace of the name, phone, ID number, address or emergency phone in any other table
    assert traces(needles) == []
    subject.refresh_from_db()
    assert subject.name == f"已注销居民 R{subject.pk:06d}" and subject.erased_at
    assert subject.moved_out_on == timezone.localdate()
    assert subject.reveal_id_number() == "" and not subject.phone and subject.household is None
    assert not Resident.objects.filter(id_number_hash=crypto.lookup_hash(full_id)).exists()
    assert CaseParty.objects.get(resident=subject).phone == ""
    assert not Adoption.objects.get(resident=subject).show_name
    # votes, books and hours are as they were
    for poll in polls:
        poll.refresh_from_db()
        assert tally.verify(poll)
    assert reconcile().ok
    assert Account.objects.get(resident=subject).balance == balance_before == 90
    hours_after = sum(
        ServiceRecord.objects.filter(resident=subject).values_list("minutes", flat=True)
    )
    assert hours_after == hours_before == 90
    _checked, problems = audit_log.verify()
    assert problems == []
    erased = events("resident.erase")[-1]
    assert_clean_event(erased, NAME, phone, full_id)
    assert erased.summary["rows"]["governance"] == 1  # the seat, under the pseudonym
    # the login is off: its session ends, the phone is free for someone else
    assert session.get(reverse("web:my_data")).status_code == 302
    assert not User.objects.get(pk=user.pk).is_active
    User.objects.create_user(phone=phone, password="x", name="新住户")
    # the worker's pages say so; a second erasure is refused
    assert "注销" in worker.get(url).content.decode()
    page = worker.get(reverse("registry:resident", args=["HD", subject.pk]))
    assert page.status_code == 200 and "个人信息已于" in page.content.decode()
    with pytest.raises(ValidationError, match="已经注销"):
        rights.do_erase_resident(
            subject, actor=world.worker_a, confirm_name=subject.name, reason="x"
        )


def test_erasure_is_refused_for_a_staff_login_and_outside_the_community(world):
    from zizhi.accounts.models import Role, RoleKind

    resident = world.resident_a.resident
    name = resident.name
    with pytest.raises(PermissionDenied):
        rights.do_erase_resident(resident, actor=world.worker_b, confirm_name=name, reason="x")
    with pytest.raises(ValidationError, match="原因"):
        rights.do_erase_resident(resident, actor=world.worker_a, confirm_name=name, reason=" ")
    Role.objects.create(user=world.resident_a, kind=RoleKind.COMMUNITY_WORKER, community=world.hd)
    with pytest.raises(ValidationError, match="职务"):
        rights.do_erase_resident(resident, actor=world.worker_a, confirm_name=name, reason="x")
    resident.refresh_from_db()
    assert resident.erased_at is None and resident.name == name
