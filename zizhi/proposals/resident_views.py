"""Residents' suggestion pages: the public board, filing a suggestion (with the offer to
support a similar open one instead), the tracking number, a suggestion with its timeline,
supporting and rating, "my suggestions", and the status lookup without login."""

import math
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zizhi.accounts.access import access_for, get_public_community
from zizhi.governance.web import attempt
from zizhi.registry.models import Building, Resident

from . import actions, queries
from .access import get_suggestion_for, lookup_by_number
from .forms import LookupForm, RateForm, SuggestionForm
from .models import SuggestionPhoto, SuggestionStatus, Support

PAGE_SIZE = 20
ORDERS = ("support", "new")
# statuses in which a suggestion can still gather support
OPEN = {
    SuggestionStatus.REGISTERED,
    SuggestionStatus.ACCEPTED,
    SuggestionStatus.ASSIGNED,
    SuggestionStatus.IN_PROGRESS,
    SuggestionStatus.REPLIED,
    SuggestionStatus.ESCALATED,
}


# --- helpers shared with staff_views ---------------------------------------------------------


def _natural(name: str):
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", name)]


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def plan_for(community, chosen=None, x=None, y=None) -> dict:
    """The community's simple plan: its buildings in a grid, in a 100 x 100 square (the same
    0-100 scale as plan_x / plan_y), with the chosen building and the marked point."""
    buildings = sorted(Building.objects.filter(community=community), key=lambda b: _natural(b.name))
    plan = {"buildings": [], "chosen": _int(chosen), "has_marker": False}
    if not buildings:
        return plan
    cols = math.ceil(math.sqrt(len(buildings)))
    rows = math.ceil(len(buildings) / cols)
    cell_w, cell_h = 100 / cols, 100 / rows
    pad = min(cell_w, cell_h) * 0.12
    longest = max(len(b.name) for b in buildings)
    plan["font"] = _num(min(cell_w * 0.8 / max(longest, 1), cell_h * 0.3, 7))
    for i, b in enumerate(buildings):
        col, row = i % cols, i // cols
        left, top = col * cell_w + pad, row * cell_h + pad
        plan["buildings"].append(
            {
                "pk": b.pk,
                "name": b.name,
                "x": _num(left),
                "y": _num(top),
                "w": _num(cell_w - 2 * pad),
                "h": _num(cell_h - 2 * pad),
                "cx": _num(left + cell_w / 2 - pad),
                "cy": _num(top + cell_h / 2 - pad),
            }
        )
    try:
        x, y = float(x), float(y)
    except (TypeError, ValueError):
        return plan
    if 0 <= x <= 100 and 0 <= y <= 100:
        plan.update(has_marker=True, marker_x=_num(x), marker_y=_num(y))
    return plan


def plan_of_form(community, form) -> dict:
    return plan_for(
        community, form["building"].value(), form["plan_x"].value(), form["plan_y"].value()
    )


def plan_of(s) -> dict | None:
    """The plan with the suggestion's point, to show where it is; None without a point."""
    if s.plan_x is None or s.plan_y is None:
        return None
    plan = plan_for(s.community, s.building_id, s.plan_x, s.plan_y)
    return plan if plan["buildings"] else None


def similar_to(community, form_or_data, *, staff: bool) -> list:
    """Open suggestions like the one being written. Residents are offered public ones only
    (a suggestion not yet public is nobody else's business)."""
    get = form_or_data.get
    title, text = (get("title") or "").strip(), (get("text") or "").strip()
    if not title and not text:
        return []
    building = get("building")
    if building is not None and not isinstance(building, Building):
        building = Building.objects.filter(community=community, pk=_int(building)).first()
    found = queries.similar_open(community, building, title, text, limit=3)
    return [s for s in found if staff or s.public]


def unseen_similar(community, cleaned: dict, post, *, staff: bool) -> list:
    """The similar suggestions to offer before saving; empty once the writer has seen every
    one of them (the panel sends their ids back) and chose to submit anyway."""
    found = similar_to(community, cleaned, staff=staff)
    seen = {_int(x) for x in (post.get("seen_similar") or "").split(",")}
    return found if any(s.pk not in seen for s in found) else []


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def author_label(s, user) -> str:
    """The name the viewer may see: staff and the resident themself see it; others only when
    the resident allowed it."""
    access = access_for(user)
    if s.community_id in access.community_ids or (
        access.resident_id and access.resident_id == s.resident_id
    ):
        return s.resident.name if s.resident_id else "—"
    if s.show_name and s.resident_id:
        return s.resident.name
    return _("居民")


