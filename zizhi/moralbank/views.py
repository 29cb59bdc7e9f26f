"""Moral Bank pages: a depositor's account (large text on a phone: balance, honour, the
passbook, gift and donation) with a printable A4 statement, and a clerk's approvals."""

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zizhi.notices.qr import qr_svg
from zizhi.registry.models import Resident
from zizhi.web.attempt import attempt

from .access import may_spend
from .actions import flows
from .actions.ledger import decide_not_to_post, hours
from .models import Clerk, Entry, EntryStatus
from .queries import catalogue, passbook, pending_for, summary, wards_of
from .verify import passbook_token

PAGE = 50


def _mine(user, request=None):
    """The user's own account; or, with `account` in the query or the form, the account of a
    minor the user is the guardian of (who spends and gives for them)."""
    wanted = request and (request.GET.get("account") or request.POST.get("account") or "")
    if wanted:
        account = wards_of(user).filter(pk=int(wanted) if wanted.isdigit() else 0).first()
        if account is None or not may_spend(user, account):
            raise Http404
        return account
    account = flows.own_account(user)
    if account is None:
        raise Http404
    return account


@login_required
def my_account(request):
    account = _mine(request.user, request)
    lines = Paginator(passbook(account), PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "moralbank/account.html",
        {
            "account": account,
            "facts": summary(account),
            "balance": hours(account.balance),
            "lines": lines,
            "ward": account.resident.user_id != request.user.pk,
            "wards": wards_of(request.user).exclude(pk=account.pk),
            "can_redeem": catalogue(account.community_id).filter(
                price_minutes__lte=account.balance
            )[:3],
            # a fresh key per form shown: a double tap posts once, a new visit is a new request
            "key": secrets.token_urlsafe(16),
        },
    )


@login_required
def statement(request):
    """The passbook as a printable A4 statement (the whole history, newest last) with a QR
    code to verify it against the book."""
    account = _mine(request.user, request)
    verify_url = request.build_absolute_uri(
        reverse("moralbank:verify", args=[passbook_token(account)])
    )
    return render(
        request,
        "moralbank/statement.html",
        {
            "account": account,
            "facts": summary(account),
            "balance": hours(account.balance),
            "lines": passbook(account),
            "printed_at": timezone.localtime(),
            "verify_url": verify_url,
            "qr": qr_svg(verify_url, _("扫码核验这份存折")),
        },
    )


def minutes_from(request) -> int | None:
    try:
        h = float(request.POST.get("hours") or 0)
    except ValueError:
        return None
    return round(h * 60)


@require_POST
@login_required
def give(request):
    account = _mine(request.user, request)
    minutes, key = minutes_from(request), request.POST.get("key", "")
    if minutes is None or minutes <= 0:
        messages.error(request, _("请填写大于零的小时数，例如 1.5"))
        return _to_account(account, request)
    if request.POST.get("to") == "pool":
        attempt(
            request,
            flows.do_donate,
            account,
            minutes,
            actor=request.user,
            key=key,
            done=_("已捐赠 %(h)s") % {"h": hours(minutes)},
        )
    else:
        to = Resident.objects.filter(pk=request.POST.get("to") or 0).first()
        if to is None:
            messages.error(request, _("请选择转赠给哪位家人"))
        else:
            attempt(
                request,
                flows.do_gift,
                account,
                to,
                minutes,
                actor=request.user,
                key=key,
                done=_("已转赠 %(h)s 给 %(n)s") % {"h": hours(minutes), "n": to.name},
            )
    return _to_account(account, request)


def _to_account(account, request):
    url = reverse("moralbank:account")
    if account.resident.user_id != request.user.pk:
        url += f"?account={account.pk}"
    return redirect(url)


def _branch_ids(user) -> list[int]:
    return list(
        Clerk.objects.filter(user=user, ended_on__isnull=True).values_list("branch_id", flat=True)
    )


@login_required
def approvals(request):
    branch_ids = _branch_ids(request.user)
    if not branch_ids:
        raise Http404
    return render(
        request,
        "moralbank/approvals.html",
        {"pending": pending_for(branch_ids)[:200]},
    )


@require_POST
@login_required
def decide(request, pk):
    entry = Entry.objects.filter(pk=pk, branch_id__in=_branch_ids(request.user)).first()
    if entry is None:
        raise Http404
    if request.POST.get("move") == "approve":
        attempt(request, flows.do_approve_credit, entry, actor=request.user, done=_("已入账"))
    else:
        attempt(
            request,
            decide_not_to_post,
            entry,
            actor=request.user,
            status=EntryStatus.REJECTED,
            reason=request.POST.get("reason", ""),
            done=_("已驳回"),
        )
    return redirect("moralbank:approvals")
