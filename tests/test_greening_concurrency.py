"""Two workers approve two applications for the same plot at the same moment, and two uses
of the fund race for its last yuan (PostgreSQL: real concurrent writers; SQLite has one
writer and skips): one wins, the other gets a clear refusal, never two active adoptions."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from tests.greening_rows import plot, term
from zizhi.greening import actions as g
from zizhi.greening.models import Adoption, AdoptionStatus, FundUse

from . import factories as f
from .at_once import at_once

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="real concurrent writers need PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True),
]


def test_two_approvals_of_one_plot_at_once(world):
    p = plot(world.hd, world.worker_a)
    start, end = term()
    applications = [
        g.do_apply_adoption(
            p,
            actor=world.worker_a,
            adopter_kind="resident",
            resident=f.resident(world.hd, f"居民{i}"),
            starts_on=start,
            ends_on=end,
        )
        for i in range(2)
    ]
    workers = [world.worker_a, world.subadmin]
    errors = at_once(lambda i: g.do_approve_adoption(applications[i], actor=workers[i]), [0, 1])
    assert len(errors) == 1 and isinstance(errors[0], ValidationError)
    assert Adoption.objects.filter(plot=p, status=AdoptionStatus.ACTIVE).count() == 1


def test_two_uses_race_for_the_last_yuan(world):
    today = timezone.localdate()
    g.do_record_donation(
        world.hd,
        actor=world.worker_a,
        donor_kind="anonymous",
        receipt_no="C1",
        given_on=today,
        amount_fen=10000,
    )
    errors = at_once(
        lambda u: g.do_record_fund_use(
            world.hd, actor=u, used_on=today, purpose="花苗", amount_fen=6000
        ),
        [world.worker_a, world.subadmin],
    )
    assert len(errors) == 1 and "余额" in str(errors[0])
    assert FundUse.objects.count() == 1
