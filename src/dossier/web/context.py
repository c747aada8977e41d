"""What every page's layout needs."""

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def _unread(request: HttpRequest) -> int:
    from dossier.transfer.selectors import unread_count

    return unread_count(request.user)


def _replies_unhandled(request: HttpRequest) -> int:
    """One count query: the property is taken by id, without loading it."""
    from dossier.core.properties import property_default
    from dossier.messaging.selectors import replies_unhandled_count

    if not request.user.has_perm("messaging.view_inboundmessage"):
        return 0
    staff = getattr(request.user, "staff", None)
    property_id = staff.property_id if staff is not None else None
    if not property_id:
        property_id = property_default().pk
    return replies_unhandled_count(viewer=request.user, property_id=property_id)


def dossier_context(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    staff = getattr(user, "staff", None)
    context: dict[str, Any] = {"viewer_department": getattr(staff, "department", "")}
    if user is not None and user.is_authenticated:
        # Read only when the layout shows it, once per page.
        context["inbox_unread"] = SimpleLazyObject(lambda: _unread(request))
        context["replies_unhandled"] = SimpleLazyObject(
            lambda: _replies_unhandled(request)
        )
    return context
