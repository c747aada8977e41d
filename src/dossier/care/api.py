"""API endpoints of care."""

from ninja import Router

router = Router(tags=["care"])
