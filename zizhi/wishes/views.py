"""Public wall and wish pages (no login), claiming and the claimant's pages ("我认领的心愿"),
and the beneficiary's page ("我的心愿")."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zizhi.accounts.access import access_for, get_public_community
from zizhi.web.attempt import attempt

from . import actions
from .access import (
    association_choices,
    claim_kinds,
    get_claim_photo_for,
    get_my_claim,
    get_my_wish,
    get_public_wish,
    is_staff_of,
    my_claims,
    my_wishes,
    public_wishes,
)
from .models import ClaimKind, WishCategory, WishStatus

DONE_SHOWN = 12


def wall(request, code):
    community = get_public_community(code)
    wishes = public_wishes(community)
    waiting = list(
        wishes.filter(status=WishStatus.PUBLISHED).order_by(
            "-rolled_over_times", "published_at", "id"
        )
    )
    done = list(
        wishes.filter(status=WishStatus.CONFIRMED).order_by("-closed_at", "-id")[:DONE_SHOWN]
    )
    in_hand = wishes.exclude(status__in=[WishStatus.PUBLISHED, WishStatus.CONFIRMED]).count()
    return render(
        request,
        "wishes/wall.html",
        {
            "community": community,
            "waiting": waiting,
            "done": done,
            "in_hand": in_hand,
            "kinds": claim_kinds(request.user, community),
            "is_staff": is_staff_of(request.user, community.pk),
        },
    )


def detail(request, code, pk):
    wish = get_public_wish(code, pk)
    kinds = claim_kinds(request.user, wish.community)
    return render(
        request,
        "wishes/detail.html",
        {
            "wish": wish,
            "community": wish.community,
            "kinds": [(k, ClaimKind(k).label) for k in kinds],
            "associations": association_choices(request.user)
            if ClaimKind.ASSOCIATION in kinds
            else [],
            "is_staff": is_staff_of(request.user, wish.community_id),
        },
    )


@login_required
@require_POST
def claim(request, code, pk):
    wish = get_public_wish(code, pk)
    ok = attempt(
        request,
        actions.do_claim_wish,
        wish,
        actor=request.user,
        kind=request.POST.get("kind", ""),
        association_id=request.POST.get("association"),
        done=_("认领成功！请在 7 天内联系受助人"),
    )
    if ok:
        return redirect("wishes:my_claims")
    return redirect("wishes:detail", code, pk)


@login_required
def claims(request):
    rows = list(
        my_claims(request.user).select_related("wish__community", "local_unit", "association")
    )
    return render(
        request,
        "wishes/my_claims.html",
        {
            "live": [c for c in rows if c.is_live],
            "lapsed": [c for c in rows if not c.is_live],
            "now": timezone.now(),
        },
    )


@login_required
def claim_detail(request, pk):
    claim_ = get_my_claim(request.user, pk)
    return render(
        request,
        "wishes/claim.html",
        {"claim": claim_, "wish": claim_.wish, "now": timezone.now(), "contact": None},
    )


@login_required
@require_POST
def contact(request, pk):
    """Show the beneficiary's contact to the claimant (audited on every reveal)."""
    claim_ = get_my_claim(request.user, pk)
    try:
        revealed = actions.do_reveal_contact(claim_, actor=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("wishes:claim_detail", pk)
    return render(
        request,
        "wishes/claim.html",
        {"claim": claim_, "wish": claim_.wish, "now": timezone.now(), "contact": revealed},
    )


@login_required
@require_POST
def record_contact(request, pk):
    claim_ = get_my_claim(request.user, pk)
    attempt(
        request,
        actions.do_record_contact,
        claim_,
        actor=request.user,
        note=request.POST.get("note", ""),
        done=_("已记录联系情况"),
    )
    return redirect("wishes:claim_detail", pk)


def minutes_from(post) -> int | None:
    try:
        hours = float(post.get("hours", "") or 0)
    except ValueError:
        return None
    return round(hours * 60)


@login_required
@require_POST
def record_fulfilment(request, pk):
    claim_ = get_my_claim(request.user, pk)
    attempt(
        request,
        actions.do_record_fulfilment,
        claim_,
        actor=request.user,
        minutes=minutes_from(request.POST),
        proof_text=request.POST.get("proof_text", ""),
        photo=request.FILES.get("photo"),
        done=_("已记录心愿实现，等待受助人确认"),
    )
    return redirect("wishes:claim_detail", pk)


@login_required
def proof_photo(request, pk):
    claim_ = get_claim_photo_for(request.user, pk)
    try:
        handle = claim_.proof_photo.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, content_type=claim_.proof_type)


def _my_resident(user):
    access = access_for(user)
    if access.resident_id is None:
        raise Http404
    from zizhi.registry.models import Resident

    return Resident.objects.select_related("community").get(pk=access.resident_id)


@login_required
def mine(request):
    me = _my_resident(request.user)
    form = {}
    if request.method == "POST":
        form = request.POST
        ok = attempt(
            request,
            actions.do_post_wish,
            me,
            actor=request.user,
            text=form.get("text", ""),
            category=form.get("category", ""),
            value_cap_yuan=form.get("value", ""),
            done=_("心愿已提交，社区工作人员核实后会发布出去（不会公开您的姓名）"),
        )
        if ok:
            return redirect("wishes:mine")
    wishes = list(my_wishes(request.user).prefetch_related("claims").order_by("-created_at"))
    return render(
        request,
        "wishes/mine.html",
        {"me": me, "wishes": wishes, "categories": WishCategory.choices, "form": form},
    )


@login_required
@require_POST
def confirm(request, pk):
    wish = get_my_wish(request.user, pk)
    attempt(
        request,
        actions.do_confirm_wish,
        wish,
        actor=request.user,
        note=request.POST.get("note", ""),
        done=_("谢谢您的确认！"),
    )
    return redirect("wishes:mine")
