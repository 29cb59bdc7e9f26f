"""50 residents sign up for 20 places at the same moment (PostgreSQL: real concurrent
writers; SQLite has one writer and skips): exactly 20 in, 30 waiting, no error."""

import pytest
from django.db import connection

from zizhi.associations.actions import activities as act
from zizhi.associations.models import SignUp
from zizhi.registry.models import Resident

from . import assoc_rows as rows
from . import factories as f
from .at_once import at_once

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="real concurrent writers need PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True),
]


def test_fifty_sign_up_at_once_for_twenty_places(world):
    activity = rows.activity(world.hd, world.worker_a, capacity=20)
    people = [f.resident_user(world.hd, name=f"居民{i}") for i in range(50)]
    residents = {u.pk: Resident.objects.get(user=u) for u in people}
    errors = at_once(lambda u: act.do_sign_up(activity, residents[u.pk], actor=u), people)
    assert errors == []
    statuses = list(SignUp.objects.filter(activity=activity).values_list("status", flat=True))
    assert statuses.count("confirmed") == 20
    assert statuses.count("waiting") == 30
    # the waiting list is in the order the sign-ups were taken
    waiting = SignUp.objects.filter(activity=activity, status="waiting").order_by("id")
    assert [act.waiting_position(s) for s in waiting] == list(range(1, 31))

    # ten of those confirmed cancel at once: the first ten waiting move up, in order
    confirmed = list(SignUp.objects.filter(activity=activity, status="confirmed")[:10])
    first_waiting = [s.pk for s in waiting[:10]]
    assert at_once(lambda s: act.do_cancel_signup(s, actor=s.resident.user), confirmed) == []
    statuses = list(SignUp.objects.filter(activity=activity).values_list("status", flat=True))
    assert statuses.count("confirmed") == 20
    assert statuses.count("waiting") == 20
    promoted = SignUp.objects.filter(activity=activity, promoted_at__isnull=False)
    assert sorted(promoted.values_list("pk", flat=True)) == first_waiting
