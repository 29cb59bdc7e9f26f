"""The conflict check (回避): who may not mediate a case.

A mediator may not be a party, a relative of a party (the same household in the registry)
or a neighbour of a party (the same building). A party's building is that of their
household, or the building named for a party outside the registry. The reasons are plain
words without any party's name or door: the lead sees the parties anyway, and the form lists
the reason next to each mediator.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from zizhi.associations.queries import legal_association_members

from .models import MediationCase


@dataclass(frozen=True)
class Candidate:
    resident: object  # a registry Resident, member of a legal-service association
    reason: str = ""  # why they may not be assigned; "" when they may

    @property
    def eligible(self) -> bool:
        return not self.reason


def _party_marks(case: MediationCase) -> tuple[set, set, set, set]:
    """(resident ids, household ids, building ids, phones) of the case's parties."""
    residents, households, buildings, phones = set(), set(), set(), set()
    for party in case.parties.select_related("resident__household"):
        if party.phone:
            phones.add(party.phone)
        if party.building_id:
            buildings.add(party.building_id)
        r = party.resident
        if r is None:
            continue
        residents.add(r.pk)
        if r.phone:
            phones.add(r.phone)
        if r.household_id:
            households.add(r.household_id)
            buildings.add(r.household.building_id)
    return residents, households, buildings, phones


def conflict_reason(case: MediationCase, resident, marks=None) -> str:
    """Why `resident` may not mediate `case` ("" if nothing stands in the way)."""
    residents, households, buildings, phones = marks or _party_marks(case)
    if resident.pk in residents or (resident.phone and resident.phone in phones):
        return _("本人是本案当事人，须回避")
    if resident.household_id and resident.household_id in households:
        return _("与当事人同户（亲属关系），须回避")
    household = resident.household if resident.household_id else None
    if household is not None and household.building_id in buildings:
        return _("与当事人同住一栋楼（邻居关系），须回避")
    return ""


def candidates(case: MediationCase) -> list[Candidate]:
    """Every member of the legal-service associations serving the case's community, each
    with the reason they may not be assigned (conflict, no login, already assigned)."""
    marks = _party_marks(case)
    taken = set(
        case.assignments.filter(declined_at__isnull=True).values_list("resident_id", flat=True)
    )
    result = []
    for resident in legal_association_members(case.community):
        reason = conflict_reason(case, resident, marks)
        if not reason and resident.user_id is None:
            reason = _("没有登录账号，无法在网上办理")
        if not reason and resident.pk in taken:
            reason = _("已指派")
        result.append(Candidate(resident, reason))
    return sorted(result, key=lambda c: (not c.eligible, c.resident.name_initials, c.resident.pk))
