"""The community's public honour roll (光荣榜): residents who agreed to be shown, by attested
service hours (the honour book, never lowered by spending), and the bank's totals."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zizhi.accounts.access import get_public_community
from zizhi.associations.models import star_level
from zizhi.associations.queries import community_service_minutes, honour_minutes

from .actions.accounts import do_set_honour_roll
from .actions.flows import own_account
from .actions.ledger import hours
from .models import Account, AccountKind

ROLL_SIZE = 100


def totals(community) -> dict:
    by_kind = dict(
        Account.objects.filter(community=community)
        .values_list("kind")
        .annotate(total=Sum("balance"))
        .values_list("kind", "total")
    )
    depositors = Account.objects.filter(community=community, kind=AccountKind.PERSONAL).count()
    return {
        "depositors": depositors,
        "service": hours(community_service_minutes(community)),
        "issued": hours(-(by_kind.get(AccountKind.ISSUING) or 0)),
        "outstanding": hours(
            (by_kind.get(AccountKind.PERSONAL) or 0) + (by_kind.get(AccountKind.POOL) or 0)
        ),
    }


def honour_roll(request, code):
    community = get_public_community(code)
    shown = list(
        Account.objects.filter(
            community=community, kind=AccountKind.PERSONAL, on_honour_roll=True
        ).select_related("resident")
    )
    minutes = honour_minutes([a.resident_id for a in shown])
    rows = sorted(
        (
            {
                "name": a.resident.name,
                "hours": hours(minutes.get(a.resident_id, 0)),
                "minutes": minutes.get(a.resident_id, 0),
                "stars": star_level(minutes.get(a.resident_id, 0)),
            }
            for a in shown
        ),
        key=lambda r: -r["minutes"],
    )[:ROLL_SIZE]
    return render(
        request,
        "moralbank/honour_roll.html",
        {"community": community, "rows": rows, "totals": totals(community)},
    )


@require_POST
@login_required
def set_honour_roll(request):
    """The depositor agrees (or no longer agrees) to be named on the honour roll."""
    account = own_account(request.user)
    if account is None:
        return redirect("moralbank:account")
    shown = request.POST.get("shown") == "yes"
    do_set_honour_roll(account, shown=shown, actor=request.user)
    messages.success(request, _("已上光荣榜") if shown else _("已从光荣榜撤下"))
    return redirect("moralbank:account")
