"""Campaigns: one message to a segment of guests, with their marketing consent.

The audience is the segment (class, tags, preference, last visit) less every guest
without a yes for marketing on the channel, and less every address that anyone sharing
it has opted out with: an explicit opt-out always wins. Sending is claimed once by the
campaign's status; each guest is a ``Recipient`` row, unique per campaign.
"""

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dossier.care.errors import CareError, CareErrorCode
from dossier.care.models import Campaign, CampaignStatus, Consent, Recipient
from dossier.care.reminders import Outcome, guest_mobile
from dossier.care.rules import classes_parse
from dossier.care.templating import (
    CAMPAIGN_PLACEHOLDERS,
    template_check,
    template_render,
)
from dossier.core.audit import AuditAction, audit
from dossier.core.models import Property
from dossier.guests.models import Guest, GuestPhone
from dossier.guests.selectors import guest_honorific, guests_current, honorific_of
from dossier.history.models import Bill, Stay
from dossier.messaging.errors import MessageError
from dossier.messaging.gateways import GatewayUnavailable
from dossier.messaging.models import InboundMessage, Message, MessageStatus, Purpose
from dossier.messaging.services import message_send, sms_poll
from dossier.messaging.sms import sms_preview

logger = logging.getLogger(__name__)

CHANNELS = ("sms", "email")
# A reply or a visit within this many days of the send counts as a response.
RESPONSE_DAYS = 30


@dataclass(frozen=True)
class CampaignInput:
    name: str
    channel: str
    body: str
    subject: str = ""
    classes: str = ""
    tags: str = ""
    preference: str = ""
    visited_after: date | None = None
    visited_before: date | None = None
    send_on: date | None = None


def _check(data: CampaignInput, today: date) -> dict[str, Any]:
    if not data.name.strip():
        raise CareError(CareErrorCode.INVALID_VALUE, _("请填写活动名称"), field="name")
    if data.channel not in CHANNELS:
        raise CareError(
            CareErrorCode.INVALID_VALUE,
            _("未知的渠道：%(channel)s") % {"channel": data.channel},
            field="channel",
        )
    if not data.body.strip():
        raise CareError(CareErrorCode.INVALID_VALUE, _("请填写消息内容"), field="body")
    template_check(data.body, field="body", allowed=CAMPAIGN_PLACEHOLDERS)
    if data.channel == "email" and not data.subject.strip():
        raise CareError(
            CareErrorCode.INVALID_VALUE, _("请填写邮件主题"), field="subject"
        )
    classes = classes_parse(data.classes, field="classes")
    if (
        data.visited_after
        and data.visited_before
        and data.visited_after > data.visited_before
    ):
        raise CareError(
            CareErrorCode.INVALID_VALUE,
            _("最近到访的起始日期晚于截止日期"),
            field="visited_after",
        )
    if data.send_on is not None and data.send_on < today:
        raise CareError(
            CareErrorCode.INVALID_VALUE,
            _("%(send_on)s 已经过去") % {"send_on": data.send_on},
            field="send_on",
        )
    return {
        **data.__dict__,
        "name": data.name.strip()[:100],
        "body": data.body.strip(),
        "classes": "".join(classes),
        "tags": ",".join(t.strip() for t in data.tags.split(",") if t.strip()),
        "preference": data.preference.strip(),
    }


@transaction.atomic
def campaign_save(
    *,
    actor: User | AnonymousUser | None,
    prop: Property,
    data: CampaignInput,
    campaign: Campaign | None = None,
) -> Campaign:
    """Create or change a campaign not yet sent; a send date schedules it."""
    values = _check(data, prop.today())
    if campaign is not None and campaign.status not in (
        CampaignStatus.DRAFT,
        CampaignStatus.SCHEDULED,
    ):
        raise CareError(CareErrorCode.NOT_OPEN, _("活动已发送或已取消，不能修改"))
    target = campaign or Campaign(
        property=prop, created_by=actor if isinstance(actor, User) else None
    )
    for name, value in values.items():
        setattr(target, name, value)
    target.status = CampaignStatus.SCHEDULED if data.send_on else CampaignStatus.DRAFT
    target.save()
    audit(
        actor=actor,
        action=AuditAction.CARE_CAMPAIGN_SAVED,
        obj=target,
        name=target.name,
        status=target.status,
        send_on=str(target.send_on or ""),
    )
    return target


