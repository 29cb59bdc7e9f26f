"""Meeting and poll pages (staff control, members' phones, printouts)."""

from django.shortcuts import render

from .access import get_meeting_for, require_governance_community


def meeting(request, code, pk):
    community = require_governance_community(request.user, code)
    meeting = get_meeting_for(request.user, community, pk)
    return render(request, "governance/meeting.html", {"community": community, "meeting": meeting})
