"""Sending messages, recording what became of them, and handling guests' replies.

``message_send`` queues a message and sends it after the transaction commits, so a
rolled-back change never sends anything; its idempotency key makes sending the same
greeting twice a no-op.
"""

import logging
import smtplib
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.utils import make_msgid
from functools import partial

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dossier.guests.models import Guest, GuestPhone
from dossier.messaging.errors import MessageError, MessageErrorCode
from dossier.messaging.gateways import (
    GatewayUnavailable,
    Reply,
    SmsGateway,
    StatusReport,
    sms_gateway,
)
from dossier.messaging.models import (
    Channel,
    InboundMessage,
    Message,
    MessageStatus,
    Purpose,
)
from dossier.messaging.replies import reply_is_opt_out
from dossier.messaging.sms import sms_preview
from dossier.zh.phones import InvalidPhone, normalize_phone

logger = logging.getLogger(__name__)

__all__ = [
    "message_deliver",
    "message_send",
    "message_status_record",
    "opt_out_number",
    "reply_handle",
    "reply_is_opt_out",
    "reply_mark_handled",
    "sms_poll",
    "sms_updates_record",
]

# A gateway's word for a number that refuses messages: an opt-out like "TD".
BLACKLISTED = "blacklisted"
FAILED_WORDS = frozenset({"failed", "undelivered", "expired", "rejected"})


def message_send(
    *,
    channel: str,
    to: str,
    body: str,
    purpose: str,
    idempotency_key: str,
    subject: str = "",
    guest: Guest | None = None,
    actor: User | AnonymousUser | None = None,
) -> Message:
    """Queue one message and send it once the current transaction commits.

    A second call with the same ``idempotency_key`` returns the first message and
    sends nothing, also when two workers race. Marketing needs the guest's consent
    for the channel.
    """
    address = _address(channel, to)
    if not body.strip():
        raise MessageError(
            MessageErrorCode.INVALID_VALUE, _("内容不能为空"), field="body"
        )
    if not idempotency_key.strip():
        raise MessageError(
            MessageErrorCode.INVALID_VALUE, _("缺少幂等键"), field="idempotency_key"
        )
    if purpose not in Purpose.values:
        raise MessageError(
            MessageErrorCode.INVALID_VALUE,
            _("未知的用途：%(purpose)s") % {"purpose": purpose},
            field="purpose",
        )
    existing = Message.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    if purpose == Purpose.MARKETING and not _marketing_allowed(guest, channel):
        raise MessageError(
            MessageErrorCode.NO_CONSENT, _("客人未同意接收营销信息"), field="purpose"
        )

    preview = sms_preview(body) if channel == Channel.SMS else None
    try:
        with transaction.atomic():
            message = Message.objects.create(
                channel=channel,
                purpose=purpose,
                to=address,
                subject=subject[:200],
                body=body,
                guest=guest,
                idempotency_key=idempotency_key,
                parts=preview.parts if preview else 1,
                cost=preview.cost if preview else 0,
                created_by=actor if isinstance(actor, User) else None,
            )
    except IntegrityError:
        # Another worker queued the same key between our look-up and our insert.
        return Message.objects.get(idempotency_key=idempotency_key)

    transaction.on_commit(partial(message_deliver, message_id=message.pk))
    return message


def message_deliver(
    *, message_id: int, gateway: SmsGateway | None = None
) -> Message | None:
    """Send a queued message, once: a message already attempted is left alone."""
    claimed = Message.objects.filter(
        pk=message_id, status=MessageStatus.QUEUED, attempted_at__isnull=True
    ).update(attempted_at=timezone.now())
    if not claimed:
        return None
    message = Message.objects.get(pk=message_id)

    started = time.monotonic()
    if message.channel == Channel.SMS:
        _deliver_sms(message, gateway or sms_gateway())
    else:
        _deliver_email(message)
    message.save(
        update_fields=["status", "provider_id", "error_code", "error", "sent_at"]
    )
    logger.info(
        "message %s: %s",
        message.pk,
        message.status,
        extra={"message_id": message.pk, "seconds": time.monotonic() - started},
    )
    if message.error_code.lower() == BLACKLISTED:
        opt_out_number(e164=message.to, source=f"短信网关：{message.error_code}")
    return message


