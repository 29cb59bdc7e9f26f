"""Mediation: registering, the status table, sessions, outcomes, follow-ups, numbers."""

import datetime

from django.utils import timezone

from zizhi.audit.models import Event
from zizhi.mediation import actions as m
from zizhi.mediation.models import CaseStatus, FollowUp

from . import mediation_rows as rows


def test_a_case_runs_from_registration_to_closed(world):
    s = rows.scene(world)
    case = s.agreed
    case.refresh_from_db()
    assert case.status == CaseStatus.AGREED
    assert case.number.startswith(f"HD调{timezone.localdate().year}-")
    follow = FollowUp.objects.get(case=case)
    assert follow.due_on == timezone.localdate() + datetime.timedelta(days=30)
    m.do_record_follow_up(case, kept=True, note="已履行", actor=s.lead)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.closed_at is not None
    verbs = set(
        Event.objects.filter(object_type__contains="mediation", object_id=str(case.pk)).values_list(
            "verb", flat=True
        )
    )
    assert {
        "mediation.register",
        "mediation.assign",
        "mediation.accept",
        "mediation.session",
        "mediation.outcome",
        "mediation.follow_up",
    } <= verbs
