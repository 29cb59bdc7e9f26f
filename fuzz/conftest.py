"""The world the API fuzz runs in: the demo subdistrict, built once per run in the test database.

`zizhi demo` (seven communities of 东湖街道, workers, residents, Party members, meetings,
suggestions, the Moral Bank, green plots, wishes, mediation cases...) plus a second
subdistrict from tests/factories.py, so objects of another subdistrict exist too. Each test
runs in a transaction that is rolled back (pytest-django's `db`), so what one operation's
examples write does not leak into the next operation.
"""

import itertools

import pytest
from django.core.management import call_command

# Small but complete: every app's demo objects exist with 300 residents.
DEMO_RESIDENTS = 300
RESIDENT_PHONE = "13900000002"  # 林晓燕, resident of 湖东 (HD)
WORKER_PHONE = "13800000101"  # 刘芳, community worker of 湖东 (HD)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from django.conf import settings

    from zizhi.accounts.actions import do_create_api_token
    from zizhi.accounts.models import User

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock():
        call_command("demo", residents=DEMO_RESIDENTS, verbosity=0)
        _second_subdistrict()
        tokens = {
            "resident": do_create_api_token("fuzz", actor=User.objects.get(phone=RESIDENT_PHONE)),
            "worker": do_create_api_token("fuzz", actor=User.objects.get(phone=WORKER_PHONE)),
        }
    return tokens


def _second_subdistrict():
    """Another subdistrict with a community, its worker and a resident with a login."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tests import factories as f

    f._seq = itertools.count(70_000_000)  # phones 138700..., clear of the demo's logins
    nh = f.subdistrict("nh", "南湖街道")
    nhc = f.community(nh, "NH", "南湖社区")
    f.worker(nhc, "南湖工作者")
    f.resident_user(nhc, "南湖居民")


@pytest.fixture(autouse=True)
def no_rate_limits(settings):
    """An empty rate turns a limit off (zizhi.accounts.ratelimit): the fuzz sends thousands of
    requests a minute from one address."""
    settings.ZIZHI_API_RATE_USER = ""
    settings.ZIZHI_API_RATE_ANON = ""
    settings.ZIZHI_API_RATE_IP = ""


@pytest.fixture
def tokens(django_db_setup):
    """Bearer tokens by identity: "resident" and "worker"."""
    return django_db_setup


@pytest.fixture(autouse=True)
def quiet_not_found():
    """Django logs every 4xx answer as a warning; the fuzz provokes tens of thousands of them.
    Server errors are still logged (level ERROR)."""
    import logging

    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@pytest.fixture(autouse=True)
def keep_test_connection():
    """Django closes the connection after each request unless it is usable at autocommit; the
    test's transaction is not, so on PostgreSQL the fuzz would lose it after the first request.
    Django's own test client disconnects this handler around each request; the WSGI client
    schemathesis uses does not, so it is disconnected for the test."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)
