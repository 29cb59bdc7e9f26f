"""Residents' suggestions (replied on time or late, rated) and major matters (every state
a matter reaches without a vote's poll, with its Steps), over the year."""

import datetime
import random
from collections import defaultdict

from zizhi.governance.demo import FOUR_TWO_MATTERS, SEED_MATTERS
from zizhi.governance.models import Matter, Step, WorkflowPreset
from zizhi.governance.workflow import TABLES
from zizhi.proposals.demo import TOPICS
from zizhi.proposals.models import (
    Channel,
    Rating,
    Suggestion,
    SuggestionCounter,
    SuggestionStatus,
    SuggestionStep,
)

SUGGESTION_SHARE = 0.025  # a year's suggestions per resident
LATE_SHARE = 0.15
MATTERS_PER_COMMUNITY = 12
# the moves from registration to each state a matter may stop in (no poll needed)
PATHS = {
    WorkflowPreset.SEED: [
        [],
        ["start_review"],
        ["start_review", "review_escalate"],
        ["start_review", "review_reject"],
        ["start_review", "review_reject", "consent"],
        ["start_review", "review_submit"],
        ["start_review", "review_reject", "no_consent", "put_on_agenda"],
        ["start_review", "review_submit", "put_on_agenda", "vote_fail"],
    ],
    WorkflowPreset.FOUR_TWO: [
        [],
        ["propose"],
        ["propose", "discuss"],
        ["propose", "discuss", "party_review"],
        ["propose", "discuss", "party_review", "submit"],
        ["propose", "discuss", "party_review", "submit", "put_on_agenda"],
        ["propose", "discuss", "party_review", "submit", "put_on_agenda", "vote_fail"],
    ],
}
S = SuggestionStatus


def write_suggestions(tables, place, rng: random.Random, year) -> int:
    t = tables(
        Suggestion,
        [
            "id",
            "community_id",
            "number",
            "title",
            "text",
            "category",
            "building_id",
            "resident_id",
            "channel",
            "entered_by_id",
            "status",
            "handler_user_id",
            "accept_due",
            "reply_due",
            "accepted_at",
            "replied_at",
            "closed_at",
            "reply",
            "decline_reason",
            "rating",
            "public",
            "late",
            "created_at",
        ],
    )
    step_t = tables(SuggestionStep, ["id", "suggestion_id", "status", "at", "actor_label", "note"])
    adults = [p for p in place.people if p.age >= 18]
    n = max(1, round(SUGGESTION_SHARE * len(place.people)))
    filed = sorted(
        year.at(year.day(rng, before_today=False), rng.randrange(7, 21), rng.randrange(60))
        for _ in range(n)
    )
    numbers, rows, steps = defaultdict(int), [], []
    for created in filed:
        created = min(created, year.now)
        sid = t.next_id()
        numbers[created.year] += 1
        category, title, text = rng.choice(TOPICS)
        building = rng.randrange(len(place.buildings))
        b_name = f"{building + 1}栋"
        age = (year.now - created).days
        accepted = year.later(created, rng.randrange(60, 2 * 24 * 60))
        reply_due = (accepted + datetime.timedelta(days=21)).date()
        late = rng.random() < LATE_SHARE
        replied = year.later(
            accepted,
            rng.randrange(1, 20) * 24 * 60 if not late else rng.randrange(23, 40) * 24 * 60,
        )
        closed = year.later(replied, rng.randrange(1, 8) * 24 * 60)
        status = S.REGISTERED if age < 2 else S.NOT_ACCEPTED if rng.random() < 0.05 else S.ACCEPTED
        if status == S.ACCEPTED:
            status = (
                S.CLOSED
                if closed < year.now
                else S.REPLIED
                if replied < year.now
                else S.IN_PROGRESS
            )
        done = status in (S.REPLIED, S.CLOSED)
        rows.append(
            (
                sid,
                place.id,
                f"{place.code}-{created.year}-{numbers[created.year]:05d}",
                title.format(b=b_name),
                text.format(b=b_name),
                category,
                place.buildings[building],
                rng.choice(adults).id,
                channel := rng.choice(
                    (Channel.ONLINE, Channel.ONLINE, Channel.OFFICE, Channel.PHONE)
                ),
                None if channel == Channel.ONLINE else place.worker,
                status,
                place.worker if status not in (S.REGISTERED, S.NOT_ACCEPTED) else None,
                (created + datetime.timedelta(days=3)).date(),
                reply_due if status != S.REGISTERED and status != S.NOT_ACCEPTED else None,
                accepted if status != S.REGISTERED else None,
                replied if done else None,
                closed if status == S.CLOSED else None,
                "已联系相关部门处理，处理结果如上，感谢您的建议。" if done else "",
                "不属于社区职责范围，已告知向相关部门反映的途径。"
                if status == S.NOT_ACCEPTED
                else "",
                rng.choices((Rating.SATISFIED, Rating.BASIC, Rating.DISSATISFIED), (70, 20, 10))[0]
                if status == S.CLOSED
                else "",
                rng.random() < 0.3,
                late and done,
                created,
            )
        )
        steps.append((step_t.next_id(), sid, S.REGISTERED, created, "居民", ""))
        if status != S.REGISTERED:
            steps.append(
                (
                    step_t.next_id(),
                    sid,
                    status if status == S.NOT_ACCEPTED else S.ACCEPTED,
                    accepted,
                    "社区工作者",
                    "",
                )
            )
        if done:
            steps.append((step_t.next_id(), sid, S.REPLIED, replied, "社区工作者", ""))
        if status == S.CLOSED:
            steps.append((step_t.next_id(), sid, S.CLOSED, closed, "居民", "已评价"))
    t.write(rows)
    step_t.write(steps)
    counter_t = tables(SuggestionCounter, ["id", "community_id", "year", "last"])
    counter_t.write((counter_t.next_id(), place.id, y, last) for y, last in sorted(numbers.items()))
    return len(rows)


