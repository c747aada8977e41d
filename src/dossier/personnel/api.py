"""API endpoints of personnel."""

from ninja import Router

router = Router(tags=["personnel"])
