"""Every change to a representatives' motion (居民议案). Each writes one audit event.

A representative of the community's assembly opens a motion; other representatives co-sign it
until the number the charter in force sets is reached; the proposer submits it; a community
worker accepts it (it is registered as a major matter and enters the governance workflow,
linked both ways) or does not accept it with a reason that every signer is told.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zizhi.accounts import messaging
from zizhi.accounts.access import access_for
from zizhi.accounts.models import Role, RoleKind
from zizhi.audit.log import record
from zizhi.governance.actions import do_move_matter, do_register_matter
from zizhi.governance.actions.common import in_official_language
from zizhi.governance.charter import charter_in_force
from zizhi.governance.models import BodyKind, MatterType, Membership

from .models import Cosignature, Motion, MotionStatus

# The allowed moves: (from, move) -> to. Anything else is refused with a reason.
MOVES = {
    (MotionStatus.COLLECTING, "submit"): MotionStatus.SUBMITTED,
    (MotionStatus.COLLECTING, "withdraw"): MotionStatus.WITHDRAWN,
    (MotionStatus.SUBMITTED, "withdraw"): MotionStatus.WITHDRAWN,
    (MotionStatus.SUBMITTED, "accept"): MotionStatus.ACCEPTED,
    (MotionStatus.SUBMITTED, "decline"): MotionStatus.NOT_ACCEPTED,
}


def refuse(message) -> None:
    raise ValidationError(message)


def representative_seat(user, community) -> Membership | None:
    """The user's active seat in the community's Representative Assembly, or None."""
    if user is None or not user.is_authenticated:
        return None
    return (
        Membership.objects.active()
        .filter(
            user=user,
            body__community=community,
            body__kind=BodyKind.REPRESENTATIVE_ASSEMBLY,
        )
        .select_related("body")
        .first()
    )


def representative_seats(community):
    """The active seats of the community's Representative Assembly, by name."""
    return (
        Membership.objects.active()
        .filter(body__community=community, body__kind=BodyKind.REPRESENTATIVE_ASSEMBLY)
        .order_by("name", "pk")
    )


def _require_representative(actor, community) -> Membership:
    seat = representative_seat(actor, community)
    if seat is None:
        raise PermissionDenied
    return seat


def _require_staff(actor, community) -> None:
    if actor is None or community.pk not in access_for(actor).community_ids:
        raise PermissionDenied


def _next_number(community) -> str:
    start = f"{community.code}-YA-{timezone.localdate().year}-"
    taken = Motion.objects.filter(number__startswith=start).count()
    return f"{start}{taken + 1:03d}"


def _move(motion: Motion, move: str) -> None:
    target = MOVES.get((motion.status, move))
    if target is None:
        refuse(_("议案当前状态为「%(s)s」，不能进行此操作") % {"s": motion.get_status_display()})
    motion.status = target


def _summary(motion: Motion) -> dict:
    return {"status": motion.status, "cosigners": motion.cosignatures.count()}


def motion_url(motion: Motion) -> str:
    return reverse("proposals:motion", args=[motion.community.code, motion.pk])


def _tell(users, subject: str, motion: Motion, body: str = "") -> None:
    """Inbox rows now; SMS/email go out after the commit (messaging.send defers them)."""
    messaging.send(users, subject, body, motion_url(motion))


def _signers(motion: Motion) -> list:
    return [motion.proposer, *(c.user for c in motion.cosignatures.select_related("user"))]


