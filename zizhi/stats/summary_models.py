"""Summaries of the three big tables (attendance, service records, ledger postings), so that a
city's dashboard does not read millions of rows on every view (rollup.py writes them).

They are computed from the rows (never typed in), per community, for the days up to a day
`through`; what came later is counted live. A community whose latest audit event is newer
than its summary is counted live in full until its summary is brought up to date (`zizhi
stats rollup`, run by a timer), so a change is always in the figures at once.
"""

from django.db import models

from zizhi.registry.models import Community


class SummaryState(models.Model):
    """How far a community's summary goes, and when it was computed."""

    community = models.OneToOneField(Community, on_delete=models.CASCADE, related_name="+")
    through = models.DateField()  # the last day summarised
    computed_at = models.DateTimeField()
    # figures of people (residents, volunteers by age ...) as at the day people_on
    people_on = models.DateField(null=True)
    people = models.JSONField(default=dict)

    class Meta:
        app_label = "stats"


class DaySummary(models.Model):
    """One community's additive figures of one day."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    service_minutes = models.BigIntegerField(default=0)  # attested service (net of reversals)
    party_minutes = models.BigIntegerField(default=0)  # of it, by Party members
    credit_issued = models.BigIntegerField(default=0)  # Moral Bank service credits, minutes
    credit_redeemed = models.BigIntegerField(default=0)  # Moral Bank redemptions, minutes

    class Meta:
        app_label = "stats"
        constraints = [
            models.UniqueConstraint(fields=["community", "day"], name="stats_day_once"),
        ]


class MonthParticipants(models.Model):
    """The residents of a community who took part in an activity in a month, from the month's
    first day to `through` (the month's last day, or the state's `through` in the month still
    open): a bitmap of resident ids from `base` (bit i is resident base + i)."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    through = models.DateField()
    base = models.BigIntegerField(default=0)
    bits = models.BinaryField(default=b"")

    class Meta:
        app_label = "stats"
        constraints = [
            models.UniqueConstraint(fields=["community", "month"], name="stats_month_once"),
        ]

    def as_int(self, offset: int) -> int:
        """The bitmap as an int whose bit i is resident offset + i (offset <= base)."""
        return int.from_bytes(bytes(self.bits), "little") << (self.base - offset)


def to_bitmap(ids) -> tuple[int, bytes]:
    """(base, bytes) of a set of ids."""
    if not ids:
        return 0, b""
    base = min(ids)
    bits = bytearray((max(ids) - base) // 8 + 1)
    for pk in ids:
        bits[(pk - base) >> 3] |= 1 << ((pk - base) & 7)
    return base, bytes(bits)
