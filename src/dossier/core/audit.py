"""Writing the audit log. Call inside the transaction of the change it records."""

import enum
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import models

from dossier.core.models import AuditEvent


class AuditAction(enum.StrEnum):
    ID_NUMBER_VIEWED = "id_number.viewed"
    EXPORT = "export"
    GUEST_CREATED = "guest.created"
    GUEST_UPDATED = "guest.updated"
    IMPORT_COMMITTED = "import.committed"
    OBSERVATION_CONFIRMED = "observation.confirmed"
    TOKEN_CREATED = "api_token.created"


def audit(
    *,
    actor: User | AnonymousUser | None,
    action: AuditAction,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    **detail: Any,
) -> AuditEvent:
    """Append one audit row for ``obj`` (or the given type and id)."""
    if obj is not None:
        object_type = obj._meta.label_lower
        object_id = str(obj.pk)
    user = actor if isinstance(actor, User) else None
    return AuditEvent.objects.create(
        actor=user,
        action=str(action),
        object_type=object_type,
        object_id=object_id,
        detail=detail,
    )
