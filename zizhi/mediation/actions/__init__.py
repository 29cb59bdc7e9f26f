"""Changes in mediation: every state change is a `do_<verb>_<noun>(..., *, actor)` here.

cases.py: registering (walk-in, a resident's request), the lead, settings, withdrawal;
mediating.py: assigning mediators (conflict check), their answer, sessions, outcome,
follow-up; common.py: what they share.
"""

from .cases import (
    do_apply_case,
    do_appoint_lead,
    do_register_case,
    do_set_follow_up_days,
    do_withdraw_case,
)
from .mediating import (
    do_assign_mediator,
    do_record_follow_up,
    do_record_outcome,
    do_record_session,
    do_respond_assignment,
)

__all__ = [
    "do_appoint_lead",
    "do_apply_case",
    "do_assign_mediator",
    "do_record_follow_up",
    "do_record_outcome",
    "do_record_session",
    "do_register_case",
    "do_respond_assignment",
    "do_set_follow_up_days",
    "do_withdraw_case",
]
