"""The tally of a poll: counts, and a SHA-256 over the ordered ballots so that a stored
result can be recomputed and any changed ballot row shows."""

import hashlib

from .models import APPRAISAL_COLUMNS, Ballot, Choice, Poll, PollKind


def ballots_digest(poll: Poll) -> tuple[dict[str, int], str]:
    counts = {c.value: 0 for c in Choice}
    digest = hashlib.sha256(f"poll:{poll.pk}\n".encode())
    rows = (
        Ballot.objects.filter(poll=poll)
        .order_by("id")
        .values_list("id", "membership_id", "choice", "method", "entered_by_id")
    )
    for row in rows.iterator(chunk_size=2000):
        counts[row[2]] = counts.get(row[2], 0) + 1
        digest.update(("|".join(str(v) for v in row) + "\n").encode())
    return counts, digest.hexdigest()


def verify(poll: Poll) -> bool:
    """Whether the stored counts and hash still match the ballots (online polls). An
    appraisal's satisfied/basically/dissatisfied are stored in the yes/abstain/no columns, as
    the close counts them (APPRAISAL_COLUMNS)."""
    counts, digest = ballots_digest(poll)
    if poll.kind == PollKind.APPRAISAL:
        counts = {col: counts.get(choice, 0) for choice, col in APPRAISAL_COLUMNS.items()}
    stored = (poll.yes, poll.no, poll.abstain)
    return (
        digest == poll.ballots_hash
        and (
            counts.get("yes", 0),
            counts.get("no", 0),
            counts.get("abstain", 0),
        )
        == stored
    )
