"""Recording what a guest agreed to: consent and opt-out per channel and purpose."""

from datetime import datetime

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dossier.care.errors import CareError, CareErrorCode
from dossier.care.models import (
    Consent,
    ConsentChannel,
    ConsentPurpose,
    Task,
    TaskStatus,
)
from dossier.core.audit import AuditAction, audit
from dossier.guests.errors import GuestError, GuestErrorCode
from dossier.guests.models import Guest

CHANNELS = tuple(ConsentChannel)
PURPOSES = tuple(ConsentPurpose)


def consent_record(
    *,
    actor: User | AnonymousUser | None,
    guest: Guest,
    channel: str,
    purpose: str,
    granted: bool,
    source: str,
    at: datetime | None = None,
) -> Consent:
    """Append one consent (``granted=True``) or opt-out of ``guest``.

    ``source`` says where it came from (a signed form, an SMS reply "退订"); ``at``
    is when the guest said it (in the property's time if it names no zone), now
    by default, never later than now.
    """
    if channel not in ConsentChannel.values:
        raise GuestError(
            GuestErrorCode.INVALID_VALUE,
            _("未知的渠道：%(channel)s") % {"channel": channel},
            field="channel",
        )
    if purpose not in ConsentPurpose.values:
        raise GuestError(
            GuestErrorCode.INVALID_VALUE,
            _("未知的用途：%(purpose)s") % {"purpose": purpose},
            field="purpose",
        )
    if not source.strip():
        raise GuestError(
            GuestErrorCode.INVALID_VALUE, _("请说明授权的来源"), field="source"
        )
    if at is not None and timezone.is_naive(at):
        at = timezone.make_aware(at, guest.property.zone)
    if at is not None and at > timezone.now():
        raise GuestError(
            GuestErrorCode.INVALID_VALUE, _("客人答复的时间不能晚于现在"), field="at"
        )
    return Consent.objects.create(
        guest=guest,
        channel=channel,
        purpose=purpose,
        granted=granted,
        at=at or timezone.now(),
        source=source.strip()[:200],
        recorded_by=actor if isinstance(actor, User) else None,
    )


def consent_state(guest: Guest, channel: str, purpose: str) -> bool | None:
    """The guest's latest answer for ``channel`` and ``purpose``; None if never asked."""
    latest = (
        Consent.objects.filter(guest=guest, channel=channel, purpose=purpose)
        .order_by("-at", "-id")
        .values_list("granted", flat=True)
        .first()
    )
    return latest


def consent_states(guest: Guest) -> dict[tuple[str, str], bool]:
    """Every answered (channel, purpose) of ``guest`` with its latest answer."""
    states: dict[tuple[str, str], bool] = {}
    rows = Consent.objects.filter(guest=guest).order_by("at", "id")
    for channel, purpose, granted in rows.values_list("channel", "purpose", "granted"):
        states[(channel, purpose)] = granted
    return states


def task_close(*, actor: User, task: Task, status: str, outcome: str) -> Task:
    """Mark an open task done (with what came of it) or cancelled (with why).

    Only its owner, its department, or staff who manage care may close it.
    """
    if not task_may_close(actor, task):
        raise CareError(CareErrorCode.NOT_ALLOWED, _("这不是您或您部门的任务"))
    if status not in (TaskStatus.DONE, TaskStatus.CANCELLED):
        raise CareError(
            CareErrorCode.INVALID_VALUE,
            _("未知的任务状态：%(status)s") % {"status": status},
            field="status",
        )
    text = outcome.strip()
    if not text:
        what = _("结果") if status == TaskStatus.DONE else _("取消原因")
        raise CareError(
            CareErrorCode.INVALID_VALUE,
            _("请填写%(what)s") % {"what": what},
            field="outcome",
        )

    with transaction.atomic():
        closed = Task.objects.filter(pk=task.pk, status=TaskStatus.OPEN).update(
            status=status, outcome=text, closed_at=timezone.now(), closed_by=actor
        )
        if not closed:
            raise CareError(CareErrorCode.NOT_OPEN, _("该任务已处理过"), field="status")
        task.refresh_from_db()
        audit(
            actor=actor,
            action=AuditAction.CARE_TASK_CLOSED,
            obj=task,
            guest_id=task.guest_id,
            status=status,
            outcome=text[:200],
        )
    return task


MANAGE_CARE = "messaging.add_message"


def task_may_close(user: User, task: Task) -> bool:
    staff = getattr(user, "staff", None)
    if staff is not None and staff.property_id != task.guest.property_id:
        return False
    if task.owner_id == user.pk or user.has_perm(MANAGE_CARE):
        return True
    return (
        task.owner_id is None
        and staff is not None
        and bool(task.department)
        and task.department == staff.department
    )
