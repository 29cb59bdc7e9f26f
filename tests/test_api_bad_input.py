"""What the API fuzz (fuzz/, `make fuzz`) found, each kept as a small, fast test."""

import sys
from collections import defaultdict

import pydantic

from zizhi.api import api

API = "/api/v1"


def _api_models():
    """Every pydantic model of the routers' modules, by its class name."""
    found = defaultdict(set)
    for name, module in list(sys.modules.items()):
        if not name.startswith("zizhi.") or module is None:
            continue
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, pydantic.BaseModel)
                and value.__module__ == name
            ):
                found[value.__name__].add(f"{name}.{value.__qualname__}")
    return found


def test_every_api_schema_has_a_name_of_its_own():
    """The OpenAPI document names a component after its class; two classes of one name
    (StepOut of matters and of suggestions, EntryOut of the ledger and of the Moral Bank...)
    share one entry, so the document described one app's answers with the other's fields."""
    assert api  # every router imported
    clashes = {name: paths for name, paths in _api_models().items() if len(paths) > 1}
    assert clashes == {}


def test_openapi_components_describe_their_own_answers(client):
    """The matter's steps and the suggestion's steps, the ledger's entries and the Moral
    Bank's, are each documented with their own fields."""
    components = client.get(f"{API}/openapi.json").json()["components"]["schemas"]
    fields = {name: set(schema.get("properties", {})) for name, schema in components.items()}
    assert {"move", "from_state", "to_state"} <= fields["StepOut"]
    assert {"status", "status_label"} <= fields["SuggestionStepOut"]
    assert {"direction", "amount_fen", "counterparty"} <= fields["EntryOut"]
    assert {"number", "kind", "lines"} <= fields["BankEntryOut"]


NUL_MESSAGE = "请求中含有不允许的空字符（NUL）"


def _assert_refused(response):
    assert response.status_code == 422, response.content
    assert response.json()["detail"] == NUL_MESSAGE


def test_nul_in_a_path_segment_is_refused(client, world):
    """PostgreSQL refuses NUL in text: /communities/H%00D reached the database as a 500."""
    _assert_refused(client.get(f"{API}/communities/H%00D"))
    assert client.get(f"{API}/communities/{world.hd.code}").status_code == 200


def test_nul_in_a_query_parameter_is_refused(client, world):
    _assert_refused(client.get(f"{API}/communities", {"subdistrict": "d\x00h"}))
    assert client.get(f"{API}/communities", {"subdistrict": "dh"}).status_code == 200


def test_nul_in_a_json_body_is_refused(client, world):
    """A JSON string with \\u0000 anywhere in the body, however deep."""
    body = '{"number": "JY-2026-0001", "last4": "12\\u00003"}'
    _assert_refused(client.post(f"{API}/suggestions/status", body, "application/json"))
    # a backslash before "u0000" is text, not a NUL: the lookup runs and finds nothing
    text = '{"number": "JY\\\\u0000", "last4": "1234"}'
    assert client.post(f"{API}/suggestions/status", text, "application/json").status_code == 404


def test_nul_in_a_form_field_is_refused(client, world):
    response = client.post(f"{API}/suggestions/status", {"number": "a\x00", "last4": "1234"})
    _assert_refused(response)


def test_a_clean_multipart_form_still_reaches_the_route(client, world):
    """The check reads the body before parsing a multipart form: parsing first consumed the
    stream, and the route's own reading of the body then failed as a 500."""
    client.force_login(world.resident_a)
    response = client.post(f"{API}/moralbank/redemptions/999999/cancel", {"note": "x"})
    # ninja reads the body and answers for it: the route takes JSON
    assert response.status_code == 400
    assert response.json()["detail"] == "请求内容不是有效的 JSON"


def test_nul_in_the_session_cookie_counts_as_no_session(client, world):
    """Middleware reads the session before any view runs: a key Django could not have made
    (here with a NUL, which PostgreSQL refuses) is no session, not a database query."""
    from django.conf import settings

    assert settings.SESSION_ENGINE == "zizhi.sessions"
    client.cookies["sessionid"] = "abcdefgh\x00ijkl"
    _assert_refused(client.get(f"{API}/me"))
    page = client.get("/")  # pages: no longer a database error (a 500 on PostgreSQL)
    assert page.status_code == 200


def test_a_real_session_still_works(client, world):
    client.force_login(world.resident_a)
    assert client.get(f"{API}/me").status_code == 200


def test_nul_in_a_page_address_is_refused_before_the_database(client, world):
    """Pages: /c/H%00D/ reached PostgreSQL, which refuses NUL in text, as a 500."""
    for url in ("/c/H%00D/", f"/c/{world.hd.code}/?q=a%00b"):
        answer = client.get(url)
        assert answer.status_code == 400
        assert "空字符" in answer.content.decode()
    assert client.get(f"/c/{world.hd.code}/").status_code == 200
