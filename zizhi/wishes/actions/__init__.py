"""Changes to wishes. Each `do_*` checks permission and rules, changes rows and writes one
audit event. posting.py: post, verify, reject, confirm; claims.py: claim, contact, fulfil,
reveal the contact; sweep.py: lapse claims without contact, roll over unclaimed wishes."""

from .claims import (
    do_claim_wish,
    do_record_contact,
    do_record_fulfilment,
    do_record_unit_claim,
    do_reveal_contact,
)
from .posting import do_confirm_wish, do_post_wish, do_reject_wish, do_verify_wish
from .sweep import do_lapse_claim, do_roll_over_wish, sweep

__all__ = [
    "do_claim_wish",
    "do_confirm_wish",
    "do_lapse_claim",
    "do_post_wish",
    "do_record_contact",
    "do_record_fulfilment",
    "do_record_unit_claim",
    "do_reject_wish",
    "do_reveal_contact",
    "do_roll_over_wish",
    "do_verify_wish",
    "sweep",
]
