"""What greening holds about a resident: plot adoptions and donations (see
registry/personal_data.py for the contract)."""

from django.utils.translation import gettext as _

from zizhi.registry.personal_data import pseudonym, scrub, section

from .models import Adoption, Donation


def export(resident) -> list[dict]:
    adoptions = Adoption.objects.filter(resident=resident).select_related("plot").order_by("id")
    donations = Donation.objects.filter(resident=resident).order_by("given_on", "id")
    return [
        section(
            "adoptions",
            _("认领绿地"),
            [
                ("plot", _("绿地")),
                ("adopter_name", _("认领人")),
                ("contact_phone", _("联系电话")),
                ("starts_on", _("开始")),
                ("ends_on", _("结束")),
                ("show_name", _("公开署名")),
                ("status", _("状态")),
            ],
            [
                {
                    "plot": a.plot.name,
                    "adopter_name": a.adopter_name,
                    "contact_phone": a.contact_phone,
                    "starts_on": a.starts_on,
                    "ends_on": a.ends_on,
                    "show_name": _("是") if a.show_name else _("否"),
                    "status": a.get_status_display(),
                }
                for a in adoptions
            ],
        ),
        section(
            "donations",
            _("绿化捐赠"),
            [
                ("given_on", _("日期")),
                ("amount", _("金额（元）")),
                ("donor_label", _("署名")),
                ("purpose", _("用途")),
            ],
            [
                {
                    "given_on": d.given_on,
                    "amount": f"{d.amount_fen / 100:.2f}",
                    "donor_label": d.donor_label,
                    "purpose": d.purpose,
                }
                for d in donations
            ],
        ),
    ]


def erase(resident, *, actor) -> int:
    """Adoptions and donations stay (the plots' history, the fund's books) under the pseudonym,
    not shown publicly, without the phone."""
    name = pseudonym(resident)
    changed = scrub(
        Adoption.objects.filter(resident=resident),
        ["note", "review_note"],
        resident,
        {"adopter_name": name, "contact_phone": "", "show_name": False},
    )
    changed += scrub(
        Donation.objects.filter(resident=resident), ["purpose"], resident, {"donor_label": name}
    )
    return changed
