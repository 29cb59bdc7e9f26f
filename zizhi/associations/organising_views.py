"""The organiser's desk: the activities the user may organise, what needs doing first
(attendance to close, hours to attest or approve), then what is coming and what ended."""

import datetime

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import render
from django.utils import timezone

from .access import organised_q
from .models import Activity, ActivityStatus, Attestation, AttestationStatus, SignUpStatus

LIST_SIZE = 50
RECENT_DAYS = 30


@login_required
def organising(request):
    now = timezone.now()
    mine = (
        Activity.objects.filter(organised_q(request.user))
        .exclude(status=ActivityStatus.CANCELLED)
        .select_related("association", "team", "body", "community")
        .annotate(
            taken=Count("signups", filter=Q(signups__status=SignUpStatus.CONFIRMED), distinct=True),
            came=Count("attendance", distinct=True),
            missing=Count(
                "attendance", filter=Q(attendance__check_out_at__isnull=True), distinct=True
            ),
            pending=Exists(
                Attestation.objects.filter(
                    activity=OuterRef("pk"), status=AttestationStatus.PENDING
                )
            ),
        )
    )
    to_close = Q(status=ActivityStatus.OPEN, ends_at__lt=now)
    to_attest = Q(status=ActivityStatus.ENDED, is_volunteer_service=True)
    todo = mine.filter(to_close | to_attest).order_by("ends_at")[:LIST_SIZE]
    coming = mine.filter(status=ActivityStatus.OPEN, ends_at__gte=now).order_by("starts_at")
    since = now - datetime.timedelta(days=RECENT_DAYS)
    done = (
        mine.filter(ends_at__lt=now, ends_at__gte=since)
        .exclude(to_close | to_attest)
        .order_by("-starts_at")
    )
    return render(
        request,
        "associations/organising.html",
        {
            "todo": todo,
            "coming": coming[:LIST_SIZE],
            "done": done[:LIST_SIZE],
            "now": now,
            "recent_days": RECENT_DAYS,
        },
    )
