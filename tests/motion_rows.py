"""A motion of HD for the permission matrix: opened by a representative with a login, with
no co-signature yet (so the matrix's writes are refused with their reasons)."""

import datetime

from zizhi.governance.models import MemberRole, Membership
from zizhi.proposals import motion_actions

from . import factories as f


def motion_objects(world, assembly):
    rep = f.user(name="矩阵代表")
    Membership.objects.create(
        body=assembly,
        name="矩阵代表",
        user=rep,
        role=MemberRole.REPRESENTATIVE,
        started_on=datetime.date(2021, 6, 1),
    )
    return motion_actions.do_open_motion(
        world.hd, title="矩阵议案", text="内容", reason="理由", actor=rep
    )
