"""API endpoints of analyses."""

from ninja import Router

router = Router(tags=["analyses"])
