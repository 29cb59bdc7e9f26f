"""Activity pages: the public lists, an activity with sign-up and cancel (on the phone), the
QR scan page, and the organiser's page (rotating QR, attendance list, close, attest)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zizhi.accounts.access import access_for, get_public_community, get_staff_community
from zizhi.governance.web import attempt, to_int
from zizhi.notices.qr import qr_svg
from zizhi.registry.models import Resident

from . import qr
from .access import (
    can_manage_association,
    can_organise,
    find_resident,
    get_activity,
    get_association,
    get_managed_association,
    get_my_resident,
    get_organised_activity,
    get_participant,
)
from .actions import activities as act
from .actions import attendance as att
from .actions import records as rec
from .forms import ActivityForm
from .models import (
    Activity,
    ActivityStatus,
    Association,
    AttestationStatus,
    SignUp,
    SignUpStatus,
)

LIST_SIZE = 50


def _with_counts(qs):
    return qs.select_related("association", "team", "body", "community").annotate(
        taken=Count("signups", filter=Q(signups__status=SignUpStatus.CONFIRMED))
    )


def community_activities(request, code):
    community = get_public_community(code)
    now = timezone.now()
    # the community's own, and those of subdistrict-wide associations
    base = Activity.objects.filter(
        Q(community=community) | Q(community__isnull=True, subdistrict=community.subdistrict)
    ).exclude(status=ActivityStatus.CANCELLED)
    upcoming = _with_counts(base.filter(ends_at__gte=now)).order_by("starts_at")[:LIST_SIZE]
    past = _with_counts(base.filter(ends_at__lt=now)).order_by("-starts_at")[:LIST_SIZE]
    mine = []
    resident_id = access_for(request.user).resident_id
    if resident_id is not None:  # the resident's own sign-ups still to come, on top
        mine = (
            SignUp.objects.filter(resident_id=resident_id, activity__ends_at__gte=now)
            .exclude(status=SignUpStatus.CANCELLED)
            .select_related("activity")
            .order_by("activity__starts_at")[:LIST_SIZE]
        )
    return render(
        request,
        "associations/activity_list.html",
        {"community": community, "upcoming": upcoming, "past": past, "mine": mine},
    )


def community_associations(request, code):
    community = get_public_community(code)
    items = (
        Association.objects.filter(
            Q(community=community) | Q(community__isnull=True, subdistrict=community.subdistrict)
        )
        .filter(active=True)
        .annotate(n=Count("members", filter=Q(members__left_on__isnull=True)))
        .order_by("kind", "name")
    )
    return render(
        request, "associations/association_list.html", {"community": community, "items": items}
    )


def association(request, pk):
    item = get_association(pk)
    leaders = item.members.filter(
        left_on__isnull=True, role__in=["leader", "deputy"]
    ).select_related("resident")
    activities = _with_counts(item.activities.exclude(status=ActivityStatus.CANCELLED)).order_by(
        "-starts_at"
    )[:10]
    photos = item.photos.all()[:12]
    return render(
        request,
        "associations/association.html",
        {
            "item": item,
            "leaders": leaders,
            "activities": activities,
            "photos": photos,
            "members": item.members.filter(left_on__isnull=True).count(),
            "can_manage": can_manage_association(request.user, item),
        },
    )


def _my_signup(request, activity):
    resident_id = access_for(request.user).resident_id
    if resident_id is None:
        return None
    return (
        SignUp.objects.filter(activity=activity, resident_id=resident_id)
        .exclude(status=SignUpStatus.CANCELLED)
        .first()
    )


def activity(request, pk):
    item = get_activity(pk)
    signup = _my_signup(request, item)
    taken = item.signups.filter(status=SignUpStatus.CONFIRMED).count()
    return render(
        request,
        "associations/activity.html",
        {
            "item": item,
            "signup": signup,
            "position": act.waiting_position(signup) if signup else None,
            "taken": taken,
            "can_sign_up": item.status == ActivityStatus.OPEN
            and timezone.now() < item.signup_deadline,
            "organiser": can_organise(request.user, item),
        },
    )


@login_required
@require_POST
def sign_up(request, pk):
    item = get_activity(pk)
    resident = get_my_resident(request.user)
    companion = None
    if request.POST.get("companion_phone"):
        companion = Resident.objects.filter(
            community_id=resident.community_id, phone=request.POST["companion_phone"].strip()
        ).first()
        if companion is None:
            messages.error(request, _("没有找到这个手机号的本社区居民，请核对陪同人手机号"))
            return redirect("associations:activity", pk)
    done = attempt(
        request,
        act.do_sign_up,
        item,
        resident,
        actor=request.user,
        accompanied_by=companion,
        done=_("报名成功"),
    )
    if done and done is not True and done.status == SignUpStatus.WAITING:
        messages.info(request, _("名额已满，您在候补名单上，有人取消时按顺序递补"))
    return redirect("associations:activity", pk)


@login_required
@require_POST
def cancel_signup(request, pk):
    item = get_activity(pk)
    signup = _my_signup(request, item)
    if signup is None:
        raise Http404
    attempt(request, act.do_cancel_signup, signup, actor=request.user, done=_("已取消报名"))
    return redirect("associations:activity", pk)


@login_required
def scan(request, pk, token):
    """The QR code's address: one big button to check in (or out)."""
    item = get_activity(pk)
    if request.method == "POST":
        try:
            result = att.do_scan(item, token, actor=request.user)
        except (ValidationError, PermissionDenied) as exc:
            error = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            return render(
                request, "associations/checkin_result.html", {"item": item, "error": error}
            )
        return render(
            request, "associations/checkin_result.html", {"item": item, "attendance": result}
        )
    return render(request, "associations/checkin_scan.html", {"item": item, "token": token})


