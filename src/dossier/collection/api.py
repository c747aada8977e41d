"""API endpoints of collection."""

from ninja import Router

router = Router(tags=["collection"])
