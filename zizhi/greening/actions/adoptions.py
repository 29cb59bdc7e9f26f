"""Adoptions: a resident applies for themself, their household or their association; a
worker registers an application for any adopter (walk-in, paper form); staff approve or
reject, renew the term and end it."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zizhi.associations.queries import association_choices
from zizhi.audit.log import record

from ..access import is_staff_of, my_resident
from ..models import (
    AdopterKind,
    Adoption,
    AdoptionStatus,
    Plot,
    PlotState,
    check_adoption_move,
)
from .common import day, require_staff, text
from .plots import move

MIN_TERM_DAYS = 30
MAX_TERM_DAYS = 5 * 366
MAX_PAST_START = 60


def summary(a: Adoption) -> dict:
    return {
        "plot": a.plot_id,
        "adopter_kind": a.adopter_kind,
        "adopter": a.adopter_name,
        "starts_on": a.starts_on.isoformat(),
        "ends_on": a.ends_on.isoformat(),
        "show_name": a.show_name,
        "status": a.status,
    }


def _term(starts_on, ends_on) -> tuple[datetime.date, datetime.date]:
    start, end = day(starts_on, _("开始日期")), day(ends_on, _("结束日期"))
    today = timezone.localdate()
    if start < today - datetime.timedelta(days=MAX_PAST_START):
        raise ValidationError(_("开始日期太早了"))
    if (end - start).days < MIN_TERM_DAYS:
        raise ValidationError(_("认领期至少 %(n)d 天") % {"n": MIN_TERM_DAYS})
    if (end - start).days > MAX_TERM_DAYS:
        raise ValidationError(_("认领期最长 5 年"))
    return start, end


def _adopter(community, kind, actor, *, resident, household, association_id, unit) -> dict:
    """The adopter's columns and label; residents may only apply for what is theirs."""
    staff = is_staff_of(actor, community.pk)
    if kind not in AdopterKind.values:
        raise ValidationError(_("请选择认领人类型"))
    if not staff:
        me = my_resident(actor)
        if me is None or me.community_id != community.pk:
            raise PermissionDenied(_("只有本社区的居民可以申请认领"))
        if kind in (AdopterKind.RESIDENT, AdopterKind.PARTY_MEMBER):
            resident = me
        elif kind == AdopterKind.HOUSEHOLD:
            if me.household_id is None:
                raise ValidationError(_("您还没有登记户籍房屋，请以个人名义认领"))
            household, resident = me.household, me
        elif kind == AdopterKind.ASSOCIATION:
            mine = {pk for pk, _n in association_choices(community, me.pk)}
            if association_id not in mine:
                raise ValidationError(_("请选择您参加的群团组织"))
        else:
            raise ValidationError(_("辖区单位认领请到社区办理"))
    out = {"resident": None, "household": None, "association_id": None, "unit": None}
    if kind in (AdopterKind.RESIDENT, AdopterKind.PARTY_MEMBER):
        if resident is None or resident.community_id != community.pk:
            raise ValidationError(_("请选择本社区的居民"))
        if kind == AdopterKind.PARTY_MEMBER and not resident.is_party_member:
            raise ValidationError(_("%(n)s 在名册上不是党员") % {"n": resident.name})
        out["resident"], label = resident, resident.name
        if kind == AdopterKind.PARTY_MEMBER:
            label = _("%(n)s（党员）") % {"n": resident.name}
    elif kind == AdopterKind.HOUSEHOLD:
        if household is None or household.community_id != community.pk:
            raise ValidationError(_("请选择本社区的住户"))
        out["household"] = household
        # the label may be shown publicly: a name, never a door number
        label = _("%(b)s 住户") % {"b": household.building.name}
        if resident is not None and resident.household_id == household.pk:
            out["resident"] = resident
            label = _("%(n)s家") % {"n": resident.name}
    elif kind == AdopterKind.ASSOCIATION:
        names = dict(association_choices(community))
        if association_id not in names:
            raise ValidationError(_("请选择本社区的群团组织"))
        out["association_id"], label = association_id, names[association_id]
    else:
        if unit is None or unit.community_id != community.pk:
            raise ValidationError(_("请选择本社区的辖区单位"))
        out["unit"], label = unit, unit.name
    out["adopter_name"] = str(label)[:100]
    return out


