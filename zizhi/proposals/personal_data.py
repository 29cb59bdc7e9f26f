"""What proposals hold about a resident: suggestions, supports, motions and co-signatures
(see registry/personal_data.py for the contract)."""

from django.db.models import Q
from django.utils.translation import gettext as _

from zizhi.registry.personal_data import pseudonym, scrub, section

from .models import Cosignature, Motion, Suggestion, SuggestionPhoto, SuggestionStep, Support
from .models.suggestions import PhotoKind


def _motions(resident):
    q = Q(proposer_seat__resident=resident)
    if resident.user_id:
        q |= Q(proposer_id=resident.user_id)
    return Motion.objects.filter(q)


def _cosignatures(resident):
    q = Q(seat__resident=resident)
    if resident.user_id:
        q |= Q(user_id=resident.user_id)
    return Cosignature.objects.filter(q)


def export(resident) -> list[dict]:
    suggestions = Suggestion.objects.filter(resident=resident).order_by("created_at", "id")
    supports = Support.objects.filter(resident=resident).select_related("suggestion")
    cosigned = _cosignatures(resident).select_related("motion").order_by("signed_at")
    return [
        section(
            "suggestions",
            _("我的建议"),
            [
                ("number", _("编号")),
                ("title", _("标题")),
                ("text", _("内容")),
                ("status", _("状态")),
                ("created_at", _("提出时间")),
                ("reply", _("答复")),
                ("rating", _("评价")),
            ],
            [
                {
                    "number": s.number,
                    "title": s.title,
                    "text": s.text,
                    "status": s.get_status_display(),
                    "created_at": s.created_at,
                    "reply": s.reply,
                    "rating": s.get_rating_display() if s.rating else "",
                }
                for s in suggestions
            ],
        ),
        section(
            "supports",
            _("附议的建议"),
            [("number", _("编号")), ("title", _("标题")), ("at", _("时间"))],
            [
                {"number": s.suggestion.number, "title": s.suggestion.title, "at": s.at}
                for s in supports
            ],
        ),
        section(
            "motions",
            _("提出的议案"),
            [
                ("number", _("编号")),
                ("title", _("标题")),
                ("status", _("状态")),
                ("created_at", _("时间")),
            ],
            [
                {
                    "number": m.number,
                    "title": m.title,
                    "status": m.get_status_display(),
                    "created_at": m.created_at,
                }
                for m in _motions(resident).order_by("created_at")
            ],
        ),
        section(
            "cosignatures",
            _("联署的议案"),
            [("motion", _("议案")), ("signed_at", _("联署时间"))],
            [{"motion": c.motion.title, "signed_at": c.signed_at} for c in cosigned],
        ),
    ]


def erase(resident, *, actor) -> int:
    """Suggestions stay (the community's handling and its figures) without the name shown and
    without the person's details in their text; their own photos are deleted."""
    mine = Suggestion.objects.filter(resident=resident)
    changed = scrub(
        mine,
        ["title", "text", "reply", "decline_reason"],
        resident,
        set_values={"show_name": False},
    )
    photos = SuggestionPhoto.objects.filter(suggestion__in=mine, kind=PhotoKind.RESIDENT)
    for photo in photos:
        photo.file.delete(save=False)
    changed += photos.delete()[0]
    changed += scrub(
        SuggestionStep.objects.filter(suggestion__in=mine), ["actor_label", "note"], resident
    )
    name = pseudonym(resident)
    changed += scrub(
        _motions(resident), ["title", "text", "reason"], resident, {"proposer_name": name}
    )
    changed += scrub(_cosignatures(resident), [], resident, {"name": name})
    return changed
