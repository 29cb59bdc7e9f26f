from django.db import models


class Counter(models.Model):
    """The last number given out under a key (e.g. "volunteer:HD", "record:HD:2026"):
    volunteer, record and certificate numbers without gaps or repeats."""

    key = models.CharField(max_length=60, unique=True)
    value = models.PositiveIntegerField(default=0)
