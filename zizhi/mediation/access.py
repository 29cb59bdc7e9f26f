"""Who may see and do what in mediation. Every rule of the app is here.

- Case CONTENTS (parties, description, sessions and their notes, outcome) are seen only by
  the case's assigned mediators (not those who declined) and the community's current
  mediation lead (调解负责人).
- A PARTY to a case (a registry resident with a login) sees their own case's status and
  outcome and the agreement they signed, never the mediators' session notes.
- The community's STAFF (workers, administrators of its subdistrict) see the case REGISTER
  (number, kind, status, dates: no names, no notes), register walk-in cases and appoint the
  lead.
- Nobody of another community sees anything; everyone sees the public statistics (no names).
Missing and forbidden both answer 404.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from zizhi.accounts.access import access_for
from zizhi.registry.models import Community

from .models import CaseParty, MediationCase, MediationLead, MediatorAssignment

FULL = "full"  # lead or assigned mediator: everything
PARTY = "party"  # a party: status, outcome, agreement


def lead_community_ids(user) -> frozenset[int]:
    """Communities of which the user is the current mediation lead (cached on the user)."""
    if user is None or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_mediation_lead_of", None)
    if cached is None:
        today = timezone.localdate()
        cached = frozenset(
            MediationLead.objects.filter(
                user=user, ended_on__isnull=True, started_on__lte=today
            ).values_list("community_id", flat=True)
        )
        user._mediation_lead_of = cached
    return cached


def is_lead(user, community_id: int) -> bool:
    return community_id in lead_community_ids(user)


def is_staff_of(user, community_id: int) -> bool:
    return community_id in access_for(user).community_ids


def _active_assignment(user):
    return MediatorAssignment.objects.filter(
        case=OuterRef("pk"), user=user, declined_at__isnull=True
    )


def full_cases(user):
    """Cases whose contents the user sees: their community's as lead, their own as mediator."""
    if user is None or not user.is_authenticated:
        return MediationCase.objects.none()
    return MediationCase.objects.filter(
        Q(community_id__in=lead_community_ids(user)) | Q(Exists(_active_assignment(user)))
    )


def assigned_cases(user):
    """Cases the user mediates (assigned and not declined)."""
    if user is None or not user.is_authenticated:
        return MediationCase.objects.none()
    return MediationCase.objects.filter(Exists(_active_assignment(user)))


def party_cases(user):
    """Cases in which the user is a party (through their registry row)."""
    resident_id = access_for(user).resident_id
    if resident_id is None:
        return MediationCase.objects.none()
    return MediationCase.objects.filter(
        Exists(CaseParty.objects.filter(case=OuterRef("pk"), resident_id=resident_id))
    )


def level_for(user, case: MediationCase) -> str | None:
    if is_lead(user, case.community_id) or assignment_of(user, case) is not None:
        return FULL
    resident_id = access_for(user).resident_id
    if resident_id and case.parties.filter(resident_id=resident_id).exists():
        return PARTY
    return None


def assignment_of(user, case: MediationCase) -> MediatorAssignment | None:
    if user is None or not user.is_authenticated:
        return None
    return case.assignments.filter(user=user, declined_at__isnull=True).first()


@dataclass(frozen=True)
class Seen:
    case: MediationCase
    level: str

    @property
    def full(self) -> bool:
        return self.level == FULL


def _get(qs, pk) -> MediationCase:
    try:
        return qs.select_related("community__subdistrict").get(pk=pk)
    except (MediationCase.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def get_case_for(user, pk) -> Seen:
    """A case the user may open (full or as a party); 404 for everyone else."""
    case = _get(MediationCase.objects.all(), pk)
    level = level_for(user, case)
    if level is None:
        raise Http404
    return Seen(case, level)


def get_full_case_for(user, pk) -> MediationCase:
    """A case whose contents the user sees (lead or mediator); 404 otherwise."""
    return _get(full_cases(user), pk)


def get_lead_case_for(user, pk) -> MediationCase:
    """A case of a community the user leads; 404 otherwise."""
    return _get(MediationCase.objects.filter(community_id__in=lead_community_ids(user)), pk)


def get_register_community(user, code: str) -> Community:
    """A community whose case register the user sees: its staff and its lead."""
    try:
        community = Community.objects.select_related("subdistrict").get(code=code)
    except Community.DoesNotExist as exc:
        raise Http404 from exc
    if not (is_staff_of(user, community.pk) or is_lead(user, community.pk)):
        raise Http404
    return community


def get_lead_community(user, code: str) -> Community:
    """A community the user leads mediation of (the desk); 404 otherwise."""
    try:
        community = Community.objects.select_related("subdistrict").get(code=code)
    except Community.DoesNotExist as exc:
        raise Http404 from exc
    if not is_lead(user, community.pk):
        raise Http404
    return community


def can_register_for(user, community_id: int) -> bool:
    """Staff and the lead register walk-in cases of the community."""
    return is_staff_of(user, community_id) or is_lead(user, community_id)


def can_apply(user) -> bool:
    """A resident with a login registers a case of their own community as a party."""
    return access_for(user).resident_id is not None


def can_withdraw(user, case: MediationCase) -> bool:
    """The lead, an assigned mediator, or a party, while the case is open."""
    return level_for(user, case) is not None
