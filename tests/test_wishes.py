"""Wishes (微心愿): the actions, the one table of moves, claiming rules, the 7-day contact
deadline, the sweep (lapse and roll-over), confirmation writing an attested service record."""

import datetime
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from tests import assoc_rows, party_rows
from tests import factories as f
from tests.wishes_rows import beneficiary, live_claim, volunteer_user, wish
from zizhi.associations.models import ServiceCategory, ServiceRecord
from zizhi.audit.models import Event
from zizhi.moralbank.actions import accounts as bank
from zizhi.moralbank.models import Entry, EntryStatus
from zizhi.party import actions as party_actions
from zizhi.registry.models import LocalUnit
from zizhi.wishes import actions
from zizhi.wishes.models import TRANSITIONS, Claim, Wish, WishStatus, check_move

from .upload_files import REAL_PNG

PNG = REAL_PNG

pytestmark = pytest.mark.django_db


@pytest.fixture
def granny(world):
    return beneficiary(world.hd).resident


@pytest.fixture
def helper(world):
    return volunteer_user(world.hd)


def verbs(wish_):
    return list(
        Event.objects.filter(object_id=str(wish_.pk), verb__startswith="wishes.")
        .order_by("id")
        .values_list("verb", flat=True)
    )


def test_the_table_allows_only_listed_moves():
    assert TRANSITIONS[WishStatus.CLAIMED] == {WishStatus.CONTACTED, WishStatus.PUBLISHED}
    check_move(WishStatus.SUBMITTED, WishStatus.PUBLISHED)
    with pytest.raises(ValidationError):
        check_move(WishStatus.SUBMITTED, WishStatus.CLAIMED)
    with pytest.raises(ValidationError):
        check_move(WishStatus.CONFIRMED, WishStatus.PUBLISHED)


def test_resident_posts_own_wish_and_worker_publishes_it(world):
    me = world.resident_a.resident
    w = actions.do_post_wish(
        me, actor=world.resident_a, text="想要一台收音机", category="goods", value_cap_yuan=150
    )
    assert (w.status, w.by_worker, w.value_cap_fen) == ("submitted", False, 15000)
    w = actions.do_verify_wish(
        w, actor=world.worker_a, title="湖东社区一位独居老人想要收音机", public_text=""
    )
    assert w.status == "published" and w.published_at and w.verified_by == world.worker_a
    assert verbs(w) == ["wishes.post", "wishes.verify"]


def test_goods_over_500_yuan_are_not_micro_wishes(world, granny):
    with pytest.raises(ValidationError, match="500"):
        actions.do_post_wish(
            granny, actor=world.worker_a, text="想要一台电视", category="goods", value_cap_yuan=800
        )
    assert not Wish.objects.exists()


def test_only_staff_of_the_community_post_for_someone(world, granny):
    with pytest.raises(PermissionDenied):
        actions.do_post_wish(granny, actor=world.worker_b, text="想要收音机", category="goods")
    with pytest.raises(PermissionDenied):
        actions.do_post_wish(granny, actor=world.resident_a, text="想要收音机", category="goods")
    w = actions.do_post_wish(
        granny, actor=world.worker_a, text="希望有人陪去医院复查", category="company"
    )
    assert w.by_worker and w.value_cap_fen is None


def test_at_most_three_open_wishes(world, granny):
    for i in range(3):
        actions.do_post_wish(granny, actor=world.worker_a, text=f"心愿{i}", category="other")
    with pytest.raises(ValidationError, match="正在办理"):
        actions.do_post_wish(granny, actor=world.worker_a, text="第四个", category="other")


def test_public_wording_must_not_name_the_person(world, granny):
    w = actions.do_post_wish(granny, actor=world.worker_a, text="想要收音机", category="goods")
    for title in (f"{granny.name}想要收音机", f"请联系 {granny.phone}"):
        with pytest.raises(ValidationError, match="不能出现受助人"):
            actions.do_verify_wish(w, actor=world.worker_a, title=title, public_text="")
    with pytest.raises(PermissionDenied):
        actions.do_verify_wish(w, actor=world.worker_b, title="一位老人想要收音机", public_text="")
    assert Wish.objects.get(pk=w.pk).status == "submitted"


