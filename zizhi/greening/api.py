"""认领绿地 API."""

from ninja import Router

router = Router(tags=["greening"])
