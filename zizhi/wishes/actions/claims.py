"""Claiming a wish, recording the contact and the fulfilment, and revealing the contact.

A claim is made as a Party member (party.queries.is_member), a registered volunteer
(associations.queries.is_volunteer), an association the user leads, or, recorded by a worker,
a local unit (units have no login). The claimant must contact the beneficiary within 7 days.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zizhi.accounts.access import access_for
from zizhi.audit.log import record
from zizhi.notices import files

from ..access import claim_kinds
from ..models import CONTACT_DAYS, Claim, ClaimKind, Wish, WishStatus, check_move
from .posting import _locked, require_staff

MAX_MINUTES = 8 * 60


def _claim(wish: Wish, *, actor, kind, resident_id=None, association_id=None, unit=None):
    now = timezone.now()
    try:
        with transaction.atomic():
            wish = _locked(wish)
            check_move(wish.status, WishStatus.CLAIMED)
            claim = Claim.objects.create(
                wish=wish,
                community_id=wish.community_id,
                kind=kind,
                user=actor,
                resident_id=resident_id,
                association_id=association_id,
                local_unit=unit,
                by_worker=unit is not None,
                claimed_at=now,
                contact_due=now + datetime.timedelta(days=CONTACT_DAYS),
            )
            wish.status = WishStatus.CLAIMED
            wish.save(update_fields=["status"])
            record(
                actor,
                "wishes.claim",
                wish,
                community=wish.community,
                before={"status": WishStatus.PUBLISHED},
                after={
                    "status": wish.status,
                    "claim": claim.pk,
                    "kind": kind,
                    "association": association_id,
                    "local_unit": unit.pk if unit else None,
                    "contact_due": claim.contact_due.isoformat(),
                },
            )
    except IntegrityError as exc:  # another live claim won the race
        raise ValidationError(_("这个心愿刚刚被别人认领了")) from exc
    return claim


def do_claim_wish(wish: Wish, *, actor, kind: str, association_id=None) -> Claim:
    """A logged-in user claims a published wish as one of the kinds open to them."""
    access = access_for(actor)
    if access.resident_id is not None and access.resident_id == wish.beneficiary_id:
        raise ValidationError(_("不能认领自己的心愿"))
    if kind not in claim_kinds(actor, wish.community):
        raise ValidationError(_("您还不能以这个身份认领：党员、在册志愿者或社会组织负责人可以认领"))
    if kind == ClaimKind.ASSOCIATION:
        from zizhi.associations.access import managed_association_ids

        try:
            association_id = int(association_id)
        except (TypeError, ValueError):
            association_id = None
        if association_id not in managed_association_ids(actor):
            raise ValidationError(_("请选择您负责的社会组织"))
    else:
        association_id = None
    return _claim(
        wish, actor=actor, kind=kind, resident_id=access.resident_id, association_id=association_id
    )


def do_record_unit_claim(wish: Wish, *, actor, local_unit) -> Claim:
    """A worker records that a local unit (辖区单位) claimed the wish; the worker follows it."""
    require_staff(wish.community_id, actor)
    if local_unit is None or local_unit.community_id != wish.community_id:
        raise ValidationError(_("请选择本社区的辖区单位"))
    return _claim(wish, actor=actor, kind=ClaimKind.LOCAL_UNIT, unit=local_unit)


def _live(claim: Claim, actor) -> Claim:
    if claim.user_id != actor.pk and claim.community_id not in access_for(actor).community_ids:
        raise PermissionDenied
    locked = Claim.objects.select_for_update().select_related("wish__community").get(pk=claim.pk)
    if locked.lapsed_at is not None:
        raise ValidationError(_("这次认领已超过联系期限而失效"))
    return locked


def do_record_contact(claim: Claim, *, actor, note: str) -> Claim:
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("请写一句联系情况，例如：已电话联系，约好周六上午送去"))
    with transaction.atomic():
        claim = _live(claim, actor)
        wish = _locked(claim.wish)
        check_move(wish.status, WishStatus.CONTACTED)
        claim.contacted_at = timezone.now()
        claim.contact_note = note[:300]
        claim.save(update_fields=["contacted_at", "contact_note"])
        wish.status = WishStatus.CONTACTED
        wish.save(update_fields=["status"])
        record(
            actor,
            "wishes.contact",
            wish,
            community=wish.community,
            before={"status": WishStatus.CLAIMED},
            after={
                "status": wish.status,
                "claim": claim.pk,
                "late": claim.contacted_at > claim.contact_due,
            },
        )
    return claim


def do_record_fulfilment(claim: Claim, *, actor, minutes, proof_text: str, photo=None) -> Claim:
    """The claimant records that the wish came true: what was done, a photo or a sentence as
    proof, and the minutes of service given (0 for goods handed over in passing)."""
    proof_text = (proof_text or "").strip()
    errors = []
    if not isinstance(minutes, int) or not 0 <= minutes <= MAX_MINUTES:
        errors.append(_("服务时长应在 0 到 480 分钟之间"))
    if len(proof_text) > 500:
        errors.append(_("实现情况不能超过 500 个字"))
    photo_type = ""
    if photo:
        try:
            photo_type = files.check_upload(photo, files.PHOTO_KINDS, what=_("照片"))
        except ValidationError as exc:
            errors.extend(exc.messages)
    elif not proof_text:
        errors.append(_("请上传一张照片或写明实现情况，作为凭证"))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        claim = _live(claim, actor)
        wish = _locked(claim.wish)
        check_move(wish.status, WishStatus.FULFILLED)
        claim.fulfilled_at = timezone.now()
        claim.proof_text = proof_text
        claim.minutes = minutes
        if photo:
            claim.proof_type = photo_type
            claim.proof_photo.save(photo.name, photo, save=False)
        claim.save()
        wish.status = WishStatus.FULFILLED
        wish.save(update_fields=["status"])
        record(
            actor,
            "wishes.fulfil",
            wish,
            community=wish.community,
            before={"status": WishStatus.CONTACTED},
            after={
                "status": wish.status,
                "claim": claim.pk,
                "minutes": minutes,
                "photo": bool(photo),
            },
        )
    return claim


def do_reveal_contact(claim: Claim, *, actor) -> dict:
    """The beneficiary's name, phone and the worker's hint, for the claimant of a live claim.
    Every reveal is audited."""
    if claim.user_id != actor.pk:
        raise PermissionDenied
    if claim.lapsed_at is not None:
        raise ValidationError(_("这次认领已失效，不能再查看联系方式"))
    wish = claim.wish
    person = wish.beneficiary
    with transaction.atomic():
        record(
            actor,
            "wishes.reveal_contact",
            wish,
            community=wish.community,
            after={"claim": claim.pk, "beneficiary": person.pk},
        )
    return {"name": person.name, "phone": person.phone, "hint": wish.contact_hint}
