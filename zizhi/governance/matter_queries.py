"""Read side of the matter pages."""

from . import workflow
from .access import seat_in, seats_of
from .models import (
    Body,
    BodyKind,
    Escalation,
    Meeting,
    MeetingStatus,
    Membership,
)


def progress(matter) -> list[dict]:
    """The preset's main path as a row of boxes, the current state marked (a picture of
    where the matter is)."""
    states = workflow.states_of(matter.workflow)
    done = set(matter.steps.values_list("to_state", flat=True))
    return [
        {
            "state": s,
            "label": workflow.STATES[s],
            "current": s == matter.state,
            "done": s in done and s != matter.state,
        }
        for s in states
    ]


def matter_page(matter, user) -> dict:
    steps = list(matter.steps.select_related("meeting", "poll"))
    review = matter.reviews.order_by("-started_at").prefetch_related("opinions").first()
    branch = Body.objects.filter(community=matter.community, kind=BodyKind.PARTY_BRANCH).first()
    branch_members = list(Membership.objects.active().filter(body=branch)) if branch else []
    opinions = {o.membership_id: o for o in review.opinions.all()} if review else {}
    my_branch_seat = seat_in(user, branch) if branch else None
    consultation = matter.consultations.order_by("-opened_at").first()
    return {
        "matter": matter,
        "steps": steps,
        "progress": progress(matter),
        "state_label": workflow.STATES[matter.state],
        "moves": {
            move: {"label": workflow.MOVES[move], "by": m.by}
            for move, m in workflow.allowed_moves(matter.workflow, matter.state).items()
        },
        "review": review,
        "members": [{"membership": m, "opinion": opinions.get(m.pk)} for m in branch_members],
        "my_branch_seat": my_branch_seat,
        "escalation": matter.escalations.order_by("-asked_at").first(),
        "consultation": consultation,
        "answers": consultation.answers.count() if consultation else 0,
        "assembly_meetings": Meeting.objects.filter(
            community=matter.community, body__kind=BodyKind.REPRESENTATIVE_ASSEMBLY
        ).exclude(status=MeetingStatus.CLOSED),
        "resolution": getattr(matter, "resolution", None),
        "implementation": list(matter.implementation.all()),
        "final": matter.state in workflow.FINAL,
    }


def open_escalations_for(user):
    """Escalations of the subdistricts whose committee the user sits on; None if none."""
    subdistricts = {
        s.subdistrict_id for s in seats_of(user) if s.kind == BodyKind.SUBDISTRICT_PARTY_COMMITTEE
    }
    if not subdistricts:
        return None
    return (
        Escalation.objects.filter(matter__community__subdistrict__in=subdistricts)
        .select_related("matter__community", "answered_by")
        .order_by("answered_at", "-asked_at")[:200]
    )
