"""Mediation under concurrent writers (PostgreSQL; SQLite has one writer and skips): case
numbers stay unique and gapless; two outcomes of one case at once: one wins, one is told."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from zizhi.mediation import actions as m
from zizhi.mediation.models import CaseStatus, FollowUp, MediationCase

from . import factories as f
from . import mediation_rows as rows
from .test_signup_concurrency import at_once

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="real concurrent writers need PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True),
]


def test_twelve_registrations_at_once_get_twelve_numbers(world):
    workers = [f.worker(world.hd, f"工作者{i}") for i in range(12)]
    parties = [{"side": "applicant", "name": "甲"}, {"side": "respondent", "name": "乙"}]
    errors = at_once(
        lambda w: m.do_register_case(
            world.hd, kind="noise", description="吵", parties=parties, actor=w
        ),
        workers,
    )
    assert errors == []
    numbers = sorted(MediationCase.objects.values_list("number", flat=True))
    assert [n[-4:] for n in numbers] == [f"{i:04d}" for i in range(1, 13)]


def test_two_outcomes_at_once_one_wins(world):
    s = rows.scene(world)
    case = s.open
    second = rows.mediator(s.association, world.hd, "调解员丙", "7栋", "701")
    m.do_assign_mediator(case, second, actor=s.lead)
    m.do_respond_assignment(case.assignments.get(resident=second), accept=True, actor=second.user)

    def decide(user):
        fresh = MediationCase.objects.get(pk=case.pk)
        m.do_record_outcome(fresh, agreed=False, facts="f", referral_to="court", actor=user)

    errors = at_once(decide, [s.mediator.user, second.user])
    assert len(errors) == 1 and isinstance(errors[0], ValidationError)
    case.refresh_from_db()
    assert case.status == CaseStatus.NOT_AGREED
    assert FollowUp.objects.filter(case=case).count() == 1
