"""Reading the inbox of a user: newest first, with the unread count."""

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from dossier.transfer.models import Delivery


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
