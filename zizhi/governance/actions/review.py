"""The Party branch's review (every member's opinion), escalation to the subdistrict Party
working committee, and the consultation of residents when the branch intends to reject."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zizhi.audit.log import record
from zizhi.registry.models import Resident

from ..access import is_branch_secretary, is_staff_of
from ..counting import MORE_THAN_HALF
from ..models import (
    AnswerChannel,
    Body,
    BodyKind,
    Consultation,
    ConsultationAnswer,
    CountBase,
    Escalation,
    Matter,
    Membership,
    Opinion,
    Review,
    ReviewOutcome,
    Stance,
)
from ..rules import adult_cutoff, count_base
from .common import in_official_language, refuse, require_staff
from .matters import _move, _publish, _tell_branch, _tell_committee

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