def steps_for(s, shown_name: str) -> list:
    """The timeline; where the viewer may not see the resident's name, the resident's own steps
    carry the name the viewer may see."""
    steps = list(queries.timeline(s))
    name = s.resident.name if s.resident_id else ""
    if name and shown_name != name:
        for step in steps:
            if step.actor_label and name in step.actor_label:
                step.actor_label = step.actor_label.replace(name, shown_name)
    return steps


def masked(name: str) -> str:
    return (name[:1] + "*" * max(len(name) - 1, 1)) if name else _("居民")


def handler_label(s) -> str:
    for who in (s.handler_user, s.handler_body, s.handler_unit):
        if who is not None:
            return getattr(who, "name", "") or str(who)
    return ""


def photos_of(s) -> list:
    return list(SuggestionPhoto.objects.filter(suggestion=s).order_by("pk"))


def _resident_of(user, community) -> Resident:
    """The logged-in user's registry row in this community; 404 for anyone else."""
    access = access_for(user)
    if access.resident_community_id != community.pk:
        raise Http404
    return Resident.objects.get(pk=access.resident_id)


# --- pages -----------------------------------------------------------------------------------


def board(request, code):
    community = get_public_community(code)
    order = request.GET.get("order", "support")
    if order not in ORDERS:
        order = "support"
    page = queries.board(community, order=order, page=request.GET.get("page"))
    access = access_for(request.user)
    return render(
        request,
        "proposals/suggestion_board.html",
        {
            "community": community,
            "page": page,
            "order": order,
            "can_file": access.resident_community_id == community.pk,
            "is_staff": community.pk in access.community_ids,
        },
    )


@login_required
def start(request):
    """The "提建议" link of the navigation: the form of the resident's own community."""
    resident_id = access_for(request.user).resident_id
    code = (
        Resident.objects.filter(pk=resident_id).values_list("community__code", flat=True).first()
        if resident_id
        else None
    )
    if code is None:
        raise Http404
    return redirect("proposals:new", code)


@login_required
def new(request, code):
    community = get_public_community(code)
    _resident_of(request.user, community)
    form = SuggestionForm(request.POST or None, request.FILES or None, community=community)
    similar, photos_lost = [], False
    if request.method == "POST":
        if form.is_valid():
            similar = unseen_similar(community, form.cleaned_data, request.POST, staff=False)
            if similar:
                messages.warning(request, _("已经有人提过相似的建议，请看一看是不是同一件事。"))
                photos_lost = bool(form.cleaned_data["photos"])
            else:
                s = attempt(
                    request,
                    actions.do_file_suggestion,
                    community,
                    **form.action_kwargs(),
                    actor=request.user,
                    done=_("建议已提交"),
                )
                if s:
                    return redirect("proposals:filed", code, s.pk)
        else:
            messages.error(request, _("有几处需要改一下，请看标红的提示。"))
        photos_lost = photos_lost or bool(request.FILES)
    return render(
        request,
        "proposals/suggestion_new.html",
        {
            "community": community,
            "form": form,
            "plan": plan_of_form(community, form),
            "similar": similar,
            "photos_lost": photos_lost,
            "staff": False,
        },
    )


@login_required
def similar(request, code):
    """The htmx panel of similar open suggestions, while the form is being filled in."""
    community = get_public_community(code)
    access = access_for(request.user)
    staff = community.pk in access.community_ids
    if not staff and access.resident_community_id != community.pk:
        raise Http404
    return render(
        request,
        "proposals/_suggestion_similar.html",
        {
            "community": community,
            "similar": similar_to(community, request.GET, staff=staff),
            "staff": staff,
        },
    )


def _suggestion(request, code, pk):
    community = get_public_community(code)
    return get_suggestion_for(request.user, community, pk)


