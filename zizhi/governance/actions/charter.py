"""Versions of the charter: a worker drafts (copying the version in force), edits and proposes
it; the proposal is a major matter of type CHARTER; the assembly's resolution brings it into
force (and rewrites the community's charter-sourced rules); a failed vote withdraws it."""

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zizhi.audit.log import record

from ..charter import charter_in_force
from ..counting import Threshold
from ..models import (
    BodyKind,
    BylawText,
    CharterVersion,
    CountBase,
    MatterType,
    Rule,
    VersionStatus,
    WorkflowPreset,
)
from ..models.charter import NUMBER_FIELDS, VERSION_MOVES
from .common import in_official_language, refuse, require_staff

DEFAULT_BYLAWS = [
    "居民代表大会制度",
    "居务公开制度",
    "民主评议制度",
    "财务管理制度",
    "议事协商制度",
    "居民议案建议受理办法",
    "述职制度",
    "矛盾调解制度",
]


def _move(version: CharterVersion, to: str) -> None:
    if (version.status, to) not in VERSION_MOVES:
        refuse(
            _("章程第%(n)s版当前为「%(s)s」，不能改为「%(t)s」")
            % {
                "n": version.number,
                "s": version.get_status_display(),
                "t": VersionStatus(to).label,
            }
        )
    version.status = to


def do_draft_charter_version(community, *, actor) -> CharterVersion:
    """A new draft, copying the version in force (its text, numbers and bylaws)."""
    require_staff(actor, community.pk)
    with transaction.atomic():
        current = charter_in_force(community)
        if CharterVersion.objects.filter(
            community=community, status__in=[VersionStatus.DRAFT, VersionStatus.PROPOSED]
        ).exists():
            refuse(_("已有一份修订稿在起草或表决中，请先完成或撤回它"))
        top = CharterVersion.objects.filter(community=community).aggregate(n=Max("number"))["n"]
        draft = CharterVersion.objects.create(
            community=community,
            number=(top or 0) + 1,
            status=VersionStatus.DRAFT,
            text=current.text,
            created_by=actor,
            **{f: getattr(current, f) for f in NUMBER_FIELDS},
        )
        bylaws = list(current.bylaws.all()) if current.pk else []
        if bylaws:
            BylawText.objects.bulk_create(
                BylawText(version=draft, title=b.title, text=b.text, order=b.order) for b in bylaws
            )
        else:
            BylawText.objects.bulk_create(
                BylawText(version=draft, title=t, order=i) for i, t in enumerate(DEFAULT_BYLAWS)
            )
        record(actor, "charter.draft", draft, community=community, after={"from": current.number})
    return draft


def _check_threshold(value, what) -> Threshold:
    try:
        return Threshold(*value)
    except (TypeError, ValueError):
        refuse(_("%(w)s的比例不正确：分子须在0到分母之间，分母须大于0") % {"w": what})


def do_edit_charter_version(
    version: CharterVersion,
    *,
    text: str,
    note: str = "",
    numbers: dict,
    bylaws: list[tuple[str, str]],
    actor,
) -> CharterVersion:
    """Change a draft: the text, the numbers, the bylaws (title, text) in order."""
    require_staff(actor, version.community_id)
    with transaction.atomic():
        version = CharterVersion.objects.select_for_update().get(pk=version.pk)
        if version.status != VersionStatus.DRAFT:
            refuse(_("章程一经提请表决就不能再修改"))
        unknown = set(numbers) - set(NUMBER_FIELDS)
        if unknown:
            refuse(_("章程条款不正确：%(f)s") % {"f": "、".join(sorted(unknown))})
        merged = {f: getattr(version, f) for f in NUMBER_FIELDS} | numbers
        if merged["workflow"] not in WorkflowPreset.values:
            refuse(_("议事流程不正确"))
        if not 1 <= (merged["meeting_notice_days"] or 0) <= 30:
            refuse(_("会议提前通知天数应在1到30天之间"))
        if not 1 <= (merged["motion_cosigners"] or 0) <= 100:
            refuse(_("居民议案附议人数应在1到100人之间"))
        for prefix, what in [
            ("quorum", _("出席人数")),
            ("pass", _("一般事项通过")),
            ("charter_pass", _("修改章程通过")),
            ("recall_pass", _("罢免通过")),
        ]:
            _check_threshold(
                (
                    merged[f"{prefix}_num"],
                    merged[f"{prefix}_den"],
                    bool(merged[f"{prefix}_strict"]),
                ),
                what,
            )
        if any(not t.strip() for t, _x in bylaws):
            refuse(_("每项制度都要有名称"))
        before = {f: getattr(version, f) for f in NUMBER_FIELDS}
        for f, v in merged.items():
            setattr(version, f, v)
        version.text = text.strip()
        version.note = note.strip()[:300]
        version.save()
        version.bylaws.all().delete()
        BylawText.objects.bulk_create(
            BylawText(version=version, title=t.strip(), text=x.strip(), order=i)
            for i, (t, x) in enumerate(bylaws)
        )
        record(
            actor,
            "charter.edit",
            version,
            community=version.community,
            before=before,
            after={f: getattr(version, f) for f in NUMBER_FIELDS},
        )
    return version


