"""A resident walking object ids: every GET route with an integer id, ids 1..500, as resident_a.

The world: the permission matrix's rows of community HD (tests/test_access_matrix.py
`objects`: resident_a's own suggestion, wish, adoption, case..., public notices and reports,
staff-only rows), and the same kinds of rows again in XH (dh, resident_b's own) and NH (the
other subdistrict) made by the same builders with the personas swapped. Sequences start at 1
(`reset_sequences`), so the ids walked cover every row on SQLite and PostgreSQL alike.

The oracle: ALLOWED says, per route and id parameter, which rows resident_a may see, as plain
filters on the rows' own fields (status, community, owner), written from the rules the apps
document, not by calling the apps' access helpers. A route not in ALLOWED is one where the
matrix gives resident_a 404 on HD's own row (staff pages, other people's rows): its allowed
set is empty. The test asserts both ways: 200 for every allowed id, and for every other id
404 (the project's answer for "missing" and "not yours" alike), never 200, 403 or 500.

Speed: ~51,500 requests on SQLite (103 route and id pairs x 500 ids; on PostgreSQL ids
1..100, see PG_IDS). A request that ends in 404 is made by calling the view directly
(resolved from the URL, with the user set); anything else is made again through the full
stack (Django's test client) and that answer counts. A control per route shows the direct call
works: the matrix's own URL, called directly as a persona the matrix lets in, is not 404.
"""

import dataclasses
import logging
import time
from collections.abc import Callable

import pytest
from django.db import connection
from django.db.models import Q
from django.http import Http404
from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, resolve, reverse

from . import factories as f
from . import greening_matrix, mediation_matrix, wishes_matrix
from .assoc_rows import association
from .finance_rows import finance_objects
from .test_access_matrix import (  # noqa: F401 (the fixture)
    MATRIX,
    notice_objects,
    objects,
    suggestion_objects,
)

IDS = range(1, 501)
# On PostgreSQL the walk stops at 100: every row of the world has an id below 40 (checked by
# `highest_row_id`), so ids 101..500 are missing rows, the same path the SQLite run walks;
# this keeps the PostgreSQL run near a minute.
PG_IDS = range(1, 101)
# year and month of the books are not object ids
NOT_IDS = {"year", "month"}


def _int_params(name: str) -> list[str]:
    from django.urls import get_resolver

    for pattern_name, convs in _walk(get_resolver()):
        if pattern_name == name:
            return [k for k, v in convs.items() if type(v).__name__ == "IntConverter"]
    return []


def _walk(resolver, ns="", inherited=None):
    from django.urls import URLResolver

    for p in resolver.url_patterns:
        convs = dict(inherited or {})
        convs.update(getattr(p.pattern, "converters", {}))
        if isinstance(p, URLResolver):
            inner = f"{ns}{p.namespace}:" if p.namespace else ns
            yield from _walk(p, inner, convs)
        else:
            yield f"{ns}{p.name}", convs


def walked_routes() -> list[tuple[str, str]]:
    """(route, id parameter) for every GET route of the matrix with an integer id."""
    out = []
    for name, entry in MATRIX.items():
        if entry.method != "get":
            continue
        for param in _int_params(name):
            if param not in NOT_IDS:
                out.append((name, param))
    return sorted(out)


# --- the oracle ---------------------------------------------------------------------------
def _ids(qs) -> set[int]:
    return set(qs.values_list("pk", flat=True))


def own_resident(w):
    return w.resident_a.resident


def notices_public(w, community=None):
    from zizhi.notices.models import Notice

    qs = Notice.objects.filter(
        Q(status="published") | Q(status="withdrawn", published_at__isnull=False)
    )
    return qs.filter(community=community) if community else qs


def suggestions_seen(w, community=None):
    from zizhi.proposals.models import Suggestion

    qs = Suggestion.objects.filter(Q(public=True) | Q(resident=own_resident(w)))
    return qs.filter(community=community) if community else qs


def reports_published(w, community=None):
    from zizhi.governance.models import DutyReport

    qs = DutyReport.objects.filter(status="published")
    return qs.filter(community=community) if community else qs


