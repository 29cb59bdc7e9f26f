"""What the mediation app adds to the home pages (see zizhi/web/sections.py).

Each function returns the context of its template `mediation/_home_<kind>.html`, or None to
show nothing: `resident(user)` for a resident's home (cards), `staff(user, community)` for
the staff workbench (buttons), `member(user)` for someone who holds a seat or a desk but is
neither a resident nor staff (cards).
"""

from zizhi.registry.models import Community

from .access import assigned_cases, lead_community_ids, party_cases


def _lead_code(user) -> str:
    ids = lead_community_ids(user)
    if not ids:
        return ""
    return Community.objects.filter(pk__in=ids).values_list("code", flat=True).first() or ""


def resident(user):
    """Cards: my cases as a party (我的调解), as a mediator (我的调解案件), the lead's desk,
    and asking for mediation."""
    return {
        "party": party_cases(user).count(),
        "mediator": assigned_cases(user).count(),
        "lead": _lead_code(user),
    }


def staff(user, community):
    return {"code": community.code, "lead": community.pk in lead_community_ids(user)}


def member(user):
    """A lead or mediator who is neither a resident nor staff."""
    data = {"mediator": assigned_cases(user).count(), "lead": _lead_code(user)}
    return data if data["mediator"] or data["lead"] else None
