"""API endpoints of banquets."""

from ninja import Router

router = Router(tags=["banquets"])
