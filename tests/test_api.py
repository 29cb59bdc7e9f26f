"""The JSON API: auth (bearer token, session + CSRF), masking, pagination, query counts."""

import datetime
import json
import re

import pytest
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.utils import timezone

from zizhi.accounts.actions import do_create_api_token
from zizhi.accounts.models import ApiToken
from zizhi.audit.models import Event

from . import factories as f

API = "/api/v1"
FULL_ID_NUMBER = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def assert_no_full_id_number(response):
    found = FULL_ID_NUMBER.findall(response.content.decode())
    assert not found, f"full ID number in {response.request['PATH_INFO']}: {found}"


@pytest.fixture
def hd_roster(world):
    """Resident_a plus 60 residents of HD in 3 households, and 2 residents of XH."""
    households = [f.household(world.hd, "3栋", f"{door}") for door in (301, 302, 303)]
    for i in range(60):
        f.resident(world.hd, name=f"湖东{i:02d}", hh=households[i % 3], low_income=i == 0)
    for i in range(2):
        f.resident(world.xh, name=f"西湖{i}", hh=f.household(world.xh))
    return households


@pytest.fixture
def worker_key(world):
    return do_create_api_token("test", actor=world.worker_a)


# --- schema and docs ---------------------------------------------------------------------


def test_openapi_json_is_valid_json_with_the_paths(client, db):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    for path in (
        "/me",
        "/communities",
        "/communities/{code}",
        "/residents",
        "/residents/{resident_id}",
        "/households",
        "/households/{household_id}",
        "/tokens",
        "/tokens/{token_id}",
    ):
        assert f"{API}{path}" in schema["paths"], path
    schemes = schema["components"]["securitySchemes"]
    assert {"BearerTokenAuth", "SessionAuth"} <= set(schemes)


