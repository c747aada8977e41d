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
    NUMBER_TEMPLATE_CHOSEN = "records.number_template_chosen"
    FOLDER_CAPACITY_CHANGED = "records.folder_capacity_changed"
    RETENTION_CHANGED = "records.retention_changed"
    HOLD_PLACED = "records.hold_placed"
    HOLD_RELEASED = "records.hold_released"
    DISPOSAL_PROPOSED = "records.disposal_proposed"
    DISPOSAL_APPROVED = "records.disposal_approved"
    DISPOSAL_EXECUTED = "records.disposal_executed"
    LOAN_REQUESTED = "records.loan_requested"
    LOAN_APPROVED = "records.loan_approved"
    LOAN_REFUSED = "records.loan_refused"
    LOAN_WITHDRAWN = "records.loan_withdrawn"
    LOAN_SIGNED_OUT = "records.loan_signed_out"
    LOAN_RETURNED = "records.loan_returned"
    GUEST_MERGED = "guest.merged"
    GUEST_MERGE_UNDONE = "guest.merge_undone"
    DUPLICATE_DISMISSED = "duplicate.dismissed"
    PERSONNEL_FILE_CREATED = "personnel.file_created"
    PERSONNEL_FILE_UPDATED = "personnel.file_updated"
    SIGN_OUT_OPENED = "personnel.sign_out_opened"
    SIGN_OUT_REFUSED = "personnel.sign_out_refused"
    SIGN_OUT_CHECKED = "personnel.sign_out_checked"
    SIGN_OUT_HANDED_OVER = "personnel.sign_out_handed_over"
    SIGN_OUT_CANCELLED = "personnel.sign_out_cancelled"
    RECEIPT_CHASED = "personnel.receipt_chased"
    RECEIPT_RECORDED = "personnel.receipt_recorded"
    RECEIPT_POLICY_CHANGED = "personnel.receipt_policy_changed"
    BANQUET_MENU_CREATED = "banquet.menu_created"
    BANQUET_MENU_CHANGED = "banquet.menu_changed"
    BANQUET_DISH_EVALUATED = "banquet.dish_evaluated"
    QUOTA_CHANGED = "collection.quota_changed"
    CHECKLIST_CHANGED = "collection.checklist_changed"
    REGISTRATION_SUBMITTED = "collection.registration_submitted"
    REGISTRATION_CONFIRMED = "collection.registration_confirmed"
    REGISTRATION_REJECTED = "collection.registration_rejected"
    CLASS_ACCESS_CHANGED = "records.class_access_changed"
    ATTACHMENT_UPLOADED = "records.attachment_uploaded"
    ATTACHMENT_DOWNLOADED = "records.attachment_downloaded"
    ATTACHMENT_CHECKSUM_FAILED = "records.attachment_checksum_failed"
    ATTACHMENTS_DESTROYED = "records.attachments_destroyed"
    TRANSFER_SENT = "transfer.sent"
    TRANSFER_OPENED = "transfer.opened"
    CARE_RULE_SAVED = "care.rule_saved"
    CARE_TASK_CLOSED = "care.task_closed"
    CARE_CAMPAIGN_SAVED = "care.campaign_saved"
    CARE_CAMPAIGN_SENT = "care.campaign_sent"
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