def do_apply_adoption(
    plot: Plot,
    *,
    actor,
    adopter_kind: str,
    starts_on,
    ends_on,
    resident=None,
    household=None,
    association_id: int | None = None,
    unit=None,
    show_name: bool = False,
    contact_phone: str = "",
    note: str = "",
) -> Adoption:
    """An application to adopt an available plot for a term (pending until reviewed)."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(_("请先登录"))
    community = plot.community
    adopter = _adopter(
        community,
        adopter_kind,
        actor,
        resident=resident,
        household=household,
        association_id=association_id,
        unit=unit,
    )
    start, end = _term(starts_on, ends_on)
    phone = text(contact_phone, 30, _("联系电话"))
    note = text(note, 300, _("说明"))
    with transaction.atomic():
        plot = Plot.objects.select_for_update().get(pk=plot.pk)
        if plot.state != PlotState.AVAILABLE:
            raise ValidationError(
                _("这块绿地现在“%(s)s”，不能申请认领") % {"s": plot.get_state_display()}
            )
        same = Adoption.objects.filter(
            plot=plot, status=AdoptionStatus.PENDING, adopter_name=adopter["adopter_name"]
        )
        if same.exists():
            raise ValidationError(_("已经申请过这块绿地，请等待社区审核"))
        adoption = Adoption.objects.create(
            community=community,
            plot=plot,
            adopter_kind=adopter_kind,
            starts_on=start,
            ends_on=end,
            show_name=bool(show_name),
            contact_phone=phone,
            note=note,
            applied_by=actor,
            **adopter,
        )
        record(
            actor, "greening.apply_adoption", adoption, community=community, after=summary(adoption)
        )
    return adoption


def _locked(adoption: Adoption) -> Adoption:
    return Adoption.objects.select_for_update().select_related("plot").get(pk=adoption.pk)


def do_approve_adoption(adoption: Adoption, *, actor, note: str = "") -> Adoption:
    require_staff(adoption.community_id, actor)
    note = text(note, 300, _("审核意见"))
    try:
        with transaction.atomic():
            plot = Plot.objects.select_for_update().get(pk=adoption.plot_id)
            adoption = _locked(adoption)
            check_adoption_move(adoption.status, AdoptionStatus.ACTIVE)
            if plot.state != PlotState.AVAILABLE:
                raise ValidationError(
                    _("这块绿地现在“%(s)s”，不能再批准认领") % {"s": plot.get_state_display()}
                )
            if adoption.ends_on <= timezone.localdate():
                raise ValidationError(_("申请的认领期已经过去，请退回后重新申请"))
            before = summary(adoption)
            adoption.status = AdoptionStatus.ACTIVE
            adoption.reviewed_by, adoption.reviewed_at = actor, timezone.now()
            adoption.review_note = note
            adoption.save()
            move(plot, PlotState.ADOPTED)
            record(
                actor,
                "greening.approve_adoption",
                adoption,
                community=adoption.community,
                before=before,
                after=summary(adoption),
            )
    except IntegrityError as exc:
        raise ValidationError(_("这块绿地已经有人认领了")) from exc
    return adoption


def do_reject_adoption(adoption: Adoption, *, actor, reason: str) -> Adoption:
    require_staff(adoption.community_id, actor)
    reason = text(reason, 300, _("不通过的理由"), required=True)
    with transaction.atomic():
        adoption = _locked(adoption)
        check_adoption_move(adoption.status, AdoptionStatus.REJECTED)
        before = summary(adoption)
        adoption.status = AdoptionStatus.REJECTED
        adoption.reviewed_by, adoption.reviewed_at = actor, timezone.now()
        adoption.review_note = reason
        adoption.save()
        record(
            actor,
            "greening.reject_adoption",
            adoption,
            community=adoption.community,
            before=before,
            after={**summary(adoption), "reason": reason},
        )
    return adoption


def do_renew_adoption(adoption: Adoption, *, actor, ends_on) -> Adoption:
    """Extend an active adoption's term (续期)."""
    require_staff(adoption.community_id, actor)
    end = day(ends_on, _("新的结束日期"))
    with transaction.atomic():
        adoption = _locked(adoption)
        if adoption.status != AdoptionStatus.ACTIVE:
            raise ValidationError(_("只有认领中的绿地可以续期"))
        if end <= adoption.ends_on:
            raise ValidationError(_("新的结束日期应晚于现在的结束日期"))
        if (end - timezone.localdate()).days > MAX_TERM_DAYS:
            raise ValidationError(_("认领期最长 5 年"))
        before = summary(adoption)
        adoption.ends_on = end
        adoption.save(update_fields=["ends_on"])
        record(
            actor,
            "greening.renew_adoption",
            adoption,
            community=adoption.community,
            before=before,
            after=summary(adoption),
        )
    return adoption


def do_end_adoption(adoption: Adoption, *, actor, reason: str = "") -> Adoption:
    """End an active adoption (term over, or given up); the plot can be adopted again."""
    require_staff(adoption.community_id, actor)
    reason = text(reason, 300, _("结束原因"))
    with transaction.atomic():
        plot = Plot.objects.select_for_update().get(pk=adoption.plot_id)
        adoption = _locked(adoption)
        check_adoption_move(adoption.status, AdoptionStatus.ENDED)
        before = summary(adoption)
        adoption.status = AdoptionStatus.ENDED
        adoption.ended_on = timezone.localdate()
        if reason:
            adoption.review_note = reason
        adoption.save()
        if plot.state == PlotState.ADOPTED:
            move(plot, PlotState.AVAILABLE)
        record(
            actor,
            "greening.end_adoption",
            adoption,
            community=adoption.community,
            before=before,
            after={**summary(adoption), "reason": reason},
        )
    return adoption
