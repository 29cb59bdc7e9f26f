"""党员服务 API."""

from ninja import Router

router = Router(tags=["party"])