@in_official_language
def do_propose_charter_version(version: CharterVersion, *, actor) -> CharterVersion:
    """Register the major matter (type CHARTER) that puts this version to the assembly."""
    from .matters import do_register_matter

    require_staff(actor, version.community_id)
    community = version.community
    with transaction.atomic():
        version = CharterVersion.objects.select_for_update().get(pk=version.pk)
        _move(version, VersionStatus.PROPOSED)
        url = reverse("governance:charter_version", args=[community.code, version.number])
        matter = do_register_matter(
            community,
            title=_("修订《%(c)s社区自治章程》（第%(n)s版）")
            % {"c": community.name, "n": version.number},
            matter_type=MatterType.CHARTER,
            text=(version.note or _("修订自治章程及其配套制度，见修订稿及与现行版本的对照。"))
            + "\n"
            + _("修订稿：%(u)s") % {"u": url},
            why_major=_("制定和修改自治章程须经居民代表大会讨论决定。"),
            origin_label=_("自治章程第%(n)s版修订稿") % {"n": version.number},
            origin_url=url,
            actor=actor,
        )
        version.matter = matter
        version.save(update_fields=["status", "matter"])
        record(
            actor,
            "charter.propose",
            version,
            community=community,
            after={"matter": matter.number},
        )
    return version


def do_withdraw_charter_version(version: CharterVersion, *, actor) -> CharterVersion:
    """A draft that is not wanted (a proposed one ends with its vote)."""
    require_staff(actor, version.community_id)
    with transaction.atomic():
        version = CharterVersion.objects.select_for_update().get(pk=version.pk)
        if version.status != VersionStatus.DRAFT:
            refuse(_("只有草稿可以撤回；已提请表决的修订稿以表决结果为准"))
        _move(version, VersionStatus.WITHDRAWN)
        version.save(update_fields=["status"])
        record(actor, "charter.withdraw", version, community=version.community)
    return version


def after_charter_vote(matter, resolution, *, actor) -> None:
    """Called inside the transaction that records the vote on a CHARTER matter: the version it
    proposed comes into force (with a resolution) or is withdrawn (without one)."""
    version = (
        CharterVersion.objects.select_for_update()
        .filter(matter=matter, status=VersionStatus.PROPOSED)
        .first()
    )
    if version is None:
        return
    community = version.community
    if resolution is None:
        _move(version, VersionStatus.WITHDRAWN)
        version.save(update_fields=["status"])
        record(actor, "charter.rejected", version, community=community)
        return
    old = CharterVersion.objects.filter(community=community, status=VersionStatus.IN_FORCE).first()
    if old is not None:
        _move(old, VersionStatus.SUPERSEDED)
        old.save(update_fields=["status"])
    _move(version, VersionStatus.IN_FORCE)
    version.resolution = resolution
    version.in_force_from = timezone.localdate()
    version.save(update_fields=["status", "resolution", "in_force_from"])
    write_rules(
        version,
        source=_("自治章程第%(n)s版（%(r)s）") % {"n": version.number, "r": resolution.number},
    )
    record(
        actor,
        "charter.in_force",
        version,
        community=community,
        before={"in_force": old.number if old else None},
        after={"in_force": version.number, "resolution": resolution.number},
    )


def write_rules(version: CharterVersion, *, source: str) -> None:
    """The community's rules for the assembly are the numbers of the version in force."""
    community = version.community
    Rule.objects.filter(community=community, body_kind=BodyKind.REPRESENTATIVE_ASSEMBLY).delete()
    common = {
        "community": community,
        "body_kind": BodyKind.REPRESENTATIVE_ASSEMBLY,
        "source": source[:200],
        "quorum_base": CountBase.MEMBERS,
        "quorum_num": version.quorum_num,
        "quorum_den": version.quorum_den,
        "quorum_strict": version.quorum_strict,
    }
    Rule.objects.bulk_create(
        [
            Rule(
                **common,
                matter_type="",
                name=_("居民代表大会（一般事项）"),
                pass_num=version.pass_num,
                pass_den=version.pass_den,
                pass_strict=version.pass_strict,
                pass_of_all=version.pass_of_all,
            ),
            Rule(
                **common,
                matter_type=MatterType.CHARTER,
                name=_("居民代表大会（自治章程）"),
                pass_num=version.charter_pass_num,
                pass_den=version.charter_pass_den,
                pass_strict=version.charter_pass_strict,
                pass_of_all=True,
            ),
            Rule(
                **common,
                matter_type=MatterType.RECALL,
                name=_("居民代表大会（罢免）"),
                pass_num=version.recall_pass_num,
                pass_den=version.recall_pass_den,
                pass_strict=version.recall_pass_strict,
                pass_of_all=True,
            ),
        ]
    )
