from django import template

from ..access import public_notices

register = template.Library()


@register.simple_tag
def current_notices(community, limit=5):
    """The community's notices now in their notice period, newest first."""
    from django.utils import timezone

    return list(
        public_notices()
        .filter(community=community, status="published", ends_at__gt=timezone.now())
        .select_related("community")
        .order_by("-published_at", "-id")[:limit]
    )
