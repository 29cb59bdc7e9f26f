"""Neighbour help: recorded by the helper, confirmed by the neighbour, then a service record
(honour) and a pending credit of the community's branch, approved like any deposit."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from zizhi.associations.models import ServiceRecord
from zizhi.moralbank.actions import accounts as acc
from zizhi.moralbank.actions import flows
from zizhi.moralbank.actions.help import do_confirm_help, do_decline_help, do_record_help
from zizhi.moralbank.models import Account, Entry, EntryKind, EntryStatus

from . import factories as f
from .bank_rows import neighbour

pytestmark = pytest.mark.django_db


def help_given(world, to, minutes=60, **kw):
    return do_record_help(
        world.resident_a.resident,
        to,
        actor=world.resident_a,
        minutes=minutes,
        service_date=kw.get("day", timezone.localdate()),
        content=kw.get("content", "陪同去医院"),
    )


def test_confirmed_help_is_a_service_record_credited_like_a_deposit(
    world, django_capture_on_commit_callbacks
):
    branch = acc.do_open_branch(
        world.hd, name="湖东社区储蓄所", kind="community", actor=world.worker_a
    )
    clerk = f.user(name="社区储蓄所管理员")
    acc.do_add_clerk(branch, clerk, actor=world.worker_a, started_on=datetime.date(2026, 1, 1))
    granny = neighbour(world.hd)
    h = help_given(world, granny, 90)
    assert h.status == "pending" and not ServiceRecord.objects.exists()
    with pytest.raises(PermissionDenied):  # only the neighbour confirms
        do_confirm_help(h, actor=world.resident_a)
    with django_capture_on_commit_callbacks(execute=True):
        done = do_confirm_help(h, actor=granny.user)
    record = done.service_record
    assert record.resident == world.resident_a.resident and record.minutes == 90
    assert record.attested_by == granny.user and record.activity is None
    entry = Entry.objects.get(service_record=record)
    assert entry.kind == EntryKind.SERVICE_CREDIT and entry.status == EntryStatus.PENDING
    assert entry.branch == branch
    with pytest.raises(ValidationError, match="已处理"):
        do_confirm_help(h, actor=granny.user)
    flows.do_approve_credit(entry, actor=clerk)
    account = Account.objects.get(resident=world.resident_a.resident)
    assert account.balance == 90


def test_help_can_be_declined_and_is_checked(world):
    granny = neighbour(world.hd)
    declined = do_decline_help(help_given(world, granny), actor=granny.user, reason="没有这回事")
    assert declined.status == "declined" and declined.reason == "没有这回事"
    family = f.resident(world.hd, "女儿", hh=world.resident_a.resident.household)
    with pytest.raises(ValidationError, match="家人"):
        help_given(world, family)
    with pytest.raises(ValidationError, match="本社区"):
        help_given(world, neighbour(world.xh, "外社区"))
    with pytest.raises(ValidationError, match="最近 30 天"):
        help_given(world, granny, day=timezone.localdate() + datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="8 小时"):
        help_given(world, granny, minutes=9 * 60)
    with pytest.raises(ValidationError, match="帮了什么"):
        help_given(world, granny, content="  ")
    with pytest.raises(ValidationError, match="自己"):
        help_given(world, world.resident_a.resident)
    with pytest.raises(PermissionDenied):  # recorded only by the helper themselves
        do_record_help(
            world.resident_a.resident,
            granny,
            actor=granny.user,
            minutes=30,
            service_date=timezone.localdate(),
            content="买菜",
        )
