"""Staff pages: participation figures, volunteer registration for a resident, the
community's rules, and an association's members (for its leaders too)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zizhi.accounts.access import get_staff_community
from zizhi.governance.web import attempt, to_int
from zizhi.registry.models import FiveOlds, Resident

from .access import get_association, get_managed_association, get_my_resident
from .actions import associations as assoc
from .actions import volunteers as vol
from .models import AssociationRole, Team, TeamMember, TeamRole, Volunteer, VolunteerRules
from .queries import participation

VOLUNTEER_FIELDS = ("skills", "availability", "five_olds", "emergency_name", "emergency_phone")


def _volunteer_fields(post) -> dict:
    return {name: post.get(name, "") for name in VOLUNTEER_FIELDS}


@login_required
def participation_page(request, code):
    community = get_staff_community(request.user, code)
    figures = participation(community)
    tables = [(_("按年龄"), figures["by_band"]), (_("按楼栋"), figures["by_building"])]
    return render(
        request,
        "associations/participation.html",
        {"community": community, "tables": tables, **figures},
    )


@login_required
def volunteers(request, code):
    community = get_staff_community(request.user, code)
    if request.method == "POST":
        resident = Resident.objects.filter(
            community=community, pk=to_int(request.POST.get("resident"))
        ).first()
        guardian = Resident.objects.filter(
            phone=request.POST.get("guardian_phone", "").strip() or "-"
        ).first()
        if resident is None:
            messages.error(request, _("请选择本社区的居民"))
        else:
            attempt(
                request,
                vol.do_register_volunteer,
                resident,
                actor=request.user,
                **_volunteer_fields(request.POST),
                guardian=guardian,
                done=_("已登记为志愿者"),
            )
        return redirect("associations:volunteers", code)
    items = (
        Volunteer.objects.filter(community=community)
        .select_related("resident", "guardian")
        .order_by("-id")[:200]
    )
    return render(
        request,
        "associations/volunteer_list.html",
        {
            "community": community,
            "items": items,
            "five_olds": FiveOlds.choices,
            "total": Volunteer.objects.filter(community=community).count(),
        },
    )


@login_required
def rules(request, code):
    community = get_staff_community(request.user, code)
    current = VolunteerRules.for_community(community.pk)
    if request.method == "POST":
        values = {
            f: to_int(request.POST.get(f), getattr(current, f))
            for f in vol.RULE_FIELDS
            if f != "four_eyes"
        }
        values["four_eyes"] = request.POST.get("four_eyes") == "on"
        attempt(request, vol.do_set_rules, community, actor=request.user, **values)
        return redirect("associations:rules", code)
    return render(
        request, "associations/volunteer_rules.html", {"community": community, "rules": current}
    )


@login_required
def register_me(request):
    """A resident registers as a volunteer on the phone."""
    resident = get_my_resident(request.user)
    if request.method == "POST":
        done = attempt(
            request,
            vol.do_register_volunteer,
            resident,
            actor=request.user,
            **_volunteer_fields(request.POST),
            done=_("登记成功，谢谢您！"),
        )
        if done:
            return redirect("associations:my_records")
    return render(
        request,
        "associations/volunteer_register.html",
        {
            "resident": resident,
            "five_olds": FiveOlds.choices,
            "volunteer": Volunteer.objects.filter(resident=resident).first(),
        },
    )


@login_required
def members(request, pk):
    item = get_managed_association(request.user, pk)
    rows = (
        item.members.filter(left_on__isnull=True)
        .select_related("resident__household__building")
        .order_by("role", "joined_on")
    )
    return render(
        request,
        "associations/association_members.html",
        {"item": item, "rows": rows, "roles": AssociationRole.choices},
    )


@login_required
@require_POST
def member_change(request, pk):
    item = get_managed_association(request.user, pk)
    move = request.POST.get("move")
    if move == "add":
        phone = request.POST.get("phone", "").strip()
        resident = (
            Resident.objects.filter(community__subdistrict=item.subdistrict, phone=phone).first()
            if phone
            else None
        )
        if resident is None:
            messages.error(request, _("没有找到这个手机号的居民"))
        else:
            attempt(
                request, assoc.do_add_member, item, resident, actor=request.user, done=_("已加入")
            )
    elif move == "texts":
        attempt(
            request,
            assoc.do_update_association,
            item,
            actor=request.user,
            description=request.POST.get("description", ""),
            charter_text=request.POST.get("charter_text", ""),
        )
    else:
        member = item.members.filter(
            pk=to_int(request.POST.get("member")), left_on__isnull=True
        ).first()
        if member and move == "role":
            attempt(
                request,
                assoc.do_set_member_role,
                member,
                actor=request.user,
                role=request.POST.get("role", ""),
            )
        elif member and move == "remove":
            attempt(request, assoc.do_remove_member, member, actor=request.user, done=_("已退出"))
    return redirect("associations:members", pk)


@login_required
@require_POST
def add_photo(request, pk):
    item = get_managed_association(request.user, pk)
    attempt(
        request,
        assoc.do_add_photo,
        item,
        request.FILES.get("photo"),
        actor=request.user,
        caption=request.POST.get("caption", ""),
        done=_("照片已上传"),
    )
    return redirect("associations:members", pk)


def photo(request, pk, photo_id):
    """A photo of an association's public page."""
    item = get_association(pk)
    found = item.photos.filter(pk=photo_id).first()
    if found is None:
        raise Http404
    return FileResponse(found.file.open("rb"))


@login_required
def teams(request, code):
    """The community's volunteer teams: create one, add a volunteer (by number) as leader or
    member."""
    community = get_staff_community(request.user, code)
    if request.method == "POST":
        if request.POST.get("move") == "create":
            attempt(
                request,
                vol.do_create_team,
                community,
                actor=request.user,
                name=request.POST.get("name", ""),
                done=_("服务队已建立"),
            )
        else:
            team = Team.objects.filter(
                community=community, pk=to_int(request.POST.get("team"))
            ).first()
            volunteer = Volunteer.objects.filter(
                community=community, number=request.POST.get("number", "").strip().upper()
            ).first()
            if team is None or volunteer is None:
                messages.error(request, _("没有找到这个编号的本社区志愿者"))
            else:
                attempt(
                    request,
                    vol.do_add_team_member,
                    team,
                    volunteer,
                    actor=request.user,
                    role=request.POST.get("role", TeamRole.MEMBER),
                    done=_("已加入服务队"),
                )
        return redirect("associations:teams", code)
    items = Team.objects.filter(community=community).prefetch_related(
        Prefetch(
            "members",
            TeamMember.objects.filter(left_on__isnull=True).select_related("volunteer__resident"),
        )
    )
    return render(
        request,
        "associations/team_list.html",
        {"community": community, "items": items, "roles": TeamRole.choices},
    )
