"""The major-matter workflow as data: states, and for each preset the allowed moves.

A move is (from state, move name) -> (to state, who may make it). `actions.do_move_matter`
looks the move up here and refuses anything else with a reason; there are no branches per
preset in the code. Moves marked SYSTEM are made by the platform itself when a counted
result decides them (a poll published, a consultation closed, an escalation answered).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# who may make a move
WORKER = "worker"  # a community worker (or subdistrict administrator) of the community
BRANCH = "branch"  # the secretary of the community's Party branch (or a worker recording it)
COMMITTEE = "committee"  # a member of the subdistrict Party working committee
SYSTEM = "system"  # the platform, from a counted result

STATES = {
    "registered": _("已登记"),
    "in_review": _("党支部审议中"),
    "escalated": _("已请示街道党工委"),
    "in_consultation": _("征求居民意见中"),
    "rejected": _("已否决（居民多数同意）"),
    "proposed": _("党支部已提议"),
    "discussed": _("两委已商议"),
    "reviewed": _("党员大会已审议"),
    "awaiting_vote": _("待居民代表大会表决"),
    "on_agenda": _("已列入大会议程"),
    "resolved": _("已通过，形成决议"),
    "not_passed": _("表决未通过"),
    "disclosed": _("决议已公开，实施中"),
    "implemented": _("已实施完毕"),
    "result_disclosed": _("实施结果已公开"),
}
FINAL = {"rejected", "not_passed", "result_disclosed"}

MOVES = {
    "start_review": _("提交党支部审议"),
    "review_submit": _("审议结论：提交大会表决"),
    "review_reject": _("审议结论：拟否决"),
    "review_escalate": _("审议结论：请示街道党工委"),
    "instruct": _("街道党工委批复"),
    "consent": _("居民多数同意否决"),
    "no_consent": _("居民未过半数同意否决"),
    "propose": _("党支部提议"),
    "discuss": _("两委会商议"),
    "party_review": _("党员大会审议"),
    "submit": _("提交居民代表大会表决"),
    "put_on_agenda": _("列入居民代表大会议程"),
    "vote_pass": _("大会表决通过"),
    "vote_fail": _("大会表决未通过"),
    "disclose": _("公开决议"),
    "complete": _("实施完毕"),
    "disclose_result": _("公开实施结果"),
}


@dataclass(frozen=True)
class Move:
    to: str
    by: str


_VOTE_AND_DISCLOSE = {
    ("awaiting_vote", "put_on_agenda"): Move("on_agenda", WORKER),
    ("on_agenda", "vote_pass"): Move("resolved", SYSTEM),
    ("on_agenda", "vote_fail"): Move("not_passed", SYSTEM),
    ("resolved", "disclose"): Move("disclosed", WORKER),
    ("disclosed", "complete"): Move("implemented", WORKER),
    ("implemented", "disclose_result"): Move("result_disclosed", WORKER),
}

TABLES: dict[str, dict[tuple[str, str], Move]] = {
    # The seed: the Party branch reviews every major matter before the assembly votes.
    "seed": {
        ("registered", "start_review"): Move("in_review", WORKER),
        ("in_review", "review_submit"): Move("awaiting_vote", BRANCH),
        ("in_review", "review_reject"): Move("in_consultation", BRANCH),
        ("in_review", "review_escalate"): Move("escalated", BRANCH),
        ("escalated", "instruct"): Move("in_review", COMMITTEE),
        ("in_consultation", "consent"): Move("rejected", SYSTEM),
        ("in_consultation", "no_consent"): Move("awaiting_vote", SYSTEM),
        **_VOTE_AND_DISCLOSE,
    },
    # 四议两公开: branch proposes, both committees discuss, Party members review, the
    # assembly resolves; the resolution and the implementation result are disclosed.
    "four_two": {
        ("registered", "propose"): Move("proposed", BRANCH),
        ("proposed", "discuss"): Move("discussed", WORKER),
        ("discussed", "party_review"): Move("reviewed", BRANCH),
        ("reviewed", "submit"): Move("awaiting_vote", WORKER),
        **_VOTE_AND_DISCLOSE,
    },
}


def allowed_moves(workflow: str, state: str) -> dict[str, Move]:
    return {move: m for (st, move), m in TABLES[workflow].items() if st == state}


def find_move(workflow: str, state: str, move: str) -> Move | None:
    return TABLES[workflow].get((state, move))


def states_of(workflow: str) -> list[str]:
    """The states a preset uses, in the order of the table."""
    seen = []
    for (state, _move), m in TABLES[workflow].items():
        for s in (state, m.to):
            if s not in seen:
                seen.append(s)
    return seen
