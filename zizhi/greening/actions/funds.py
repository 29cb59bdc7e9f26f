"""Greening donations (自筹资金) and uses of the fund.

A donation is posted into the community's finance disclosure (income, category 捐赠) by
`zizhi.finance.actions.record_donation` in the same transaction; the entry's id is kept.
Uses of the fund are kept here only: posting an expense in the books needs a category and a
period still being kept, which is the finance desk's work (the use's purpose names it).
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from zizhi.audit.log import record
from zizhi.finance.actions import record_donation

from ..models import Donation, DonorKind, FundUse
from ..money import parse_yuan, yuan
from .common import day, not_future, require_staff, text


def _amount(amount_fen=None, amount_yuan=None) -> int:
    if amount_fen is None:
        return parse_yuan(amount_yuan)
    if not isinstance(amount_fen, int) or isinstance(amount_fen, bool) or amount_fen <= 0:
        raise ValidationError(_("金额必须大于零"))
    return amount_fen


def _donor(community, kind, resident, household, unit, label) -> dict:
    if kind not in DonorKind.values:
        raise ValidationError(_("请选择捐赠人类型"))
    out = {"resident": None, "household": None, "unit": None}
    if kind == DonorKind.RESIDENT:
        if resident is None or resident.community_id != community.pk:
            raise ValidationError(_("请选择本社区的居民"))
        out["resident"], default = resident, resident.name
    elif kind == DonorKind.HOUSEHOLD:
        if household is None or household.community_id != community.pk:
            raise ValidationError(_("请选择本社区的住户"))
        out["household"] = household
        default = _("%(b)s 住户") % {"b": household.building.name}
        if resident is not None and resident.household_id == household.pk:
            out["resident"] = resident
            default = _("%(n)s家") % {"n": resident.name}
    elif kind == DonorKind.UNIT:
        if unit is None or unit.community_id != community.pk:
            raise ValidationError(_("请选择本社区的辖区单位"))
        out["unit"], default = unit, unit.name
    else:
        default = _("匿名")
    label = text(label, 100, _("公开显示的捐赠人")) or str(default)
    out["donor_label"] = str(_("匿名")) if kind == DonorKind.ANONYMOUS else label
    return out


def do_record_donation(
    community,
    *,
    actor,
    donor_kind: str,
    receipt_no: str,
    given_on,
    amount_fen: int | None = None,
    amount_yuan=None,
    resident=None,
    household=None,
    unit=None,
    donor_label: str = "",
    purpose: str = "",
    plot=None,
    adoption=None,
) -> Donation:
    """Record money given for greening, with its receipt number (unique in the community)."""
    require_staff(community.pk, actor)
    amount = _amount(amount_fen, amount_yuan)
    donor = _donor(community, donor_kind, resident, household, unit, donor_label)
    receipt = text(receipt_no, 50, _("收据号"), required=True)
    given = not_future(day(given_on, _("捐赠日期")), _("捐赠日期"))
    purpose = text(purpose, 200, _("用途"))
    if plot is not None and plot.community_id != community.pk:
        raise ValidationError(_("请选择本社区的绿地"))
    if adoption is not None:
        if adoption.community_id != community.pk:
            raise ValidationError(_("请选择本社区的认领"))
        plot = plot or adoption.plot
    if Donation.objects.filter(community=community, receipt_no=receipt).exists():
        raise ValidationError(_("收据号 %(r)s 已经登记过了") % {"r": receipt})
    what = purpose or _("绿地认领养护")
    if plot is not None:
        what = _("%(p)s（%(plot)s）") % {"p": what, "plot": plot.name}
    try:
        with transaction.atomic():
            entry = record_donation(
                community,
                amount_fen=amount,
                donor_label=donor["donor_label"],
                receipt_no=receipt,
                purpose=_("绿化捐款：%(w)s") % {"w": what},
                date=given,
                actor=actor,
            )
            donation = Donation.objects.create(
                community=community,
                amount_fen=amount,
                donor_kind=donor_kind,
                receipt_no=receipt,
                given_on=given,
                purpose=purpose,
                plot=plot,
                adoption=adoption,
                finance_entry_id=entry.pk,
                recorded_by=actor,
                **donor,
            )
            record(
                actor,
                "greening.record_donation",
                donation,
                community=community,
                after={
                    "amount": yuan(amount),
                    "donor": donation.donor_label,
                    "receipt_no": receipt,
                    "finance_entry": entry.pk,
                },
            )
    except IntegrityError as exc:
        raise ValidationError(_("收据号 %(r)s 已经登记过了") % {"r": receipt}) from exc
    return donation


def do_record_fund_use(
    community,
    *,
    actor,
    used_on,
    purpose: str,
    amount_fen: int | None = None,
    amount_yuan=None,
    plot=None,
) -> FundUse:
    """Record money of the greening fund spent; never more than the fund holds."""
    require_staff(community.pk, actor)
    amount = _amount(amount_fen, amount_yuan)
    used = not_future(day(used_on, _("日期")), _("日期"))
    purpose = text(purpose, 200, _("用途"), required=True)
    if plot is not None and plot.community_id != community.pk:
        raise ValidationError(_("请选择本社区的绿地"))
    with transaction.atomic():
        # One writer at a time per community, so two uses cannot both pass the check.
        type(community).objects.select_for_update().filter(pk=community.pk).first()
        raised = Donation.objects.filter(community=community).aggregate(t=Sum("amount_fen"))
        spent = FundUse.objects.filter(community=community).aggregate(t=Sum("amount_fen"))
        balance = (raised["t"] or 0) - (spent["t"] or 0)
        if amount > balance:
            raise ValidationError(
                _("绿化资金余额只有 %(b)s 元，不够支出 %(a)s 元")
                % {"b": yuan(balance), "a": yuan(amount)}
            )
        use = FundUse.objects.create(
            community=community,
            used_on=used,
            amount_fen=amount,
            purpose=purpose,
            plot=plot,
            recorded_by=actor,
        )
        record(
            actor,
            "greening.record_fund_use",
            use,
            community=community,
            after={"amount": yuan(amount), "purpose": purpose, "plot": plot.pk if plot else None},
        )
    return use
