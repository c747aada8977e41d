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
    SCHEME_VERSION_CREATED = "records.scheme_version_created"
    CASE_FILED = "records.case_filed"
    CASE_RETURNED = "records.case_returned"
    CASE_TRASHED = "records.case_trashed"
    CASE_RESTORED = "records.case_restored"
    ORIGINAL_RETURNED = "records.original_returned"
    RETENTION_CHANGED = "records.retention_changed"
    HOLD_PLACED = "records.hold_placed"
    HOLD_RELEASED = "records.hold_released"
    DISPOSAL_PROPOSED = "records.disposal_proposed"
    DISPOSAL_APPROVED = "records.disposal_approved"
    DISPOSAL_EXECUTED = "records.disposal_executed"
    LOAN_SIGNED_OUT = "records.loan_signed_out"
    LOAN_RETURNED = "records.loan_returned"
    GUEST_MERGED = "guest.merged"
    GUEST_MERGE_UNDONE = "guest.merge_undone"
    DUPLICATE_DISMISSED = "duplicate.dismissed"
    CLASS_POLICY_CHANGED = "classes.policy_changed"
    CLASSES_RECOMPUTED = "classes.recomputed"
    CLASS_PINNED = "classes.pinned"
    CLASS_UNPINNED = "classes.unpinned"
    KEY_GUESTS_MEETING_FILED = "classes.meeting_filed"
    COST_RATE_CHANGED = "history.cost_rate_changed"


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
