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


def service_record(world, resident, minutes, attested_by=None, day=None):
    activity = assoc_rows.activity(world.hd, world.worker_a, starts_in_hours=-27)
    return ServiceRecord.objects.create(
        number=f"FWHD2026{next(_numbers):06d}",
        resident=resident,
        community=world.hd,
        activity=activity,
        service_date=day or timezone.localdate() - datetime.timedelta(days=1),
        minutes=minutes,
        category="elderly",
        content="陪伴独居老人",
        organiser="湖东社区",
        attested_by=attested_by or world.worker_a,
    )


@dataclass
class MatrixRows:
    pending: object  # a pending service credit of HD's branch, for resident_a
    branch: object  # HD's branch (no persona is its clerk)
    redemption: object  # resident_a's redemption at it, waiting
    help: object  # help resident_a gave a neighbour, waiting for the neighbour
    neighbour_phone: str  # that neighbour's phone (HD, another household)
    token: str  # the verification token of resident_a's printed passbook


def neighbour(community, name="王奶奶"):
    """A resident of `community` with a login, in a household of their own."""
    r = f.resident(community, name, hh=f.household(community, "5栋", "502"))
    r.user = f.user(phone=r.phone, name=name)
    r.save()
    return r


def matrix_objects(world) -> MatrixRows:
    """Moral Bank rows for the permission matrix."""
    from zizhi.moralbank.actions import flows, redeem
    from zizhi.moralbank.actions.help import do_record_help
    from zizhi.moralbank.actions.ledger import Line, record_entry
    from zizhi.moralbank.verify import passbook_token

    b = bank(world)
    record = service_record(world, world.resident_a.resident, 30)
    pending = flows.do_request_credit(record, b.branch, actor=world.worker_a)
    record_entry(
        "adjustment",
        [Line(b.issuing, -120), Line(b.depositor, 120)],
        actor=world.worker_a,
        community=world.hd,
        key="matrix-fund",
        memo="开户",
    )
    offer = redeem.do_add_offer(
        b.branch, actor=b.clerk, title="老人理发", kind="service", price_minutes=30
    )
    b.depositor.refresh_from_db()
    granny = neighbour(world.hd)
    return MatrixRows(
        pending=pending,
        branch=b.branch,
        redemption=redeem.do_redeem(b.depositor, offer, actor=world.resident_a, key="matrix-r"),
        help=do_record_help(
            world.resident_a.resident,
            granny,
            actor=world.resident_a,
            minutes=30,
            service_date=timezone.localdate(),
            content="代买药品",
        ),
        neighbour_phone=granny.phone,
        token=passbook_token(b.depositor),
    )
