"""The charter: the version in force and its history (public), one version with its
differences from the one before, and the staff's draft / edit / propose pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zizhi.accounts.access import get_public_community

from . import actions
from .access import is_staff_of, require_staff_community
from .charter import charter_in_force, diff_html, full_text, numbers_in_words, predecessor
from .models import CharterVersion, VersionStatus, WorkflowPreset
from .models.charter import NUMBER_FIELDS
from .web import attempt, to_int

PUBLIC = [VersionStatus.PROPOSED, VersionStatus.IN_FORCE, VersionStatus.SUPERSEDED]


def _staff(request, community) -> bool:
    return request.user.is_authenticated and is_staff_of(request.user, community.pk)


def charter(request, code):
    community = get_public_community(code)
    staff = _staff(request, community)
    current = charter_in_force(community)
    versions = CharterVersion.objects.filter(community=community).select_related(
        "resolution", "matter"
    )
    if not staff:
        versions = versions.filter(status__in=PUBLIC)
    return render(
        request,
        "governance/charter.html",
        {
            "community": community,
            "current_community": community if staff else None,
            "version": current,
            "numbers": numbers_in_words(current),
            "bylaws": current.bylaws.all(),
            "versions": versions,
            "is_staff": staff,
        },
    )


def _version(request, community, number) -> CharterVersion:
    """A draft or a withdrawn draft only for the community's staff; 404 alike otherwise."""
    version = (
        CharterVersion.objects.filter(community=community, number=number)
        .select_related("resolution", "matter")
        .first()
    )
    if version is None or (version.status not in PUBLIC and not _staff(request, community)):
        raise Http404
    return version


def charter_version(request, code, number):
    community = get_public_community(code)
    version = _version(request, community, number)
    before = predecessor(version)
    return render(
        request,
        "governance/charter_version.html",
        {
            "community": community,
            "current_community": community if _staff(request, community) else None,
            "version": version,
            "numbers": numbers_in_words(version),
            "bylaws": version.bylaws.all(),
            "before": before,
            "diff": diff_html(full_text(before), full_text(version)) if before else "",
            "is_staff": _staff(request, community),
        },
    )


@require_POST
@login_required
def charter_draft(request, code):
    community = require_staff_community(request.user, code)
    draft = attempt(
        request,
        actions.do_draft_charter_version,
        community,
        actor=request.user,
        done=_("已起草修订稿，请修改后提请居民代表大会表决"),
    )
    if draft:
        return redirect("governance:charter_edit", code, draft.number)
    return redirect("governance:charter", code)


def _numbers_from(post) -> dict:
    out = {}
    for f in NUMBER_FIELDS:
        if f == "workflow":
            out[f] = post.get(f, "")
        elif f.endswith("_strict") or f == "pass_of_all":
            out[f] = post.get(f) == "1"
        else:
            out[f] = to_int(post.get(f), -1)
    return out


@login_required
def charter_edit(request, code, number):
    community = require_staff_community(request.user, code)
    version = CharterVersion.objects.filter(community=community, number=number).first()
    if version is None:
        raise Http404
    if version.status != VersionStatus.DRAFT:
        messages.error(request, _("章程一经提请表决就不能再修改"))
        return redirect("governance:charter_version", code, number)
    if request.method == "POST":
        p = request.POST
        titles, texts = p.getlist("bylaw_title"), p.getlist("bylaw_text")
        bylaws = [(t, x) for t, x in zip(titles, texts, strict=False) if t.strip() or x.strip()]
        saved = attempt(
            request,
            actions.do_edit_charter_version,
            version,
            text=p.get("text", ""),
            note=p.get("note", ""),
            numbers=_numbers_from(p),
            bylaws=bylaws,
            actor=request.user,
        )
        if saved:
            return redirect("governance:charter_version", code, number)
    return render(
        request,
        "governance/charter_edit.html",
        {
            "community": community,
            "current_community": community,
            "version": version,
            "bylaws": version.bylaws.all(),
            "presets": WorkflowPreset.choices,
            "thresholds": [
                ("quorum", _("居民代表大会出席：应到代表的"), False),
                ("pass", _("一般事项通过：赞成票占"), True),
                ("charter_pass", _("修改章程通过：全体代表的"), False),
                ("recall_pass", _("罢免居委会成员通过：全体代表的"), False),
            ],
        },
    )


@require_POST
@login_required
def charter_act(request, code, number, verb):
    community = require_staff_community(request.user, code)
    version = CharterVersion.objects.filter(community=community, number=number).first()
    if version is None:
        raise Http404
    fn = {
        "propose": actions.do_propose_charter_version,
        "withdraw": actions.do_withdraw_charter_version,
    }.get(verb)
    if fn is None:
        raise Http404
    done = attempt(request, fn, version, actor=request.user)
    if done and verb == "propose":
        return redirect("governance:matter", code, done.matter_id)
    return redirect("governance:charter_version", code, number)
