"""微心愿 API."""

from ninja import Router

router = Router(tags=["wishes"])
