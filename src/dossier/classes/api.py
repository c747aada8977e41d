"""API endpoints of classes."""

from ninja import Router

router = Router(tags=["classes"])
