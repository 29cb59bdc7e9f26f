"""A dashboard's content for a scope and a period, computed or taken from the cache.

The cache key carries the time of the latest audit event of the scope's communities: every
change of state writes an audit event (DESIGN.md), so a change in a community makes a new key
and the next view counts afresh. Figures that move with the clock alone (a deadline passing)
are counted afresh at the latest after settings.ZIZHI_STATS_CACHE_SECONDS (300 by default).
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import OuterRef, Subquery

from zizhi.audit.models import Event
from zizhi.registry.models import Community

from . import definitions, figures, rollup
from .period import Period
from .router import reading_replica
from .scope import Scope, Unit

CACHE_VERSION = 1


@dataclass
class Row:
    unit: Unit
    additive: dict
    values: dict


@dataclass
class Dashboard:
    scope: Scope
    period: Period
    rows: list[Row]
    total: Row
    trend: list[dict]
    pyramid: dict
    from_cache: bool = False

    def stages(self) -> list[tuple[str, int]]:
        """Matters registered in the period by their current stage, in the scope."""
        found = [
            (key.removeprefix("stage:"), n)
            for key, n in self.total.additive.items()
            if key.startswith("stage:") and n
        ]
        return sorted(found, key=lambda item: -item[1])

    def depositor_bands(self) -> list[tuple[str, int]]:
        return [(b, self.total.additive.get(f"dep:{b}", 0)) for b in figures.BAND_LABELS]


def compute(scope: Scope, period: Period, latest: dict | None = None) -> Dashboard:
    """The scope's figures; `latest`: each community's latest audit event (data_version's
    answer), read here if not given."""
    ids = scope.community_ids
    if latest is None:
        latest = latest_events(ids)
    raw, trend = figures.per_community(ids, period, rollup.split(ids, latest))
    rows = []
    for unit in scope.units:
        additive = definitions.add([raw[pk] for pk in unit.community_ids])
        rows.append(Row(unit, additive, definitions.values_of(additive)))
    total_additive = definitions.add(list(raw.values()))
    total_unit = Unit(scope.kind, scope.code, scope.name, ids)
    total = Row(total_unit, total_additive, definitions.values_of(total_additive))
    return Dashboard(
        scope,
        period,
        rows,
        total,
        trend,
        figures.pyramid(total_additive),
    )


def latest_events(community_ids) -> dict:
    """{community_id: the time of its latest audit event (or None)}: one query, an index
    probe per community ((community, -created_at))."""
    latest = Event.objects.filter(community=OuterRef("pk")).order_by("-created_at")
    return dict(
        Community.objects.filter(pk__in=community_ids)
        .annotate(last=Subquery(latest.values("created_at")[:1]))
        .values_list("pk", "last")
    )


def data_version(latest: dict) -> str:
    found = [t for t in latest.values() if t is not None]
    return max(found).isoformat() if found else "-"


def cache_key(scope: Scope, period: Period, version: str) -> str:
    return f"stats:{CACHE_VERSION}:{scope.key}:{period.start}:{period.end}:{version}"


def get(scope: Scope, period: Period, *, use_cache: bool = True) -> Dashboard:
    with reading_replica():
        latest = latest_events(scope.community_ids)
    if not use_cache:
        with reading_replica():
            return compute(scope, period, latest)
    key = cache_key(scope, period, data_version(latest))
    found = cache.get(key)
    if found is not None:
        found.from_cache = True
        found.scope = scope  # the caller's (its links are the user's)
        return found
    with reading_replica():
        board = compute(scope, period, latest)
    cache.set(key, board, settings.ZIZHI_STATS_CACHE_SECONDS)
    return board
