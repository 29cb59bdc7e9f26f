"""A depositor's pages for spending and earning outside activities (large text on a phone):
the community's catalogue with a redeem button, their redemptions with the code to show at the
counter; neighbour help they gave (to record) and help they received (to confirm)."""

import datetime
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zizhi.registry.models import Resident
from zizhi.web.attempt import attempt

from .access import my_resident_or_404
from .actions import help as helping
from .actions import redeem
from .actions.ledger import hours
from .models import Help, HelpStatus, Offer, Redemption
from .queries import catalogue
from .views import _mine, minutes_from

SHOWN = 30


@login_required
def redeem_page(request):
    account = _mine(request.user, request)
    if request.method == "POST":
        offer = Offer.objects.filter(
            pk=request.POST.get("offer") or 0, branch__community_id=account.community_id
        ).first()
        if offer is None:
            messages.error(request, _("请选择要兑换的项目"))
        else:
            attempt(
                request,
                redeem.do_redeem,
                account,
                offer,
                actor=request.user,
                key=request.POST.get("key", ""),
                done=_("兑换成功：请到%(b)s出示兑换码") % {"b": offer.branch.name},
            )
        return _back(account, request)
    offers = list(catalogue(account.community_id))
    for offer in offers:
        offer.price = hours(offer.price_minutes)
        offer.affordable = offer.price_minutes <= account.balance and offer.stock != 0
    return render(
        request,
        "moralbank/redeem.html",
        {
            "account": account,
            "balance": hours(account.balance),
            "offers": offers,
            "redemptions": Redemption.objects.filter(account=account)
            .select_related("offer", "branch", "entry")
            .order_by("-id")[:SHOWN],
            "key": secrets.token_urlsafe(16),
            "ward": account.resident.user_id != request.user.pk,
        },
    )


def _back(account, request):
    """To the redeem page of the same account (a ward's when the guardian acts)."""
    url = reverse("moralbank:redeem")
    if account.resident.user_id != request.user.pk:
        url += f"?account={account.pk}"
    return redirect(url)


@require_POST
@login_required
def cancel_mine(request, pk):
    account = _mine(request.user, request)
    redemption = get_object_or_404(Redemption, pk=pk, account=account)
    attempt(
        request,
        redeem.do_cancel_redemption,
        redemption,
        actor=request.user,
        reason=request.POST.get("reason", "") or _("储户取消"),
        done=_("已取消，时间已退回"),
    )
    return _back(account, request)


@login_required
def help_page(request):
    me = my_resident_or_404(request.user)
    if request.method == "POST":
        _record(request, me)
        return redirect("moralbank:help")
    rows = (
        Help.objects.filter(Q(helper=me) | Q(neighbour=me))
        .select_related("helper", "neighbour")
        .order_by("-id")[:SHOWN]
    )
    return render(
        request,
        "moralbank/help.html",
        {
            "me": me,
            "to_confirm": [h for h in rows if h.neighbour_id == me.pk and h.status == "pending"],
            "rows": rows,
            "today": timezone.localdate(),
        },
    )


def _record(request, me) -> None:
    post = request.POST
    neighbour = Resident.objects.filter(
        community_id=me.community_id, phone=post.get("phone", "").strip()
    ).first()
    minutes = minutes_from(request)
    try:
        day = datetime.date.fromisoformat(post.get("date", ""))
    except ValueError:
        day = None
    if neighbour is None or day is None or not minutes:
        messages.error(request, _("请填写本社区邻居登记的手机号、日期和小时数"))
        return
    attempt(
        request,
        helping.do_record_help,
        me,
        neighbour,
        actor=request.user,
        minutes=minutes,
        service_date=day,
        content=post.get("content", ""),
        done=_("已记录，请 %(n)s 在自己的手机上确认") % {"n": neighbour.name},
    )


@require_POST
@login_required
def decide_help(request, pk):
    me = my_resident_or_404(request.user)
    help_ = get_object_or_404(Help, pk=pk, neighbour=me, status=HelpStatus.PENDING)
    if request.POST.get("move") == "confirm":
        attempt(
            request,
            helping.do_confirm_help,
            help_,
            actor=request.user,
            done=_("已确认，谢谢您"),
        )
    else:
        attempt(
            request,
            helping.do_decline_help,
            help_,
            actor=request.user,
            reason=request.POST.get("reason", ""),
            done=_("已标记为未确认"),
        )
    return redirect("moralbank:help")
