"""Read-side queries for the registry pages and the API."""

import unicodedata

from django.db.models import Count, Q, QuerySet

from .models import PoliticalStatus, Resident

FLAGS = {
    "alone": Q(lives_alone_elderly=True),
    "disability": Q(disability=True),
    "low_income": Q(low_income=True),
    "party": Q(political_status__in=[PoliticalStatus.PARTY_MEMBER, PoliticalStatus.PROBATIONARY]),
    "five_olds": ~Q(five_olds=""),
}


def search_residents(
    qs: QuerySet[Resident], text: str = "", flag: str = "", building: str = ""
) -> QuerySet[Resident]:
    """Search by name, pinyin initials, masked ID tail (last 4), phone or building."""
    text = "".join(unicodedata.normalize("NFKC", text or "").split())
    if text:
        lowered = text.lower()
        cond = Q(name__contains=text) | Q(household__building__name=text)
        if lowered.isascii() and lowered.isalpha():
            cond |= Q(name_initials__startswith=lowered)
        if len(text) == 4 and (text[:3].isdigit() and (text[3].isdigit() or text[3] in "xX")):
            cond |= Q(id_tail=text.upper())
        if text.isdigit() and len(text) >= 4:
            cond |= Q(phone__contains=text)
        qs = qs.filter(cond)
    if flag in FLAGS:
        qs = qs.filter(FLAGS[flag])
    if building:
        qs = qs.filter(household__building__name=building)
    return qs.select_related("household__building")


def households_with_counts(qs):
    return (
        qs.select_related("building")
        .annotate(member_count=Count("members"))
        .order_by("building__name", "door")
    )