def wishes_public(w, community=None):
    from zizhi.wishes.models import PUBLIC_STATUSES, Wish

    qs = Wish.objects.filter(status__in=PUBLIC_STATUSES)
    return qs.filter(community=community) if community else qs


def plots_public(w, community=None):
    from zizhi.greening.models import Plot

    qs = Plot.objects.exclude(state="retired")
    return qs.filter(community=community) if community else qs


def own_cases(w):
    from zizhi.mediation.models import MediationCase

    return MediationCase.objects.filter(parties__resident=own_resident(w))


def fixed(kwargs, key):
    return kwargs[key]


def _of(model_path: str):
    from django.apps import apps

    return apps.get_model(model_path)


# route -> {id parameter: (w, kwargs of the matrix URL) -> allowed ids}
ALLOWED: dict[str, dict[str, Callable]] = {
    "api:get_resident": {"resident_id": lambda w, k: {own_resident(w).pk}},
    "api:get_household": {"household_id": lambda w, k: {own_resident(w).household_id}},
    "api:charter_version": {
        "number": lambda w, k: set(
            _of("governance.CharterVersion")
            .objects.filter(community__code=k["code"])
            .exclude(status="draft")
            .values_list("number", flat=True)
        )
    },
    "governance:charter_version": {
        "number": lambda w, k: set(
            _of("governance.CharterVersion")
            .objects.filter(community__code=k["code"])
            .exclude(status="draft")
            .values_list("number", flat=True)
        )
    },
    "api:get_report": {"report_id": lambda w, k: _ids(reports_published(w))},
    "governance:duty_report": {"pk": lambda w, k: _ids(reports_published(w, w.hd))},
    "governance:report_file": {
        "pk": lambda w, k: _ids(reports_published(w, w.hd).filter(attachments__pk=k["file_id"])),
        "file_id": lambda w, k: _ids(
            _of("governance.DutyReportAttachment").objects.filter(report_id=k["pk"])
        ),
    },
    "governance:cadre": {
        "pk": lambda w, k: _ids(
            _of("governance.Membership").objects.filter(
                body__community=w.hd,
                body__kind__in=("residents_committee", "party_branch"),
            )
        )
    },
    "api:get_notice": {"notice_id": lambda w, k: _ids(notices_public(w))},
    "api:list_objections": {"notice_id": lambda w, k: _ids(notices_public(w))},
    "notices:detail": {"pk": lambda w, k: _ids(notices_public(w, w.hd))},
    "notices:pdf": {"pk": lambda w, k: _ids(notices_public(w, w.hd))},
    "notices:attachment": {
        "pk": lambda w, k: _ids(notices_public(w, w.hd).filter(attachments__pk=k["attachment_id"])),
        "attachment_id": lambda w, k: _ids(
            _of("notices.NoticeAttachment").objects.filter(notice_id=k["pk"])
        ),
    },
    "api:get_suggestion": {"suggestion_id": lambda w, k: _ids(suggestions_seen(w))},
    "proposals:suggestion": {"pk": lambda w, k: _ids(suggestions_seen(w, w.hd))},
    "proposals:filed": {
        "pk": lambda w, k: _ids(
            _of("proposals.Suggestion").objects.filter(resident=own_resident(w))
        )
    },
    "proposals:photo": {
        "pk": lambda w, k: _ids(suggestions_seen(w, w.hd).filter(photos__pk=k["photo_id"])),
        "photo_id": lambda w, k: _ids(
            _of("proposals.SuggestionPhoto").objects.filter(suggestion_id=k["pk"])
        ),
    },
    "api:get_finance_period": {
        "period_id": lambda w, k: _ids(_of("finance.Period").objects.filter(status="published"))
    },
    "finance:receipt": {
        "pk": lambda w, k: _ids(
            _of("finance.Receipt").objects.filter(
                entry__period__community=w.hd, entry__period__status="published"
            )
        )
    },
    "api:get_association": {
        "association_id": lambda w, k: _ids(_of("associations.Association").objects)
    },
    "associations:association": {"pk": lambda w, k: _ids(_of("associations.Association").objects)},
    "associations:photo": {
        "pk": lambda w, k: _ids(
            _of("associations.Association").objects.filter(photos__pk=k["photo_id"])
        ),
        "photo_id": lambda w, k: _ids(
            _of("associations.AssociationPhoto").objects.filter(association_id=k["pk"])
        ),
    },
    "api:get_activity": {"activity_id": lambda w, k: _ids(_of("associations.Activity").objects)},
    "associations:activity": {"pk": lambda w, k: _ids(_of("associations.Activity").objects)},
    "associations:scan": {"pk": lambda w, k: _ids(_of("associations.Activity").objects)},
    "api:greening_plot": {"plot_id": lambda w, k: _ids(plots_public(w))},
    "greening:public_plot": {"pk": lambda w, k: _ids(plots_public(w, w.hd))},
    # residents apply for the plots of their own community
    "greening:apply": {"pk": lambda w, k: _ids(plots_public(w, w.hd))},
    "greening:plot_photo": {
        "pk": lambda w, k: _ids(plots_public(w, w.hd).filter(photos__pk=k["photo_id"])),
        "photo_id": lambda w, k: _ids(_of("greening.PlotPhoto").objects.filter(plot_id=k["pk"])),
    },
    "greening:log_photo": {
        "pk": lambda w, k: _ids(plots_public(w, w.hd).filter(adoptions__logs__pk=k["log_id"])),
        "log_id": lambda w, k: _ids(
            _of("greening.UpkeepLog").objects.filter(adoption__plot_id=k["pk"]).exclude(photo="")
        ),
    },
    "greening:my_adoption": {
        "pk": lambda w, k: _ids(_of("greening.Adoption").objects.filter(resident=own_resident(w)))
    },
    "api:get_wish": {
        "wish_id": lambda w, k: (
            _ids(wishes_public(w))
            | _ids(_of("wishes.Wish").objects.filter(beneficiary=own_resident(w)))
        )
    },
    "wishes:detail": {"pk": lambda w, k: _ids(wishes_public(w, w.hd))},
    "wishes:proof_photo": {
        "pk": lambda w, k: _ids(
            _of("wishes.Claim")
            .objects.filter(wish__beneficiary=own_resident(w))
            .exclude(proof_photo="")
        )
    },
    "api:mediation_case": {"case_id": lambda w, k: _ids(own_cases(w))},
    "mediation:case": {"pk": lambda w, k: _ids(own_cases(w))},
    # the agreement exists once the parties agreed; the referral once the case was referred
    "mediation:agreement": {
        "pk": lambda w, k: _ids(
            own_cases(w).filter(status__in=("agreed", "closed")).exclude(terms="")
        )
    },
    "mediation:referral": {"pk": lambda w, k: _ids(own_cases(w).exclude(referral_to=""))},
}