def test_reject_needs_a_reason(world, granny):
    w = actions.do_post_wish(granny, actor=world.worker_a, text="想要收音机", category="goods")
    with pytest.raises(ValidationError):
        actions.do_reject_wish(w, actor=world.worker_a, reason=" ")
    w = actions.do_reject_wish(w, actor=world.worker_a, reason="已由民政部门解决")
    assert w.status == "rejected" and w.reject_reason == "已由民政部门解决"
    with pytest.raises(ValidationError):
        actions.do_verify_wish(w, actor=world.worker_a, title="一位老人", public_text="")


def test_volunteer_claims_with_a_seven_day_deadline(world, granny, helper):
    w = wish(world.worker_a, granny)
    claim = actions.do_claim_wish(w, actor=helper, kind="volunteer")
    assert claim.contact_due - claim.claimed_at == datetime.timedelta(days=7)
    assert claim.resident == helper.resident
    assert Wish.objects.get(pk=w.pk).status == "claimed"
    other = volunteer_user(world.hd, "志愿者老李")
    with pytest.raises(ValidationError):
        actions.do_claim_wish(w, actor=other, kind="volunteer")
    assert Claim.objects.filter(wish=w).count() == 1


def test_who_may_claim_as_what(world, granny, helper):
    w = wish(world.worker_a, granny)
    with pytest.raises(ValidationError, match="身份"):
        actions.do_claim_wish(w, actor=world.resident_a, kind="volunteer")  # not registered
    with pytest.raises(ValidationError, match="身份"):
        actions.do_claim_wish(w, actor=helper, kind="party_member")
    with pytest.raises(ValidationError, match="自己"):
        actions.do_claim_wish(w, actor=granny.user, kind="volunteer")
    # a Party member of the party app: registered but not yet reported in, then reported in
    member = party_rows.party_resident_user(world.hd, "在职党员")
    with pytest.raises(ValidationError, match="身份"):
        actions.do_claim_wish(w, actor=member, kind="party_member")
    party_actions.do_report_in(
        employer="区税务局", joined_on=datetime.date(2010, 7, 1), actor=member
    )
    claim = actions.do_claim_wish(w, actor=member, kind="party_member")
    assert claim.kind == "party_member"


def test_a_member_reported_in_elsewhere_is_not_a_party_claimant_here(world, granny):
    xh_member = party_rows.reported_in_member(world.xh, "西湖党员")
    w = wish(world.worker_a, granny)
    with pytest.raises(ValidationError, match="身份"):
        actions.do_claim_wish(w, actor=xh_member, kind="party_member")
    assert not Claim.objects.filter(wish=w).exists()


def test_an_association_leader_claims_for_their_association(world, granny):
    leader = assoc_rows.leader_user(world.hd)
    mine = assoc_rows.association(world.hd, leader=leader, name="巧手协会")
    theirs = assoc_rows.association(world.hd, name="书法协会")
    w = wish(world.worker_a, granny)
    with pytest.raises(ValidationError, match="负责"):
        actions.do_claim_wish(w, actor=leader, kind="association", association_id=theirs.pk)
    claim = actions.do_claim_wish(w, actor=leader, kind="association", association_id=mine.pk)
    assert claim.association == mine and claim.claimant_label == "巧手协会"


def test_a_worker_records_a_local_units_claim(world, granny):
    unit = LocalUnit.objects.create(community=world.hd, name="湖东超市")
    elsewhere = LocalUnit.objects.create(community=world.xh, name="西湖药房")
    w = wish(world.worker_a, granny)
    with pytest.raises(ValidationError):
        actions.do_record_unit_claim(w, actor=world.worker_a, local_unit=elsewhere)
    with pytest.raises(PermissionDenied):
        actions.do_record_unit_claim(w, actor=world.worker_b, local_unit=unit)
    claim = actions.do_record_unit_claim(w, actor=world.worker_a, local_unit=unit)
    assert (claim.kind, claim.by_worker, claim.resident) == ("local_unit", True, None)