def test_docs_page_loads_assets_from_this_server_only(client, db):
    response = client.get(f"{API}/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and all(a.startswith("/static/ninja/") for a in assets), assets
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200
    assert '"validatorUrl": null' in html


# --- authentication ----------------------------------------------------------------------


def test_anonymous_gets_401_json_in_chinese(client, world):
    response = client.get(f"{API}/residents")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"] == "请先登录，或提供有效的 API 令牌"
    assert "请先登录".encode() in response.content  # UTF-8, not \\u escapes


def test_bearer_token_authenticates(client, world, worker_key):
    response = client.get(f"{API}/me", **bearer(worker_key))
    assert response.status_code == 200
    assert response.json()["name"] == world.worker_a.name


@pytest.mark.parametrize("key", ["zz_not-a-real-token", "not-even-prefixed", ""])
def test_unknown_token_gets_401(client, world, key):
    assert client.get(f"{API}/me", **bearer(key)).status_code == 401


def test_revoked_token_gets_401(client, world, worker_key):
    ApiToken.objects.update(revoked_at=timezone.now())
    assert client.get(f"{API}/me", **bearer(worker_key)).status_code == 401


def test_token_of_inactive_user_gets_401(client, world, worker_key):
    world.worker_a.is_active = False
    world.worker_a.save()
    assert client.get(f"{API}/me", **bearer(worker_key)).status_code == 401


def test_last_used_at_is_written_at_most_once_a_minute(client, world, worker_key):
    client.get(f"{API}/me", **bearer(worker_key))
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    client.get(f"{API}/me", **bearer(worker_key))
    assert ApiToken.objects.get().last_used_at == first
    ApiToken.objects.update(last_used_at=first - datetime.timedelta(seconds=61))
    client.get(f"{API}/me", **bearer(worker_key))
    assert ApiToken.objects.get().last_used_at > first


def test_session_post_without_csrf_is_rejected(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.worker_a)
    response = client.post(f"{API}/tokens", {"name": "x"}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["detail"] == "CSRF 校验失败，请刷新页面后重试"
    assert not ApiToken.objects.exists()

    secret = _get_new_csrf_string()
    client.cookies["csrftoken"] = secret
    response = client.post(
        f"{API}/tokens", {"name": "x"}, content_type="application/json", HTTP_X_CSRFTOKEN=secret
    )
    assert response.status_code == 201


def test_anonymous_post_gets_401_not_csrf_error(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"{API}/tokens", {"name": "x"}, content_type="application/json")
    assert response.status_code == 401


def test_bearer_calls_need_no_csrf_token(world, worker_key):
    client = Client(enforce_csrf_checks=True)
    token_id = ApiToken.objects.get().pk
    response = client.delete(f"{API}/tokens/{token_id}", **bearer(worker_key))
    assert response.status_code == 204


# --- tokens ------------------------------------------------------------------------------


def test_create_token_shows_the_key_once_and_the_key_works(client, world):
    client.force_login(world.worker_a)
    response = client.post(f"{API}/tokens", {"name": "报表"}, content_type="application/json")
    assert response.status_code == 201
    key = response.json()["key"]
    assert key.startswith("zz_")
    token = ApiToken.objects.get()
    assert token.key_hash == ApiToken.hash_key(key) and key not in token.key_hash
    listed = client.get(f"{API}/tokens").json()
    assert [t["name"] for t in listed] == ["报表"] and "key" not in listed[0]
    assert Client().get(f"{API}/me", **bearer(key)).json()["name"] == world.worker_a.name
    assert Event.objects.filter(verb="account.create_api_token").count() == 1


def test_a_token_cannot_create_tokens(client, world, worker_key):
    response = client.post(
        f"{API}/tokens", {"name": "x"}, content_type="application/json", **bearer(worker_key)
    )
    assert response.status_code == 401
    assert ApiToken.objects.count() == 1


def test_revoke_token_is_audited_and_only_for_the_owner(client, world, worker_key):
    token = ApiToken.objects.get()
    client.force_login(world.worker_b)
    response = client.delete(f"{API}/tokens/{token.pk}")
    assert response.status_code == 404
    assert response.json()["detail"] == "未找到，或您无权查看"
    client.force_login(world.worker_a)
    assert client.delete(f"{API}/tokens/{token.pk}").status_code == 204
    assert client.delete(f"{API}/tokens/{token.pk}").status_code == 204
    assert Event.objects.filter(verb="account.revoke_api_token").count() == 1
    assert Client().get(f"{API}/me", **bearer(worker_key)).status_code == 401


# --- me and communities ------------------------------------------------------------------


def test_me_shows_roles_masked_phone_and_resident(client, world):
    client.force_login(world.subadmin)
    body = client.get(f"{API}/me").json()
    assert body["roles"] == [{"kind": "subdistrict_admin", "scope": "dh", "scope_name": "东湖街道"}]
    phone = world.subadmin.phone
    assert body["phone_masked"] == f"{phone[:3]}****{phone[-4:]}" and phone not in str(body)
    client.force_login(world.resident_a)
    body = client.get(f"{API}/me").json()
    assert body["roles"] == [] and body["resident_id"] == world.resident_a.resident.pk


def test_communities_are_public(client, world):
    body = client.get(f"{API}/communities").json()
    assert [c["code"] for c in body] == ["HD", "XH", "NH"]
    assert body[0]["subdistrict"] == {"code": "dh", "name": "东湖街道"}
    assert [c["code"] for c in client.get(f"{API}/communities?subdistrict=nh").json()] == ["NH"]
    detail = client.get(f"{API}/communities/HD").json()
    assert detail["name"] == "湖东社区" and detail["phone"] == "0571-88880000"
    assert client.get(f"{API}/communities/ZZ").status_code == 404


# --- residents ---------------------------------------------------------------------------


def test_residents_list_is_masked_and_scoped(client, world, hd_roster, worker_key):
    response = client.get(f"{API}/residents?page_size=200", **bearer(worker_key))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 61
    assert {r["community"] for r in body["items"]} == {"HD"}
    assert_no_full_id_number(response)
    first = next(r for r in body["items"] if r["name"] == "湖东00")
    assert set(first) == {
        "id",
        "community",
        "name",
        "gender",
        "birth_date",
        "id_number_masked",
        "phone",
        "household",
        "political_status",
        "flags",
        "five_olds",
    }
    assert first["flags"] == ["low_income"]
    assert first["household"]["building"] == "3栋"
    assert "*" in first["id_number_masked"]


def test_residents_search_and_filters(client, world, hd_roster):
    client.force_login(world.subadmin)
    body = client.get(f"{API}/residents?community=HD&q=湖东05").json()
    assert [r["name"] for r in body["items"]] == ["湖东05"]
    body = client.get(f"{API}/residents?community=HD&flag=low_income").json()
    assert [r["name"] for r in body["items"]] == ["湖东00"]
    assert client.get(f"{API}/residents?community=XH").json()["count"] == 3
    assert client.get(f"{API}/residents").json()["count"] == 64


def test_residents_of_another_community_are_404(client, world, hd_roster):
    client.force_login(world.worker_b)
    assert client.get(f"{API}/residents?community=HD").status_code == 404
    assert client.get(f"{API}/residents?community=NOPE").status_code == 404
    hd_resident = world.resident_a.resident
    assert client.get(f"{API}/residents/{hd_resident.pk}").status_code == 404
    assert client.get(f"{API}/residents/999999").status_code == 404


def test_a_resident_sees_only_themself(client, world, hd_roster):
    client.force_login(world.resident_a)
    body = client.get(f"{API}/residents").json()
    assert [r["id"] for r in body["items"]] == [world.resident_a.resident.pk]
    assert client.get(f"{API}/residents?community=HD").json()["count"] == 1
    assert client.get(f"{API}/residents?community=XH").status_code == 404
    other = hd_roster[0].members.first()
    assert client.get(f"{API}/residents/{other.pk}").status_code == 404


def test_pagination(client, world, hd_roster):
    client.force_login(world.worker_a)
    page1 = client.get(f"{API}/residents?community=HD").json()
    page2 = client.get(f"{API}/residents?community=HD&page=2").json()
    assert (page1["count"], len(page1["items"]), len(page2["items"])) == (61, 50, 11)
    assert not {r["id"] for r in page1["items"]} & {r["id"] for r in page2["items"]}
    assert len(client.get(f"{API}/residents?page_size=500").json()["items"]) == 61
    huge = client.get(f"{API}/residents?page_size=99999999999999999999")
    assert len(huge.json()["items"]) == 61
    assert len(client.get(f"{API}/residents?page_size=10").json()["items"]) == 10
    assert client.get(f"{API}/residents?page=9").json()["items"] == []


@pytest.mark.parametrize(
    "query",
    [
        "page=0",
        "page=abc",
        "page=1e99",
        "page=9223372036854775807",
        "page=99999999999999999999",
        "page_size=0",
        "page_size=-1",
        "flag=nope",
    ],
)
def test_bad_query_params_give_422_in_chinese(client, world, query):
    client.force_login(world.worker_a)
    response = client.get(f"{API}/residents?{query}")
    assert response.status_code == 422
    assert re.search("[\u4e00-\u9fff]", response.json()["detail"])


@pytest.mark.parametrize("path", ["residents/abc", "households/1.5", "tokens/x"])
def test_non_numeric_ids_are_404_not_500(client, world, path):
    client.force_login(world.worker_a)
    assert client.get(f"{API}/{path}").status_code == 404


# --- households --------------------------------------------------------------------------


def test_households_list_and_detail(client, world, hd_roster):
    client.force_login(world.worker_a)
    body = client.get(f"{API}/households?community=HD&building=3栋").json()
    assert body["count"] == 3
    assert {h["member_count"] for h in body["items"]} == {20}
    detail = client.get(f"{API}/households/{hd_roster[0].pk}")
    assert detail.status_code == 200
    assert len(detail.json()["members"]) == 20
    assert_no_full_id_number(detail)
    client.force_login(world.worker_b)
    assert client.get(f"{API}/households/{hd_roster[0].pk}").status_code == 404
    assert client.get(f"{API}/households?community=HD").status_code == 404


def test_a_resident_sees_their_household_but_only_their_own_member_row(client, world):
    mine = world.resident_a.resident
    housemate = f.resident(world.hd, name="同户人", hh=mine.household)
    client.force_login(world.resident_a)
    listed = client.get(f"{API}/households").json()
    assert [(h["id"], h["member_count"]) for h in listed["items"]] == [(mine.household_id, 2)]
    detail = client.get(f"{API}/households/{mine.household_id}").json()
    assert [m["id"] for m in detail["members"]] == [mine.pk]
    assert housemate.name not in json.dumps(detail, ensure_ascii=False)


# --- no full ID number anywhere, query counts --------------------------------------------


def test_no_api_response_contains_a_full_id_number(client, world, hd_roster):
    client.force_login(world.subadmin)
    resident = world.resident_a.resident
    paths = [
        "me",
        "residents?page_size=200",
        f"residents/{resident.pk}",
        "households",
        f"households/{resident.household_id}",
        f"households/{hd_roster[0].pk}",
    ]
    for path in paths:
        response = client.get(f"{API}/{path}")
        assert response.status_code == 200, path
        assert_no_full_id_number(response)
    client.force_login(world.resident_a)
    for path in paths[:3]:
        assert_no_full_id_number(client.get(f"{API}/{path}"))


@pytest.mark.parametrize(
    "path",
    ["residents?community=HD&page_size=200", "households?community=HD", "communities"],
)
def test_list_endpoints_do_a_fixed_number_of_queries(
    client, world, hd_roster, worker_key, django_assert_max_num_queries, path
):
    # token lookup + last_used_at + roles + resident + community + count + page = 7
    client.get(f"{API}/me", **bearer(worker_key))  # last_used_at written already
    with django_assert_max_num_queries(7):
        response = client.get(f"{API}/{path}", **bearer(worker_key))
    assert response.status_code == 200


def test_household_detail_query_count(client, world, hd_roster, django_assert_max_num_queries):
    client.force_login(world.worker_a)
    client.get(f"{API}/me")
    # session + user + roles + resident + household + members + count, and the staff
    # idle-timeout middleware's session save (update in a savepoint: 3)
    with django_assert_max_num_queries(10):
        response = client.get(f"{API}/households/{hd_roster[0].pk}")
    assert len(response.json()["members"]) == 20


def test_a_body_that_is_not_json_gets_a_chinese_message(client, world):
    client.force_login(world.worker_a)
    response = client.post("/api/v1/tokens", "not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"] == "请求内容不是有效的 JSON"
