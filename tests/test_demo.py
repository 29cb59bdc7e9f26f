"""`zizhi demo`: a small demo subdistrict with valid data, working logins and audit events."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings
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


# Tests without the built demo come first: once a test of this module has asked for the
# demo, it stays in the database until the module's last test (built once per module and
# test process, not once per test; each test still runs in a transaction rolled back after).


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


@pytest.fixture(scope="module")
def built_once(django_db_setup, django_db_blocker):
    """The demo, built in a transaction that stays open for the module's tests (each runs in
    a savepoint inside it) and is rolled back after the last: nothing committed, nothing to
    flush (a flush would also remove what migrations put in, e.g. the default voting rules)."""
    # the same fast hasher as every test (conftest.fast_password_hashing is per test)
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with fast:
                yield run("--residents", str(SIZE))
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def built(built_once, db):
    return built_once


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


def test_demo_associations_are_lived_in(built, client):
    from zizhi.associations.access import managed_association_ids
    from zizhi.associations.models import Activity, Association, Certificate, ServiceRecord
    from zizhi.associations.queries import participation

    # the seed's 35 associations of the communities; the subdistrict's legal-service association
    # (the mediation demo's mediators) comes on top
    assert Association.objects.filter(community__isnull=False).count() == 35
    assert Association.objects.filter(community__isnull=True, kind="legal").count() == 1
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


def test_demo_moral_bank_has_a_year_that_reconciles(built, client):
    """A year of the Moral Bank: every resident aged 7 to 87 a depositor, a credit for every
    attested record (the back-dated year's included), redemptions settled between branches as
    redeem.redemption_lines() would have written them at the time, monthly statements that
    balance, and 王秀英 with something waiting for her."""
    import datetime
    from collections import defaultdict

    from django.db.models import Max, Min, Sum

    from zizhi.associations.models import Counter, ServiceRecord
    from zizhi.moralbank import statements
    from zizhi.moralbank.models import Account, Branch, Entry, Help, Offer, Posting, Redemption
    from zizhi.moralbank.reconcile import reconcile

    assert Branch.objects.count() >= 10
    credited = Entry.objects.filter(kind="service_credit")
    assert credited.count() == ServiceRecord.objects.filter(minutes__gt=0).count()
    assert credited.filter(status="pending").count() == 5
    for kind in ("gift", "donation", "grant", "redemption", "reversal", "settlement"):
        assert Entry.objects.filter(kind=kind, status="posted").exists(), kind
    report = reconcile()
    assert report.ok and report.total == 0

    # every resident aged 7 to 87 has an account; a minor's names an adult of the household
    personal = Account.objects.filter(kind="personal").select_related("resident", "guardian")
    holders = {a.resident_id for a in personal}
    assert {r.pk for r in Resident.objects.all() if 7 <= r.age() <= 87} <= holders
    for a in personal:
        if a.guardian is not None:
            assert a.resident.age() < 18 <= a.guardian.age()
            assert a.guardian.household_id == a.resident.household_id

    # a year: the back-dated records are numbered on from the counters, without gaps
    span = Entry.objects.filter(status="posted").aggregate(a=Min("decided_at"), b=Max("decided_at"))
    assert (span["b"] - span["a"]).days >= 330
    for counter in Counter.objects.filter(key__startswith="record:"):
        _record, code, year = counter.key.split(":")
        assert ServiceRecord.objects.filter(number__startswith=f"FW{code}{year}").count() == (
            counter.value
        )

    # replayed in posting order: balances stay in [0, cap], and each redemption retired the
    # depositor's service credit oldest issuer first, net of earlier (uncancelled) redemptions
    books = {(a.branch_id, a.kind): a.pk for a in Account.objects.filter(branch__isnull=False)}
    kind_of = dict(Account.objects.values_list("pk", "kind"))
    branch_of = dict(Account.objects.values_list("pk", "branch_id"))
    redeemer = dict(Redemption.objects.values_list("entry_id", "account_id"))
    lines = defaultdict(list)
    for p in Posting.objects.select_related("entry").order_by("id"):
        lines[p.entry].append((p.account_id, p.minutes))
    balance, earned = defaultdict(int), defaultdict(dict)
    retired = defaultdict(lambda: defaultdict(int))
    for entry, got in lines.items():  # in order of the first posting
        if entry.kind == "redemption":
            account, at = redeemer[entry.pk], entry.branch_id
            parts, left = defaultdict(int), -got[0][1]
            for issuer, minutes in earned[account].items():
                take = min(max(minutes - retired[account][issuer], 0), left)
                parts[issuer], left = parts[issuer] + take, left - take
            parts[at] += left
            want = [(account, got[0][1])] + (
                [(books[at, "issuing"], parts[at])] if parts[at] else []
            )
            others = {b: m for b, m in parts.items() if m and b != at}
            for issuer, part in sorted(others.items()):
                want += [(books[issuer, "issuing"], part), (books[issuer, "clearing"], -part)]
            if others:
                want.append((books[at, "clearing"], sum(others.values())))
            assert got == want, entry.memo
        sign = {"redemption": 1, "reversal": -1}.get(entry.kind, 0)
        original = entry if entry.kind == "redemption" else entry.reverses
        for account, minutes in got:
            balance[account] += minutes
            if kind_of[account] in ("personal", "pool"):
                assert 0 <= balance[account] <= 90_000, entry.memo
            if entry.kind == "service_credit" and kind_of[account] == "personal":
                earned[account][entry.branch_id] = earned[account].get(entry.branch_id, 0) + minutes
            if sign and kind_of[account] == "issuing" and original.kind == "redemption":
                retired[redeemer[original.pk]][branch_of[account]] += minutes * sign

    # spent at other branches than the issuers: clearing lines, settled in part every month
    assert Redemption.objects.filter(
        entry__postings__account__kind="clearing", entry__postings__minutes__lt=0
    ).exists()
    for community in Community.objects.all():
        clearing = Account.objects.filter(community=community, kind="clearing")
        assert clearing.aggregate(s=Sum("balance"))["s"] == 0
    assert {"waiting", "fulfilled", "cancelled"} <= set(
        Redemption.objects.values_list("status", flat=True)
    )
    hd = Community.objects.get(code="HD")
    first = span["a"].astimezone().date().replace(day=1)
    months = []
    while first <= datetime.date.today():
        months.append((first.year, first.month))
        first = (first + datetime.timedelta(days=32)).replace(day=1)
    assert len(months) >= 12
    for branch in Branch.objects.filter(community=hd):
        for year, month in months:
            assert statements.branch_statement(branch, year, month).balanced, (branch, month)
    for branch in Branch.objects.all():
        assert 3 <= Offer.objects.filter(branch=branch).count() <= 5

    me = User.objects.get(phone="13900000001").resident
    mine = Account.objects.get(resident=me)
    assert mine.balance >= 300
    assert Redemption.objects.filter(account=mine, status="waiting").exists()
    assert Redemption.objects.filter(account=mine, status="fulfilled").exists()
    help_ = Help.objects.get(neighbour=me, status="pending")
    assert help_.helper.phone == "13900000002" and help_.helper.household_id != me.household_id
    client.force_login(User.objects.get(phone="13900000061"))  # the clerk
    assert client.get("/bank/approvals/").content.decode().count("审核入账") == 5
    client.force_login(me.user)
    assert "可用时间" in client.get("/bank/").content.decode()
    assert "有邻居帮了您，请确认" in client.get("/").content.decode()
    roll = client.get("/c/HD/honour-roll/").content.decode()
    shown = Account.objects.filter(community__code="HD", on_honour_roll=True).select_related(
        "resident"
    )
    assert shown.exists() and all(a.resident.name in roll for a in shown[:5])
    assert verify()[1] == []
