"""`zizhi demo`: a small demo subdistrict with valid data, working logins and audit events."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from zizhi.accounts.access import access_for
from zizhi.accounts.models import User
from zizhi.audit.log import verify
from zizhi.audit.models import Event
from zizhi.registry import demo, idnumber, roster
from zizhi.registry.models import (
    Building,
    Community,
    Grid,
    Household,
    LocalUnit,
    PoliticalStatus,
    Resident,
    Subdistrict,
)

SIZE = 300


def run(*args) -> str:
    out = io.StringIO()
    call_command("demo", *args, verbosity=0, stdout=out)
    return out.getvalue()


@pytest.fixture
def built(db):
    return run("--residents", str(SIZE))


def test_it_builds_one_subdistrict_with_seven_communities(built):
    assert "300" in built
    sub = Subdistrict.objects.get()
    assert (sub.code, sub.name) == ("dh", "东湖街道")
    codes = set(Community.objects.values_list("code", flat=True))
    assert codes == {"HD", "XH", "NY", "BY", "XC", "DS", "HB"}
    hd = Community.objects.get(code="HD")
    assert hd.name == "湖东社区" and hd.address and hd.phone and hd.introduction
    assert Resident.objects.count() == SIZE
    for community in Community.objects.all():
        assert community.residents.count() >= SIZE // 7
        assert Grid.objects.filter(community=community).exists()
        assert LocalUnit.objects.filter(community=community).count() >= 3
    assert Building.objects.filter(name="1栋").count() == 7
    assert (
        Household.objects.filter(door__regex=r"^\d单元\d0\d$").count() == Household.objects.count()
    )


def test_every_id_number_is_valid_and_matches_the_derived_fields(built):
    for r in Resident.objects.all():
        value = idnumber.validate(r.reveal_id_number())
        assert value[:2] == "33"
        assert r.birth_date == idnumber.birth_date(value)
        assert r.gender == idnumber.gender(value)
        assert r.id_number_masked == idnumber.mask(value)
        assert 7 <= r.age() <= 95
        assert r.name_initials == roster.name_initials(r.name)
        assert r.name_initials.isascii() and r.name_initials.islower()
        assert len(r.name_initials) == len(r.name)


def test_the_registry_has_elderly_and_every_category(built):
    residents = list(Resident.objects.all())
    elderly = [r for r in residents if r.age() >= 60]
    assert len(elderly) > SIZE // 5
    assert any(r.lives_alone_elderly for r in residents)
    assert all(r.age() >= 60 for r in residents if r.lives_alone_elderly)
    assert any(r.political_status == PoliticalStatus.PARTY_MEMBER for r in residents)
    assert any(r.five_olds for r in residents)
    assert any(r.disability for r in residents)
    assert any(r.low_income for r in residents)
    assert Resident.objects.get(name_initials="wxy", phone="13900000001").name == "王秀英"


def test_demo_logins_work_and_hold_their_roles(built, client):
    for login in demo.logins():
        response = client.post(
            reverse("accounts:login"), {"username": login.phone, "password": demo.DEMO_PASSWORD}
        )
        assert response.status_code == 302, login
        assert client.session["_auth_user_id"] == str(User.objects.get(phone=login.phone).pk)
        client.post(reverse("accounts:logout"))
    admin = User.objects.get(phone=demo.ADMIN_LOGIN.phone)
    assert len(access_for(admin).community_ids) == 7
    hd = Community.objects.get(code="HD")
    worker = User.objects.get(phone="13800000101")
    assert access_for(worker).community_ids == {hd.pk}
    for login in demo.RESIDENT_LOGINS:
        resident = User.objects.get(phone=login.phone).resident
        assert (resident.community, resident.name, resident.phone) == (hd, login.name, login.phone)


def test_it_writes_audit_events_that_verify(built):
    events = Event.objects.filter(verb="registry.demo_build")
    assert events.filter(community__isnull=False).count() == 7
    hd_event = events.get(community__code="HD")
    assert hd_event.summary["residents"] == Community.objects.get(code="HD").residents.count()
    assert hd_event.summary["accounts"] == 2
    checked, problems = verify()
    assert checked >= 8 and problems == []


def test_if_empty_skips_and_a_second_build_is_refused(built):
    before = Resident.objects.count()
    assert "已有数据" in run("--if-empty")
    with pytest.raises(CommandError, match="空数据库"):
        run("--residents", "100")
    assert Resident.objects.count() == before


def test_logins_prints_the_logins_and_changes_nothing(db):
    out = run("--logins")
    assert demo.DEMO_PASSWORD in out
    for login in demo.logins():
        assert login.phone in out
    assert not Subdistrict.objects.exists()


def test_too_few_residents_is_refused(db):
    with pytest.raises(CommandError, match="至少"):
        run("--residents", "10")


def test_the_plan_is_reproducible():
    def names(seed):
        return [[p.name for p in f] for plan in demo.plan_all(500, seed) for f in plan.families]

    assert names(7) == names(7)
    assert names(7) != names(8)
    assert sum(plan.size for plan in demo.plan_all(500)) == 500


def test_demo_governance_has_every_stage_and_a_held_meeting(db):
    from zizhi.audit.log import verify
    from zizhi.governance.models import Matter, Meeting, Poll
    from zizhi.notices.models import Notice

    demo.build(residents=1400)
    hd = set(Matter.objects.filter(community__code="HD").values_list("state", flat=True))
    assert hd >= {
        "registered",
        "in_review",
        "escalated",
        "in_consultation",
        "rejected",
        "awaiting_vote",
        "on_agenda",
        "resolved",
        "not_passed",
        "disclosed",
        "result_disclosed",
    }
    xc = set(Matter.objects.filter(community__code="XC").values_list("state", flat=True))
    assert xc >= {"registered", "proposed", "discussed", "reviewed", "resolved", "result_disclosed"}
    held = Meeting.objects.get(community__code="HD", status="closed")
    assert held.minutes and held.starts_at < held.created_at
    assert all(p.result_text for p in Poll.objects.filter(item__meeting=held))
    assert Notice.objects.filter(community__code="HD", category="resolution").exists()
    assert verify()[1] == []


def test_demo_associations_are_lived_in(built, client):
    from zizhi.associations.access import managed_association_ids
    from zizhi.associations.models import Activity, Association, Certificate, ServiceRecord
    from zizhi.associations.queries import participation

    assert Association.objects.count() == 35
    hd = Community.objects.get(code="HD")
    figures = participation(hd)
    assert 50 <= figures["overall"].percent <= 90  # computed from attendance
    leader = User.objects.get(phone="13900000051")
    led = Association.objects.get(pk__in=managed_association_ids(leader))
    assert led.community == hd
    assert Activity.objects.filter(status="open", signups__status="waiting").exists()
    me = User.objects.get(phone="13900000001").resident
    cert = Certificate.objects.get(resident=me)
    assert cert.minutes == sum(
        ServiceRecord.objects.filter(resident=me).values_list("minutes", flat=True)
    )
    assert verify()[1] == []


def test_demo_moral_bank_credits_every_attested_record_and_reconciles(built, client):
    from zizhi.associations.models import ServiceRecord
    from zizhi.moralbank.models import Account, Branch, Entry
    from zizhi.moralbank.reconcile import reconcile

    assert Branch.objects.count() >= 10
    credited = Entry.objects.filter(kind="service_credit")
    assert credited.count() == ServiceRecord.objects.filter(minutes__gt=0).count()
    assert credited.filter(status="pending").count() == 5
    assert (
        Entry.objects.filter(kind="gift").exists() and Entry.objects.filter(kind="grant").exists()
    )
    report = reconcile()
    assert report.ok and report.total == 0
    me = User.objects.get(phone="13900000001").resident
    assert Account.objects.get(resident=me).balance > 0
    client.force_login(User.objects.get(phone="13900000061"))  # the clerk
    assert client.get("/bank/approvals/").content.decode().count("审核入账") == 5
    client.force_login(me.user)
    assert "可用时间" in client.get("/bank/").content.decode()
    roll = client.get("/c/HD/honour-roll/").content.decode()
    shown = Account.objects.filter(community__code="HD", on_honour_roll=True).select_related(
        "resident"
    )
    assert shown.exists() and all(a.resident.name in roll for a in shown[:5])
    assert verify()[1] == []
