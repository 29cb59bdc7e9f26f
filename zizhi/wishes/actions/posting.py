"""Posting a wish, verifying or rejecting it, and the beneficiary's confirmation.

Confirmation makes the claimant's hours count as service: an attested ServiceRecord of the
associations app (exactly like the Moral Bank's neighbour help), announced so that the Moral
Bank requests a pending credit of the community's branch."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zizhi.accounts.access import access_for
from zizhi.associations.actions.records import announce, record_number
from zizhi.associations.models import RecordKind, ServiceCategory, ServiceRecord
from zizhi.audit.log import record

from ..models import (
    IN_HAND,
    MAX_VALUE_FEN,
    Claim,
    Wish,
    WishCategory,
    WishStatus,
    check_move,
)

MAX_OPEN = 3  # open wishes per beneficiary at a time
OPEN = (WishStatus.SUBMITTED, WishStatus.PUBLISHED, *IN_HAND)
SERVICE_CATEGORY = {
    WishCategory.GOODS: ServiceCategory.OTHER,
    WishCategory.SERVICE: ServiceCategory.ELDERLY,
    WishCategory.COMPANY: ServiceCategory.ELDERLY,
    WishCategory.OTHER: ServiceCategory.OTHER,
}


def require_staff(community_id: int, actor) -> None:
    if community_id not in access_for(actor).community_ids:
        raise PermissionDenied(_("您不是这个社区的工作人员"))


def summary(wish: Wish) -> dict:
    return {"status": wish.status, "title": wish.title, "category": wish.category}


def _locked(wish: Wish) -> Wish:
    return Wish.objects.select_for_update().select_related("community").get(pk=wish.pk)


def _clean_value(category: str, value_cap_yuan) -> int | None:
    if category != WishCategory.GOODS or value_cap_yuan in (None, ""):
        return None
    try:
        fen = round(float(value_cap_yuan) * 100)
    except (TypeError, ValueError):
        fen = -1
    if not 0 < fen <= MAX_VALUE_FEN:
        raise ValidationError(
            _("微心愿是小心愿：物品估价应在 1 到 %(n)d 元之间") % {"n": MAX_VALUE_FEN // 100}
        )
    return fen


def do_post_wish(beneficiary, *, actor, text: str, category: str, value_cap_yuan=None) -> Wish:
    """The resident posts their own wish, or a worker of the community records it for them."""
    by_worker = beneficiary.user_id is None or beneficiary.user_id != actor.pk
    if by_worker:
        require_staff(beneficiary.community_id, actor)
    text = (text or "").strip()
    errors = []
    if len(text) < 2:
        errors.append(_("请写下心愿，例如：想要一台收音机"))
    elif len(text) > 300:
        errors.append(_("心愿不能超过 300 个字"))
    if category not in WishCategory.values:
        errors.append(_("请选择心愿类别"))
    try:
        value_cap_fen = _clean_value(category, value_cap_yuan)
    except ValidationError as exc:
        errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        open_count = Wish.objects.filter(beneficiary=beneficiary, status__in=OPEN).count()
        if open_count >= MAX_OPEN:
            raise ValidationError(
                _("已有 %(n)d 个心愿正在办理，请等它们完成后再提") % {"n": open_count}
            )
        wish = Wish.objects.create(
            community_id=beneficiary.community_id,
            beneficiary=beneficiary,
            posted_by=actor,
            by_worker=by_worker,
            text=text,
            category=category,
            value_cap_fen=value_cap_fen,
        )
        record(
            actor,
            "wishes.post",
            wish,
            community=beneficiary.community,
            after={**summary(wish), "by_worker": by_worker},
        )
    return wish


def _check_private(wish: Wish, *texts: str) -> None:
    """The public wording must not expose the person: no name, no phone, no address."""
    person = wish.beneficiary
    needles = [person.name, person.phone, person.address]
    for text in texts:
        for needle in needles:
            if needle and len(needle) >= 2 and needle in text:
                raise ValidationError(
                    _(
                        "公开的文字不能出现受助人的姓名、电话或住址，请改为“本社区一位独居老人”这样的说法"
                    )
                )


def do_verify_wish(wish: Wish, *, actor, title: str, public_text: str, contact_hint: str = ""):
    """A worker checks the wish and publishes it under a wording that hides the person."""
    require_staff(wish.community_id, actor)
    title, public_text = (title or "").strip(), (public_text or "").strip()
    contact_hint = (contact_hint or "").strip()
    errors = []
    if not title:
        errors.append(_("请填写公开标题，例如：湖东社区一位独居老人想要一台收音机"))
    elif len(title) > 100:
        errors.append(_("公开标题不能超过 100 个字"))
    if len(public_text) > 500:
        errors.append(_("公开说明不能超过 500 个字"))
    if len(contact_hint) > 200:
        errors.append(_("联系提示不能超过 200 个字"))
    if errors:
        raise ValidationError(errors)
    _check_private(wish, title, public_text)
    with transaction.atomic():
        wish = _locked(wish)
        check_move(wish.status, WishStatus.PUBLISHED)
        before = summary(wish)
        wish.status = WishStatus.PUBLISHED
        wish.title, wish.public_text, wish.contact_hint = title, public_text, contact_hint
        wish.verified_by = actor
        wish.published_at = timezone.now()
        wish.save()
        record(
            actor,
            "wishes.verify",
            wish,
            community=wish.community,
            before=before,
            after=summary(wish),
        )
    return wish


def do_reject_wish(wish: Wish, *, actor, reason: str) -> Wish:
    require_staff(wish.community_id, actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请写明未通过的原因，受助人会看到"))
    with transaction.atomic():
        wish = _locked(wish)
        check_move(wish.status, WishStatus.REJECTED)
        wish.status = WishStatus.REJECTED
        wish.reject_reason = reason[:300]
        wish.closed_at = timezone.now()
        wish.save(update_fields=["status", "reject_reason", "closed_at"])
        record(
            actor,
            "wishes.reject",
            wish,
            community=wish.community,
            before={"status": WishStatus.SUBMITTED},
            after={"status": wish.status, "reason": wish.reject_reason},
        )
    return wish


def _service_record(claim: Claim, wish: Wish, actor) -> ServiceRecord | None:
    if claim.resident_id is None or claim.minutes <= 0:
        return None
    resident = claim.resident
    day = timezone.localdate(claim.fulfilled_at)
    return ServiceRecord.objects.create(
        number=record_number(resident.community.code, day.year),
        resident=resident,
        community_id=resident.community_id,
        kind=RecordKind.ORIGINAL,
        service_date=day,
        minutes=claim.minutes,
        category=SERVICE_CATEGORY[wish.category],
        content=(_("微心愿：%(t)s") % {"t": wish.title})[:200],
        organiser=(_("微心愿 · %(c)s") % {"c": wish.community.name})[:100],
        attested_by=actor,
    )


def do_confirm_wish(wish: Wish, *, actor, note: str = "") -> Wish:
    """The beneficiary confirms on their phone, or a worker after a visit (recorded as such).
    The claimant's minutes become an attested service record."""
    access = access_for(actor)
    by_worker = wish.beneficiary_id != access.resident_id
    note = (note or "").strip()[:300]
    if by_worker:
        require_staff(wish.community_id, actor)
        if not note:
            raise ValidationError(
                _("代为确认请写明上门走访的情况，例如：11月28日上门，老人说已收到")
            )
    with transaction.atomic():
        wish = _locked(wish)
        check_move(wish.status, WishStatus.CONFIRMED)
        claim = (
            Claim.objects.select_for_update(of=("self",))
            .select_related("resident__community")
            .get(wish=wish, lapsed_at__isnull=True)
        )
        now = timezone.now()
        service_record = _service_record(claim, wish, actor)
        claim.confirmed_at = now
        claim.confirmed_by = actor
        claim.confirmed_by_worker = by_worker
        claim.confirm_note = note
        claim.service_record_number = service_record.number if service_record else ""
        claim.save()
        wish.status = WishStatus.CONFIRMED
        wish.closed_at = now
        wish.save(update_fields=["status", "closed_at"])
        record(
            actor,
            "wishes.confirm",
            wish,
            community=wish.community,
            before={"status": WishStatus.FULFILLED},
            after={
                "status": wish.status,
                "by_worker": by_worker,
                "minutes": claim.minutes,
                "record": claim.service_record_number,
            },
        )
        if service_record is not None:
            announce([service_record], actor)
    return wish
