"""Deposits: attested service records become pending service credits of a savings branch.

The branch of a record: the branch of the association that organised the activity, else the
community's own branch (kind "community"); a record of neither is not credited. A clerk of
the branch who did not attest the hours posts the credit (actions.flows.do_approve_credit).
"""

import logging

from django.core.exceptions import ValidationError

from .actions.flows import do_request_credit
from .models import Branch, BranchKind

log = logging.getLogger(__name__)


def branch_for(record) -> Branch | None:
    activity = record.activity
    if activity is not None and activity.association_id is not None:
        branch = Branch.objects.filter(association_id=activity.association_id).first()
        if branch is not None:
            return branch
    return (
        Branch.objects.filter(community_id=record.community_id, kind=BranchKind.COMMUNITY)
        .order_by("pk")
        .first()
    )


def credit_records(sender, records, actor, **kwargs) -> None:
    """Receiver of associations.signals.service_records_written (after their commit)."""
    for record in records:
        if record.minutes <= 0:
            continue  # a correction's reversal: the credit is reversed by staff (do_reverse)
        branch = branch_for(record)
        if branch is None:
            continue
        try:
            do_request_credit(record, branch, actor=actor)
        except ValidationError as exc:  # the record stays; a clerk can credit it by hand
            log.warning("service record %s not credited: %s", record.number, exc.messages)