# --- the world ----------------------------------------------------------------------------
def mirrored(world, **roles):
    """The world as seen from another community: its worker and resident in the HD roles
    (and HD's in the roles of the neighbour the builders use)."""
    return dataclasses.replace(world, **roles)


def more_rows(world):
    """The matrix's kinds of rows in XH (resident_b's) and NH (another subdistrict's)."""
    nh_resident = f.resident_user(world.nhc, name="南湖居民")
    xh = mirrored(
        world,
        hd=world.xh,
        xh=world.hd,
        worker_a=world.worker_b,
        worker_b=world.worker_a,
        resident_a=world.resident_b,
        resident_b=world.resident_a,
    )
    nh = mirrored(
        world,
        dh=world.nh,
        nh=world.dh,
        hd=world.nhc,
        xh=world.hd,
        nhc=world.xh,
        worker_a=world.worker_c,
        worker_b=world.worker_a,
        worker_c=world.worker_b,
        subadmin=world.subadmin_other,
        subadmin_other=world.subadmin,
        resident_a=nh_resident,
        resident_b=world.resident_a,
    )
    for w in (xh, nh):
        notice_objects(w)
        suggestion_objects(w)
        finance_objects(w)
        greening_matrix.objects(w)
        wishes_matrix.objects(w)
        mediation_matrix.objects(w)
    # associations and activities are public wherever they are: one more in NH
    association(world.nhc, name="南湖书法协会")


