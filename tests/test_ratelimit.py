"""API rate limits: per signed-in person, per anonymous IP and per IP in all; a forged
X-Forwarded-For gives no fresh allowance; 429 with a Chinese message and Retry-After."""

import os
import subprocess
import sys
from unittest import mock

import pytest
from django.test import Client

from zizhi.accounts.actions import do_create_api_token
from zizhi.accounts.ratelimit import parse_rate

API = "/api/v1"


def bearer(key, ip="10.0.0.1"):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}", "REMOTE_ADDR": ip}


@pytest.fixture
def keys(world):
    return {
        "a": do_create_api_token("t", actor=world.resident_a),
        "b": do_create_api_token("t", actor=world.resident_b),
    }


def test_a_person_is_limited_whatever_address_they_call_from(settings, keys):
    settings.ZIZHI_API_RATE_USER = "5/m"
    client = Client()
    answers = [client.get(f"{API}/me", **bearer(keys["a"], f"10.0.1.{i}")) for i in range(6)]
    assert [r.status_code for r in answers] == [200] * 5 + [429]
    refused = answers[-1]
    assert refused.json()["detail"] == "请求太频繁，请稍后再试"
    assert 1 <= int(refused["Retry-After"]) <= 60
    # another person is not held back by the first one's count
    assert client.get(f"{API}/me", **bearer(keys["b"])).status_code == 200


def test_the_session_counts_as_the_same_person(settings, world):
    settings.ZIZHI_API_RATE_USER = "3/m"
    client = Client()
    client.force_login(world.resident_a)
    codes = [client.get(f"{API}/me").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_anonymous_callers_are_limited_per_ip_and_forged_headers_do_not_reset(settings, world):
    settings.ZIZHI_API_RATE_ANON = "3/m"
    client = Client()
    codes = [client.get(f"{API}/communities", REMOTE_ADDR="10.0.2.1").status_code for _ in range(3)]
    assert codes == [200, 200, 200]
    forged = [
        client.get(
            f"{API}/communities", REMOTE_ADDR="10.0.2.1", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}"
        ).status_code
        for i in range(100)
    ]
    assert set(forged) == {429}
    # another address has its own allowance
    assert client.get(f"{API}/communities", REMOTE_ADDR="10.0.2.2").status_code == 200


def test_behind_the_proxy_the_limit_follows_the_header_nginx_sets(settings, world):
    settings.ZIZHI_API_RATE_ANON = "2/m"
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_REAL_IP"]
    client = Client()
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    first = [client.get(f"{API}/communities", HTTP_X_REAL_IP="10.0.3.1", **proxy) for _ in "abc"]
    assert [r.status_code for r in first] == [200, 200, 429]
    # a second client behind the same proxy is not punished for the first one
    second = client.get(f"{API}/communities", HTTP_X_REAL_IP="10.0.3.2", **proxy)
    assert second.status_code == 200


def test_all_callers_from_one_ip_share_the_ip_limit(settings, keys):
    settings.ZIZHI_API_RATE_IP = "4/m"
    client = Client()
    codes = [client.get(f"{API}/me", **bearer(keys["a" if i % 2 else "b"])) for i in range(5)]
    assert [r.status_code for r in codes] == [200, 200, 200, 200, 429]
    assert client.get(f"{API}/me", **bearer(keys["a"], "10.0.0.9")).status_code == 200


def test_the_allowance_comes_back_in_the_next_window(settings, keys):
    settings.ZIZHI_API_RATE_USER = "2/m"
    client = Client()
    start = 1_800_000_000.0  # the start of a minute
    with mock.patch("zizhi.accounts.ratelimit.time.time", return_value=start + 5):
        codes = [client.get(f"{API}/me", **bearer(keys["a"])).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    with mock.patch("zizhi.accounts.ratelimit.time.time", return_value=start + 61):
        assert client.get(f"{API}/me", **bearer(keys["a"])).status_code == 200


def test_an_empty_rate_turns_a_limit_off(settings, keys):
    settings.ZIZHI_API_RATE_USER = ""
    settings.ZIZHI_API_RATE_IP = ""
    client = Client()
    assert {client.get(f"{API}/me", **bearer(keys["a"])).status_code for _ in range(30)} == {200}


@pytest.mark.parametrize("rate", ["600/m", "1/s", "10/h", "5000/d"])
def test_rates_parse(rate):
    count, seconds = parse_rate(rate)
    assert count == int(rate.split("/")[0]) and seconds in (1, 60, 3600, 86400)


@pytest.mark.parametrize("rate", ["600", "0/m", "-1/m", "10/week", "ten/m", "/m"])
def test_bad_rates_are_refused(rate):
    with pytest.raises(ValueError):
        parse_rate(rate)


def test_a_bad_rate_in_the_environment_stops_the_app_from_starting():
    env = {**os.environ, "ZIZHI_DEV": "1", "ZIZHI_API_RATE_USER": "lots"}
    result = subprocess.run(
        [sys.executable, "-c", "import zizhi.settings"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "ZIZHI_API_RATE_USER must look like 600/m" in result.stderr
