"""The poll page: big buttons for a voter on a phone, controls and tellers for staff."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import actions
from .access import get_poll_for, is_staff_of, require_governance_community
from .meeting_queries import poll_page
from .models import AppraisalChoice, Choice, MemberRole, Membership
from .web import attempt, to_int


def _poll(request, code, pk):
    community = require_governance_community(request.user, code)
    poll = get_poll_for(request.user, pk)
    if poll.item.meeting.community_id != community.pk:
        raise Http404
    return community, poll


CHOICE_LABELS = Choice.choices + AppraisalChoice.choices


@login_required
def poll(request, code, pk):
    community, the_poll = _poll(request, code, pk)
    staff = is_staff_of(request.user, community.pk)
    context = poll_page(the_poll, request.user)
    seat = context["seat"]
    context.update(
        community=community,
        current_community=community if staff else None,
        is_staff=staff,
        may_count=staff or (seat is not None and seat.role == MemberRole.CLERK),
        key=uuid.uuid4().hex,
        choices=[(v, label) for v, label in CHOICE_LABELS if v in the_poll.choices],
    )
    return render(request, "governance/poll.html", context)


@require_POST
@login_required
def vote(request, code, pk):
    _community, the_poll = _poll(request, code, pk)
    choice = request.POST.get("choice", "")
    try:
        actions.do_cast_ballot(
            the_poll, choice, actor=request.user, idempotency_key=request.POST.get("key", "")
        )
    except actions.AlreadyVoted:
        messages.error(request, _("您已投过票"))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("投票成功，谢谢您"))
    return redirect("governance:poll", code, pk)


@require_POST
@login_required
def poll_act(request, code, pk, verb):
    community, the_poll = _poll(request, code, pk)
    user, post = request.user, request.POST
    if verb != "count" and not is_staff_of(user, community.pk):
        raise Http404  # like the meeting's controls; a clerk may count (the action checks)
    if verb == "open":
        attempt(request, actions.do_open_poll, the_poll, actor=user, done=_("表决开始"))
    elif verb == "close":
        attempt(request, actions.do_close_poll, the_poll, actor=user, done=_("表决已截止并计票"))
    elif verb == "publish":
        attempt(request, actions.do_publish_poll, the_poll, actor=user, done=_("表决结果已公布"))
    elif verb == "assisted":
        membership = Membership.objects.filter(
            pk=post.get("membership") or 0, body=the_poll.item.meeting.body
        ).first()
        if membership is None:
            raise Http404
        try:
            attempt(
                request,
                actions.do_enter_assisted_ballot,
                the_poll,
                membership,
                post.get("choice", ""),
                reason=post.get("reason", ""),
                actor=user,
                done=_("已代%(n)s录入") % {"n": membership.name},
            )
        except actions.AlreadyVoted:
            messages.error(request, _("%(n)s已经投过票") % {"n": membership.name})
    elif verb == "count":
        attempt(
            request,
            actions.do_enter_teller_count,
            the_poll,
            yes=to_int(post.get("yes"), -1),
            no=to_int(post.get("no"), -1),
            abstain=to_int(post.get("abstain"), -1),
            actor=user,
            done=_("计票结果已录入"),
        )
    else:
        raise Http404
    return redirect("governance:poll", code, pk)
