"""What finance holds about a resident: assets they look after for the community (see
registry/personal_data.py for the contract)."""

from django.utils.translation import gettext as _

from zizhi.registry.personal_data import pseudonym, scrub, section

from .models import Asset


def export(resident) -> list[dict]:
    if not resident.user_id:
        return []
    assets = Asset.objects.filter(manager_user_id=resident.user_id).order_by("id")
    return [
        section(
            "assets",
            _("管理的集体资产"),
            [("name", _("资产")), ("location", _("存放地点"))],
            list(assets.values("name", "location")),
        )
    ]


def erase(resident, *, actor) -> int:
    if not resident.user_id:
        return 0
    assets = Asset.objects.filter(manager_user_id=resident.user_id)
    return scrub(assets, ["state_note"], resident, {"manager_name": pseudonym(resident)})
