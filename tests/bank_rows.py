"""Rows for the Moral Bank's tests: a branch of HD with a clerk, depositors' accounts, an
attested service record."""

import datetime
import itertools
from dataclasses import dataclass

from django.utils import timezone

from zizhi.associations.models import ServiceRecord
from zizhi.moralbank.actions import accounts as acc

from . import assoc_rows
from . import factories as f

_numbers = itertools.count(1)


@dataclass
class Bank:
    branch: object
    clerk: object  # a user who keeps the branch's book
    issuing: object
    depositor: object  # resident_a's personal account


def bank(world) -> Bank:
    branch = acc.do_open_branch(
        world.hd, name="湖东工会储蓄所", kind="trade_union", actor=world.worker_a
    )
    clerk = f.user(name="储蓄所管理员")
    acc.do_add_clerk(branch, clerk, actor=world.worker_a, started_on=datetime.date(2026, 1, 1))
    depositor = acc.do_open_account(world.resident_a.resident, actor=world.worker_a)
    return Bank(branch, clerk, acc.issuing_account(branch), depositor)


def service_record(world, resident, minutes, attested_by=None):
    activity = assoc_rows.activity(world.hd, world.worker_a, starts_in_hours=-27)
    return ServiceRecord.objects.create(
        number=f"FWHD2026{next(_numbers):06d}",
        resident=resident,
        community=world.hd,
        activity=activity,
        service_date=timezone.localdate() - datetime.timedelta(days=1),
        minutes=minutes,
        category="elderly",
        content="陪伴独居老人",
        organiser="湖东社区",
        attested_by=attested_by or world.worker_a,
    )


@dataclass
class MatrixRows:
    pending: object  # a pending service credit of HD's branch, for resident_a


def matrix_objects(world) -> MatrixRows:
    """Moral Bank rows for the permission matrix: resident_a's account and a pending credit."""
    from zizhi.moralbank.actions import flows

    b = bank(world)
    record = service_record(world, world.resident_a.resident, 30)
    return MatrixRows(pending=flows.do_request_credit(record, b.branch, actor=world.worker_a))