def _deliver_sms(message: Message, gateway: SmsGateway) -> None:
    try:
        result = gateway.send(
            to=message.to, text=message.body, reference=message.idempotency_key
        )
    except GatewayUnavailable as error:
        message.status, message.error = MessageStatus.FAILED, str(error)[:500]
        return
    if result.accepted:
        message.status, message.provider_id = MessageStatus.SENT, result.provider_id
        message.sent_at = timezone.now()
    else:
        message.status = MessageStatus.REJECTED
        message.error_code, message.error = result.error_code[:50], result.error


def _deliver_email(message: Message) -> None:
    message_id = make_msgid(domain="dossier.local")
    email = EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        headers={"Message-ID": message_id},
    )
    try:
        email.send()
    except (smtplib.SMTPException, OSError) as error:
        message.status, message.error = MessageStatus.FAILED, str(error)[:500]
        return
    message.status, message.provider_id = MessageStatus.SENT, message_id[:100]
    message.sent_at = timezone.now()


def _address(channel: str, to: str) -> str:
    if channel == Channel.SMS:
        try:
            return normalize_phone(to).e164
        except InvalidPhone:
            raise MessageError(
                MessageErrorCode.INVALID_ADDRESS,
                _("手机号码无效：%(to)s") % {"to": to},
                field="to",
            ) from None
    if channel == Channel.EMAIL:
        try:
            validate_email(to.strip())
        except ValidationError:
            raise MessageError(
                MessageErrorCode.INVALID_ADDRESS,
                _("邮箱地址无效：%(to)s") % {"to": to},
                field="to",
            ) from None
        return to.strip()
    raise MessageError(
        MessageErrorCode.INVALID_VALUE,
        _("未知的渠道：%(channel)s") % {"channel": channel},
        field="channel",
    )


def _marketing_allowed(guest: Guest | None, channel: str) -> bool:
    """Whether the guest's latest answer for marketing on ``channel`` is yes."""
    if guest is None:
        return False
    from dossier.care import services as care

    state = getattr(care, "consent_state", None)
    return state is not None and state(guest, channel, Purpose.MARKETING) is True


def message_status_record(
    *, provider_id: str, status: str, error_code: str = "", at: datetime | None = None
) -> Message | None:
    """Record a gateway's report on a message; ``blacklisted`` opts the number out.

    A report the message already reflects changes nothing, so the same report
    pulled or pushed twice opts nobody out twice.
    """
    if not provider_id:
        return None
    word = status.lower()
    with transaction.atomic():
        message = (
            Message.objects.select_for_update()
            .filter(channel=Channel.SMS, provider_id=provider_id)
            .first()
        )
        if message is None:
            logger.warning(
                "report for unknown message", extra={"provider_id": provider_id}
            )
            return None
        if _report_is_known(message, word, error_code):
            return message
        if word == "delivered":
            message.status = MessageStatus.DELIVERED
            message.delivered_at = at or timezone.now()
        elif word == BLACKLISTED:
            message.status, message.error_code = MessageStatus.REJECTED, BLACKLISTED
        elif word in FAILED_WORDS:
            message.status, message.error_code = MessageStatus.FAILED, error_code[:50]
        else:
            logger.info("report %s ignored", word, extra={"provider_id": provider_id})
            return message
        message.save(update_fields=["status", "delivered_at", "error_code"])
        if word == BLACKLISTED:
            opt_out_number(e164=message.to, source="短信网关：blacklisted")
    return message


def _report_is_known(message: Message, word: str, error_code: str) -> bool:
    if word == "delivered":
        return message.status == MessageStatus.DELIVERED
    if word == BLACKLISTED:
        return message.error_code.lower() == BLACKLISTED
    if word in FAILED_WORDS:
        return (
            message.status == MessageStatus.FAILED
            and message.error_code == error_code[:50]
        )
    return False


