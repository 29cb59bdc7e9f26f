"""50 residents sign up for 20 places at the same moment (PostgreSQL: real concurrent
writers; SQLite has one writer and skips): exactly 20 in, 30 waiting, no error."""

import threading

import pytest
from django.db import connection

from zizhi.associations.actions import activities as act
from zizhi.associations.models import SignUp
from zizhi.registry.models import Resident

from . import assoc_rows as rows
from . import factories as f

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="real concurrent writers need PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True),
]


def test_fifty_sign_up_at_once_for_twenty_places(world):
    activity = rows.activity(world.hd, world.worker_a, capacity=20)
    people = [f.resident_user(world.hd, name=f"居民{i}") for i in range(50)]
    start = threading.Barrier(50)
    errors = []

    def sign_up(user):
        try:
            resident = Resident.objects.get(user=user)
            start.wait(timeout=30)
            act.do_sign_up(activity, resident, actor=user)
        except Exception as exc:  # noqa: BLE001 - asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_up, args=(u,)) for u in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    statuses = list(SignUp.objects.filter(activity=activity).values_list("status", flat=True))
    assert statuses.count("confirmed") == 20
    assert statuses.count("waiting") == 30
    # the waiting list is in the order the sign-ups were taken
    waiting = SignUp.objects.filter(activity=activity, status="waiting").order_by("id")
    assert [act.waiting_position(s) for s in waiting] == list(range(1, 31))
