"""What mediation holds about a resident: cases where they are a party, and cases they
mediate (see registry/personal_data.py for the contract)."""

from django.db.models import Q
from django.utils.translation import gettext as _

from zizhi.registry.personal_data import pseudonym, scrub, section

from .models import CaseParty, FollowUp, MediationCase, MediatorAssignment, Session


def _parties(resident):
    """Parties linked to the registry row, or entered by hand with the resident's phone."""
    q = Q(resident=resident)
    if resident.phone:
        q |= Q(resident__isnull=True, phone=resident.phone, case__community=resident.community)
    return CaseParty.objects.filter(q)


def export(resident) -> list[dict]:
    parties = _parties(resident).select_related("case").order_by("id")
    assigned = MediatorAssignment.objects.filter(resident=resident).select_related("case")
    return [
        section(
            "mediation_cases",
            _("参与的调解"),
            [
                ("number", _("案号")),
                ("kind", _("纠纷类型")),
                ("side", _("身份")),
                ("status", _("状态")),
                ("registered_at", _("登记时间")),
                ("description", _("纠纷简述")),
                ("terms", _("调解协议")),
            ],
            [
                {
                    "number": p.case.number,
                    "kind": p.case.get_kind_display(),
                    "side": p.get_side_display(),
                    "status": p.case.get_status_display(),
                    "registered_at": p.case.registered_at,
                    "description": p.case.description,
                    "terms": p.case.terms,
                }
                for p in parties
            ],
        ),
        section(
            "mediating",
            _("担任调解员"),
            [("number", _("案号")), ("assigned_at", _("指派时间")), ("accepted_at", _("接受时间"))],
            [
                {
                    "number": a.case.number,
                    "assigned_at": a.assigned_at,
                    "accepted_at": a.accepted_at,
                }
                for a in assigned
            ],
        ),
    ]


def erase(resident, *, actor) -> int:
    """The case stays for the community's figures; the party's name, phone and address go, and
    the case texts no longer name them."""
    parties = _parties(resident)
    cases = MediationCase.objects.filter(pk__in=list(parties.values_list("case_id", flat=True)))
    parties = CaseParty.objects.filter(pk__in=list(parties.values_list("pk", flat=True)))
    changed = scrub(
        parties, [], resident, {"name": pseudonym(resident), "phone": "", "address": ""}
    )
    changed += scrub(
        cases,
        ["description", "facts", "terms", "referral_note", "withdrawn_reason"],
        resident,
    )
    changed += scrub(Session.objects.filter(case__in=cases), ["place", "notes"], resident)
    changed += scrub(FollowUp.objects.filter(case__in=cases), ["note"], resident)
    changed += scrub(
        MediatorAssignment.objects.filter(resident=resident), ["decline_reason"], resident
    )
    return changed