def write_matters(tables, place, rng: random.Random, year) -> int:
    preset = WorkflowPreset.SEED if place.index % 2 == 0 else WorkflowPreset.FOUR_TWO
    titles = SEED_MATTERS if preset == WorkflowPreset.SEED else FOUR_TWO_MATTERS
    table = TABLES[preset]
    t = tables(
        Matter,
        [
            "id",
            "community_id",
            "number",
            "title",
            "matter_type",
            "text",
            "why_major",
            "workflow",
            "state",
            "registered_by_id",
            "registered_at",
            "updated_at",
        ],
    )
    step_t = tables(
        Step, ["id", "matter_id", "move", "from_state", "to_state", "actor_id", "actor_label", "at"]
    )
    registered = sorted(
        year.at(year.day(rng), rng.randrange(9, 17)) for _ in range(MATTERS_PER_COMMUNITY)
    )
    numbers, rows, steps = defaultdict(int), [], []
    for k, when in enumerate(registered):
        title, matter_type, _state = titles[k % len(titles)]
        path = PATHS[preset][k % len(PATHS[preset])]
        mid = t.next_id()
        numbers[when.year] += 1
        state, at = "registered", when
        steps.append((step_t.next_id(), mid, "register", "", state, place.worker, "社区工作者", at))
        for move in path:
            at = year.later(at, rng.randrange(1, 15) * 24 * 60)
            to = table[state, move].to
            steps.append((step_t.next_id(), mid, move, state, to, place.worker, "社区工作者", at))
            state = to
        rows.append(
            (
                mid,
                place.id,
                f"{place.code}-{when.year}-{numbers[when.year]:03d}",
                title,
                matter_type,
                f"{title}：具体方案见附件，请居民代表审议。",
                "涉及全体居民切身利益，需经居民代表大会表决。",
                preset,
                state,
                place.worker,
                when,
                at,
            )
        )
    t.write(rows)
    step_t.write(steps)
    return len(rows)
