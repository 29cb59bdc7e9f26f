"""The major-matter workflow. Every move goes through `_move`, which looks it up in the
table of the matter's preset (governance/workflow.py) and refuses anything else."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zizhi.accounts import messaging
from zizhi.audit.log import record
from zizhi.registry.models import Resident

from .. import workflow
from ..access import is_branch_secretary, is_committee_member, is_staff_of
from ..counting import MORE_THAN_HALF
from ..models import (
    AnswerChannel,
    Body,
    BodyKind,
    Charter,
    Consultation,
    ConsultationAnswer,
    CountBase,
    Escalation,
    ImplementationStep,
    Matter,
    MatterType,
    Meeting,
    MeetingStatus,
    Membership,
    Opinion,
    Resolution,
    Review,
    ReviewOutcome,
    Stance,
    Step,
    WorkflowPreset,
)
from ..rules import adult_cutoff, count_base
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


def do_register_matter(community, *, title, matter_type, text, why_major, actor) -> Matter:
    require_staff(actor, community.pk)
    if not title.strip() or not text.strip():
        refuse(_("请填写事项名称和内容"))
    if not why_major.strip():
        refuse(_("请说明这件事属于重大事项的理由"))
    if matter_type not in MatterType.values:
        refuse(_("事项类别不正确"))
    charter = Charter.objects.filter(community=community).first()
    preset = charter.workflow if charter else WorkflowPreset.SEED
    with transaction.atomic():
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


# --- the Party branch's review ---------------------------------------------------------


def branch_of(community) -> Body:
    try:
        return Body.objects.get(community=community, kind=BodyKind.PARTY_BRANCH)
    except Body.DoesNotExist:
        refuse(_("本社区尚未建立党支部的成员名单"))


def current_review(matter: Matter) -> Review:
    review = matter.reviews.filter(concluded_at__isnull=True).last()
    if review is None or matter.state != "in_review":
        refuse(_("事项不在党支部审议环节"))
    return review


def do_record_opinion(matter: Matter, membership: Membership, *, stance, text="", actor) -> Opinion:
    """A branch member's opinion, given by the member or entered by the branch secretary."""
    review = current_review(matter)
    branch = branch_of(matter.community)
    if membership.body_id != branch.pk or membership.ended_on is not None:
        refuse(_("此人不是本社区党支部的党员"))
    own = membership.user_id is not None and membership.user_id == actor.pk
    if not own and not is_branch_secretary(actor, matter.community_id):
        raise PermissionDenied
    if stance not in Stance.values:
        refuse(_("请选择同意、不同意或需请示"))
    with transaction.atomic():
        opinion, _created = Opinion.objects.update_or_create(
            review=review,
            membership=membership,
            defaults={
                "stance": stance,
                "text": text.strip(),
                "entered_by": actor,
                "at": timezone.now(),
            },
        )
        record(
            actor,
            "matter.opinion",
            matter,
            community=matter.community,
            after={"member": membership.name, "stance": stance},
        )
    return opinion


def missing_opinions(matter: Matter, review: Review) -> list[str]:
    branch = branch_of(matter.community)
    given = set(review.opinions.values_list("membership_id", flat=True))
    return [m.name for m in Membership.objects.active().filter(body=branch) if m.pk not in given]


def do_conclude_review(
    matter: Matter, outcome: str, *, conclusion: str, base=CountBase.ADULT_RESIDENTS, actor
):
    """The branch concludes its collective study: every member's opinion must be recorded."""
    review = current_review(matter)
    missing = missing_opinions(matter, review)
    if missing:
        refuse(_("集体研究须记录全体党员的意见，尚缺：%(names)s") % {"names": "、".join(missing)})
    if not conclusion.strip():
        refuse(_("请填写审议意见"))
    move = {
        ReviewOutcome.SUBMIT: "review_submit",
        ReviewOutcome.INTEND_REJECT: "review_reject",
        ReviewOutcome.ESCALATE: "review_escalate",
    }.get(outcome)
    if move is None:
        refuse(_("审议结论不正确"))
    with transaction.atomic():
        _move(matter, move, actor=actor, note=conclusion.strip())
        review.outcome = outcome
        review.conclusion = conclusion.strip()
        review.concluded_at = timezone.now()
        review.save()
        if outcome == ReviewOutcome.ESCALATE:
            Escalation.objects.create(
                matter=matter, question=conclusion.strip(), asked_by=actor, asked_at=timezone.now()
            )
            _tell_committee(
                matter,
                _("%(c)s党支部请示：%(t)s") % {"c": matter.community.name, "t": matter.title},
            )
        elif outcome == ReviewOutcome.INTEND_REJECT:
            if base not in (CountBase.ADULT_RESIDENTS, CountBase.HOUSEHOLDS):
                refuse(_("征求意见须以全体成年居民或全体户为基数"))
            Consultation.objects.create(
                matter=matter,
                base=base,
                base_count=count_base(base, matter.community),
                question=_("党支部拟否决「%(t)s」，理由：%(r)s。您是否同意否决？")
                % {"t": matter.title, "r": conclusion.strip()},
                opened_at=timezone.now(),
            )
    return matter