def do_open_motion(community, *, title: str, text: str, reason: str, actor) -> Motion:
    """A representative opens a motion for co-signatures (the charter sets how many)."""
    seat = _require_representative(actor, community)
    title, text, reason = title.strip(), text.strip(), reason.strip()
    if not title or not text:
        refuse(_("请填写议案名称和内容"))
    if not reason:
        refuse(_("请写明提出议案的理由和依据"))
    if len(title) > 120:
        refuse(_("议案名称不能超过120个字"))
    needed = charter_in_force(community).motion_cosigners
    for attempt in range(3):  # two representatives may take the same number at once
        try:
            with transaction.atomic():
                motion = Motion.objects.create(
                    community=community,
                    number=_next_number(community),
                    title=title,
                    text=text,
                    reason=reason,
                    proposer_seat=seat,
                    proposer_name=seat.name,
                    proposer=actor,
                    cosigners_needed=needed,
                )
                record(actor, "motion.open", motion, community=community, after=_summary(motion))
                break
        except IntegrityError:
            if attempt == 2:
                raise
    others = (
        Membership.objects.active()
        .filter(body=seat.body, user__isnull=False)
        .exclude(pk=seat.pk)
        .select_related("user")
    )
    _tell(
        [m.user for m in others],
        _("%(n)s代表提出议案「%(t)s」，征集联名") % {"n": seat.name, "t": title},
        motion,
        text[:200],
    )
    return motion


def do_cosign_motion(motion: Motion, *, actor) -> Cosignature:
    """Another representative of the same assembly co-signs, while the motion collects."""
    seat = _require_representative(actor, motion.community)
    if actor.pk == motion.proposer_id:
        refuse(_("领衔代表不需要再联名"))
    return _cosign(motion, seat, user=actor, entered_by=None, actor=actor)


def do_record_paper_cosignature(motion: Motion, seat_id, *, actor) -> Cosignature:
    """A worker enters a co-signature a representative gave on the paper motion."""
    _require_staff(actor, motion.community)
    seat = (
        Membership.objects.active()
        .filter(
            pk=seat_id if str(seat_id).isdigit() else 0,
            body__community=motion.community,
            body__kind=BodyKind.REPRESENTATIVE_ASSEMBLY,
        )
        .first()
    )
    if seat is None:
        refuse(_("请选择本社区的居民代表"))
    return _cosign(motion, seat, user=None, entered_by=actor, actor=actor)


def _cosign(motion: Motion, seat: Membership, *, user, entered_by, actor) -> Cosignature:
    with transaction.atomic():
        motion = Motion.objects.select_for_update().get(pk=motion.pk)
        if motion.status != MotionStatus.COLLECTING:
            refuse(_("这件议案已不再征集联名"))
        if seat.pk == motion.proposer_seat_id:
            refuse(_("领衔代表不需要再联名"))
        if motion.cosignatures.filter(seat=seat).exists():
            refuse(_("%(n)s已经联名过这件议案") % {"n": seat.name})
        signature = Cosignature.objects.create(
            motion=motion, seat=seat, name=seat.name, user=user, entered_by=entered_by
        )
        record(
            actor,
            "motion.cosign",
            motion,
            community=motion.community,
            after={**_summary(motion), "seat": seat.name, "on_paper": user is None},
        )
    if motion.cosignatures.count() == motion.cosigners_needed:
        _tell(
            [motion.proposer],
            _("议案「%(t)s」联名人数已够，可以提交") % {"t": motion.title},
            motion,
        )
    return signature


def do_withdraw_cosignature(motion: Motion, *, actor) -> None:
    seat = _require_representative(actor, motion.community)
    with transaction.atomic():
        motion = Motion.objects.select_for_update().get(pk=motion.pk)
        if motion.status != MotionStatus.COLLECTING:
            refuse(_("议案已提交，不能撤回联名"))
        deleted, _rows = motion.cosignatures.filter(seat=seat).delete()
        if not deleted:
            refuse(_("您没有联名这件议案"))
        record(actor, "motion.uncosign", motion, community=motion.community, after=_summary(motion))


