"""What the mediation actions share: text checks, the row lock, status moves, numbers,
parties."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zizhi.audit.log import record
from zizhi.registry.models import Building, Community, Resident

from ..models import CaseCounter, CaseKind, CaseParty, MediationCase, Side, check_move

MAX_TEXT = 5000


def _summary(case: MediationCase) -> dict:
    # no names and no contents: the audit log is read by more people than the case
    return {"number": case.number, "kind": case.kind, "status": case.status}


def _text(value, message, limit=MAX_TEXT) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(message)
    if len(value) > limit:
        raise ValidationError(_("内容太长，不能超过 %(n)d 个字") % {"n": limit})
    return value


def _lock(case: MediationCase) -> None:
    """Lock the case's row for this transaction and read it afresh (the caller's instance
    may be stale; two people may act on it at once)."""
    MediationCase.objects.select_for_update().filter(pk=case.pk).values_list("pk").first()
    case.refresh_from_db()


def _move(case: MediationCase, new: str) -> str:
    old = case.status
    check_move(old, new)
    case.status = new
    return old


def _next_number(community: Community, year: int) -> str:
    counter, _new = CaseCounter.objects.select_for_update().get_or_create(
        community=community, year=year
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{community.code}调{year}-{counter.last:04d}"


def _party(community: Community, side: str, name, phone, building="", address="") -> CaseParty:
    """A party: the community's registry resident with this phone number, or an outside
    person by name and phone (with the building named, when it is one of the community's)."""
    name, phone = (name or "").strip(), (phone or "").strip()
    building, address = (building or "").strip(), (address or "").strip()
    resident = None
    if phone:
        resident = (
            Resident.objects.filter(community=community, phone=phone)
            .select_related("household__building")
            .first()
        )
    if resident is not None and name and name != resident.name:
        resident = None  # the phone number is somebody else's: keep the person as named
    if resident is not None:
        house = resident.household
        return CaseParty(
            side=side,
            resident=resident,
            name=resident.name,
            phone=resident.phone,
            building=house.building if house else None,
            address=address or (f"{house.building.name}{house.door}" if house else ""),
        )
    if not name:
        raise ValidationError(_("请填写当事人姓名"))
    found = (
        Building.objects.filter(community=community, name=building).first() if building else None
    )
    return CaseParty(
        side=side,
        name=name[:50],
        phone=phone[:20],
        building=found,
        address=(address or building)[:200],
    )


def _create(community, *, kind, description, parties, source, actor) -> MediationCase:
    if kind not in CaseKind.values:
        raise ValidationError(_("请选择纠纷类型"))
    description = _text(description, _("请写明事情经过"))
    sides = {p.side for p in parties}
    if Side.APPLICANT not in sides or Side.RESPONDENT not in sides:
        raise ValidationError(_("请填写双方当事人"))
    with transaction.atomic():
        case = MediationCase.objects.create(
            community=community,
            number=_next_number(community, timezone.localdate().year),
            kind=kind,
            source=source,
            description=description,
            registered_by=actor,
        )
        for party in parties:
            party.case = case
        CaseParty.objects.bulk_create(parties)
        record(actor, "mediation.register", case, community=community, after=_summary(case))
    return case
