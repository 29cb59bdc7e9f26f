"""Major-matter pages: register, the timeline, and each step's form."""

from django.shortcuts import render

from .access import get_matter_for, require_governance_community


def matter(request, code, pk):
    community = require_governance_community(request.user, code)
    matter = get_matter_for(request.user, community, pk)
    return render(request, "governance/matter.html", {"community": community, "matter": matter})
