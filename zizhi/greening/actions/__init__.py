"""Every change of state of the greening app (each writes one audit event)."""

from .adoptions import (
    do_apply_adoption,
    do_approve_adoption,
    do_end_adoption,
    do_reject_adoption,
    do_renew_adoption,
)
from .funds import do_record_donation, do_record_fund_use
from .logs import do_log_upkeep, do_record_inspection
from .plots import do_add_plot_photo, do_create_plot, do_move_plot, do_set_care_days, do_update_plot

__all__ = [
    "do_add_plot_photo",
    "do_apply_adoption",
    "do_approve_adoption",
    "do_create_plot",
    "do_end_adoption",
    "do_log_upkeep",
    "do_move_plot",
    "do_record_donation",
    "do_record_fund_use",
    "do_record_inspection",
    "do_reject_adoption",
    "do_renew_adoption",
    "do_set_care_days",
    "do_update_plot",
]
