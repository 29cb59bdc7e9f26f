"""冲正: correcting a posted entry by a new entry that negates it exactly, once, with the reason.
Who may ask is checked by the caller (staff: flows.do_reverse; a redemption's clerk or
depositor: redeem.do_cancel_redemption)."""

from django.utils.translation import gettext as _

from ..models import Entry, EntryKind, EntryStatus
from .ledger import Line, record_entry, refuse


def reverse_entry(entry: Entry, *, actor, reason: str, key: str = "") -> Entry:
    """Refused if the credit has been spent meanwhile (no balance goes below its limit)."""
    if not reason.strip():
        refuse(_("请写明冲正原因"))
    if entry.status != EntryStatus.POSTED:
        refuse(_("只有已入账的记账可以冲正"))
    if entry.kind == EntryKind.REVERSAL:
        refuse(_("冲正记录不能再冲正；如需恢复，请重新记账"))
    if Entry.objects.filter(reverses=entry).exists():
        refuse(_("这笔记账已经冲正过"))
    postings = list(entry.postings.select_related("account__community"))
    return record_entry(
        EntryKind.REVERSAL,
        [Line(p.account, -p.minutes) for p in postings],
        actor=actor,
        community=entry.community,
        key=key or f"reverse:{entry.pk}",
        memo=_("冲正 %(n)s") % {"n": entry.number},
        reverses=entry,
        reason=reason.strip()[:500],
        branch=entry.branch,
    )