def segment(campaign: Campaign) -> QuerySet[Guest]:
    """The guests the campaign's filters select, before consent; a profile merged
    into another is its master's."""
    guests = guests_current().filter(
        property_id=campaign.property_id, blacklisted=False
    )
    if campaign.classes:
        classes = list(campaign.classes)
        guests = guests.filter(Q(guest_class__in=classes))
    tags = [t for t in campaign.tags.split(",") if t]
    if tags:
        guests = guests.filter(tags__name__in=tags)
    if campaign.preference:
        item, _, value = campaign.preference.rpartition(":")
        wanted = Q(preferences__value_text__icontains=value.strip())
        if item.strip():
            wanted &= Q(preferences__item__name=item.strip())
        guests = guests.filter(wanted)
    if campaign.visited_after or campaign.visited_before:
        stay, bill = Max("stays__arrival"), Max("bills__opened_at__date")
        guests = guests.annotate(
            last_visit=Greatest(Coalesce(stay, bill), Coalesce(bill, stay))
        ).exclude(last_visit=None)
        if campaign.visited_after:
            guests = guests.filter(last_visit__gte=campaign.visited_after)
        if campaign.visited_before:
            guests = guests.filter(last_visit__lte=campaign.visited_before)
    return guests.distinct().select_related("property").prefetch_related("phones")


@dataclass
class Audience:
    """Who gets the campaign, with the address; who does not, with why."""

    to: list[tuple[Guest, str]] = field(default_factory=list)
    refused: list[tuple[Guest, str]] = field(default_factory=list)


def _latest_marketing(guest_ids: list[int], channel: str) -> dict[int, bool]:
    rows = Consent.objects.filter(
        guest_id__in=guest_ids, channel=channel, purpose=Purpose.MARKETING
    ).order_by("at", "id")
    return dict(rows.values_list("guest_id", "granted"))


def _opted_out_addresses(campaign: Campaign, addresses: set[str]) -> set[str]:
    """Addresses that any profile holding them has opted out with, latest answer."""
    if campaign.channel == "sms":
        holders = dict(
            GuestPhone.objects.filter(e164__in=addresses).values_list(
                "guest_id", "e164"
            )
        )
    else:
        holders = dict(
            Guest.objects.filter(email__in=addresses).values_list("pk", "email")
        )
    states = _latest_marketing(list(holders), campaign.channel)
    return {holders[g] for g, granted in states.items() if granted is False}


def audience(campaign: Campaign) -> Audience:
    guests = list(segment(campaign).order_by("pk"))
    states = _latest_marketing([g.pk for g in guests], campaign.channel)
    found = Audience()
    candidates: list[tuple[Guest, str]] = []
    for guest in guests:
        address = guest_mobile(guest) if campaign.channel == "sms" else guest.email
        if not address:
            found.refused.append(
                (
                    guest,
                    gettext_noop("没有手机号码")
                    if campaign.channel == "sms"
                    else gettext_noop("没有电子邮件地址"),
                )
            )
        elif states.get(guest.pk) is False:
            found.refused.append((guest, gettext_noop("客人已退订")))
        elif states.get(guest.pk) is not True:
            found.refused.append((guest, gettext_noop("客人未同意接收营销信息")))
        else:
            candidates.append((guest, address))
    blocked = _opted_out_addresses(campaign, {a for _x, a in candidates})
    seen: set[str] = set()
    for guest, address in candidates:
        if address in blocked:
            found.refused.append((guest, gettext_noop("同一号码或地址已退订")))
        elif address in seen:
            found.refused.append(
                (guest, gettext_noop("与其他客人共用号码或地址，只发一次"))
            )
        else:
            seen.add(address)
            found.to.append((guest, address))
    return found


def campaign_text(campaign: Campaign, guest: Guest) -> str:
    return template_render(
        campaign.body,
        {
            "称呼": guest_honorific(guest, guest.property),
            "姓名": guest.full_name,
            "门店": guest.property.name,
        },
    )


@dataclass(frozen=True)
class Estimate:
    recipients: int
    refused: int
    parts: int
    cost: Decimal
    sample: str
    sample_units: int
    sample_parts: int
    reasons: dict[str, int]


NAME_VALUES = ("surname", "given_name", "gender", "name_is_han", "title",
               "honorific_override", "full_name")  # fmt: skip


def _marketing_answer(guest_ref: str, channel: str) -> Subquery:
    """The latest marketing answer (True, False or None) of the guest ``guest_ref``
    names in the outer query, on ``channel``."""
    latest = Consent.objects.filter(
        guest_id=OuterRef(guest_ref), channel=channel, purpose=Purpose.MARKETING
    ).order_by("-at", "-id")
    return Subquery(latest.values("granted")[:1])


