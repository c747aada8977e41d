"""Reading messages and replies."""

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet

from dossier.guests.selectors import guests_visible
from dossier.messaging.models import InboundMessage


def inbox_replies(
    *, viewer: User | AnonymousUser, property_id: int
) -> QuerySet[InboundMessage]:
    """Replies that are not opt-outs, newest first: what staff should read.

    A reply from a guest's number shows only to staff who may see that guest at
    their property; a reply from a number no profile holds shows to every reader.
    """
    visible = guests_visible(viewer).filter(property_id=property_id).values("pk")
    return (
        InboundMessage.objects.filter(is_opt_out=False)
        .filter(Q(guest__isnull=True) | Q(guest_id__in=visible))
        .select_related("guest", "handled_by")
        .order_by("-received_at", "-id")
    )


def replies_unhandled_count(*, viewer: User | AnonymousUser, property_id: int) -> int:
    """How many of the replies the inbox lists to ``viewer`` nobody has handled yet."""
    return (
        inbox_replies(viewer=viewer, property_id=property_id)
        .filter(handled_at__isnull=True)
        .count()
    )
