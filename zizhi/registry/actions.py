"""Changes to the registry. Each takes the acting user, checks access, and audits."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from zizhi.accounts.access import can_reveal_id_number
from zizhi.audit.log import record

from .models import Resident


def do_reveal_id_number(resident: Resident, *, actor) -> str:
    """Show a full ID number to a staff member of the resident's community; audited."""
    if not can_reveal_id_number(actor, resident):
        raise PermissionDenied
    with transaction.atomic():
        record(actor, "resident.reveal_id_number", resident, community=resident.community)
    return resident.reveal_id_number()