def test_contact_reveal_is_for_the_claimant_and_audited(world, granny, helper):
    w = wish(world.worker_a, granny, WishStatus.CLAIMED, claimant=helper)
    claim = live_claim(w)
    with pytest.raises(PermissionDenied):
        actions.do_reveal_contact(claim, actor=world.resident_a)
    shown = actions.do_reveal_contact(claim, actor=helper)
    assert shown["name"] == granny.name and shown["phone"] == granny.phone
    assert verbs(w)[-1] == "wishes.reveal_contact"


def test_fulfilment_needs_proof_and_checks_the_photo(world, granny, helper):
    w = wish(world.worker_a, granny, WishStatus.CONTACTED, claimant=helper)
    claim = live_claim(w)
    with pytest.raises(ValidationError, match="凭证"):
        actions.do_record_fulfilment(claim, actor=helper, minutes=30, proof_text="")
    fake = SimpleUploadedFile("proof.png", b"not a png at all", content_type="image/png")
    with pytest.raises(ValidationError, match="格式"):
        actions.do_record_fulfilment(claim, actor=helper, minutes=30, proof_text="", photo=fake)
    with pytest.raises(ValidationError, match="480"):
        actions.do_record_fulfilment(claim, actor=helper, minutes=600, proof_text="送到")
    photo = SimpleUploadedFile("proof.png", PNG, content_type="image/png")
    claim = actions.do_record_fulfilment(
        claim, actor=helper, minutes=90, proof_text="", photo=photo
    )
    assert claim.proof_type == "image/png" and claim.proof_photo.name.startswith("wishes/proofs/")
    assert Wish.objects.get(pk=w.pk).status == "fulfilled"


def test_beneficiary_confirms_and_the_hours_become_service(
    world, granny, helper, django_capture_on_commit_callbacks
):
    branch = bank.do_open_branch(
        world.hd, name="湖东社区储蓄所", kind="community", actor=world.worker_a
    )
    w = wish(world.worker_a, granny, WishStatus.FULFILLED, claimant=helper)
    with pytest.raises(PermissionDenied):
        actions.do_confirm_wish(w, actor=world.resident_a)
    with pytest.raises(ValidationError, match="上门"):
        actions.do_confirm_wish(w, actor=world.worker_a)  # on behalf needs a note
    with pytest.raises(ValidationError):  # not yet fulfilled is refused by the table
        actions.do_confirm_wish(
            wish(world.worker_a, f.resident(world.hd)), actor=world.worker_a, note="x"
        )
    with pytest.raises(PermissionDenied):
        actions.do_confirm_wish(w, actor=world.worker_b, note="上门")
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_confirm_wish(w, actor=granny.user)
    w.refresh_from_db()
    claim = live_claim(w)
    assert w.status == "confirmed" and claim.confirmed_by == granny.user
    assert not claim.confirmed_by_worker
    record = ServiceRecord.objects.get(number=claim.service_record_number)
    assert (record.resident, record.minutes, record.attested_by) == (
        helper.resident,
        60,
        granny.user,
    )
    assert record.category == ServiceCategory.OTHER  # goods
    entry = Entry.objects.get(service_record=record)  # the Moral Bank's pending credit
    assert entry.status == EntryStatus.PENDING and entry.branch == branch


def test_worker_confirms_after_a_visit(world, granny, helper):
    w = wish(world.worker_a, granny, WishStatus.FULFILLED, claimant=helper)
    actions.do_confirm_wish(w, actor=world.worker_a, note="11月28日上门，老人说已收到")
    claim = live_claim(w)
    assert claim.confirmed_by_worker and claim.confirm_note.startswith("11月28日")
    assert verbs(w)[-1] == "wishes.confirm"


