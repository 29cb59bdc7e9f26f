"""What wishes hold about a resident: wishes made for them and wishes they claimed (see
registry/personal_data.py for the contract)."""

from django.utils.translation import gettext as _

from zizhi.registry.personal_data import scrub, section

from .models import Claim, Wish


def export(resident) -> list[dict]:
    wishes = Wish.objects.filter(beneficiary=resident).order_by("created_at", "id")
    claims = Claim.objects.filter(resident=resident).select_related("wish").order_by("claimed_at")
    return [
        section(
            "wishes",
            _("我的微心愿"),
            [
                ("text", _("心愿")),
                ("public_text", _("公开的内容")),
                ("status", _("状态")),
                ("created_at", _("登记时间")),
            ],
            [
                {
                    "text": w.text,
                    "public_text": w.public_text,
                    "status": w.get_status_display(),
                    "created_at": w.created_at,
                }
                for w in wishes
            ],
        ),
        section(
            "wish_claims",
            _("认领的微心愿"),
            [
                ("wish", _("心愿")),
                ("claimed_at", _("认领时间")),
                ("fulfilled_at", _("完成时间")),
                ("minutes", _("服务分钟")),
            ],
            [
                {
                    "wish": c.wish.title or c.wish.public_text,
                    "claimed_at": c.claimed_at,
                    "fulfilled_at": c.fulfilled_at,
                    "minutes": c.minutes,
                }
                for c in claims
            ],
        ),
    ]


def erase(resident, *, actor) -> int:
    """Wishes stay (the community's record of help given) with the person's details scrubbed
    from their text and the proof photos deleted; claims keep their hours."""
    wishes = Wish.objects.filter(beneficiary=resident)
    changed = scrub(
        wishes, ["text", "title", "public_text", "contact_hint", "reject_reason"], resident
    )
    claims = Claim.objects.filter(wish__in=wishes) | Claim.objects.filter(resident=resident)
    for claim in claims.exclude(proof_photo=""):
        claim.proof_photo.delete(save=False)
        changed += Claim.objects.filter(pk=claim.pk).update(proof_photo="", proof_type="")
    changed += scrub(claims, ["contact_note", "proof_text", "confirm_note"], resident)
    return changed
