"""Governance test data: the bodies of community HD with members who have logins.

`gov(world)` builds, for HD of the `world` fixture: a Party branch (secretary + 2 members),
a Representative Assembly of `reps` representatives, and the subdistrict Party working
committee of dh with one member. Everyone has a User (password factories.PASSWORD).
"""

import datetime
from dataclasses import dataclass

from zizhi.governance.models import Body, BodyKind, MemberRole, Membership

from . import factories as f

TERM_START = datetime.date(2021, 6, 1)


@dataclass
class Gov:
    branch: Body
    assembly: Body
    committee: Body
    secretary: object  # User
    branch_members: list  # Users, secretary first
    reps: list  # Users
    committee_member: object  # User

    def seat(self, body, user) -> Membership:
        return Membership.objects.get(body=body, user=user, ended_on=None)


def member(body, role, name, with_user=True, comm=None):
    user = None
    resident = None
    if comm is not None:
        resident = f.resident(
            comm, name=name, hh=f.household(comm, "9栋", f"{Membership.objects.count() + 101}")
        )
    if with_user:
        user = f.user(name=name, phone=resident.phone if resident else None)
        if resident:
            resident.user = user
            resident.save(update_fields=["user"])
    Membership.objects.create(
        body=body, name=name, user=user, resident=resident, role=role, started_on=TERM_START
    )
    return user


def gov(world, reps=5) -> Gov:
    hd = world.hd
    branch = Body.objects.create(
        kind=BodyKind.PARTY_BRANCH, name="湖东社区党支部", subdistrict=world.dh, community=hd
    )
    assembly = Body.objects.create(
        kind=BodyKind.REPRESENTATIVE_ASSEMBLY,
        name="湖东社区居民代表大会",
        subdistrict=world.dh,
        community=hd,
    )
    committee = Body.objects.create(
        kind=BodyKind.SUBDISTRICT_PARTY_COMMITTEE, name="东湖街道党工委", subdistrict=world.dh
    )
    secretary = member(branch, MemberRole.SECRETARY, "党支部书记", comm=hd)
    others = [member(branch, MemberRole.MEMBER, f"党员{i}", comm=hd) for i in (1, 2)]
    rep_users = [
        member(assembly, MemberRole.REPRESENTATIVE, f"代表{i}", comm=hd) for i in range(1, reps + 1)
    ]
    committee_member = member(committee, MemberRole.MEMBER, "党工委委员")
    return Gov(
        branch, assembly, committee, secretary, [secretary, *others], rep_users, committee_member
    )
