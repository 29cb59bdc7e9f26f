"""矛盾调解 API."""

from ninja import Router

router = Router(tags=["mediation"])