def do_answer_escalation(escalation: Escalation, *, instruction: str, actor) -> Escalation:
    matter = escalation.matter
    if escalation.answered_at is not None:
        refuse(_("这份请示已经批复"))
    if not instruction.strip():
        refuse(_("请填写批复意见"))
    with transaction.atomic():
        _move(matter, "instruct", actor=actor, note=instruction.strip())
        escalation.instruction = instruction.strip()
        escalation.answered_by = actor
        escalation.answered_at = timezone.now()
        escalation.save()
        Review.objects.create(matter=matter, started_at=timezone.now())
        _tell_branch(matter, _("街道党工委已批复「%(t)s」，请继续审议") % {"t": matter.title})
    return escalation


# --- consultation of residents ---------------------------------------------------------


def open_consultation(matter: Matter) -> Consultation:
    consultation = matter.consultations.filter(closed_at__isnull=True).last()
    if consultation is None or matter.state != "in_consultation":
        refuse(_("事项不在征求居民意见环节"))
    return consultation


def do_answer_consultation(
    matter: Matter, resident: Resident, *, consent: bool, actor
) -> ConsultationAnswer:
    """A resident answers online, or a worker enters an answer given at the door."""
    consultation = open_consultation(matter)
    if resident.community_id != matter.community_id:
        refuse(_("只有本社区居民可以答复"))
    if resident.user_id is not None and resident.user_id == actor.pk:
        channel = AnswerChannel.ONLINE
    elif is_staff_of(actor, matter.community_id):
        channel = AnswerChannel.DOOR
    else:
        raise PermissionDenied
    if consultation.base == CountBase.HOUSEHOLDS:
        if resident.household_id is None:
            refuse(_("按户征求意见，此居民未登记住户"))
        taken = consultation.answers.filter(household_id=resident.household_id).exclude(
            resident=resident
        )
        if taken.exists():
            refuse(_("这一户已经答复过（按户征求意见，每户一票）"))
    elif resident.birth_date > adult_cutoff():
        refuse(_("未满十八周岁的居民不计入征求意见"))
    with transaction.atomic():
        answer, _created = ConsultationAnswer.objects.update_or_create(
            consultation=consultation,
            resident=resident,
            defaults={
                "household_id": resident.household_id,
                "consent": consent,
                "channel": channel,
                "entered_by": actor,
                "at": timezone.now(),
            },
        )
        record(
            actor,
            "matter.consultation_answer",
            matter,
            community=matter.community,
            after={"channel": channel, "consent": consent},
        )
    return answer


@in_official_language
def do_close_consultation(matter: Matter, *, actor) -> Consultation:
    """Count the consents against the base: more than half rejects the matter; otherwise it
    goes to the assembly."""
    require_staff(actor, matter.community_id)
    consultation = open_consultation(matter)
    consents = consultation.answers.filter(consent=True).count()
    outcome = MORE_THAN_HALF.met(consents, consultation.base_count)
    needed = MORE_THAN_HALF.needed(consultation.base_count)
    text = _("%(base)s共%(n)s，同意否决%(c)s，%(cmp)s半数（%(need)s），%(res)s") % {
        "base": consultation.get_base_display(),
        "n": consultation.base_count,
        "c": consents,
        "cmp": _("超过") if outcome else _("未超过"),
        "need": needed,
        "res": _("事项否决") if outcome else _("提交居民代表大会表决"),
    }
    with transaction.atomic():
        consultation.consents = consents
        consultation.consented = outcome
        consultation.result_text = text
        consultation.closed_at = timezone.now()
        consultation.save()
        if outcome:
            notice_url = _publish(
                matter,
                "major_matter",
                _("关于不予实施「%(t)s」的公示") % {"t": matter.title},
                _("经社区党支部集体研究拟否决，并征求居民意见：%(r)s。\n否决理由：%(why)s")
                % {"r": text, "why": matter.reviews.exclude(conclusion="").last().conclusion},
                actor,
            )
            _move(matter, "consent", actor=actor, note=text, link=(notice_url, _("否决公示")))
        else:
            _move(matter, "no_consent", actor=actor, note=text)
    return consultation


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
    if poll.passed:
        year = timezone.localdate().year
        count = Resolution.objects.filter(
            matter__community=matter.community, adopted_at__year=year
        ).count()
        Resolution.objects.create(
            matter=matter,
            number=_("%(c)s决〔%(y)s〕%(n)s号")
            % {"c": matter.community.code, "y": year, "n": count + 1},
            text=_("%(meeting)s表决通过：%(t)s。%(res)s")
            % {"meeting": poll.item.meeting.title, "t": matter.title, "res": poll.result_text},
            poll=poll,
            adopted_at=timezone.now(),
        )
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
