"""Named personas in two communities of one subdistrict and one of another.

World:
  subdistrict dh (东湖街道): communities HD (湖东) and XH (西湖)
  subdistrict nh (南湖街道): community NH
Personas: worker_a (HD), worker_b (XH), worker_c (NH), subadmin (dh), subadmin_other (nh),
resident_a (HD, with login), resident_b (XH, with login).
"""

from dataclasses import dataclass

import pytest

from . import factories as f


@pytest.fixture(autouse=True)
def fresh_ballot_polls():
    """A worker process keeps the polls it took ballots for (governance.access.BallotPolls);
    each test starts without them, as a new process would."""
    from zizhi.governance.access import ballot_polls

    ballot_polls.forget_all()
    yield
    ballot_polls.forget_all()


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """API rate-limit counters live in process memory; each test starts with none counted."""
    from django.core.cache import caches

    caches["ratelimit"].clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 costs ~0.1 s per user on purpose; tests make hundreds of users.

    test_accounts checks that production settings hash with argon2.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class World:
    dh: object
    nh: object
    hd: object
    xh: object
    nhc: object
    worker_a: object
    worker_b: object
    worker_c: object
    subadmin: object
    subadmin_other: object
    resident_a: object
    resident_b: object


@pytest.fixture
def world(db):
    dh = f.subdistrict("dh", "东湖街道")
    nh = f.subdistrict("nh", "南湖街道")
    hd = f.community(dh, "HD", "湖东社区")
    xh = f.community(dh, "XH", "西湖社区")
    nhc = f.community(nh, "NH", "南湖社区")
    return World(
        dh=dh,
        nh=nh,
        hd=hd,
        xh=xh,
        nhc=nhc,
        worker_a=f.worker(hd, "湖东工作者"),
        worker_b=f.worker(xh, "西湖工作者"),
        worker_c=f.worker(nhc, "南湖工作者"),
        subadmin=f.subdistrict_admin(dh, "东湖街道管理员"),
        subadmin_other=f.subdistrict_admin(nh, "南湖街道管理员"),
        resident_a=f.resident_user(hd, "湖东居民"),
        resident_b=f.resident_user(xh, "西湖居民"),
    )
