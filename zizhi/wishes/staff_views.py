"""The worker's desk: verify and publish under a public wording, reject with a reason,
record a wish for a resident, record a local unit's claim, see overdue contacts, confirm on
behalf after a visit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zizhi.accounts.access import get_staff_community
from zizhi.registry.models import LocalUnit, Resident
from zizhi.web.attempt import attempt

from . import actions
from .access import get_wish_for_staff
from .models import IN_HAND, Wish, WishCategory, WishStatus

SHOWN = 100


def _desk_context(community, form=None) -> dict:
    now = timezone.now()
    wishes = list(
        Wish.objects.filter(community=community)
        .select_related("beneficiary")
        .prefetch_related("claims")
        .order_by("-created_at", "-id")[:SHOWN]
    )
    in_hand = [w for w in wishes if w.status in IN_HAND]
    overdue = [
        w
        for w in in_hand
        if w.status == WishStatus.CLAIMED and w.live_claim and w.live_claim.contact_due <= now
    ]
    return {
        "current_community": community,
        "submitted": [w for w in wishes if w.status == WishStatus.SUBMITTED],
        "overdue": overdue,
        "to_confirm": [w for w in wishes if w.status == WishStatus.FULFILLED],
        "wishes": wishes,
        "categories": WishCategory.choices,
        "form": form or {},
        "now": now,
    }


@login_required
def desk(request, code):
    community = get_staff_community(request.user, code)
    return render(request, "wishes/desk.html", _desk_context(community))


@login_required
@require_POST
def post_for(request, code):
    """A worker records a wish for a resident of the community, found by phone."""
    community = get_staff_community(request.user, code)
    form = request.POST
    phone = form.get("phone", "").strip()
    person = Resident.objects.filter(community=community, phone=phone).first() if phone else None
    if person is None:
        messages.error(request, _("本社区没有登记这个手机号的居民"))
        return render(request, "wishes/desk.html", _desk_context(community, form))
    ok = attempt(
        request,
        actions.do_post_wish,
        person,
        actor=request.user,
        text=form.get("text", ""),
        category=form.get("category", ""),
        value_cap_yuan=form.get("value", ""),
        done=_("已代为登记心愿，请核实后发布"),
    )
    if not ok:
        return render(request, "wishes/desk.html", _desk_context(community, form))
    return redirect("wishes:desk", code)


@login_required
def staff_detail(request, code, pk):
    wish = get_wish_for_staff(request.user, code, pk)
    return render(
        request,
        "wishes/staff_wish.html",
        {
            "current_community": wish.community,
            "wish": wish,
            "claims": wish.claims.select_related("user", "resident", "local_unit", "association"),
            "units": LocalUnit.objects.filter(community=wish.community).order_by("name"),
            "form": {},
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def verify(request, code, pk):
    wish = get_wish_for_staff(request.user, code, pk)
    post = request.POST
    ok = attempt(
        request,
        actions.do_verify_wish,
        wish,
        actor=request.user,
        title=post.get("title", ""),
        public_text=post.get("public_text", ""),
        contact_hint=post.get("contact_hint", ""),
        done=_("已发布到心愿墙"),
    )
    if not ok:  # keep what the worker typed
        return render(
            request,
            "wishes/staff_wish.html",
            {
                "current_community": wish.community,
                "wish": wish,
                "claims": wish.claims.all(),
                "units": LocalUnit.objects.filter(community=wish.community),
                "form": post,
                "now": timezone.now(),
            },
        )
    return redirect("wishes:staff_detail", code, pk)


@login_required
@require_POST
def reject(request, code, pk):
    wish = get_wish_for_staff(request.user, code, pk)
    attempt(
        request,
        actions.do_reject_wish,
        wish,
        actor=request.user,
        reason=request.POST.get("reason", ""),
        done=_("已标记为未通过"),
    )
    return redirect("wishes:staff_detail", code, pk)


@login_required
@require_POST
def unit_claim(request, code, pk):
    wish = get_wish_for_staff(request.user, code, pk)
    raw = request.POST.get("unit", "")
    units = LocalUnit.objects.filter(community=wish.community)
    unit = units.filter(pk=raw).first() if raw.isdigit() else None
    attempt(
        request,
        actions.do_record_unit_claim,
        wish,
        actor=request.user,
        local_unit=unit,
        done=_("已登记辖区单位认领，这次认领列在“我认领的心愿”中，请跟进"),
    )
    return redirect("wishes:staff_detail", code, pk)


@login_required
@require_POST
def staff_confirm(request, code, pk):
    wish = get_wish_for_staff(request.user, code, pk)
    attempt(
        request,
        actions.do_confirm_wish,
        wish,
        actor=request.user,
        note=request.POST.get("note", ""),
        done=_("已代为确认（上门走访）"),
    )
    return redirect("wishes:staff_detail", code, pk)
