"""`zizhi demo --scale city` on a tiny city (2 subdistricts x 2 communities x 2,000 residents):
the counts per level, the ledger's invariants (the triggers are skipped while it writes),
no orphan foreign key anywhere, valid encrypted ID numbers, dates spread over the year, the
logins, and the standard pages working on the data."""

import datetime
from collections import Counter

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import F, Sum
from django.utils import timezone

from zizhi.accounts.models import Role, RoleKind, User
from zizhi.associations.models import Attendance, ServiceRecord, Volunteer
from zizhi.audit.log import verify
from zizhi.governance.models import Matter
from zizhi.moralbank.models import Account, AccountKind, Entry, EntryKind, EntryStatus, Posting
from zizhi.moralbank.reconcile import reconcile
from zizhi.proposals.models import Suggestion
from zizhi.registry import crypto, idnumber
from zizhi.registry.demo import DEMO_PASSWORD
from zizhi.registry.models import City, Community, Grid, Resident, Subdistrict
from zizhi.stats import citydemo

# Every test but the SQLite refusal's needs the city, which is built on PostgreSQL only.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

SUBDISTRICTS, COMMUNITIES, RESIDENTS = 2, 2, 8000


@pytest.fixture(scope="module")
def city(django_db_setup, django_db_blocker):
    """Built once for the module (committed, as the command does), flushed afterwards."""
    if connection.vendor != "postgresql":
        pytest.skip("the city demo writes with PostgreSQL's COPY")
    with django_db_blocker.unblock():
        counts, logins = citydemo.build(SUBDISTRICTS, COMMUNITIES, RESIDENTS, seed=7)
        yield counts, logins
        call_command("flush", interactive=False, verbosity=0)


def test_counts_per_level(city):
    the_city = City.objects.get(code="city")
    assert the_city.name == "示范市"
    assert Subdistrict.objects.filter(city=the_city).count() == SUBDISTRICTS
    assert Subdistrict.objects.count() == SUBDISTRICTS
    for sub in Subdistrict.objects.all():
        assert sub.communities.count() == COMMUNITIES
    assert Resident.objects.count() == RESIDENTS
    for community in Community.objects.all():
        n = community.residents.count()
        assert n == RESIDENTS // (SUBDISTRICTS * COMMUNITIES)
        assert 0.25 * n < community.households.count() < 0.5 * n
        volunteers = Volunteer.objects.filter(community=community).count()
        assert 0.13 * n < volunteers < 0.17 * n
        depositors = Account.objects.filter(community=community, kind=AccountKind.PERSONAL)
        assert 0.05 * n < depositors.count() < 0.07 * n
        assert Suggestion.objects.filter(community=community).exists()
        assert Matter.objects.filter(community=community).exists()
    counts, _logins = city
    assert counts["registry.Resident"] == RESIDENTS


def test_postings_at_least_five_per_resident(city):
    assert Posting.objects.count() >= 5 * Resident.objects.count()


def test_ledger_holds(city):
    report = reconcile()
    assert report.ok, (report.mismatched[:5], report.unbalanced[:5], report.misplaced[:5])
    unbalanced = Posting.objects.values("entry").annotate(s=Sum("minutes")).exclude(s=0)
    assert not unbalanced.exists()
    assert not Entry.objects.exclude(status=EntryStatus.POSTED).exists()
    assert not Account.objects.filter(kind=AccountKind.PERSONAL, balance__lt=0).exists()
    assert not any(citydemo.ledger.check().values())


def test_service_credits_reference_records_of_their_community(city):
    credits = Entry.objects.filter(kind=EntryKind.SERVICE_CREDIT)
    assert credits.exists()
    assert not credits.filter(service_record__isnull=True).exists()
    assert not credits.exclude(service_record__community=F("community")).exists()
    # the credited account is the record's resident's, for the record's minutes
    personal = Posting.objects.filter(
        entry__kind=EntryKind.SERVICE_CREDIT, account__kind=AccountKind.PERSONAL
    )
    assert personal.count() == credits.count()
    assert not personal.exclude(account__resident=F("entry__service_record__resident")).exists()
    assert not personal.exclude(minutes=F("entry__service_record__minutes")).exists()
    # and every record comes from an attended activity of its community
    records = ServiceRecord.objects.all()
    assert not records.exclude(activity__community=F("community")).exists()
    assert records.count() == Attendance.objects.count()


def _foreign_keys():
    for model in apps.get_models():
        if not model._meta.managed or model._meta.proxy:
            continue
        for field in model._meta.concrete_fields:
            if field.is_relation and field.db_constraint:
                yield model, field


def test_no_orphan_foreign_keys(city):
    """The demo writes with triggers off (foreign keys included): every key must point to a
    row."""
    qn = connection.ops.quote_name
    orphans = {}
    with connection.cursor() as cursor:
        for model, field in _foreign_keys():
            target = field.target_field
            cursor.execute(
                f"SELECT count(*) FROM {qn(model._meta.db_table)} c "
                f"LEFT JOIN {qn(target.model._meta.db_table)} p "
                f"ON p.{qn(target.column)} = c.{qn(field.column)} "
                f"WHERE c.{qn(field.column)} IS NOT NULL AND p.{qn(target.column)} IS NULL"
            )
            if n := cursor.fetchone()[0]:
                orphans[f"{model._meta.label}.{field.name}"] = n
    assert orphans == {}


