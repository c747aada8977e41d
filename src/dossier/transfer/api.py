"""API of the inbox: list, what one sent, send, open. Every send and every opening
is audited."""

from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status

from dossier.api.types import PageLimit, PageOffset
from dossier.transfer.errors import TransferError
from dossier.transfer.items import ItemView, items_view
from dossier.transfer.models import Delivery, Transfer
from dossier.transfer.selectors import delivery_for, inbox_of, sent_by
from dossier.transfer.services import SendInput, delivery_open, transfer_send
from dossier.web.http import request_actor

router = Router(tags=["transfer"])


class ItemOut(Schema):
    kind: str
    available: bool
    label: str
    url: str


class DeliveryOut(Schema):
    id: int
    sender: str
    sent_at: datetime
    read_at: datetime | None
    note: str
    item: ItemOut


class ReceiptOut(Schema):
    recipient: str
    read_at: datetime | None


class SentOut(Schema):
    id: int
    sent_at: datetime
    target_kind: str
    target: str
    note: str
    item: ItemOut
    recipients: list[ReceiptOut]


class SendIn(Schema):
    kind: str
    item_id: int
    target_kind: str
    target: str = ""
    note: str = ""


class SendOut(Schema):
    transfer_id: int
    delivered: int
    left_out: int


class ErrorOut(Schema):
    code: str
    message: str
    reason: str
    field: str


def _item_out(view: ItemView) -> dict[str, Any]:
    return {
        "kind": view.kind,
        "available": view.available,
        "label": view.label,
        "url": view.url,
    }


def _delivery_out(delivery: Delivery, view: ItemView) -> dict[str, Any]:
    return {
        "id": delivery.pk,
        "sender": delivery.transfer.sender.get_username(),
        "sent_at": delivery.transfer.sent_at,
        "read_at": delivery.read_at,
        "note": delivery.transfer.note,
        "item": _item_out(view),
    }


@router.get("", response=list[DeliveryOut], summary="My inbox, the newest first")
def inbox(
    request: HttpRequest,
    unread: bool = False,
    limit: PageLimit = 50,
    offset: PageOffset = 0,
) -> list[dict[str, Any]]:
    found = inbox_of(request.user, unread_only=unread)
    deliveries = list(found[offset : offset + limit])
    views = items_view(request.user, [d.transfer for d in deliveries])
    return [_delivery_out(d, v) for d, v in zip(deliveries, views, strict=True)]


def _sent_out(transfer: Transfer, view: ItemView) -> dict[str, Any]:
    return {
        "id": transfer.pk,
        "sent_at": transfer.sent_at,
        "target_kind": transfer.target_kind,
        "target": transfer.target,
        "note": transfer.note,
        "item": _item_out(view),
        "recipients": [
            {"recipient": d.recipient.get_username(), "read_at": d.read_at}
            for d in transfer.deliveries.all()
        ],
    }


@router.get(
    "/sent",
    response=list[SentOut],
    summary="What I sent, the newest first, with when each recipient opened it",
)
def sent(
    request: HttpRequest, limit: PageLimit = 50, offset: PageOffset = 0
) -> list[dict[str, Any]]:
    transfers = list(sent_by(request.user)[offset : offset + limit])
    views = items_view(request.user, transfers)
    return [_sent_out(t, v) for t, v in zip(transfers, views, strict=True)]


@router.post(
    "/send",
    response={201: SendOut, 422: ErrorOut},
    summary="Send a case, an attachment or a guest card (kind: case|attachment|guest; "
    "target_kind: user|department|self)",
)
def send(request: HttpRequest, payload: SendIn) -> Any:
    data = SendInput(**payload.dict())
    try:
        result = transfer_send(actor=request_actor(request), data=data)
    except TransferError as error:
        body = {"code": "invalid", "message": error.message, "reason": str(error.code)}
        return Status(422, {**body, "field": error.field})
    sent: dict[str, int] = {
        "transfer_id": result.transfer.pk,
        "delivered": result.delivered,
        "left_out": result.left_out,
    }
    return Status(201, sent)


@router.post("/{delivery_id}/open", response=DeliveryOut, summary="Open one item")
def open_delivery(request: HttpRequest, delivery_id: int) -> dict[str, Any]:
    delivery = delivery_for(request.user, delivery_id)
    if delivery is None:
        raise Http404
    view = delivery_open(actor=request_actor(request), delivery=delivery)
    return _delivery_out(delivery, view)
