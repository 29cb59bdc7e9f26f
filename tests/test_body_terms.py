"""A body's current term: recorded by staff after an election (page and API), five years by
default, never longer than the body's term; the body's page warns when an election is due."""

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zizhi.accounts.actions import do_create_api_token
from zizhi.audit.models import Event
from zizhi.governance import actions as a
from zizhi.governance.models import Body

from .govworld import gov

D = datetime.date


@pytest.fixture
def g(world):
    return gov(world, reps=3)


def test_the_term_ends_the_day_before_the_same_date_five_years_on(world, g):
    a.do_set_term(g.assembly, term_start=D(2021, 6, 1), actor=world.worker_a)
    body = Body.objects.get(pk=g.assembly.pk)
    assert (body.term_start, body.term_end) == (D(2021, 6, 1), D(2026, 5, 31))
    a.do_set_term(body, term_start=D(2024, 2, 29), actor=world.worker_a)
    assert Body.objects.get(pk=body.pk).term_end == D(2029, 2, 27)
    event = Event.objects.filter(verb="body.set_term").order_by("-id").first()
    assert event.summary["before"] == {"term_start": "2021-06-01", "term_end": "2026-05-31"}
    assert event.summary["after"]["term_start"] == "2024-02-29"


def test_a_term_is_never_longer_than_the_bodys_term_or_backwards(world, g):
    with pytest.raises(ValidationError, match="不能晚于2026-05-31"):
        a.do_set_term(
            g.assembly, term_start=D(2021, 6, 1), term_end=D(2026, 6, 1), actor=world.worker_a
        )
    with pytest.raises(ValidationError, match="必须晚于开始日期"):
        a.do_set_term(
            g.assembly, term_start=D(2021, 6, 1), term_end=D(2021, 6, 1), actor=world.worker_a
        )
    for outsider in (world.worker_b, world.resident_a):
        with pytest.raises(PermissionDenied):
            a.do_set_term(g.assembly, term_start=D(2021, 6, 1), actor=outsider)
    assert Body.objects.get(pk=g.assembly.pk).term_start is None
    assert not Event.objects.filter(verb="body.set_term").exists()


def test_staff_set_the_term_on_the_page_and_see_the_election_due(world, g):
    page = reverse("governance:body", args=["HD", g.assembly.pk])
    post = reverse("governance:set_term", args=["HD", g.assembly.pk])
    staff = Client()
    staff.force_login(world.worker_a)
    bad = staff.post(post, {"term_start": "2021-13-01", "term_end": "2026-05-31"})
    assert bad.status_code == 200 and 'value="2021-13-01"' in bad.content.decode()
    assert "本届任期开始" in bad.content.decode()  # the field named in the message
    late = staff.post(post, {"term_start": "2021-06-01", "term_end": "2027-01-01"})
    assert late.status_code == 200 and 'value="2027-01-01"' in late.content.decode()

    start = timezone.localdate() - datetime.timedelta(days=5 * 365 - 30)
    assert staff.post(post, {"term_start": start.isoformat()}).status_code == 302
    body = Body.objects.get(pk=g.assembly.pk)
    days = (body.term_end - timezone.localdate()).days
    assert 0 < days <= 180
    text = staff.get(page).content.decode()
    assert f"本届任期还有 {days} 天届满" in text and "保存任期" in text

    a.do_set_term(body, term_start=D(2019, 1, 1), actor=world.worker_a)
    assert "已于 2023" in staff.get(page).content.decode()

    a.do_set_term(body, term_start=timezone.localdate(), actor=world.worker_a)
    assert "届满，请" not in staff.get(page).content.decode()

    other = Client()
    other.force_login(world.worker_b)
    assert other.post(post, {"term_start": "2021-06-01"}).status_code == 404


def test_the_api_sets_the_term(world, g):
    def put(user, data):
        token = do_create_api_token("t", actor=user)
        return Client().put(
            reverse("api:set_term", args=[g.assembly.pk]),
            json.dumps(data),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )

    done = put(world.worker_a, {"term_start": "2021-06-01"})
    assert done.status_code == 200, done.content
    assert (done.json()["term_start"], done.json()["term_end"]) == ("2021-06-01", "2026-05-31")
    assert put(world.worker_b, {"term_start": "2021-06-01"}).status_code == 404
    refused = put(world.worker_a, {"term_start": "2021-06-01", "term_end": "2030-01-01"})
    assert refused.status_code == 400 and "2026-05-31" in refused.json()["detail"]
