"""A branch's desk for its clerks (and the community's staff): the catalogue, redemptions to
hand over, a link to pending approvals, and the monthly statement (printable A4)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from zizhi.web.attempt import attempt

from .access import get_kept_branch
from .actions import redeem
from .actions.ledger import hours
from .models import OfferKind, Redemption, RedemptionStatus
from .statements import SIDES, branch_statement
from .views import minutes_from

DONE_SHOWN = 30


def _stock(value) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() else None


@login_required
def branch_desk(request, pk):
    branch = get_kept_branch(request.user, pk)
    if request.method == "POST":
        _act(request, branch, request.POST)
        return redirect("moralbank:branch", pk)
    offers = list(branch.offers.order_by("-active", "price_minutes", "id"))
    for offer in offers:
        offer.price = hours(offer.price_minutes)
    redemptions = Redemption.objects.filter(branch=branch).select_related(
        "offer", "entry", "account__resident"
    )
    return render(
        request,
        "moralbank/branch.html",
        {
            "branch": branch,
            "offers": offers,
            "kinds": OfferKind.choices,
            "waiting": redemptions.filter(status=RedemptionStatus.WAITING).order_by("id"),
            "done": redemptions.exclude(status=RedemptionStatus.WAITING).order_by("-id")[
                :DONE_SHOWN
            ],
            "month": timezone.localdate().strftime("%Y-%m"),
        },
    )


def _act(request, branch, post) -> None:
    move = post.get("move")
    if move == "add_offer":
        minutes = minutes_from(request)
        if not minutes:
            messages.error(request, _("请填写所需的小时数，例如 0.5"))
            return
        attempt(
            request,
            redeem.do_add_offer,
            branch,
            actor=request.user,
            title=post.get("title", ""),
            kind=post.get("kind", ""),
            price_minutes=minutes,
            description=post.get("description", ""),
            stock=_stock(post.get("stock")),
            done=_("已上架"),
        )
    elif move in ("take_off", "put_on"):
        offer = branch.offers.filter(pk=post.get("offer") or 0).first()
        if offer is not None:
            attempt(
                request,
                redeem.do_change_offer,
                offer,
                actor=request.user,
                active=move == "put_on",
                done=_("已下架") if move == "take_off" else _("已上架"),
            )
    elif move in ("fulfil", "cancel"):
        redemption = Redemption.objects.filter(branch=branch, pk=post.get("redemption") or 0)
        redemption = redemption.select_related("offer", "entry", "branch__community").first()
        if redemption is None:
            messages.error(request, _("没有找到这笔兑换"))
        elif move == "fulfil":
            attempt(request, redeem.do_fulfil, redemption, actor=request.user, done=_("已兑付"))
        else:
            attempt(
                request,
                redeem.do_cancel_redemption,
                redemption,
                actor=request.user,
                reason=post.get("reason", ""),
                done=_("已退回，时间已还给储户"),
            )


def _month(value) -> tuple[int, int]:
    try:
        day = datetime.date.fromisoformat(f"{value}-01")
    except (TypeError, ValueError):
        day = timezone.localdate()
    return day.year, day.month


@login_required
def statement(request, pk):
    branch = get_kept_branch(request.user, pk)
    year, month = _month(request.GET.get("month"))
    report = branch_statement(branch, year, month)
    first = datetime.date(year, month, 1)
    return render(
        request,
        "moralbank/branch_statement.html",
        {
            "branch": branch,
            "s": report,
            "sides": SIDES,
            "month": first,
            "previous": (first - datetime.timedelta(days=1)).strftime("%Y-%m"),
            "next": report.end.strftime("%Y-%m"),
            "printed_at": timezone.localtime(),
        },
    )
