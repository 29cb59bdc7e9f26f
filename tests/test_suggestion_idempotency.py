"""Filing a suggestion with an Idempotency-Key: a retry (the answer of the first try was lost,
e.g. its app server was killed) gets the suggestion of the first try and files nothing new;
the same key for another suggestion is refused; without a key every filing is new. On
PostgreSQL, the same key sent by two clients at the same moment files one suggestion."""

import json
import threading

import pytest
from django.db import connection
from django.test import Client

from zizhi.audit.models import Event
from zizhi.proposals import actions
from zizhi.proposals.models import Suggestion

API = "/api/v1/suggestions"
BODY = {"community": "HD", "title": "2栋楼道灯坏了", "text": "晚上看不见", "category": "facilities"}


def post(user, body=BODY, key=None):
    c = Client()
    c.force_login(user)
    extra = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return c.post(API, json.dumps(body), content_type="application/json", **extra)


def test_a_retry_with_the_same_key_gets_the_first_suggestion(world):
    first = post(world.resident_a, key="k-1")
    assert first.status_code == 201, first.content
    events = Event.objects.filter(verb="suggestion.file").count()
    assert events == 1
    again = post(world.resident_a, key="k-1")
    assert again.status_code == 200, again.content
    assert again.json()["number"] == first.json()["number"]
    assert Suggestion.objects.filter(resident__user=world.resident_a).count() == 1
    assert Event.objects.filter(verb="suggestion.file").count() == events  # nothing new


def test_another_key_or_no_key_files_a_new_one(world):
    assert post(world.resident_a, key="k-1").status_code == 201
    assert post(world.resident_a, key="k-2").status_code == 201
    assert post(world.resident_a).status_code == 201
    assert post(world.resident_a).status_code == 201
    assert Suggestion.objects.filter(resident__user=world.resident_a).count() == 4


def test_keys_are_per_resident(world):
    assert post(world.resident_a, key="same").status_code == 201
    body_b = {**BODY, "community": "XH"}
    assert post(world.resident_b, body_b, key="same").status_code == 201
    assert Suggestion.objects.filter(idempotency_key="same").count() == 2


def test_a_key_reused_for_another_suggestion_is_refused(world):
    assert post(world.resident_a, key="k-1").status_code == 201
    other = post(world.resident_a, {**BODY, "title": "另一件事"}, key="k-1")
    assert other.status_code == 400
    assert "已用于另一条建议" in other.json()["detail"]
    assert Suggestion.objects.filter(resident__user=world.resident_a).count() == 1


def test_an_overlong_key_is_refused(world):
    r = post(world.resident_a, key="x" * 81)
    assert r.status_code == 400
    assert "Idempotency-Key" in r.json()["detail"]
    assert not Suggestion.objects.exists()


def test_the_action_returns_the_earlier_suggestion(world):
    kwargs = dict(title="路灯", text="坏了", category="facilities", actor=world.resident_a)
    s1 = actions.do_file_suggestion(world.hd, idempotency_key="a", **kwargs)
    s2 = actions.do_file_suggestion(world.hd, idempotency_key="a", **kwargs)
    assert s1.pk == s2.pk and s1.number == s2.number


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real concurrent writers need PostgreSQL"
)
@pytest.mark.django_db(transaction=True)
def test_the_same_key_at_the_same_moment_files_one(world):
    from django.db import connections

    barrier = threading.Barrier(4)
    numbers, errors = [], []

    def file():
        try:
            barrier.wait()
            s = actions.do_file_suggestion(
                world.hd,
                title="路灯",
                text="坏了",
                category="facilities",
                idempotency_key="together",
                actor=world.resident_a,
            )
            numbers.append(s.number)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=file) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert len(set(numbers)) == 1 and len(numbers) == 4
    assert Suggestion.objects.filter(idempotency_key="together").count() == 1
