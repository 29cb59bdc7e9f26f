"""What the greening app adds to the home pages (see zizhi/web/sections.py).

Each function returns the context of its template `greening/_home_<kind>.html`, or None to
show nothing: `resident(user)` for a resident's home (cards), `staff(user, community)` for
the staff workbench (buttons), `member(user)` for someone who holds a seat or a desk but is
neither a resident nor staff (cards).
"""

from zizhi.accounts.access import access_for

from .models import Adoption, AdoptionStatus


def resident(user):
    """A card: the resident's adoptions to log upkeep for, or an invitation to adopt."""
    access = access_for(user)
    if access.resident_id is None:
        return None
    active = Adoption.objects.filter(
        resident_id=access.resident_id, status=AdoptionStatus.ACTIVE
    ).count()
    return {"active": active}


def staff(user, community):
    pending = Adoption.objects.filter(community=community, status=AdoptionStatus.PENDING).count()
    return {"code": community.code, "pending": pending}


def member(user):
    return None
