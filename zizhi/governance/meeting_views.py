"""Meeting pages: the list, convening, the staff's control panel and the members' view, QR
sign-in, the live quorum, the printable sign-in sheet and the minutes PDF."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zizhi.notices.qr import qr_svg

from . import actions, pdf
from .access import (
    get_meeting_for,
    is_committee_member,
    is_staff_of,
    require_governance_community,
    require_staff_community,
    seat_in,
    seats_of,
)
from .meeting_queries import meeting_page, quorum_state
from .meeting_steps import HANDLERS
from .models import Body, Meeting
from .web import attempt


@login_required
def meetings(request, code):
    community = require_governance_community(request.user, code)
    staff = is_staff_of(request.user, community.pk)
    rows = Meeting.objects.filter(community=community).select_related("body")
    if not staff and not is_committee_member(request.user, community.subdistrict_id):
        rows = rows.filter(body_id__in=[s.body_id for s in seats_of(request.user)])
    rows = rows[:100]
    return render(
        request,
        "governance/meetings.html",
        {
            "community": community,
            "current_community": community if staff else None,
            "meetings": rows,
            "is_staff": staff,
        },
    )


@login_required
def meeting_new(request, code):
    community = require_staff_community(request.user, code)
    bodies = Body.objects.filter(community=community)
    values = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        body = bodies.filter(pk=request.POST.get("body") or 0).first()
        starts_at = parse_datetime(request.POST.get("starts_at", ""))
        items = [
            (line.strip(), "", None)
            for line in request.POST.get("items", "").splitlines()
            if line.strip()
        ]
        if body is None or starts_at is None:
            messages.error(request, _("请选择召开会议的组织，并填写开会时间"))
        else:
            if timezone.is_naive(starts_at):
                starts_at = timezone.make_aware(starts_at)
            meeting = attempt(
                request,
                actions.do_convene_meeting,
                body,
                title=request.POST.get("title", ""),
                starts_at=starts_at,
                place=request.POST.get("place", ""),
                items=items,
                actor=request.user,
                done=_("会议已创建，请发出通知"),
            )
            if meeting:
                return redirect("governance:meeting", code, meeting.pk)
    default_start = timezone.localtime() + datetime.timedelta(days=7)
    return render(
        request,
        "governance/meeting_new.html",
        {
            "community": community,
            "current_community": community,
            "bodies": bodies,
            "values": values,
            "default_start": default_start.strftime("%Y-%m-%dT19:00"),
        },
    )


def _meeting(request, code, pk):
    community = require_governance_community(request.user, code)
    return community, get_meeting_for(request.user, community, pk)


def _signin_url(request, meeting) -> str:
    path = reverse(
        "governance:meeting_signin", args=[meeting.community.code, meeting.pk, meeting.signin_token]
    )
    return request.build_absolute_uri(path)


@login_required
def meeting(request, code, pk):
    community, the_meeting = _meeting(request, code, pk)
    staff = is_staff_of(request.user, community.pk)
    context = meeting_page(the_meeting, request.user, staff)
    context.update(
        community=community, current_community=community if staff else None, is_staff=staff
    )
    if staff and the_meeting.status == "in_progress":
        url = _signin_url(request, the_meeting)
        context.update(signin_url=url, signin_qr=qr_svg(url, _("会议签到二维码")))
    return render(request, "governance/meeting.html", context)


@login_required
def quorum(request, code, pk):
    """The live quorum box (htmx polls it every few seconds)."""
    _community, the_meeting = _meeting(request, code, pk)
    return render(request, "governance/_quorum.html", {"q": quorum_state(the_meeting)})


@require_POST
@login_required
def meeting_act(request, code, pk, verb):
    """Staff run the meeting; a clerk (记录员) of the body may also keep its minutes."""
    community = require_governance_community(request.user, code)
    the_meeting = get_meeting_for(request.user, community, pk)
    seat = seat_in(request.user, the_meeting.body)
    clerk = verb == "minutes" and seat is not None and seat.role == "clerk"
    if not clerk and not is_staff_of(request.user, community.pk):
        raise Http404
    handler = HANDLERS.get(verb)
    if handler is None:
        raise Http404
    handler(request, the_meeting)
    return redirect("governance:meeting", code, pk)


@login_required
def signin(request, code, pk, token):
    """Where the QR code at the meeting leads: the member confirms with one big button."""
    community, the_meeting = _meeting(request, code, pk)
    if token != the_meeting.signin_token:
        raise Http404
    seat = seat_in(request.user, the_meeting.body)
    signed = (
        seat is not None
        and the_meeting.attendances.filter(membership_id=seat.membership_id).exists()
    )
    if request.method == "POST" and not signed:
        if attempt(
            request, actions.do_sign_in, the_meeting, token, actor=request.user, done=_("签到成功")
        ):
            return redirect("governance:meeting", code, pk)
    return render(
        request,
        "governance/signin.html",
        {"community": community, "meeting": the_meeting, "seat": seat, "signed": signed},
    )


@login_required
def sheet(request, code, pk):
    """The printable sign-in sheet for a paper meeting."""
    community = require_staff_community(request.user, code)
    the_meeting = get_meeting_for(request.user, community, pk)
    members = the_meeting.body.memberships.active().order_by("id")
    return render(
        request,
        "governance/sheet.html",
        {"community": community, "meeting": the_meeting, "members": members},
    )


@login_required
def minutes_pdf(request, code, pk):
    _community, the_meeting = _meeting(request, code, pk)
    response = HttpResponse(pdf.minutes(the_meeting), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="minutes-{the_meeting.pk}.pdf"'
    return response
