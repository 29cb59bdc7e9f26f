"""Sending the dashboard's reads to a replica (settings: REPLICA_URL).

Only what runs inside `reading_replica()` goes there: the dashboard's figures and the latest
audit events they are checked against, so a lagging replica answers consistently as of its
own moment. Everything else, and every write, stays on the primary."""

import threading
from contextlib import contextmanager

from django.conf import settings

REPLICA = "replica"
_state = threading.local()


@contextmanager
def reading_replica():
    before = getattr(_state, "on", False)
    _state.on = True
    try:
        yield
    finally:
        _state.on = before


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class DashboardRouter:
    def db_for_read(self, model, **hints):
        if getattr(_state, "on", False) and replica_configured():
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return None

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the primary's rows

    def allow_migrate(self, db, app_label, **hints):
        return db != REPLICA  # a streaming replica is migrated through its primary
