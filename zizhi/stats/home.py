"""What the stats app adds to the home pages (see zizhi/web/sections.py): the dashboards the
user may open — the community's for its staff, the subdistrict's for its administrators, the
city's (and its subdistricts') for a city administrator, who has no other home."""

from django.urls import reverse

from zizhi.accounts.access import access_for
from zizhi.registry.models import City, Subdistrict


def staff(user, community):
    access = access_for(user)
    subdistrict = None
    if community.subdistrict_id in access.subdistrict_ids:
        subdistrict = community.subdistrict
    return {"code": community.code, "subdistrict": subdistrict}


def member(user):
    """A city administrator: the city's dashboard and each subdistrict's."""
    ids = access_for(user).city_ids
    if not ids:
        return None
    links = []
    for city in City.objects.filter(pk__in=ids):
        links.append((city.name, reverse("stats:city", args=[city.code])))
    for sub in Subdistrict.objects.filter(city_id__in=ids).order_by("city_id", "code"):
        links.append((sub.name, reverse("stats:subdistrict", args=[sub.code])))
    return {"links": links}
