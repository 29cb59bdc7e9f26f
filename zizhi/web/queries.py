"""Read-side figures for the home pages."""

from django.db.models import Count, Q

from zizhi.registry.models import Building, Household, LocalUnit, PoliticalStatus, Resident


def community_figures(community) -> dict:
    residents = Resident.objects.filter(community=community).aggregate(
        total=Count("id"),
        alone=Count("id", filter=Q(lives_alone_elderly=True)),
        disability=Count("id", filter=Q(disability=True)),
        low_income=Count("id", filter=Q(low_income=True)),
        party=Count(
            "id",
            filter=Q(
                political_status__in=[PoliticalStatus.PARTY_MEMBER, PoliticalStatus.PROBATIONARY]
            ),
        ),
        five_olds=Count("id", filter=~Q(five_olds="")),
        accounts=Count("id", filter=Q(user__isnull=False)),
    )
    return {
        **residents,
        "households": Household.objects.filter(community=community).count(),
        "buildings": Building.objects.filter(community=community).count(),
        "local_units": LocalUnit.objects.filter(community=community).count(),
    }
