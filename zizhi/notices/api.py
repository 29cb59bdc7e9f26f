"""Notices API."""

from ninja import Router

router = Router(tags=["notices"])
