"""What concerns a person on their home page: their meetings, polls waiting for their
ballot, matters waiting for their opinion, consultations, escalations to answer."""

from django.db.models import Exists, OuterRef

from zizhi.accounts.access import access_for

from .access import seats_of
from .models import (
    Ballot,
    BodyKind,
    Escalation,
    Matter,
    Meeting,
    MeetingStatus,
    Opinion,
    Poll,
    PollStatus,
)


def for_user(user) -> dict:
    seats = seats_of(user)
    access = access_for(user)
    seat_ids = [s.membership_id for s in seats]
    body_ids = [s.body_id for s in seats]
    meetings = (
        Meeting.objects.filter(body_id__in=body_ids)
        .exclude(status__in=[MeetingStatus.PLANNED, MeetingStatus.CLOSED])
        .select_related("community", "body")
        .order_by("starts_at")[:10]
    )
    polls = (
        Poll.objects.filter(status=PollStatus.OPEN, voters__membership_id__in=seat_ids)
        .annotate(
            voted=Exists(Ballot.objects.filter(poll=OuterRef("pk"), membership_id__in=seat_ids))
        )
        .filter(voted=False)
        .select_related("item__meeting__community")[:10]
        if seat_ids
        else Poll.objects.none()
    )
    branch = [s for s in seats if s.kind == BodyKind.PARTY_BRANCH]
    reviews = Matter.objects.none()
    if branch:
        reviews = (
            Matter.objects.filter(
                state="in_review", community_id__in=[s.community_id for s in branch]
            )
            .exclude(
                Exists(
                    Opinion.objects.filter(
                        review__matter=OuterRef("pk"),
                        review__concluded_at__isnull=True,
                        membership_id__in=[s.membership_id for s in branch],
                    )
                )
            )
            .select_related("community")[:10]
        )
    consultations = Matter.objects.none()
    if access.is_resident:
        consultations = Matter.objects.filter(
            state="in_consultation", community_id=access.resident_community_id
        ).select_related("community")[:10]
    committee = [s.subdistrict_id for s in seats if s.kind == BodyKind.SUBDISTRICT_PARTY_COMMITTEE]
    escalations = (
        Escalation.objects.filter(
            answered_at__isnull=True, matter__community__subdistrict_id__in=committee
        ).count()
        if committee
        else 0
    )
    return {
        "has_seats": bool(seats),
        "meetings": list(meetings),
        "polls": list(polls),
        "reviews": list(reviews),
        "consultations": list(consultations),
        "escalations": escalations,
        "is_committee": bool(committee),
    }