def highest_row_id() -> tuple[int, str]:
    """The highest id of any row of the platform's own tables (the audit log aside)."""
    from django.apps import apps

    top = (0, "")
    for model in apps.get_models():
        if not model.__module__.startswith("zizhi.") or model._meta.label == "audit.Event":
            continue
        pk = model._base_manager.order_by("-pk").values_list("pk", flat=True).first()
        if isinstance(pk, int) and pk > top[0]:
            top = (pk, model._meta.label)
    return top


# --- requests -----------------------------------------------------------------------------
_factory = RequestFactory()


def direct_status(path: str, user) -> int | None:
    """The view's answer called directly; None when only the full stack can tell."""
    match = resolve(path)
    request = _factory.get(path)
    request.user = user
    try:
        response = match.func(request, *match.args, **match.kwargs)
    except Http404:
        return 404
    except Exception:
        return None
    return 404 if response.status_code == 404 else None


def status_of(path: str, user, client: Client) -> int:
    quick = direct_status(path, user)
    if quick is not None:
        return quick
    return client.get(path).status_code


def url_with(name: str, kwargs: dict, param: str, value: int) -> str | None:
    try:
        return reverse(name, kwargs={**kwargs, param: value})
    except NoReverseMatch:
        return None


CHUNKS = 4
ROUTES = walked_routes()


@pytest.fixture
def quiet_404s():
    """Django logs every 404 as a warning; 48,000 of them only slow the walk down."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


def test_every_walked_route_has_a_matrix_entry_and_an_oracle_when_residents_see_it():
    assert len(ROUTES) > 80, len(ROUTES)
    for name, param in ROUTES:
        if MATRIX[name].expect["resident_a"] == 200:
            assert param in ALLOWED.get(name, {}), f"{name}: no oracle for {param}"


@pytest.mark.django_db(transaction=True, reset_sequences=True)
@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_a_resident_walking_ids_sees_only_their_own_and_public_rows(
    world,
    objects,  # noqa: F811 (the matrix's fixture)
    settings,
    tmp_path,
    quiet_404s,
    chunk,
):
    # the API's rate limits would stop the walk itself (600 requests a minute per person):
    # they are tested in tests/test_ratelimit.py, and off here
    settings.ZIZHI_API_RATE_USER = settings.ZIZHI_API_RATE_IP = ""
    more_rows(world)
    ids = PG_IDS if connection.vendor == "postgresql" else IDS
    highest = highest_row_id()
    assert highest[0] < ids[-1] // 2, f"ids past the walk's reach: {highest}"
    user = world.resident_a
    client = Client()
    client.force_login(user)
    problems, requests, started = [], 0, time.perf_counter()
    for name, param in ROUTES[chunk::CHUNKS]:
        entry = MATRIX[name]
        target = entry.url(objects)
        kwargs = resolve(target).kwargs
        # the control: the direct call lets in someone the matrix lets in
        ok_role = next((r for r, s in entry.expect.items() if s == 200 and r != "anonymous"), None)
        if ok_role and direct_status(target, getattr(world, ok_role)) == 404:
            problems.append(f"{name}: the direct call says 404 to {ok_role} on {target}")
        oracle = ALLOWED.get(name, {}).get(param)
        allowed = oracle(world, kwargs) if oracle else set()
        if oracle and not allowed:
            problems.append(f"{name}: the world has no row resident_a may see by {param}")
        for i in ids:
            path = url_with(name, kwargs, param, i)
            if path is None:
                continue
            got = status_of(path, user, client)
            requests += 1
            if i in allowed and got != 200:
                problems.append(f"{name} {param}={i}: {got}, expected 200 (own or public)")
            elif i not in allowed and got != 404:
                problems.append(f"{name} {param}={i}: {got}, expected 404")
    took = time.perf_counter() - started
    print(f"chunk {chunk}: {requests} requests in {took:.1f} s")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:200])
