"""Green-plot adoption: the rules of plots, adoptions, upkeep, donations and the totals."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests import factories as f
from tests.greening_rows import adopt, photo, plot, term
from zizhi.audit.models import Event
from zizhi.finance.models import Entry
from zizhi.greening import actions as g
from zizhi.greening.models import Adoption, AdoptionStatus, LogKind, PlotState, UpkeepLog
from zizhi.greening.queries import mark_care, needs_care_q, totals, with_care
from zizhi.registry.models import LocalUnit, PoliticalStatus


def _resident_user(community, name, building, door):
    r = f.resident(community, name, hh=f.household(community, building, door))
    r.user = f.user(phone=r.phone, name=name)
    r.save()
    return r.user


def test_only_staff_of_the_community_create_plots(world):
    with pytest.raises(PermissionDenied):
        plot(world.hd, world.worker_b)
    with pytest.raises(PermissionDenied):
        plot(world.hd, world.resident_a)
    made = plot(world.hd, world.subadmin)
    assert made.state == PlotState.AVAILABLE
    assert Event.objects.filter(verb="greening.create_plot", object_id=str(made.pk)).count() == 1


def test_plot_input_is_checked_with_every_problem_listed(world):
    with pytest.raises(ValidationError) as exc:
        g.do_create_plot(
            world.hd, actor=world.worker_a, name="", location="", area_m2="-3", kind="x"
        )
    assert len(exc.value.messages) == 4
    plot(world.hd, world.worker_a, "草坪一")
    with pytest.raises(ValidationError, match="同名"):
        plot(world.hd, world.worker_a, "草坪一")


def test_plot_moves_follow_the_table(world):
    p = plot(world.hd, world.worker_a)
    g.do_move_plot(p, "resting", actor=world.worker_a)
    with pytest.raises(ValidationError):
        g.do_move_plot(p, "resting", actor=world.worker_a)
    with pytest.raises(ValidationError, match="审核"):
        g.do_move_plot(p, "adopted", actor=world.worker_a)
    g.do_move_plot(p, "available", actor=world.worker_a)
    adopt(p, world.resident_a, world.worker_a)
    with pytest.raises(ValidationError, match="先结束认领"):
        g.do_move_plot(p, "retired", actor=world.worker_a)


def test_a_resident_applies_and_a_worker_approves(world):
    p = plot(world.hd, world.worker_a)
    start, end = term()
    a = g.do_apply_adoption(
        p,
        actor=world.resident_a,
        adopter_kind="household",
        starts_on=start,
        ends_on=end,
        show_name=True,
    )
    me = world.resident_a.resident
    assert a.status == AdoptionStatus.PENDING
    assert a.household_id == me.household_id and a.resident_id == me.pk
    assert me.name in a.adopter_name
    p.refresh_from_db()
    assert p.state == PlotState.AVAILABLE  # pending does not hold the plot
    with pytest.raises(PermissionDenied):
        g.do_approve_adoption(a, actor=world.resident_a)
    g.do_approve_adoption(a, actor=world.worker_a)
    p.refresh_from_db()
    assert p.state == PlotState.ADOPTED
    with pytest.raises(ValidationError, match="不能申请"):
        g.do_apply_adoption(
            p, actor=world.resident_a, adopter_kind="resident", starts_on=start, ends_on=end
        )


def test_a_resident_applies_only_for_what_is_theirs(world):
    p = plot(world.hd, world.worker_a)
    start, end = term()
    with pytest.raises(PermissionDenied):  # another community's resident
        g.do_apply_adoption(
            p, actor=world.resident_b, adopter_kind="resident", starts_on=start, ends_on=end
        )
    with pytest.raises(ValidationError, match="党员"):
        g.do_apply_adoption(
            p, actor=world.resident_a, adopter_kind="party_member", starts_on=start, ends_on=end
        )
    with pytest.raises(ValidationError, match="辖区单位"):
        g.do_apply_adoption(
            p, actor=world.resident_a, adopter_kind="unit", starts_on=start, ends_on=end
        )
    with pytest.raises(ValidationError, match="群团组织"):
        g.do_apply_adoption(
            p,
            actor=world.resident_a,
            adopter_kind="association",
            association_id=1,
            starts_on=start,
            ends_on=end,
        )
    with pytest.raises(ValidationError, match="至少"):
        g.do_apply_adoption(
            p,
            actor=world.resident_a,
            adopter_kind="resident",
            starts_on=start,
            ends_on=start + datetime.timedelta(days=5),
        )


def test_a_worker_registers_for_a_party_member_and_a_unit(world):
    p1, p2 = plot(world.hd, world.worker_a, "一"), plot(world.hd, world.worker_a, "二")
    start, end = term()
    member = f.resident(world.hd, "党员老张", political_status=PoliticalStatus.PARTY_MEMBER)
    a = g.do_apply_adoption(
        p1,
        actor=world.worker_a,
        adopter_kind="party_member",
        resident=member,
        starts_on=start,
        ends_on=end,
    )
    assert a.adopter_name == "党员老张（党员）"
    unit = LocalUnit.objects.create(community=world.hd, name="湖东小学")
    b = g.do_apply_adoption(
        p2, actor=world.worker_a, adopter_kind="unit", unit=unit, starts_on=start, ends_on=end
    )
    assert b.adopter_name == "湖东小学"
    other = LocalUnit.objects.create(community=world.xh, name="西湖小学")
    with pytest.raises(ValidationError, match="本社区的辖区单位"):
        g.do_apply_adoption(
            p2, actor=world.worker_a, adopter_kind="unit", unit=other, starts_on=start, ends_on=end
        )


def test_one_active_adoption_per_plot(world):
    p = plot(world.hd, world.worker_a)
    start, end = term()
    other = _resident_user(world.hd, "邻居", "6栋", "601")
    first = g.do_apply_adoption(
        p, actor=world.resident_a, adopter_kind="resident", starts_on=start, ends_on=end
    )
    second = g.do_apply_adoption(
        p, actor=other, adopter_kind="resident", starts_on=start, ends_on=end
    )
    g.do_approve_adoption(first, actor=world.worker_a)
    with pytest.raises(ValidationError, match="不能再批准"):
        g.do_approve_adoption(second, actor=world.worker_a)
    # and the database refuses a second active row even behind the action's back
    with pytest.raises(IntegrityError), transaction.atomic():
        Adoption.objects.filter(pk=second.pk).update(status=AdoptionStatus.ACTIVE)


def test_renew_reject_and_end(world):
    p = plot(world.hd, world.worker_a)
    a = adopt(p, world.resident_a, world.worker_a)
    with pytest.raises(ValidationError, match="晚于"):
        g.do_renew_adoption(a, actor=world.worker_a, ends_on=a.ends_on)
    later = a.ends_on + datetime.timedelta(days=180)
    assert g.do_renew_adoption(a, actor=world.worker_a, ends_on=later).ends_on == later
    g.do_end_adoption(a, actor=world.worker_a, reason="搬家")
    p.refresh_from_db()
    assert p.state == PlotState.AVAILABLE
    with pytest.raises(ValidationError):
        g.do_end_adoption(a, actor=world.worker_a)
    start, end = term()
    b = g.do_apply_adoption(
        p, actor=world.resident_a, adopter_kind="resident", starts_on=start, ends_on=end
    )
    with pytest.raises(ValidationError, match="理由"):
        g.do_reject_adoption(b, actor=world.worker_a, reason="")
    assert g.do_reject_adoption(b, actor=world.worker_a, reason="重复").status == "rejected"


def test_upkeep_by_the_adopter_and_household_only(world):
    p = plot(world.hd, world.worker_a)
    a = adopt(p, world.resident_a, world.worker_a, kind="household")
    spouse = f.resident(world.hd, "配偶", hh=world.resident_a.resident.household)
    spouse_user = f.user(phone=spouse.phone)
    spouse.user = spouse_user
    spouse.save()
    stranger = _resident_user(world.hd, "路人", "5栋", "501")
    today = timezone.localdate()
    log = g.do_log_upkeep(a, actor=spouse_user, done_on=today, text_="浇水", photo=photo())
    assert log.kind == LogKind.UPKEEP and log.photo_type == "image/png"
    with pytest.raises(PermissionDenied):
        g.do_log_upkeep(a, actor=stranger, done_on=today, text_="浇水")
    with pytest.raises(PermissionDenied):
        g.do_log_upkeep(a, actor=world.worker_b, done_on=today, text_="浇水")
    with pytest.raises(ValidationError, match="今天"):
        g.do_log_upkeep(
            a, actor=world.resident_a, done_on=today + datetime.timedelta(days=2), text_="浇水"
        )


def test_a_photo_is_checked_by_its_content(world):
    p = plot(world.hd, world.worker_a)
    a = adopt(p, world.resident_a, world.worker_a)
    fake = SimpleUploadedFile("x.jpg", b"MZ not a photo at all", content_type="image/jpeg")
    with pytest.raises(ValidationError, match="不是照片"):
        g.do_log_upkeep(
            a, actor=world.resident_a, done_on=timezone.localdate(), text_="除草", photo=fake
        )
    assert not UpkeepLog.objects.exists()
    huge = SimpleUploadedFile("big.png", b"\x89PNG\r\n\x1a\n" + b"0" * (11 * 2**20))
    with pytest.raises(ValidationError, match="太大"):
        g.do_add_plot_photo(p, huge, actor=world.worker_a)


def test_a_plot_without_upkeep_for_the_set_days_needs_care(world):
    p = plot(world.hd, world.worker_a)
    a = adopt(p, world.resident_a, world.worker_a)
    today = timezone.localdate()
    Adoption.objects.filter(pk=a.pk).update(starts_on=today - datetime.timedelta(days=60))
    qs = with_care(type(p).objects.filter(pk=p.pk))
    assert qs.filter(needs_care_q(today, 30)).exists()
    assert mark_care(qs, today, 30)[0].needs_care
    g.do_log_upkeep(
        a, actor=world.resident_a, done_on=today - datetime.timedelta(days=3), text_="x"
    )
    assert not qs.filter(needs_care_q(today, 30)).exists()
    assert mark_care(qs, today + datetime.timedelta(days=40), 30)[0].needs_care
    g.do_set_care_days(world.hd, 60, actor=world.worker_a)
    with pytest.raises(ValidationError):
        g.do_set_care_days(world.hd, 3, actor=world.worker_a)


def test_a_donation_posts_into_the_finance_disclosure(world):
    p = plot(world.hd, world.worker_a)
    d = g.do_record_donation(
        world.hd,
        actor=world.worker_a,
        donor_kind="resident",
        resident=world.resident_a.resident,
        receipt_no="LH-001",
        given_on=timezone.localdate(),
        amount_yuan="200.50",
        plot=p,
    )
    entry = Entry.objects.get(pk=d.finance_entry_id)
    assert entry.amount_fen == 20050 and entry.receipt_no == "LH-001"
    assert entry.category.name == "捐赠" and entry.counterparty == "湖东居民"
    with pytest.raises(ValidationError, match="已经登记"):
        g.do_record_donation(
            world.hd,
            actor=world.worker_a,
            donor_kind="anonymous",
            receipt_no="LH-001",
            given_on=timezone.localdate(),
            amount_fen=100,
        )
    assert Entry.objects.count() == 1
    anonymous = g.do_record_donation(
        world.hd,
        actor=world.worker_a,
        donor_kind="anonymous",
        donor_label="王某某",
        receipt_no="LH-002",
        given_on=timezone.localdate(),
        amount_fen=100,
    )
    assert anonymous.donor_label == "匿名"
    assert Entry.objects.get(pk=anonymous.finance_entry_id).counterparty == "匿名"
    with pytest.raises(PermissionDenied):
        g.do_record_donation(
            world.hd,
            actor=world.worker_b,
            donor_kind="anonymous",
            receipt_no="LH-003",
            given_on=timezone.localdate(),
            amount_fen=100,
        )


def test_the_fund_is_never_overspent(world):
    today = timezone.localdate()
    g.do_record_donation(
        world.hd,
        actor=world.worker_a,
        donor_kind="anonymous",
        receipt_no="A1",
        given_on=today,
        amount_fen=10000,
    )
    g.do_record_fund_use(
        world.hd, actor=world.worker_a, used_on=today, purpose="花苗", amount_yuan="60"
    )
    with pytest.raises(ValidationError, match="余额"):
        g.do_record_fund_use(
            world.hd, actor=world.worker_a, used_on=today, purpose="肥料", amount_yuan="40.01"
        )
    with pytest.raises(ValidationError, match="最多精确到分"):
        g.do_record_fund_use(
            world.hd, actor=world.worker_a, used_on=today, purpose="肥料", amount_yuan="1.001"
        )


def test_totals_count_households_once(world):
    hh = world.resident_a.resident.household
    spouse = f.resident(world.hd, "配偶", hh=hh)
    p1 = plot(world.hd, world.worker_a, "一", area="100")
    p2 = plot(world.hd, world.worker_a, "二", area="50.5")
    plot(world.hd, world.worker_a, "三", area="10")
    adopt(p1, world.resident_a, world.worker_a, kind="household")
    start, end = term()
    b = g.do_apply_adoption(
        p2,
        actor=world.worker_a,
        adopter_kind="resident",
        resident=spouse,
        starts_on=start,
        ends_on=end,
    )
    g.do_approve_adoption(b, actor=world.worker_a)
    g.do_record_donation(
        world.hd,
        actor=world.worker_a,
        donor_kind="anonymous",
        receipt_no="T1",
        given_on=start,
        amount_fen=5000,
    )
    t = totals(world.hd)
    assert t["households_adopting"] == 1
    assert t["adopters_by_kind"]["household"] == 1 and t["adopters_by_kind"]["resident"] == 1
    assert t["m2_adopted"] == 150.5 and t["plots"] == 3 and t["plots_adopted"] == 2
    assert t["funds_raised_fen"] == 5000 and t["funds_used_fen"] == 0
    assert totals(world.xh)["plots"] == 0


def test_an_association_adopts_and_its_members_log_upkeep(world):
    from tests import assoc_rows

    club = assoc_rows.association(world.hd, leader=world.resident_a, name="花卉协会")
    outsider = _resident_user(world.hd, "非会员", "7栋", "701")
    p = plot(world.hd, world.worker_a)
    start, end = term()
    with pytest.raises(ValidationError, match="您参加的"):
        g.do_apply_adoption(
            p,
            actor=outsider,
            adopter_kind="association",
            association_id=club.pk,
            starts_on=start,
            ends_on=end,
        )
    a = g.do_apply_adoption(
        p,
        actor=world.resident_a,
        adopter_kind="association",
        association_id=club.pk,
        starts_on=start,
        ends_on=end,
    )
    assert a.adopter_name == "花卉协会" and a.association_id == club.pk
    g.do_approve_adoption(a, actor=world.worker_a)
    g.do_log_upkeep(a, actor=world.resident_a, done_on=start, text_="补种花苗")
    with pytest.raises(PermissionDenied):
        g.do_log_upkeep(a, actor=outsider, done_on=start, text_="补种花苗")
