"""Every change of governance state. See the modules for the details."""

from .bodies import do_add_membership, do_end_membership, do_set_term  # noqa: F401
from .charter import (  # noqa: F401
    do_draft_charter_version,
    do_edit_charter_version,
    do_propose_charter_version,
    do_withdraw_charter_version,
)
from .matters import (  # noqa: F401
    do_add_implementation_step,
    do_complete_implementation,
    do_disclose_resolution,
    do_disclose_result,
    do_finish_implementation_step,
    do_move_matter,
    do_put_on_agenda,
    do_register_matter,
)
from .meetings import (  # noqa: F401
    do_add_agenda_item,
    do_close_meeting,
    do_convene_meeting,
    do_notify_meeting,
    do_open_meeting,
    do_record_attendance,
    do_save_minutes,
    do_sign_in,
)
from .polls import (  # noqa: F401
    AlreadyVoted,
    do_cast_ballot,
    do_close_poll,
    do_create_poll,
    do_enter_assisted_ballot,
    do_enter_teller_count,
    do_open_poll,
    do_publish_poll,
)
from .reports import (  # noqa: F401
    do_add_report_attachment,
    do_create_appraisal_poll,
    do_publish_report,
    do_schedule_report,
)
from .review import (  # noqa: F401
    do_answer_consultation,
    do_answer_escalation,
    do_close_consultation,
    do_conclude_review,
    do_record_opinion,
)
