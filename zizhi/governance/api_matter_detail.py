"""The detail of a matter as the API answers it: the timeline, the records of the steps
and the moves allowed now, each with whether the caller may make it and the call that does."""

from django.db.models import Prefetch

from . import workflow
from .access import is_branch_secretary, is_committee_member, is_staff_of
from .api_common import API_PREFIX
from .models import Matter, Opinion

# The route that makes each move that needs more than a note (default: .../moves).
VIA = {
    "review_submit": "review",
    "review_reject": "review",
    "review_escalate": "review",
    "consent": "consultation/close",
    "no_consent": "consultation/close",
    "put_on_agenda": "agenda",
    "disclose": "disclose",
    "complete": "complete",
    "disclose_result": "disclose-result",
}


def may_make(user, by: str, matter: Matter) -> bool:
    if by == workflow.WORKER:
        return is_staff_of(user, matter.community_id)
    if by == workflow.BRANCH:
        return is_branch_secretary(user, matter.community_id)
    if by == workflow.COMMITTEE:
        return is_committee_member(user, matter.community.subdistrict_id)
    return False  # SYSTEM: a counted result decides


def _via(matter: Matter, move: str, escalation) -> str:
    if move in ("vote_pass", "vote_fail"):
        return f"POST {API_PREFIX}/polls/{{poll_id}}/publish"
    if move == "instruct":
        return f"POST {API_PREFIX}/escalations/{escalation.pk if escalation else '{id}'}/answer"
    return f"POST {API_PREFIX}/matters/{matter.pk}/{VIA.get(move, 'moves')}"


def detail(matter: Matter, user) -> Matter:
    """The matter with its records in `matter.api`, as MatterDetailOut reads them."""
    opinions = Prefetch("opinions", Opinion.objects.select_related("membership"))
    review = matter.reviews.order_by("-started_at").prefetch_related(opinions).first()
    escalation = matter.escalations.order_by("-asked_at").first()
    consultation = matter.consultations.order_by("-opened_at").first()
    if consultation is not None:
        consultation.answer_count = consultation.answers.count()
    matter.api = {
        "steps": list(matter.steps.all()),
        "moves": [
            {
                "move": move,
                "label": str(workflow.MOVES[move]),
                "by": m.by,
                "allowed_for_you": may_make(user, m.by, matter),
                "via": _via(matter, move, escalation),
            }
            for move, m in workflow.allowed_moves(matter.workflow, matter.state).items()
        ],
        "review": review,
        "escalation": escalation,
        "consultation": consultation,
        "resolution": getattr(matter, "resolution", None),
        "implementation": list(matter.implementation.all()),
    }
    return matter
