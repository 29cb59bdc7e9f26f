"""Small builders for test data: real rows, valid ID numbers."""

import datetime
import itertools

from zizhi.accounts.models import Role, RoleKind, User
from zizhi.registry import idnumber
from zizhi.registry.models import Building, Community, Household, Resident, Subdistrict

_seq = itertools.count(1)
PASSWORD = "Zizhi-test-2026"


def subdistrict(code="dh", name="东湖街道"):
    return Subdistrict.objects.create(code=code, name=name)


def community(sub, code, name=None):
    return Community.objects.create(
        subdistrict=sub, code=code, name=name or f"{code}社区", phone="0571-88880000"
    )


def household(comm, building="1栋", door="101"):
    b, _ = Building.objects.get_or_create(community=comm, name=building)
    h, _ = Household.objects.get_or_create(community=comm, building=b, door=door)
    return h


def id_number(born=datetime.date(1950, 3, 1), region="110105"):
    return idnumber.make(region, born, next(_seq) % 1000)


def resident(comm, name="张三", born=datetime.date(1950, 3, 1), hh=None, phone=None, **extra):
    r = Resident(
        community=comm,
        name=name,
        household=hh,
        name_initials="zs",
        phone=phone or f"139{next(_seq):08d}",
        **extra,
    )
    r.set_id_number(id_number(born))
    r.save()
    return r


def user(phone=None, name="用户"):
    return User.objects.create_user(
        phone=phone or f"138{next(_seq):08d}", password=PASSWORD, name=name
    )


def worker(comm, name="社区工作者"):
    u = user(name=name)
    Role.objects.create(user=u, kind=RoleKind.COMMUNITY_WORKER, community=comm)
    return u


def subdistrict_admin(sub, name="街道管理员"):
    u = user(name=name)
    Role.objects.create(user=u, kind=RoleKind.SUBDISTRICT_ADMIN, subdistrict=sub)
    return u


def resident_user(comm, name="李四"):
    r = resident(comm, name=name, hh=household(comm, "2栋", "201"))
    u = user(phone=r.phone, name=name)
    r.user = u
    r.save()
    return u
