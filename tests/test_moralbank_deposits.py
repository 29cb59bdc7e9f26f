"""Attested service records become pending credits of the organising association's branch
(or the community's own branch), once committed; a clerk who did not attest posts them."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from zizhi.associations.actions import records as rec
from zizhi.associations.models import CorrectionRequest, ServiceRecord
from zizhi.moralbank.actions import accounts as acc
from zizhi.moralbank.actions import flows
from zizhi.moralbank.models import Account, Entry, EntryStatus

from . import assoc_rows as rows
from . import factories as f
from .test_service_records import ended

pytestmark = pytest.mark.django_db


def test_an_associations_attested_hours_wait_for_its_branchs_clerk(
    world, django_capture_on_commit_callbacks
):
    leader = rows.leader_user(world.hd)
    assoc = rows.association(world.hd, leader)
    branch = acc.do_open_branch(
        world.hd, name="书法协会储蓄所", kind="association", actor=world.worker_a, association=assoc
    )
    clerk = f.user(name="管理员")
    acc.do_add_clerk(branch, clerk, actor=world.worker_a, started_on=datetime.date(2026, 1, 1))
    acc.do_add_clerk(branch, leader, actor=world.worker_a, started_on=datetime.date(2026, 1, 1))
    a = ended(
        world,
        [(world.resident_a, 120), (world.resident_b, 90)],
        organiser_kind="association",
        association=assoc,
    )
    with django_capture_on_commit_callbacks(execute=True):
        rec.do_attest(a, actor=leader)
    entries = {
        e.service_record.resident_id: e for e in Entry.objects.select_related("service_record")
    }
    assert {e.status for e in entries.values()} == {EntryStatus.PENDING}
    # resident_b lives in XH, of the same subdistrict: deposit anywhere
    assert set(entries) == {world.resident_a.resident.pk, world.resident_b.resident.pk}
    mine = entries[world.resident_a.resident.pk]
    with pytest.raises(ValidationError, match="认定服务时长的人不能审核"):
        flows.do_approve_credit(mine, actor=leader)
    flows.do_approve_credit(mine, actor=clerk)
    assert Account.objects.get(resident=world.resident_a.resident).balance == 120
    # the honour book is untouched by the credit book
    assert ServiceRecord.objects.get(pk=mine.service_record_id).minutes == 120


def test_a_community_activity_needs_a_community_branch(world, django_capture_on_commit_callbacks):
    a = ended(world, [(world.resident_a, 60)])
    with django_capture_on_commit_callbacks(execute=True):
        rec.do_attest(a, actor=world.worker_a)
    assert not Entry.objects.exists()  # no branch: the record stays, uncredited

    acc.do_open_branch(world.hd, name="湖东社区储蓄所", kind="community", actor=world.worker_a)
    b = ended(world, [(world.resident_a, 45)])
    with django_capture_on_commit_callbacks(execute=True):
        rec.do_attest(b, actor=world.worker_a)
    entry = Entry.objects.get()
    assert entry.service_record.activity == b and entry.proposed[1][1] == 45


def test_a_corrections_addition_is_credited_and_its_reversal_is_not(
    world, django_capture_on_commit_callbacks
):
    acc.do_open_branch(world.hd, name="湖东社区储蓄所", kind="community", actor=world.worker_a)
    a = ended(world, [(world.resident_a, 60)])
    with django_capture_on_commit_callbacks(execute=True):
        rec.do_attest(a, actor=world.worker_a)
    old = ServiceRecord.objects.get(activity=a)
    request = CorrectionRequest.objects.create(
        record=old, resident=old.resident, claimed_minutes=90, reason="我待到了最后"
    )
    with django_capture_on_commit_callbacks(execute=True):
        rec.do_answer_correction(request, actor=world.worker_a, accept=True, answer="核实")
    credited = sorted(Entry.objects.values_list("service_record__minutes", flat=True))
    assert credited == [60, 90]
