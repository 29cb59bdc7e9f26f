"""The tally of a poll: counts, and a SHA-256 over the ordered ballots so that a stored
result can be recomputed and any changed ballot row shows."""

import hashlib

from .models import Ballot, Choice, Poll


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
    """Whether the stored counts and hash still match the ballots (online polls)."""
    counts, digest = ballots_digest(poll)
    return digest == poll.ballots_hash and (counts["yes"], counts["no"], counts["abstain"]) == (
        poll.yes,
        poll.no,
        poll.abstain,
    )