def test_sequences_continue_after_the_ids_given(city):
    community = Community.objects.first()
    grid = Grid.objects.create(community=community, name="新网格")
    assert grid.pk > Grid.objects.exclude(pk=grid.pk).order_by("-pk").first().pk


def test_id_numbers_are_valid_and_encrypted(city):
    hashes = set()
    for r in Resident.objects.order_by("?")[:300]:
        value = crypto.decrypt(r.id_number_encrypted)
        assert idnumber.validate(value) == value
        assert r.id_number_hash == crypto.lookup_hash(value)
        assert r.id_number_masked == idnumber.mask(value)
        assert (r.birth_date, r.gender) == (idnumber.birth_date(value), idnumber.gender(value))
        hashes.add(r.id_number_hash)
    assert len(hashes) == 300
    ages = [r.age() for r in Resident.objects.only("birth_date")]
    assert min(ages) < 12 and max(ages) > 85


def test_the_year_is_spread_over_twelve_months(city):
    today = timezone.localdate()
    start = today - datetime.timedelta(days=364)
    months = Counter(
        timezone.localtime(at).strftime("%Y-%m")
        for at in Entry.objects.values_list("decided_at", flat=True)
    )
    assert len(months) >= 12
    assert max(months.values()) > 1.3 * min(months.values())  # a trend, not a flat line
    dates = ServiceRecord.objects.values_list("service_date", flat=True)
    assert start <= min(dates) and max(dates) < today
    created = Suggestion.objects.values_list("created_at", flat=True)
    assert len({timezone.localtime(c).month for c in created}) == 12
    assert Matter.objects.filter(
        registered_at__lt=timezone.now() - datetime.timedelta(200)
    ).exists()


def test_logins(city, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    _counts, logins = city
    admin = Role.objects.get(kind=RoleKind.CITY_ADMIN)
    assert admin.city.code == "city" and admin.user.phone == "13700000001"
    assert admin.user.check_password(DEMO_PASSWORD)  # hashed as in production (argon2)
    assert Role.objects.filter(kind=RoleKind.SUBDISTRICT_ADMIN).count() == SUBDISTRICTS
    workers = Role.objects.filter(kind=RoleKind.COMMUNITY_WORKER)
    assert workers.count() == SUBDISTRICTS * COMMUNITIES
    assert {w.community_id for w in workers} == set(Community.objects.values_list("pk", flat=True))
    assert len(logins) == 1 + SUBDISTRICTS + SUBDISTRICTS * COMMUNITIES
    # one hash for all
    assert User.objects.values("password").distinct().count() == 1


PAGES = [
    "/c/{code}/",
    "/c/{code}/residents/",
    "/c/{code}/residents/{resident}/",
    "/c/{code}/households/",
    "/c/{code}/matters/",
    "/c/{code}/matters/{matter}/",
    "/c/{code}/suggestions/manage/",
    "/c/{code}/activities/",
    "/c/{code}/associations/",
    "/c/{code}/volunteers/",
    "/c/{code}/bank/",
    "/c/{code}/plots/",
    "/c/{code}/mediation/",
    "/c/{code}/participation/",
]


def test_a_community_worker_s_pages_work_on_the_data(city, client):
    role = Role.objects.filter(kind=RoleKind.COMMUNITY_WORKER).select_related("community")[0]
    community = role.community
    client.force_login(role.user)
    values = {
        "code": community.code,
        "resident": community.residents.first().pk,
        "matter": Matter.objects.filter(community=community).first().pk,
    }
    for page in PAGES:
        url = page.format(**values)
        response = client.get(url)
        assert response.status_code == 200, url


SUBDISTRICT_PAGES = [
    "/s/{code}/suggestions/",
    "/s/{code}/mediation/stats/",
    "/greening/subdistrict/",
]


def test_a_subdistrict_admin_s_pages_work_on_the_data(city, client):
    role = Role.objects.filter(kind=RoleKind.SUBDISTRICT_ADMIN).select_related("subdistrict")[0]
    client.force_login(role.user)
    for page in SUBDISTRICT_PAGES:
        url = page.format(code=role.subdistrict.code)
        assert client.get(url).status_code == 200, url


def test_refuses_a_database_with_data(city):
    with pytest.raises(CommandError, match="空数据库"):
        call_command("demo", scale="city", subdistricts=1, communities=1, residents=500)


def test_refuses_sqlite(monkeypatch):
    monkeypatch.setattr(connection, "vendor", "sqlite")  # already so on SQLite
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("demo", scale="city")


def test_audit_chains_verify(city):
    """One demo_build event per community and per subdistrict (and the donations'), chained."""
    checked, problems = verify()
    assert problems == []
    assert checked >= SUBDISTRICTS * COMMUNITIES + SUBDISTRICTS
