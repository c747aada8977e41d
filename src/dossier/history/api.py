"""Endpoints for integrations: a PMS pushes stays, a POS pushes bills."""

from datetime import date, datetime
from decimal import Decimal

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status

from dossier.api.types import Money, Quantity, SmallCount
from dossier.guests.models import Guest
from dossier.guests.selectors import guest_merged_into, guests_visible
from dossier.history.services import BillInput, BillLineInput, bill_record, stay_record

router = Router(tags=["history"])


class StayIn(Schema):
    guest_id: int
    external_ref: str
    room: str = ""
    room_type: str = ""
    rate: Money | None = None
    arrival: date
    departure: date
    adults: SmallCount = 1
    children: SmallCount = 0
    status: str = "checked_out"
    segment: str = ""
    channel: str = ""
    payment_method: str = ""
    special_requests: str = ""
    revenue: Money | None = None


class RecordOut(Schema):
    id: int


def _guest(request: HttpRequest, guest_id: int) -> Guest:
    """The guest a push names; a merged profile's id still reaches its master."""
    guest_id = guest_merged_into(guest_id) or guest_id
    guest = guests_visible(request.user).filter(pk=guest_id).first()
    if guest is None:
        raise Http404
    return guest


@router.post("/stays", response={201: RecordOut}, summary="Record a stay (PMS)")
def stay_push(request: HttpRequest, payload: StayIn) -> Status[dict[str, int]]:
    if not request.user.has_perm("guests.change_guest"):
        raise PermissionError
    values = payload.dict(exclude={"guest_id", "revenue"})
    guest = _guest(request, payload.guest_id)
    stay = stay_record(
        property=guest.property,
        guest=guest,
        values=values,
        revenue=payload.revenue,
    )
    return Status(201, {"id": stay.pk})


class BillLineIn(Schema):
    dish: str
    quantity: Quantity = Decimal(1)
    unit_price: Money
    cost: Money | None = None
    rating: str = ""


class BillIn(Schema):
    guest_id: int
    external_ref: str
    outlet: str = "restaurant"
    opened_at: datetime
    closed_at: datetime | None = None
    status: str = "settled"
    table: str = ""
    covers: SmallCount = 1
    payable: Money | None = None
    lines: list[BillLineIn]


@router.post("/bills", response={201: RecordOut}, summary="Record a bill (POS)")
def bill_push(request: HttpRequest, payload: BillIn) -> Status[dict[str, int]]:
    if not request.user.has_perm("guests.change_guest"):
        raise PermissionError
    data = BillInput(
        external_ref=payload.external_ref,
        outlet_code=payload.outlet,
        opened_at=payload.opened_at,
        closed_at=payload.closed_at,
        status=payload.status,
        table=payload.table,
        covers=payload.covers,
        payable=payload.payable,
        lines=[BillLineInput(**line.dict()) for line in payload.lines],
    )
    guest = _guest(request, payload.guest_id)
    bill = bill_record(property=guest.property, guest=guest, data=data)
    return Status(201, {"id": bill.pk})
