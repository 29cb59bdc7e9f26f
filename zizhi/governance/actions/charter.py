"""The community's charter: its workflow preset, notice days, and its own voting rules."""

from django.db import transaction
from django.utils.translation import gettext as _

from zizhi.audit.log import record

from ..counting import Threshold
from ..models import BodyKind, Charter, CountBase, MatterType, Rule, WorkflowPreset
from .common import refuse, require_staff


def do_update_charter(community, *, workflow: str, meeting_notice_days: int, actor) -> Charter:
    """Choose the workflow preset (applies to matters registered from now on)."""
    require_staff(actor, community.pk)
    if workflow not in WorkflowPreset.values:
        refuse(_("议事流程不正确"))
    if not 1 <= meeting_notice_days <= 30:
        refuse(_("会议提前通知天数应在1到30天之间"))
    with transaction.atomic():
        charter, _created = Charter.objects.get_or_create(community=community)
        before = {"workflow": charter.workflow, "days": charter.meeting_notice_days}
        charter.workflow = workflow
        charter.meeting_notice_days = meeting_notice_days
        charter.save()
        record(
            actor,
            "charter.update",
            charter,
            community=community,
            before=before,
            after={"workflow": workflow, "days": meeting_notice_days},
        )
    return charter


def do_add_rule(
    community,
    *,
    body_kind: str,
    matter_type: str,
    name: str,
    source: str,
    quorum: tuple[int, int, bool],
    majority: tuple[int, int, bool],
    of_all: bool,
    actor,
) -> Rule:
    """A voting rule from the community's charter; it wins over the platform default for the
    same body and matter type. The residents' meeting keeps the statute's rule."""
    require_staff(actor, community.pk)
    if body_kind not in BodyKind.values or (matter_type and matter_type not in MatterType.values):
        refuse(_("适用组织或事项类别不正确"))
    if not name.strip() or not source.strip():
        refuse(_("请填写规则名称和章程条款（依据）"))
    try:
        q, m = Threshold(*quorum), Threshold(*majority)
    except (TypeError, ValueError):
        refuse(_("比例不正确：分子须在0到分母之间，分母须大于0"))
    if body_kind == BodyKind.RESIDENTS_MEETING:
        refuse(_("居民会议的出席和表决规则由《城市居民委员会组织法》第九条规定，章程不能另定"))
    with transaction.atomic():
        rule = Rule.objects.create(
            community=community,
            body_kind=body_kind,
            matter_type=matter_type,
            name=name.strip(),
            source=source.strip(),
            quorum_base=CountBase.MEMBERS,
            quorum_num=q.num,
            quorum_den=q.den,
            quorum_strict=q.strict,
            pass_num=m.num,
            pass_den=m.den,
            pass_strict=m.strict,
            pass_of_all=of_all,
        )
        record(
            actor,
            "charter.add_rule",
            rule,
            community=community,
            after={"name": rule.name, "quorum": q.words(), "majority": m.words()},
        )
    return rule
