"""Reading messages and replies."""

from dossier.messaging.models import InboundMessage


def inbox_replies(*, limit: int) -> list[InboundMessage]:
    """Replies that are not opt-outs, newest first: what staff should read."""
    return list(
        InboundMessage.objects.filter(is_opt_out=False)
        .select_related("guest")
        .order_by("-received_at", "-id")[:limit]
    )
