"""The major-matter workflow. Every move goes through `_move`, which looks it up in the
table of the matter's preset (governance/workflow.py) and refuses anything else."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zizhi.accounts import messaging
from zizhi.audit.log import record

from .. import workflow
from ..access import is_branch_secretary, is_committee_member, is_staff_of
from ..charter import charter_in_force
from ..models import (
    BodyKind,
    ImplementationStep,
    Matter,
    MatterType,
    Meeting,
    MeetingStatus,
    Membership,
    Resolution,
    Review,
    Step,
)
from .common import in_official_language, label, refuse, require_staff
from .meetings import do_add_agenda_item

# Moves that need more than a note; they have their own action below.
SPECIAL = {
    "review_submit": "do_conclude_review",
    "review_reject": "do_conclude_review",
    "review_escalate": "do_conclude_review",
    "instruct": "do_answer_escalation",
    "consent": "do_close_consultation",
    "no_consent": "do_close_consultation",
    "put_on_agenda": "do_put_on_agenda",
    "vote_pass": "do_publish_poll",
    "vote_fail": "do_publish_poll",
    "disclose": "do_disclose_resolution",
    "complete": "do_complete_implementation",
    "disclose_result": "do_disclose_result",
}


def _may(actor, who: str, matter: Matter) -> bool:
    if who == workflow.SYSTEM:
        return True  # reached only from the action that counted the result
    if who == workflow.WORKER:
        return is_staff_of(actor, matter.community_id)
    if who == workflow.BRANCH:
        return is_branch_secretary(actor, matter.community_id)
    if who == workflow.COMMITTEE:
        return is_committee_member(actor, matter.community.subdistrict_id)
    return False


WHO_WORDS = {
    workflow.WORKER: _("社区工作人员"),
    workflow.BRANCH: _("社区党支部书记"),
    workflow.COMMITTEE: _("街道党工委成员"),
}


def _move(matter: Matter, move: str, *, actor, note="", meeting=None, poll=None, link=("", "")):
    """Make a move of the table, or refuse it with the reason; writes the step and audit."""
    found = workflow.find_move(matter.workflow, matter.state, move)
    if found is None:
        allowed = "、".join(
            str(workflow.MOVES[m]) for m in workflow.allowed_moves(matter.workflow, matter.state)
        )
        refuse(
            _("事项当前环节为「%(state)s」，不能进行「%(move)s」。%(next)s")
            % {
                "state": workflow.STATES[matter.state],
                "move": workflow.MOVES.get(move, move),
                "next": (_("当前可以进行：%(m)s。") % {"m": allowed})
                if allowed
                else _("事项已办结。"),
            }
        )
    if not _may(actor, found.by, matter):
        raise PermissionDenied(
            _("「%(move)s」须由%(who)s进行")
            % {"move": workflow.MOVES[move], "who": WHO_WORDS.get(found.by, "")}
        )
    before = matter.state
    matter.state = found.to
    matter.save(update_fields=["state", "updated_at"])
    Step.objects.create(
        matter=matter,
        move=move,
        from_state=before,
        to_state=found.to,
        actor=actor,
        actor_label=label(actor),
        at=timezone.now(),
        note=note,
        meeting=meeting,
        poll=poll,
        link_url=link[0],
        link_label=link[1],
    )
    record(
        actor,
        f"matter.{move}",
        matter,
        community=matter.community,
        before={"state": before},
        after={"state": found.to, "note": note[:200]},
    )
    return matter


def _next_number(community, prefix: str, model, field: str) -> str:
    year = timezone.localdate().year
    start = f"{community.code}-{prefix}{year}-"
    taken = model.objects.filter(**{f"{field}__startswith": start}).count()
    return f"{start}{taken + 1:03d}"


def do_register_matter(
    community,
    *,
    title,
    matter_type,
    text,
    why_major,
    actor,
    origin_label: str = "",
    origin_url: str = "",
) -> Matter:
    require_staff(actor, community.pk)
    if not title.strip() or not text.strip():
        refuse(_("请填写事项名称和内容"))
    if not why_major.strip():
        refuse(_("请说明这件事属于重大事项的理由"))
    if matter_type not in MatterType.values:
        refuse(_("事项类别不正确"))
    with transaction.atomic():
        preset = charter_in_force(community).workflow
        matter = Matter.objects.create(
            community=community,
            number=_next_number(community, "", Matter, "number"),
            title=title.strip(),
            matter_type=matter_type,
            text=text.strip(),
            why_major=why_major.strip(),
            workflow=preset,
            state="registered",
            registered_by=actor,
            registered_at=timezone.now(),
            origin_label=origin_label.strip()[:100],
            origin_url=origin_url.strip()[:300],
        )
        Step.objects.create(
            matter=matter,
            move="register",
            from_state="",
            to_state="registered",
            actor=actor,
            actor_label=label(actor),
            at=matter.registered_at,
        )
        record(
            actor,
            "matter.register",
            matter,
            community=community,
            after={"title": matter.title, "workflow": preset},
        )
    return matter


def do_move_matter(matter: Matter, move: str, *, note: str = "", actor) -> Matter:
    """The moves that need only a note: start_review, propose, discuss, party_review, submit."""
    if move in SPECIAL:
        refuse(_("「%(m)s」不能直接操作，须在相应页面完成") % {"m": workflow.MOVES[move]})
    if move in ("propose", "discuss", "party_review") and not note.strip():
        refuse(_("请记录本环节的意见或会议情况"))
    with transaction.atomic():
        _move(matter, move, actor=actor, note=note.strip())
        if move == "start_review":
            Review.objects.create(matter=matter, started_at=timezone.now())
            _tell_branch(matter, _("请对「%(t)s」发表审议意见") % {"t": matter.title})
    return matter


def _matter_url(matter) -> str:
    return reverse("governance:matter", args=[matter.community.code, matter.pk])


def _tell_branch(matter, subject: str) -> None:
    """Tell every branch member with a login (their inbox; SMS/email by the backends)."""
    members = Membership.objects.active().filter(
        body__community=matter.community, body__kind=BodyKind.PARTY_BRANCH, user__isnull=False
    )
    messaging.send(
        [m.user for m in members.select_related("user")],
        subject,
        matter.text[:200],
        _matter_url(matter),
    )


def _tell_committee(matter, subject: str) -> None:
    members = Membership.objects.active().filter(
        body__subdistrict_id=matter.community.subdistrict_id,
        body__kind=BodyKind.SUBDISTRICT_PARTY_COMMITTEE,
        user__isnull=False,
    )
    messaging.send(
        [m.user for m in members.select_related("user")], subject, "", _matter_url(matter)
    )


# --- the assembly, the resolution and its disclosure -------------------------------------


def do_put_on_agenda(matter: Matter, meeting: Meeting, *, actor) -> Matter:
    require_staff(actor, matter.community_id)
    if (
        meeting.community_id != matter.community_id
        or meeting.body.kind != BodyKind.REPRESENTATIVE_ASSEMBLY
    ):
        refuse(_("只能列入本社区居民代表大会的会议"))
    if meeting.status == MeetingStatus.CLOSED:
        refuse(_("这次会议已经结束"))
    with transaction.atomic():
        do_add_agenda_item(
            meeting, title=matter.title, text=matter.text, matter=matter, actor=actor
        )
        _move(
            matter,
            "put_on_agenda",
            actor=actor,
            meeting=meeting,
            link=(
                reverse("governance:meeting", args=[matter.community.code, meeting.pk]),
                meeting.title,
            ),
        )
    return matter


@in_official_language
def apply_vote(matter: Matter, poll, *, actor) -> Matter:
    """Called when a poll on the matter is published: the counted result decides the move."""
    if matter.state != "on_agenda":
        return matter  # e.g. a second, procedural poll on the same item
    move = "vote_pass" if poll.passed else "vote_fail"
    _move(matter, move, actor=actor, poll=poll, meeting=poll.item.meeting, note=poll.result_text)
    resolution = None
    if poll.passed:
        year = timezone.localdate().year
        count = Resolution.objects.filter(
            matter__community=matter.community, adopted_at__year=year
        ).count()
        resolution = Resolution.objects.create(
            matter=matter,
            number=_("%(c)s决〔%(y)s〕%(n)s号")
            % {"c": matter.community.code, "y": year, "n": count + 1},
            text=_("%(meeting)s表决通过：%(t)s。%(res)s")
            % {"meeting": poll.item.meeting.title, "t": matter.title, "res": poll.result_text},
            poll=poll,
            adopted_at=timezone.now(),
        )
    if matter.matter_type == MatterType.CHARTER:
        from .charter import after_charter_vote

        after_charter_vote(matter, resolution, actor=actor)
    return matter


@in_official_language
def _publish(matter, category, title, body, actor) -> str:
    from zizhi.notices.actions import publish_notice

    notice = publish_notice(
        matter.community,
        category=category,
        title=title,
        body=body,
        source_label=matter.number,
        source_url=reverse("governance:matter", args=[matter.community.code, matter.pk]),
        actor=actor,
    )
    return reverse("notices:detail", args=[matter.community.code, notice.pk])


def do_disclose_resolution(matter: Matter, *, actor) -> Matter:
    resolution = getattr(matter, "resolution", None)
    if resolution is None:
        refuse(_("事项尚未形成决议"))
    with transaction.atomic():
        url = _publish(
            matter,
            "resolution",
            _("%(n)s 关于「%(t)s」的决议") % {"n": resolution.number, "t": matter.title},
            f"{resolution.text}\n\n{matter.text}",
            actor,
        )
        _move(matter, "disclose", actor=actor, link=(url, _("决议公告")))
        resolution.notice_url = url
        resolution.save(update_fields=["notice_url"])
    return matter


def do_add_implementation_step(
    matter: Matter, *, title, responsible, deadline, actor
) -> ImplementationStep:
    require_staff(actor, matter.community_id)
    if matter.state != "disclosed":
        refuse(_("决议公开后才能安排实施"))
    if not title.strip() or not responsible.strip() or deadline is None:
        refuse(_("请填写实施事项、责任人和完成期限"))
    with transaction.atomic():
        step = ImplementationStep.objects.create(
            matter=matter, title=title.strip(), responsible=responsible.strip(), deadline=deadline
        )
        record(
            actor,
            "matter.implementation_add",
            matter,
            community=matter.community,
            after={"title": step.title, "responsible": step.responsible, "deadline": deadline},
        )
    return step


def do_finish_implementation_step(
    step: ImplementationStep, *, outcome: str, actor
) -> ImplementationStep:
    matter = step.matter
    require_staff(actor, matter.community_id)
    if step.done_at is not None:
        refuse(_("这项工作已经标记完成"))
    if not outcome.strip():
        refuse(_("请填写完成情况"))
    with transaction.atomic():
        step.done_at = timezone.now()
        step.outcome = outcome.strip()
        step.save()
        record(
            actor,
            "matter.implementation_done",
            matter,
            community=matter.community,
            after={"title": step.title},
        )
    return step


def do_complete_implementation(matter: Matter, *, actor) -> Matter:
    steps = list(matter.implementation.all())
    if not steps:
        refuse(_("请先安排至少一项实施工作"))
    open_steps = [s.title for s in steps if s.done_at is None]
    if open_steps:
        refuse(_("尚有未完成的实施工作：%(t)s") % {"t": "、".join(open_steps)})
    with transaction.atomic():
        _move(matter, "complete", actor=actor)
    return matter


def do_disclose_result(matter: Matter, *, actor) -> Matter:
    lines = [
        _("%(t)s（责任人：%(r)s）：%(o)s") % {"t": s.title, "r": s.responsible, "o": s.outcome}
        for s in matter.implementation.all()
    ]
    with transaction.atomic():
        url = _publish(
            matter,
            "implementation",
            _("关于「%(t)s」实施结果的公示") % {"t": matter.title},
            "\n".join(lines),
            actor,
        )
        _move(matter, "disclose_result", actor=actor, link=(url, _("实施结果公示")))
        matter.resolution.result_notice_url = url
        matter.resolution.save(update_fields=["result_notice_url"])
    return matter
