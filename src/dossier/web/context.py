"""What every page's layout needs."""

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def _unread(request: HttpRequest) -> int:
    from dossier.transfer.selectors import unread_count

    return unread_count(request.user)


def dossier_context(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    staff = getattr(user, "staff", None)
    context: dict[str, Any] = {"viewer_department": getattr(staff, "department", "")}
    if user is not None and user.is_authenticated:
        # Read only when the layout shows it, once per page.
        context["inbox_unread"] = SimpleLazyObject(lambda: _unread(request))
    return context
