"""The public honour roll: only depositors who agreed, by attested service hours (spending
never lowers them), with the community's totals; the depositor agrees or withdraws."""

import pytest
from django.test import Client

from zizhi.audit.models import Event
from zizhi.moralbank.actions import accounts as acc
from zizhi.moralbank.actions import flows

from . import factories as f
from .bank_rows import bank, service_record

pytestmark = pytest.mark.django_db


def test_only_those_who_agreed_are_shown_by_their_service(world, django_assert_max_num_queries):
    b = bank(world)
    neighbour = f.resident_user(world.hd, name="热心邻居")
    acc.do_open_account(neighbour.resident, actor=world.worker_a)
    for resident, minutes in ((world.resident_a.resident, 600), (neighbour.resident, 300)):
        entry = flows.do_request_credit(
            service_record(world, resident, minutes), b.branch, actor=world.worker_a
        )
        flows.do_approve_credit(entry, actor=b.clerk)
    me = Client()
    me.force_login(world.resident_a)
    assert "同意上榜" in me.get("/bank/").content.decode()
    assert me.post("/bank/honour-roll/", {"shown": "yes"}).status_code == 302
    assert Event.objects.filter(verb="moralbank.honour_roll").exists()
    flows.do_donate(flows.own_account(world.resident_a), 500, actor=world.resident_a, key="d")

    with django_assert_max_num_queries(8):
        page = Client().get("/c/HD/honour-roll/").content.decode()
    assert world.resident_a.name in page and "10小时" in page  # honour, not the 100 min left
    assert "热心邻居" not in page  # did not agree
    assert "<strong>2</strong><br>储户" in page and "<strong>15小时</strong>" in page
    me.post("/bank/honour-roll/", {"shown": "no"})
    assert world.resident_a.name not in Client().get("/c/HD/honour-roll/").content.decode()
