"""Public statistics and the resident's pages: my mediation (as a party or a mediator) and
asking for mediation."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from zizhi.accounts.access import get_public_community
from zizhi.registry.models import Community, Subdistrict

from . import actions
from .access import assigned_cases, can_apply, party_cases
from .forms import ApplyForm
from .queries import OUTCOME_LABELS, default_range, statistics


def _range(request):
    start, end = default_range()
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return start, end
    if not 2000 <= year <= end.year:
        return start, end
    return datetime.date(year, 1, 1), min(datetime.date(year, 12, 31), end)


def _stats_page(request, title, scope, **context):
    stats = statistics(scope, _range(request))
    outcomes = [(OUTCOME_LABELS[k], v) for k, v in stats["by_outcome"].items()]
    context.update(title=title, stats=stats, outcomes=outcomes)
    return render(request, "mediation/stats.html", context)


def stats(request, code):
    community = get_public_community(code)
    return _stats_page(request, community.name, community, current_community=community)


def subdistrict_stats(request, code):
    subdistrict = get_object_or_404(Subdistrict, code=code)
    ids = Community.objects.filter(subdistrict=subdistrict).values_list("id", flat=True)
    return _stats_page(request, subdistrict.name, list(ids), subdistrict=subdistrict)


@login_required
def mine(request):
    """A party's own cases (status, outcome) and a mediator's cases."""
    context = {
        "as_party": party_cases(request.user).order_by("-registered_at"),
        "as_mediator": assigned_cases(request.user)
        .select_related("community")
        .order_by("-registered_at"),
        "can_apply": can_apply(request.user),
    }
    return render(request, "mediation/mine.html", context)


@login_required
def apply(request):
    if not can_apply(request.user):
        raise Http404
    form = ApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = actions.do_apply_case(**form.cleaned_data, actor=request.user)
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("已收到您的调解申请（编号 %(n)s），社区调解负责人会尽快联系您。")
                % {"n": case.number},
            )
            return redirect("mediation:case", case.pk)
    return render(request, "mediation/apply.html", {"form": form})