def _organise_context(request, item):
    signups = list(
        item.signups.exclude(status=SignUpStatus.CANCELLED)
        .select_related("resident")
        .order_by("status", "id")
    )
    attendance = {a.resident_id: a for a in item.attendance.select_related("resident")}
    walk_ins = [a for rid, a in attendance.items() if rid not in {s.resident_id for s in signups}]
    attestation = item.attestations.order_by("-id").first()
    return {
        "item": item,
        "signups": [(s, attendance.get(s.resident_id)) for s in signups],
        "walk_ins": walk_ins,
        "missing": [a for a in attendance.values() if a.check_out_at is None],
        "came": len(attendance),
        "left": sum(1 for a in attendance.values() if a.check_out_at is not None),
        "attestation": attestation,
        "pending": attestation is not None and attestation.status == AttestationStatus.PENDING,
        "can_approve": attestation is not None and attestation.attested_by_id != request.user.pk,
        "now": timezone.now(),
        "svg": _rotating_svg(request, item),
    }


@login_required
def organise(request, pk):
    item = get_organised_activity(request.user, pk)
    return render(request, "associations/activity_organise.html", _organise_context(request, item))


def _scan_url(request, item, token):
    return request.build_absolute_uri(reverse("associations:scan", args=[item.pk, token]))


@login_required
def qr_code(request, pk):
    """The rotating code: a full page for the organiser's phone (the code large, with the
    count checked in); with htmx, the fragment the page refreshes every 10 seconds."""
    item = get_organised_activity(request.user, pk)
    counts = item.attendance.aggregate(
        came=Count("id"), left=Count("id", filter=Q(check_out_at__isnull=False))
    )
    context = {"item": item, "svg": _rotating_svg(request, item), **counts}
    if request.headers.get("HX-Request"):
        return render(request, "associations/_qr.html", context)
    return render(request, "associations/checkin_qr.html", context)


def _rotating_svg(request, item) -> str:
    """The current code as SVG, or "" outside the check-in window."""
    open_now = qr.in_window(item, timezone.now().timestamp()) and item.status == ActivityStatus.OPEN
    if not open_now:
        return ""
    return qr_svg(_scan_url(request, item, qr.current_token(item)), _("签到二维码"))


@login_required
def door(request, pk):
    """A printable A4 sheet for the door: its code works only inside the activity's window."""
    item = get_organised_activity(request.user, pk)
    svg = qr_svg(_scan_url(request, item, qr.door_token(item)), _("签到二维码"))
    return render(
        request,
        "associations/activity_door.html",
        {
            "item": item,
            "svg": svg,
            "open_door": att.open_door(item),
            "valid_from": item.starts_at - datetime.timedelta(seconds=qr.OPEN_BEFORE_SECONDS),
            "valid_to": item.ends_at + datetime.timedelta(seconds=qr.CLOSE_AFTER_SECONDS),
        },
    )


def _local(value: str):
    parsed = parse_datetime(value or "")
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


