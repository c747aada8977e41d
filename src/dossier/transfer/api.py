"""API endpoints of transfer."""

from ninja import Router

router = Router(tags=["transfer"])
