"""The community's Moral Bank desk for staff (/c/<code>/bank/): branches with their clerks
and what each issued, the donation pool, recent entries; open a branch, name a clerk, grant
from the pool by a recorded decision, record a settlement between branches, reverse a posted
entry with the reason."""

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from zizhi.accounts.access import get_staff_community
from zizhi.accounts.models import User
from zizhi.associations.models import Association
from zizhi.registry.models import Resident
from zizhi.web.attempt import attempt

from .actions import accounts as acc
from .actions import flows, redeem
from .actions.ledger import hours
from .models import Account, AccountKind, Branch, BranchKind, Entry
from .views import minutes_from

RECENT = 30


def _branches(community):
    branches = list(
        Branch.objects.filter(community=community)
        .select_related("association")
        .prefetch_related("clerks__user", "accounts")
        .order_by("id")
    )
    for branch in branches:
        balances = {a.kind: a.balance for a in branch.accounts.all()}
        branch.issued = hours(-balances.get(AccountKind.ISSUING, 0))
        branch.cleared = hours(balances.get(AccountKind.CLEARING, 0))
        branch.active_clerks = [c.user for c in branch.clerks.all() if c.ended_on is None]
    return branches


@login_required
def desk(request, code):
    community = get_staff_community(request.user, code)
    if request.method == "POST":
        _act(request, community, request.POST.get("move"))
        return redirect("moralbank:desk", code)
    pool = Account.objects.filter(community=community, kind=AccountKind.POOL).first()
    return render(
        request,
        "moralbank/desk.html",
        {
            "community": community,
            "current_community": community,
            "branches": _branches(community),
            "pool": hours(pool.balance if pool else 0),
            "kinds": BranchKind.choices,
            "associations": Association.objects.filter(community=community).order_by("name"),
            "entries": Entry.objects.filter(community=community)
            .select_related("branch")
            .order_by("-id")[:RECENT],
            "key": secrets.token_urlsafe(16),
        },
    )


def _act(request, community, move):
    post = request.POST
    if move == "open_branch":
        association = Association.objects.filter(
            community=community, pk=post.get("association") or 0
        ).first()
        attempt(
            request,
            acc.do_open_branch,
            community,
            name=post.get("name", ""),
            kind=post.get("kind")
            if post.get("kind") in BranchKind.values
            else BranchKind.COMMUNITY,
            association=association,
            actor=request.user,
            done=_("储蓄所已开设"),
        )
    elif move == "add_clerk":
        branch = Branch.objects.filter(community=community, pk=post.get("branch") or 0).first()
        user = User.objects.filter(phone=post.get("phone", "").strip()).first()
        if branch is None or user is None:
            messages.error(request, _("请选择储蓄所，并填写已开通账号的手机号"))
            return
        attempt(
            request,
            acc.do_add_clerk,
            branch,
            user,
            actor=request.user,
            started_on=timezone.localdate(),
            done=_("已任命储蓄所管理员"),
        )
    elif move == "grant":
        resident = Resident.objects.filter(
            community=community, phone=post.get("phone", "").strip()
        ).first()
        minutes = minutes_from(request)
        if resident is None or not minutes or minutes <= 0:
            messages.error(request, _("请填写本社区居民的手机号和大于零的小时数"))
            return
        attempt(
            request,
            flows.do_grant,
            community,
            resident,
            minutes,
            actor=request.user,
            decision=post.get("decision", ""),
            key=post.get("key", ""),
            done=_("已从捐赠池发放 %(h)s") % {"h": hours(minutes)},
        )
    elif move == "settle":
        _settle(request, community, post)
    elif move == "reverse":
        entry = Entry.objects.filter(community=community, pk=_entry_id(post.get("entry"))).first()
        if entry is None:
            messages.error(request, _("没有找到这个凭证号"))
            return
        attempt(
            request,
            flows.do_reverse,
            entry,
            actor=request.user,
            reason=post.get("reason", ""),
            done=_("已冲正 %(n)s") % {"n": entry.number},
        )


def _settle(request, community, post) -> None:
    branches = Branch.objects.filter(community=community).in_bulk(
        [post.get("payer") or 0, post.get("payee") or 0]
    )
    payer, payee = (branches.get(_int(post.get(k))) for k in ("payer", "payee"))
    minutes = minutes_from(request)
    if payer is None or payee is None or not minutes or minutes <= 0:
        messages.error(request, _("请选择付方和收方储蓄所，并填写大于零的小时数"))
        return
    attempt(
        request,
        redeem.do_settle,
        payer,
        payee,
        minutes,
        actor=request.user,
        note=post.get("note", ""),
        key=post.get("key", ""),
        done=_("已记录结算 %(h)s") % {"h": hours(minutes)},
    )


def _int(value) -> int:
    return int(value) if (value or "").isdigit() else 0


def _entry_id(value) -> int:
    """J000000123 or 123."""
    digits = (value or "").strip().upper().removeprefix("J")
    return int(digits) if digits.isdigit() else 0