def _audience_values(campaign: Campaign) -> QuerySet[Guest, tuple[Any, ...]]:
    """The segment as rows of (id, address, marketing answer, address opted out by
    any profile holding it, name values), in one query: what :func:`audience`
    decides from models, here for a whole archive."""
    channel = campaign.channel
    guests = segment(campaign).select_related(None).prefetch_related(None)
    if channel == "sms":
        mobiles = GuestPhone.objects.filter(guest_id=OuterRef("pk"), kind="mobile")
        address: Any = Subquery(
            mobiles.order_by("-is_primary", "pk").values("e164")[:1]
        )
        holders: QuerySet[Any] = GuestPhone.objects.filter(
            e164=OuterRef("address")
        ).annotate(answer=_marketing_answer("guest_id", channel))
    else:
        address = F("email")
        holders = Guest.objects.filter(email=OuterRef("address")).annotate(
            answer=_marketing_answer("pk", channel)
        )
    return (
        guests.annotate(
            address=address,
            answer=_marketing_answer("pk", channel),
            blocked=Exists(holders.filter(answer=False)),
        )
        .values_list("pk", "address", "answer", "blocked", *NAME_VALUES)
        .order_by("pk")
    )


def campaign_estimate(campaign: Campaign) -> Estimate:
    """Recipients, SMS parts and cost (yuan) of sending ``campaign`` now.

    The same decisions as :func:`audience`, read as plain rows in one query; the
    text is filled in per guest only when it names the guest.
    """
    prop = campaign.property
    personal = any(f"{{{key}}}" in campaign.body for key in ("称呼", "姓名"))
    common = template_render(campaign.body, {"称呼": "", "姓名": "", "门店": prop.name})
    refused: dict[str, int] = {}
    seen: set[str] = set()
    parts, cost, first = 0, Decimal("0.00"), None
    for pk, address, answer, blocked, *names in _audience_values(campaign).iterator(
        chunk_size=5000
    ):
        reason = _refusal(campaign.channel, address, answer, blocked, seen)
        if reason:
            refused[reason] = refused.get(reason, 0) + 1
            continue
        seen.add(address)
        first = first or pk
        if campaign.channel == "sms":
            text = _text_of(campaign, names) if personal else common
            preview = sms_preview(text)
            parts, cost = parts + preview.parts, cost + preview.cost
    sample = (
        campaign_text(campaign, Guest.objects.select_related("property").get(pk=first))
        if first
        else template_render(
            campaign.body, {"称呼": "张先生", "姓名": "张伟", "门店": prop.name}
        )
    )
    sample_preview = sms_preview(sample)
    reasons = {_(stored): count for stored, count in refused.items()}
    return Estimate(
        recipients=len(seen),
        refused=sum(refused.values()),
        parts=parts,
        cost=cost,
        sample=sample,
        sample_units=sample_preview.units,
        sample_parts=sample_preview.parts,
        reasons=reasons,
    )


def _refusal(
    channel: str, address: str | None, answer: Any, blocked: Any, seen: set[str]
) -> str:
    """Why :func:`audience` leaves this guest out, or ``""``."""
    if not address:
        return (
            gettext_noop("没有手机号码")
            if channel == "sms"
            else gettext_noop("没有电子邮件地址")
        )
    if answer is not None and not answer:
        return gettext_noop("客人已退订")
    if answer is None:
        return gettext_noop("客人未同意接收营销信息")
    if blocked:
        return gettext_noop("同一号码或地址已退订")
    if address in seen:
        return gettext_noop("与其他客人共用号码或地址，只发一次")
    return ""


def _text_of(campaign: Campaign, names: list[Any]) -> str:
    surname, given_name, gender, is_han, title, override, full_name = names
    prop = campaign.property
    return template_render(
        campaign.body,
        {
            "称呼": honorific_of(
                surname=surname, given_name=given_name, gender=gender,
                is_han=is_han, title=title, override=override, prop=prop,
            ),
            "姓名": full_name,
            "门店": prop.name,
        },
    )  # fmt: skip


def campaign_send(*, actor: User | AnonymousUser | None, campaign: Campaign) -> Outcome:
    """Send ``campaign`` once: a second call, or a second worker, sends nothing.

    An SMS campaign first fetches the replies waiting at the gateway, so that a
    "TD" sent since the last poll is an opt-out before the audience is chosen.
    """
    outcome = Outcome()
    if campaign.channel == "sms":
        _replies_fetch()
    with transaction.atomic():
        claimed = Campaign.objects.filter(
            pk=campaign.pk,
            status__in=(CampaignStatus.DRAFT, CampaignStatus.SCHEDULED),
        ).update(status=CampaignStatus.SENT, sent_at=timezone.now())
        if not claimed:
            raise CareError(CareErrorCode.NOT_OPEN, _("活动已发送或已取消"))
        campaign.refresh_from_db()
        found = audience(campaign)
        for guest, reason in found.refused:
            _recipient(campaign, guest, None, reason)
            outcome.skip(reason, rule=campaign.name, guest=guest)
        for guest, address in found.to:
            _deliver(campaign, guest, address, outcome)
        audit(
            actor=actor,
            action=AuditAction.CARE_CAMPAIGN_SENT,
            obj=campaign,
            sent=outcome.sent,
            skipped=outcome.skipped_count,
        )
    return outcome


