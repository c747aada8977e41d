"""What every page's layout needs."""

from typing import Any

from django.http import HttpRequest


def dossier_context(request: HttpRequest) -> dict[str, Any]:
    staff = getattr(getattr(request, "user", None), "staff", None)
    return {"viewer_department": getattr(staff, "department", "")}