def do_submit_motion(motion: Motion, *, actor) -> Motion:
    """The proposer submits once enough representatives have co-signed."""
    if actor is None or actor.pk != motion.proposer_id:
        raise PermissionDenied
    with transaction.atomic():
        motion = Motion.objects.select_for_update().get(pk=motion.pk)
        have = motion.cosignatures.count()
        if motion.status == MotionStatus.COLLECTING and have < motion.cosigners_needed:
            refuse(
                _("还需要%(k)s位代表联名（章程规定至少%(n)s位）")
                % {"k": motion.cosigners_needed - have, "n": motion.cosigners_needed}
            )
        before = _summary(motion)
        _move(motion, "submit")
        motion.submitted_at = timezone.now()
        motion.save(update_fields=["status", "submitted_at"])
        record(
            actor,
            "motion.submit",
            motion,
            community=motion.community,
            before=before,
            after=_summary(motion),
        )
    workers = Role.objects.filter(community=motion.community, kind=RoleKind.COMMUNITY_WORKER)
    _tell(
        [r.user for r in workers.select_related("user")],
        _("收到居民议案「%(t)s」，请受理") % {"t": motion.title},
        motion,
    )
    return motion


def do_withdraw_motion(motion: Motion, *, actor) -> Motion:
    if actor is None or actor.pk != motion.proposer_id:
        raise PermissionDenied
    with transaction.atomic():
        motion = Motion.objects.select_for_update().get(pk=motion.pk)
        before = _summary(motion)
        _move(motion, "withdraw")
        motion.save(update_fields=["status"])
        record(
            actor,
            "motion.withdraw",
            motion,
            community=motion.community,
            before=before,
            after=_summary(motion),
        )
    return motion


@in_official_language
def do_accept_motion(motion: Motion, *, matter_type: str = MatterType.GENERAL, actor) -> Motion:
    """A worker accepts: the motion becomes a major matter, sent to the Party branch's review
    where the community's workflow starts with it."""
    _require_staff(actor, motion.community)
    with transaction.atomic():
        motion = (
            Motion.objects.select_for_update(of=("self",))
            .select_related("community")
            .get(pk=motion.pk)
        )
        before = _summary(motion)
        _move(motion, "accept")
        signers = "、".join([motion.proposer_name, *(c.name for c in motion.cosignatures.all())])
        matter = do_register_matter(
            motion.community,
            title=motion.title,
            matter_type=matter_type,
            text=motion.text,
            why_major=_("居民议案%(n)s，由%(s)s联名提出。理由：%(r)s")
            % {"n": motion.number, "s": signers, "r": motion.reason},
            origin_label=_("居民议案 %(n)s") % {"n": motion.number},
            origin_url=motion_url(motion),
            actor=actor,
        )
        if (matter.state, "start_review") in _first_moves(matter):
            do_move_matter(matter, "start_review", note=_("居民议案受理后提交审议"), actor=actor)
        motion.matter = matter
        motion.decided_at = timezone.now()
        motion.decided_by_label = str(actor)
        motion.save(update_fields=["status", "matter", "decided_at", "decided_by_label"])
        record(
            actor,
            "motion.accept",
            motion,
            community=motion.community,
            before=before,
            after={**_summary(motion), "matter": matter.number},
        )
    _tell(
        _signers(motion),
        _("您联名的议案「%(t)s」已受理，转为重大事项%(m)s")
        % {"t": motion.title, "m": matter.number},
        motion,
    )
    return motion


def _first_moves(matter) -> set:
    from zizhi.governance import workflow

    return set(workflow.TABLES[matter.workflow])


@in_official_language
def do_decline_motion(motion: Motion, reason: str, *, actor) -> Motion:
    """Not accepted: the written reason is shown to every signer."""
    _require_staff(actor, motion.community)
    reason = (reason or "").strip()
    if not reason:
        refuse(_("不予受理须写明理由，联名代表都会看到"))
    with transaction.atomic():
        motion = (
            Motion.objects.select_for_update(of=("self",))
            .select_related("community")
            .get(pk=motion.pk)
        )
        before = _summary(motion)
        _move(motion, "decline")
        motion.decline_reason = reason
        motion.decided_at = timezone.now()
        motion.decided_by_label = str(actor)
        motion.save(update_fields=["status", "decline_reason", "decided_at", "decided_by_label"])
        record(
            actor,
            "motion.decline",
            motion,
            community=motion.community,
            before=before,
            after={**_summary(motion), "reason": reason},
        )
    _tell(
        _signers(motion),
        _("您联名的议案「%(t)s」不予受理") % {"t": motion.title},
        motion,
        reason,
    )
    return motion