def test_a_local_units_claim_writes_no_service_record(world, granny):
    unit = LocalUnit.objects.create(community=world.hd, name="湖东超市")
    w = wish(world.worker_a, granny)
    claim = actions.do_record_unit_claim(w, actor=world.worker_a, local_unit=unit)
    actions.do_record_contact(claim, actor=world.worker_a, note="超市已联系")
    actions.do_record_fulfilment(claim, actor=world.worker_a, minutes=30, proof_text="送去米面油")
    actions.do_confirm_wish(w, actor=granny.user)
    assert live_claim(w).service_record_number == ""
    assert not ServiceRecord.objects.exists()


def test_sweep_lapses_uncontacted_claims_and_keeps_them(world, granny, helper):
    w = wish(world.worker_a, granny, WishStatus.CLAIMED, claimant=helper)
    claim = live_claim(w)
    assert actions.sweep(claim.contact_due - datetime.timedelta(minutes=1)) == {
        "lapsed": [],
        "rolled": [],
    }
    done = actions.sweep(claim.contact_due + datetime.timedelta(minutes=1))
    assert done["lapsed"] == [w.pk]
    claim.refresh_from_db()
    w.refresh_from_db()
    assert claim.lapsed_at is not None and w.status == "published"
    assert "wishes.lapse_claim" in verbs(w)
    with pytest.raises(ValidationError, match="失效"):
        actions.do_record_contact(claim, actor=helper, note="晚了")
    with pytest.raises(ValidationError):
        actions.do_reveal_contact(claim, actor=helper)
    again = volunteer_user(world.hd, "志愿者老李")
    actions.do_claim_wish(w, actor=again, kind="volunteer")  # a new live claim is allowed
    assert Claim.objects.filter(wish=w).count() == 2


def test_contacted_claims_do_not_lapse(world, granny, helper):
    w = wish(world.worker_a, granny, WishStatus.CONTACTED, claimant=helper)
    later = timezone.now() + datetime.timedelta(days=30)
    assert actions.sweep(later)["lapsed"] == []
    assert Wish.objects.get(pk=w.pk).status == "contacted"


def test_roll_over_once_a_month_and_shown_first(world, granny):
    old = wish(world.worker_a, granny, text="想要老花镜")
    new = wish(world.worker_a, f.resident(world.hd, name="赵爷爷"))
    Wish.objects.filter(pk=old.pk).update(published_at=timezone.now() - datetime.timedelta(days=40))
    now = timezone.now()
    assert actions.sweep(now)["rolled"] == [old.pk]
    assert actions.sweep(now) == {"lapsed": [], "rolled": []}  # idempotent
    assert Wish.objects.get(pk=old.pk).rolled_over_times == 1
    assert list(Wish.objects.filter(pk__in=[old.pk, new.pk]))[0].pk == old.pk
    next_month = now + datetime.timedelta(days=32)
    assert actions.sweep(next_month)["rolled"] == [old.pk, new.pk]
    assert Wish.objects.get(pk=old.pk).rolled_over_times == 2


def test_sweep_command_prints_what_it_did(world, granny, helper):
    w = wish(world.worker_a, granny, WishStatus.CLAIMED, claimant=helper)
    Claim.objects.filter(wish=w).update(contact_due=timezone.now() - datetime.timedelta(hours=1))
    out = StringIO()
    call_command("wishes", "sweep", stdout=out)
    assert f"LAPSED claim of wish {w.pk}" in out.getvalue()
    out = StringIO()
    call_command("wishes", "sweep", stdout=out)
    assert "OK: 0 claims lapsed, 0 wishes rolled over" in out.getvalue()


def test_the_database_keeps_one_live_claim_per_wish(world, granny, helper):
    """Two claims racing past the row lock still meet the partial unique constraint."""
    from django.db import IntegrityError, transaction

    w = wish(world.worker_a, granny, WishStatus.CLAIMED, claimant=helper)
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(
            wish=w,
            community=world.hd,
            kind="volunteer",
            user=world.resident_a,
            claimed_at=now,
            contact_due=now,
        )
    Claim.objects.filter(wish=w).update(lapsed_at=now)  # a lapsed claim is history
    Claim.objects.create(
        wish=w,
        community=world.hd,
        kind="volunteer",
        user=world.resident_a,
        claimed_at=now,
        contact_due=now,
    )
