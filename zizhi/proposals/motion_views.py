"""Motion pages: the community's motions, opening one, and a motion with its co-signatures
and the buttons its reader may press now (co-sign, submit, accept, decline)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zizhi.governance.access import is_staff_of, require_governance_community
from zizhi.governance.models import MatterType
from zizhi.governance.web import attempt

from . import motion_actions as actions
from .models import Motion, MotionStatus


def get_motion_for(user, code: str, pk) -> Motion:
    """A motion of a community whose governance pages the user may see; 404 otherwise."""
    community = require_governance_community(user, code)
    try:
        motion = Motion.objects.select_related("community", "matter").get(
            pk=pk, community=community
        )
    except (Motion.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    return motion


@login_required
def motions(request, code):
    community = require_governance_community(request.user, code)
    rows = (
        Motion.objects.filter(community=community)
        .select_related("matter")
        .annotate(signed=Count("cosignatures"))[:200]
    )
    return render(
        request,
        "proposals/motions.html",
        {
            "community": community,
            "current_community": community,
            "motions": rows,
            "can_open": actions.representative_seat(request.user, community) is not None,
        },
    )


@login_required
def motion_new(request, code):
    community = require_governance_community(request.user, code)
    if actions.representative_seat(request.user, community) is None:
        raise Http404
    data = {"title": "", "text": "", "reason": ""}
    if request.method == "POST":
        data = {k: request.POST.get(k, "") for k in data}
        motion = attempt(
            request,
            actions.do_open_motion,
            community,
            **data,
            actor=request.user,
            done=_done_opened(),
        )
        if motion:
            return redirect("proposals:motion", code, motion.pk)
    return render(
        request,
        "proposals/motion_new.html",
        {"community": community, "current_community": community, "data": data},
    )


def _done_opened():
    return _("议案已提出，已通知其他代表联名")


@login_required
def motion(request, code, pk):
    motion = get_motion_for(request.user, code, pk)
    user = request.user
    seat = actions.representative_seat(user, motion.community)
    signatures = list(motion.cosignatures.all())
    collecting = motion.status == MotionStatus.COLLECTING
    signed = seat is not None and any(s.seat_id == seat.pk for s in signatures)
    is_proposer = user.pk == motion.proposer_id
    staff = is_staff_of(user, motion.community_id)
    paper_seats = []
    if collecting and staff:
        taken = {s.seat_id for s in signatures} | {motion.proposer_seat_id}
        paper_seats = [
            s for s in actions.representative_seats(motion.community) if s.pk not in taken
        ]
    return render(
        request,
        "proposals/motion.html",
        {
            "community": motion.community,
            "current_community": motion.community,
            "motion": motion,
            "signatures": signatures,
            "have": len(signatures),
            "missing": max(motion.cosigners_needed - len(signatures), 0),
            "can_cosign": collecting and seat is not None and not is_proposer and not signed,
            "can_uncosign": collecting and signed,
            "can_submit": collecting and is_proposer,
            "can_withdraw": is_proposer
            and motion.status in (MotionStatus.COLLECTING, MotionStatus.SUBMITTED),
            "can_decide": motion.status == MotionStatus.SUBMITTED and staff,
            "paper_seats": paper_seats,
            "matter_types": MatterType.choices,
        },
    )


ACTS = {
    "cosign": lambda m, r: actions.do_cosign_motion(m, actor=r.user),
    "uncosign": lambda m, r: actions.do_withdraw_cosignature(m, actor=r.user),
    "submit": lambda m, r: actions.do_submit_motion(m, actor=r.user),
    "withdraw": lambda m, r: actions.do_withdraw_motion(m, actor=r.user),
    "accept": lambda m, r: actions.do_accept_motion(
        m, matter_type=r.POST.get("matter_type") or MatterType.GENERAL, actor=r.user
    ),
    "decline": lambda m, r: actions.do_decline_motion(m, r.POST.get("reason", ""), actor=r.user),
    "paper": lambda m, r: actions.do_record_paper_cosignature(m, r.POST.get("seat"), actor=r.user),
}


@login_required
@require_POST
def motion_act(request, code, pk, act):
    motion = get_motion_for(request.user, code, pk)
    handler = ACTS.get(act)
    if handler is None:
        raise Http404
    try:
        attempt(request, handler, motion, request)
    except PermissionDenied as exc:
        raise Http404 from exc
    return redirect("proposals:motion", code, motion.pk)
