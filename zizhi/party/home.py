"""What the party app adds to the home pages (see zizhi/web/sections.py).

Each function returns the context of its template `party/_home_<kind>.html`, or None to
show nothing: `resident(user)` for a resident's home (cards), `staff(user, community)` for
the staff workbench (buttons), `member(user)` for someone who holds a seat or a desk but is
neither a resident nor staff (cards). A member sees report-in / my posts / quarterly report;
a branch committee member (or subdistrict Party committee member) sees the branch desk.
"""

from django.utils import timezone

from zizhi.registry.models import Community

from .access import can_manage, may_report_in, own_member, party_community_ids
from .models import quarter_of


def _desks(user) -> list:
    ids = party_community_ids(user)
    if not ids:
        return []
    return list(Community.objects.filter(id__in=ids).order_by("code").values("code", "name"))


def resident(user):
    me = own_member(user)
    desks = _desks(user)
    may_report = me is None and may_report_in(user)
    if me is None and not desks and not may_report:
        return None
    return {
        "me": me,
        "may_report": may_report,
        "reported": me is not None and hasattr(me, "report_in"),
        "quarter": quarter_of(timezone.localdate()),
        "desks": desks,
    }


def staff(user, community):
    if community is None or not can_manage(user, community.pk):
        return None
    return {"community": community}


def member(user):
    desks = _desks(user)
    return {"desks": desks} if desks else None