@login_required
@require_POST
def attendance(request, pk):
    item = get_organised_activity(request.user, pk)
    move = request.POST.get("move")
    resident = None
    if request.POST.get("resident"):
        resident = get_participant(item, to_int(request.POST.get("resident"), -1))
    if move == "add":
        # someone who came without signing up: found by phone or ID number, then signed up
        found = find_resident(item, request.POST.get("key", ""))
        if found is None:
            messages.error(request, _("没有找到这个手机号或身份证号的本社区居民"))
        else:
            attempt(
                request,
                act.do_sign_up,
                item,
                found,
                actor=request.user,
                done=_("已为 %(n)s 报名") % {"n": found.name},
            )
    elif move == "check_in" and resident:
        attempt(
            request, att.do_check_in_from_list, item, resident, actor=request.user, done=_("已签到")
        )
    elif move == "check_out" and resident:
        row = item.attendance.filter(resident=resident).first()
        if row:
            attempt(request, att.do_check_out_from_list, row, actor=request.user, done=_("已签退"))
    elif move == "enter" and resident:
        date = timezone.localdate(item.starts_at).isoformat()
        start = _local(f"{date}T{request.POST.get('in', '')}")
        end = _local(f"{date}T{request.POST.get('out', '')}")
        if start is None or end is None:
            messages.error(request, _("请填写签到和签退时间，如 09:00"))
        else:
            attempt(
                request,
                att.do_enter_attendance,
                item,
                resident,
                actor=request.user,
                check_in_at=start,
                check_out_at=end,
                done=_("已补录"),
            )
    elif move == "close":
        attempt(request, att.do_close_attendance, item, actor=request.user, done=_("签到已结束"))
    elif move == "cancel":
        reason = request.POST.get("reason", "")
        attempt(
            request,
            act.do_cancel_activity,
            item,
            actor=request.user,
            reason=reason,
            done=_("活动已取消，已通知报名的居民"),
        )
    return redirect("associations:organise", pk)


@login_required
@require_POST
def attest(request, pk):
    item = get_organised_activity(request.user, pk)
    minutes = {}
    for key, value in request.POST.items():
        if key.startswith("minutes-"):
            minutes[to_int(key.removeprefix("minutes-"), -1)] = to_int(value, -1)
    attempt(
        request,
        rec.do_attest,
        item,
        actor=request.user,
        minutes=minutes,
        done=_("服务时长已提交认定"),
    )
    return redirect("associations:organise", pk)


@login_required
@require_POST
def decide(request, pk):
    item = get_organised_activity(request.user, pk)
    attestation = item.attestations.filter(status=AttestationStatus.PENDING).first()
    if attestation is None:
        raise Http404
    if request.POST.get("move") == "return":
        attempt(
            request,
            rec.do_return_attestation,
            attestation,
            actor=request.user,
            reason=request.POST.get("reason", ""),
            done=_("已退回"),
        )
    else:
        attempt(
            request,
            rec.do_approve_attestation,
            attestation,
            actor=request.user,
            done=_("已审核通过"),
        )
    return redirect("associations:organise", pk)


def _new_activity(request, owner: dict, label: str):
    form = ActivityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = attempt(
            request,
            act.do_create_activity,
            actor=request.user,
            done=_("活动已发布"),
            **owner,
            **form.cleaned_data,
        )
        if created:
            return redirect("associations:organise", created.pk)
    return render(request, "associations/activity_new.html", {"owner_name": label, "form": form})


@login_required
def new_activity(request, pk):
    """An association's leader (or staff) publishes an activity of the association."""
    owner = get_managed_association(request.user, pk)
    return _new_activity(request, {"association": owner}, owner.name)


@login_required
def new_community_activity(request, code):
    """The community's staff publish an activity of the community itself."""
    community = get_staff_community(request.user, code)
    return _new_activity(request, {"community": community}, community.name)


def _minute(value):
    return value.replace(second=0, microsecond=0) if value is not None else None


@login_required
def edit_activity(request, pk):
    """The organiser changes an open activity before it starts (time, place, capacity ...);
    those signed up are told of a new time or place."""
    item = get_organised_activity(request.user, pk)
    names = list(ActivityForm.base_fields)
    initial = {name: getattr(item, name) for name in names}
    initial["starts_at"] = timezone.localtime(item.starts_at)
    initial["ends_at"] = timezone.localtime(item.ends_at)
    initial["signup_deadline"] = timezone.localtime(item.signup_deadline)
    form = ActivityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = {
            name: value
            for name, value in form.cleaned_data.items()
            if not (name == "signup_deadline" and value is None)
            and (
                _minute(value) != _minute(getattr(item, name))
                if name in ("starts_at", "ends_at", "signup_deadline")
                else value != getattr(item, name)
            )
        }
        if not changes:
            messages.info(request, _("没有修改"))
            return redirect("associations:organise", pk)
        done = attempt(
            request,
            act.do_update_activity,
            item,
            actor=request.user,
            done=_("活动已修改"),
            **changes,
        )
        if done:
            return redirect("associations:organise", pk)
    return render(request, "associations/activity_edit.html", {"item": item, "form": form})
