"""Reading the inbox of a user (newest first, with the unread count) and what a user
sent, to whom, and whether it was opened."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from dossier.core.models import Department
from dossier.core.people import staff_name
from dossier.transfer.models import Delivery, TargetKind, Transfer


def inbox_of(
    user: User | AnonymousUser, *, unread_only: bool = False
) -> QuerySet[Delivery]:
    deliveries = Delivery.objects.filter(recipient_id=user.pk).select_related(
        "transfer", "transfer__sender"
    )
    if unread_only:
        deliveries = deliveries.filter(read_at__isnull=True)
    return deliveries.order_by("-delivered_at", "-pk")


def unread_count(user: User | AnonymousUser) -> int:
    return Delivery.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


def delivery_for(user: User | AnonymousUser, delivery_id: int) -> Delivery | None:
    return inbox_of(user).filter(pk=delivery_id).first()


def sent_by(user: User | AnonymousUser) -> QuerySet[Transfer]:
    """What ``user`` sent, newest first, each with its deliveries and recipients."""
    deliveries = Delivery.objects.select_related("recipient").order_by("pk")
    return (
        Transfer.objects.filter(sender_id=user.pk)
        .prefetch_related(Prefetch("deliveries", queryset=deliveries))
        .order_by("-sent_at", "-pk")
    )


@dataclass(frozen=True)
class SentState:
    """To whom a transfer went and how many of them opened it."""

    to: str
    recipients: int
    read: int
    # When the only recipient opened it; None while unread or sent to several.
    read_at: datetime | None


def sent_state(transfer: Transfer) -> SentState:
    """The state of a transfer from :func:`sent_by` (its deliveries prefetched)."""
    deliveries = list(transfer.deliveries.all())
    if transfer.target_kind == TargetKind.DEPARTMENT:
        to = (
            Department(transfer.target).label
            if transfer.target in Department.values
            else transfer.target
        )
    elif transfer.target_kind == TargetKind.SELF:
        to = _("自己")
    else:
        to = "、".join(staff_name(d.recipient) for d in deliveries) or transfer.target
    read = [d.read_at for d in deliveries if d.read_at is not None]
    only = read[0] if len(deliveries) == 1 and read else None
    return SentState(
        to=str(to), recipients=len(deliveries), read=len(read), read_at=only
    )