def reply_handle(
    *,
    from_e164: str,
    text: str,
    provider_id: str = "",
    received_at: datetime | None = None,
) -> InboundMessage:
    """Keep a guest's reply; an opt-out reply opts the number out for every profile.

    A reply the gateway reports twice (same ``provider_id``) is kept once.
    """
    if provider_id:
        seen = InboundMessage.objects.filter(
            channel=Channel.SMS, provider_id=provider_id
        ).first()
        if seen is not None:
            return seen
    is_opt_out = reply_is_opt_out(text)
    guest_ids = _guests_with_number(from_e164)
    try:
        return _reply_keep(
            from_e164, text, provider_id, received_at, is_opt_out, guest_ids
        )
    except IntegrityError:
        if not provider_id:
            raise
        # The same reply, pulled and pushed at once, was kept by the other request.
        return InboundMessage.objects.get(channel=Channel.SMS, provider_id=provider_id)


def _reply_keep(
    from_e164: str,
    text: str,
    provider_id: str,
    received_at: datetime | None,
    is_opt_out: bool,
    guest_ids: list[int],
) -> InboundMessage:
    with transaction.atomic():
        reply = InboundMessage.objects.create(
            channel=Channel.SMS,
            from_address=from_e164,
            body=text,
            provider_id=provider_id,
            received_at=received_at or timezone.now(),
            is_opt_out=is_opt_out,
            guest_id=guest_ids[0] if len(guest_ids) == 1 else None,
            handled_at=timezone.now() if is_opt_out else None,
        )
        if is_opt_out:
            opt_out_number(e164=from_e164, source=f"短信回复“{text.strip()[:50]}”")
    return reply


def reply_mark_handled(*, actor: User, reply: InboundMessage) -> InboundMessage:
    """Record that ``actor`` has answered or dealt with ``reply``; once only.

    A reply already handled keeps who handled it first and when, so two colleagues
    clicking at once do not overwrite each other.
    """
    with transaction.atomic():
        locked = InboundMessage.objects.select_for_update().get(pk=reply.pk)
        if locked.handled_at is None:
            locked.handled_at = timezone.now()
            locked.handled_by = actor
            locked.save(update_fields=["handled_at", "handled_by"])
    return locked


def opt_out_number(*, e164: str, source: str) -> list[int]:
    """Opt every guest with the phone ``e164`` out of SMS marketing; their ids.

    The opt-out is written through ``dossier.care.services.consent_record`` when that
    exists; without it the guests are only returned.
    """
    guest_ids = _guests_with_number(e164)
    from dossier.care import services as care

    record = getattr(care, "consent_record", None)
    if record is None:
        logger.warning("no consent records: opt-out of %s not kept", e164[-4:])
        return guest_ids
    for guest in Guest.objects.filter(pk__in=guest_ids).order_by("pk"):
        record(
            actor=None,
            guest=guest,
            channel=Channel.SMS,
            purpose=Purpose.MARKETING,
            granted=False,
            source=source,
        )
    return guest_ids


def _guests_with_number(e164: str) -> list[int]:
    return sorted(
        set(GuestPhone.objects.filter(e164=e164).values_list("guest_id", flat=True))
    )


@dataclass(frozen=True)
class PollReport:
    reports: int
    replies: int


def sms_poll(*, gateway: SmsGateway | None = None) -> PollReport:
    """Fetch the gateway's delivery reports and replies and record each."""
    gateway = gateway or sms_gateway()
    reports = gateway.fetch_reports()
    return sms_updates_record(reports=reports, replies=gateway.fetch_replies())


def sms_updates_record(
    *, reports: Sequence[StatusReport], replies: Sequence[Reply]
) -> PollReport:
    """Record delivery reports and replies, pulled or pushed; safe to repeat."""
    for report in reports:
        message_status_record(
            provider_id=report.provider_id,
            status=report.status,
            error_code=report.error_code,
            at=report.at,
        )
    for reply in replies:
        reply_handle(
            from_e164=reply.from_e164,
            text=reply.text,
            provider_id=reply.provider_id,
            received_at=reply.at,
        )
    return PollReport(reports=len(reports), replies=len(replies))
