"""Volunteer registration (by the resident or by a worker), guardians' consent for minors,
the community's rules, and teams. Each function writes one audit event."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zizhi.accounts.access import access_for
from zizhi.audit.log import record
from zizhi.registry.models import FiveOlds

from ..models import Team, TeamMember, TeamRole, Volunteer, VolunteerRules
from .common import next_number, require

ADULT_AGE = 18


def do_register_volunteer(
    resident,
    *,
    actor,
    skills: str = "",
    availability: str = "",
    five_olds: str = "",
    emergency_name: str = "",
    emergency_phone: str = "",
    guardian=None,
) -> Volunteer:
    """The resident registers themself, or a worker of their community registers them. A
    resident under the community's guardian age needs a guardian (an adult resident of the
    registry); their consent is recorded now (in the worker's presence, or given by the
    guardian's own account)."""
    access = access_for(actor)
    by_worker = resident.community_id in access.community_ids
    if not by_worker and access.resident_id != resident.pk:
        if guardian is None or access.resident_id != guardian.pk:
            raise PermissionDenied(_("您不能为这位居民登记"))
    require(five_olds in FiveOlds.values, _("五老类别不正确"))
    rules = VolunteerRules.for_community(resident.community_id)
    consent_at = None
    if resident.age() < rules.guardian_consent_under:
        require(
            guardian is not None,
            _("未满 %(n)s 周岁登记志愿者需要监护人同意，请填写监护人")
            % {"n": rules.guardian_consent_under},
        )
    if guardian is not None:
        require(guardian.pk != resident.pk, _("监护人不能是本人"))
        require(guardian.age() >= ADULT_AGE, _("监护人必须是成年人"))
        consent_at = timezone.now()
    code = resident.community.code
    try:
        with transaction.atomic():
            volunteer = Volunteer.objects.create(
                resident=resident,
                community=resident.community,
                number=f"{code}V{next_number(f'volunteer:{code}'):05d}",
                skills=(skills or "").strip()[:200],
                availability=(availability or "").strip()[:200],
                five_olds=five_olds or resident.five_olds,
                emergency_name=(emergency_name or "").strip()[:50],
                emergency_phone=(emergency_phone or "").strip()[:20],
                guardian=guardian,
                guardian_consent_at=consent_at,
                registered_by=actor,
                by_worker=by_worker and access.resident_id != resident.pk,
            )
            record(
                actor,
                "associations.register_volunteer",
                volunteer,
                community=resident.community,
                after={
                    "number": volunteer.number,
                    "resident": resident.pk,
                    "guardian": guardian.pk if guardian else None,
                    "by_worker": volunteer.by_worker,
                },
            )
    except IntegrityError as exc:
        raise ValidationError(_("%(n)s 已经登记为志愿者") % {"n": resident.name}) from exc
    return volunteer


def _require_staff(actor, community_id) -> None:
    if community_id not in access_for(actor).community_ids:
        raise PermissionDenied(_("您不是这个社区的工作人员"))


RULE_FIELDS = (
    "guardian_consent_under",
    "minors_only_under",
    "daily_cap_minutes",
    "four_eyes",
    "cancel_hours_before",
)


def do_set_rules(community, *, actor, **values) -> VolunteerRules:
    _require_staff(actor, community.pk)
    rules = VolunteerRules.for_community(community.pk)
    before = {f: getattr(rules, f) for f in RULE_FIELDS}
    for field in RULE_FIELDS:
        if field in values:
            setattr(rules, field, values[field])
    require(
        1 <= rules.minors_only_under <= rules.guardian_consent_under <= 18,
        _("年龄设置不合理：只限适合未成年人活动的年龄不能大于需监护人同意的年龄，且不超过 18"),
    )
    require(60 <= rules.daily_cap_minutes <= 24 * 60, _("每日时长上限应在 60 到 1440 分钟之间"))
    require(0 <= rules.cancel_hours_before <= 72, _("取消截止应在活动开始前 0 到 72 小时"))
    with transaction.atomic():
        rules.community = community
        rules.save()
        record(
            actor,
            "associations.set_rules",
            rules,
            community=community,
            before=before,
            after={f: getattr(rules, f) for f in RULE_FIELDS},
        )
    return rules


def do_create_team(community, *, actor, name: str, building=None, description: str = "") -> Team:
    _require_staff(actor, community.pk)
    name = (name or "").strip()
    require(name, _("请填写名称"))
    require(building is None or building.community_id == community.pk, _("楼栋不属于本社区"))
    require(not Team.objects.filter(community=community, name=name).exists(), _("已有同名的服务队"))
    with transaction.atomic():
        team = Team.objects.create(
            community=community, name=name[:100], building=building, description=description.strip()
        )
        record(
            actor, "associations.create_team", team, community=community, after={"name": team.name}
        )
    return team


def do_add_team_member(
    team: Team, volunteer: Volunteer, *, actor, role: str = TeamRole.MEMBER
) -> TeamMember:
    _require_staff(actor, team.community_id)
    require(role in TeamRole.values, _("职务不正确"))
    try:
        with transaction.atomic():
            member = TeamMember.objects.create(
                team=team, volunteer=volunteer, role=role, joined_on=timezone.localdate()
            )
            record(
                actor,
                "associations.add_team_member",
                member,
                community=team.community,
                after={"team": team.pk, "volunteer": volunteer.number, "role": role},
            )
    except IntegrityError as exc:
        raise ValidationError(_("已经是队员")) from exc
    return member