@login_required
def filed(request, code, pk):
    """The tracking number, big, with the acceptance deadline and how to look it up."""
    s = _suggestion(request, code, pk)
    access = access_for(request.user)
    staff = s.community_id in access.community_ids
    if not staff and access.resident_id != s.resident_id:
        raise Http404
    return render(
        request,
        "proposals/suggestion_filed.html",
        {
            "s": s,
            "community": s.community,
            "staff": staff,
            "lookup_url": request.build_absolute_uri(reverse("proposals:lookup")),
        },
    )


def detail(request, code, pk):
    s = _suggestion(request, code, pk)
    access = access_for(request.user)
    is_mine = access.resident_id is not None and access.resident_id == s.resident_id
    resident_here = access.resident_community_id == s.community_id
    supported = (
        resident_here
        and not is_mine
        and Support.objects.filter(suggestion=s, resident_id=access.resident_id).exists()
    )
    context = {
        "s": s,
        "community": s.community,
        "steps": steps_for(s, author_label(s, request.user)),
        "handler": handler_label(s),
        "photos": photos_of(s),
        "plan": plan_of(s),
        "author_label": author_label(s, request.user),
        "is_mine": is_mine,
        "is_staff": s.community_id in access.community_ids,
        "supported": supported,
        "can_support": resident_here
        and not is_mine
        and not supported
        and s.public
        and s.status in OPEN,
        "can_rate": is_mine and s.status == SuggestionStatus.REPLIED,
        "rate_form": RateForm(),
    }
    return render(request, "proposals/suggestion.html", context)


@login_required
@require_POST
def support(request, code, pk):
    s = _suggestion(request, code, pk)
    try:
        done = attempt(
            request,
            actions.do_support_suggestion,
            s,
            actor=request.user,
            done=_("已附议。社区办理时会看到有多少居民支持。"),
        )
    except PermissionDenied:
        messages.error(request, _("只有本社区的居民可以附议"))
        done = None
    if done and request.POST.get("follow"):
        messages.info(request, _("您的建议不用再提了，可以在这里看办理进度。"))
    return redirect("proposals:suggestion", code, s.pk)


@login_required
@require_POST
def rate(request, code, pk):
    s = _suggestion(request, code, pk)
    if access_for(request.user).resident_id != s.resident_id:
        raise Http404
    form = RateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择满意、基本满意或不满意"))
        return redirect("proposals:suggestion", code, s.pk)
    attempt(
        request,
        actions.do_rate_suggestion,
        s,
        form.cleaned_data["rating"],
        form.cleaned_data["comment"],
        actor=request.user,
        done=_("谢谢您的评价"),
    )
    return redirect("proposals:suggestion", code, s.pk)


def photo(request, code, pk, photo_id):
    s = _suggestion(request, code, pk)
    try:
        item = SuggestionPhoto.objects.get(suggestion=s, pk=photo_id)
        handle = item.file.open("rb")
    except (SuggestionPhoto.DoesNotExist, FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    content_type = "image/png" if item.file.name.lower().endswith(".png") else "image/jpeg"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def mine(request):
    access = access_for(request.user)
    if access.resident_id is None:
        raise Http404
    resident = Resident.objects.select_related("community").get(pk=access.resident_id)
    page = Paginator(queries.mine(resident), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "proposals/suggestion_mine.html",
        {"page": page, "community": resident.community, "resident": resident},
    )


def lookup(request):
    """Status by tracking number and the last four digits of the phone, without login. The
    same answer for an unknown number and wrong digits; the name is masked."""
    form = LookupForm(request.POST or None)
    context = {"form": form, "s": None, "not_found": False, "refused": False}
    if request.method == "POST" and form.is_valid():
        try:
            s = lookup_by_number(
                form.cleaned_data["number"], form.cleaned_data["last4"], ip=client_ip(request)
            )
        except PermissionDenied:
            context["refused"] = True
        else:
            if s is None:
                context["not_found"] = True
            else:
                shown = masked(s.resident.name if s.resident_id else "")
                context.update(
                    s=s, steps=steps_for(s, shown), handler=handler_label(s), author_label=shown
                )
    return render(request, "proposals/suggestion_lookup.html", context)


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")