def _replies_fetch() -> None:
    try:
        report = sms_poll()
    except GatewayUnavailable as error:
        # The messages themselves will fail the same way; the log says why.
        logger.warning("replies not fetched before a campaign: %s", error)
    else:
        logger.info("fetched %s replies and %s reports before a campaign",
                    report.replies, report.reports)  # fmt: skip


def _deliver(campaign: Campaign, guest: Guest, address: str, outcome: Outcome) -> None:
    try:
        message = message_send(
            channel=campaign.channel,
            to=address,
            body=campaign_text(campaign, guest),
            subject=campaign.subject,
            purpose=Purpose.MARKETING,
            idempotency_key=f"campaign:{campaign.pk}:{guest.pk}",
            guest=guest,
        )
    except MessageError as error:
        _recipient(campaign, guest, None, error.message)
        outcome.skip(error.message, rule=campaign.name, guest=guest)
        return
    _recipient(campaign, guest, message, "")
    outcome.sent += 1


def _recipient(
    campaign: Campaign, guest: Guest, message: Message | None, skipped: str
) -> None:
    try:
        with transaction.atomic():
            Recipient.objects.create(
                campaign=campaign, guest=guest, message=message, skipped=skipped[:200]
            )
    except IntegrityError:
        logger.info("recipient %s of campaign %s kept once", guest.pk, campaign.pk)


def campaign_cancel(*, actor: User, campaign: Campaign) -> Campaign:
    cancelled = Campaign.objects.filter(
        pk=campaign.pk, status__in=(CampaignStatus.DRAFT, CampaignStatus.SCHEDULED)
    ).update(status=CampaignStatus.CANCELLED)
    if not cancelled:
        raise CareError(CareErrorCode.NOT_OPEN, _("活动已发送或已取消"))
    campaign.refresh_from_db()
    audit(
        actor=actor,
        action=AuditAction.CARE_CAMPAIGN_SAVED,
        obj=campaign,
        status=campaign.status,
    )
    return campaign


def campaigns_due_send(*, prop: Property, day: date) -> Outcome:
    """Send the property's campaigns scheduled for ``day`` or earlier."""
    outcome = Outcome()
    due = Campaign.objects.filter(
        property=prop, status=CampaignStatus.SCHEDULED, send_on__lte=day
    ).order_by("send_on", "pk")
    for campaign in due:
        try:
            outcome.add(campaign_send(actor=None, campaign=campaign))
        except CareError as error:
            outcome.skip(error.message, rule=campaign.name)
    return outcome


@dataclass(frozen=True)
class Responses:
    sent: int
    delivered: int
    failed: int
    skipped: int
    replies: int
    opt_outs: int
    visits: int
    cost: Decimal


def campaign_responses(campaign: Campaign) -> Responses:
    """What came of a sent campaign within ``RESPONSE_DAYS`` of the send."""
    recipients = Recipient.objects.filter(campaign=campaign)
    messages = Message.objects.filter(
        pk__in=recipients.exclude(message=None).values("message_id")
    )
    guest_ids = list(
        recipients.exclude(message=None).values_list("guest_id", flat=True)
    )
    start = campaign.sent_at or timezone.now()
    end = start + timedelta(days=RESPONSE_DAYS)
    addresses = list(messages.values_list("to", flat=True))
    replies = InboundMessage.objects.filter(
        from_address__in=addresses, received_at__gte=start, received_at__lt=end
    )
    opt_outs = Consent.objects.filter(
        guest_id__in=guest_ids,
        channel=campaign.channel,
        purpose=Purpose.MARKETING,
        granted=False,
        at__gte=start,
        at__lt=end,
    )
    local_start = start.astimezone(campaign.property.zone).date()
    visited = set(
        Stay.objects.filter(
            guest_id__in=guest_ids,
            arrival__gte=local_start,
            arrival__lt=end.astimezone(campaign.property.zone).date(),
        ).values_list("guest_id", flat=True)
    ) | set(
        Bill.objects.filter(
            guest_id__in=guest_ids, opened_at__gte=start, opened_at__lt=end
        ).values_list("guest_id", flat=True)
    )
    cost = sum((m.cost for m in messages.only("cost")), Decimal("0.00"))
    return Responses(
        sent=len(guest_ids),
        delivered=messages.filter(status=MessageStatus.DELIVERED).count(),
        failed=messages.filter(
            status__in=(MessageStatus.FAILED, MessageStatus.REJECTED)
        ).count(),
        skipped=recipients.filter(message=None).count(),
        replies=replies.filter(is_opt_out=False).count(),
        opt_outs=opt_outs.values("guest_id").distinct().count(),
        visits=len(visited),
        cost=cost,
    )
