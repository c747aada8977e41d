"""Endpoints for integrations: a PMS pushes stays, a POS pushes bills."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from dossier.api.types import Money, PageLimit, PageOffset, Quantity, SmallCount
from dossier.guests.errors import GuestError, GuestErrorCode
from dossier.guests.models import Guest
from dossier.guests.selectors import guest_merged_into, guests_visible
from dossier.history.models import Bill, Stay
from dossier.history.selectors import HistoryFilter, bills_of, stays_of
from dossier.history.services import BillInput, BillLineInput, bill_record, stay_record

router = Router(tags=["history"])


class StayIn(Schema):
    guest_id: int
    external_ref: str = Field(max_length=64)
    room: str = Field("", max_length=16)
    room_type: str = Field("", max_length=40)
    rate: Money | None = None
    arrival: date
    departure: date
    adults: SmallCount = 1
    children: SmallCount = 0
    status: str = "checked_out"
    segment: str = Field("", max_length=60)
    channel: str = Field("", max_length=60)
    payment_method: str = Field("", max_length=60)
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


def _known(model: type[Stay] | type[Bill], guest: Guest, ref: str) -> bool:
    """Whether the source system's reference was pushed before (an idempotent repeat)."""
    return (
        bool(ref)
        and model.objects.filter(
            property_id=guest.property_id, external_ref=ref
        ).exists()
    )


@router.post(
    "/stays",
    response={200: RecordOut, 201: RecordOut},
    summary="Record a stay (PMS): 201 when new, 200 when its reference was known",
)
def stay_push(request: HttpRequest, payload: StayIn) -> Status[dict[str, int]]:
    if not request.user.has_perm("guests.change_guest"):
        raise PermissionError
    values = payload.dict(exclude={"guest_id", "revenue"})
    guest = _guest(request, payload.guest_id)
    known = _known(Stay, guest, payload.external_ref)
    stay = stay_record(
        property=guest.property,
        guest=guest,
        values=values,
        revenue=payload.revenue,
    )
    return Status(200 if known else 201, {"id": stay.pk})


class BillLineIn(Schema):
    dish: str = Field(max_length=100)
    quantity: Quantity = Decimal(1)
    unit_price: Money
    cost: Money | None = None
    rating: str = ""


class BillIn(Schema):
    guest_id: int
    external_ref: str = Field(max_length=64)
    # The outlet's code, as the POS names it.
    outlet: str = Field("restaurant", max_length=32)
    opened_at: datetime
    closed_at: datetime | None = None
    status: str = "settled"
    table: str = Field("", max_length=20)
    covers: SmallCount = 1
    payable: Money | None = None
    lines: list[BillLineIn]


@router.post(
    "/bills",
    response={200: RecordOut, 201: RecordOut},
    summary="Record a bill (POS): 201 when new, 200 when its reference was known",
)
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
    known = _known(Bill, guest, payload.external_ref)
    bill = bill_record(property=guest.property, guest=guest, data=data)
    return Status(200 if known else 201, {"id": bill.pk})


class StayOut(Schema):
    id: int
    arrival: date
    departure: date
    nights: int
    room: str
    room_type: str
    status: str
    status_label: str
    segment: str
    channel: str
    rate: Decimal | None
    special_requests: str


class BillLineOut(Schema):
    dish: str
    quantity: Decimal
    rating: str
    rating_note: str


class BillOut(Schema):
    id: int
    opened_at: datetime
    outlet: str
    table: str
    covers: int
    status: str
    status_label: str
    total: Decimal | None
    lines: list[BillLineOut]


class StayPage(Schema):
    count: int
    items: list[StayOut]


class BillPage(Schema):
    count: int
    items: list[BillOut]


def _filters(
    since: date | None,
    until: date | None,
    status: str,
    outlet_id: int | None = None,
    dish: str = "",
) -> HistoryFilter:
    if since and until and since > until:
        raise GuestError(
            GuestErrorCode.INVALID_VALUE,
            _("开始日期 %(since)s 晚于结束日期 %(until)s")
            % {"since": since.isoformat(), "until": until.isoformat()},
            field="since",
        )
    return HistoryFilter(
        since=since, until=until, status=status, outlet_id=outlet_id, dish=dish
    )


@router.get(
    "/guests/{guest_id}/stays",
    response=StayPage,
    summary="A guest's stays, newest first",
)
def guest_stays(
    request: HttpRequest,
    guest_id: int,
    since: date | None = None,
    until: date | None = None,
    status: str = "",
    limit: PageLimit = 50,
    offset: PageOffset = 0,
) -> dict[str, Any]:
    guest = _guest(request, guest_id)
    stays = stays_of(guest, _filters(since, until, status))
    money = request.user.has_perm("history.view_spend")
    return {
        "count": stays.count(),
        "items": [
            {
                "id": s.pk,
                "arrival": s.arrival,
                "departure": s.departure,
                "nights": s.nights,
                "room": s.room,
                "room_type": s.room_type,
                "status": s.status,
                "status_label": s.get_status_display(),
                "segment": s.segment,
                "channel": s.channel,
                "rate": s.rate if money else None,
                "special_requests": s.special_requests,
            }
            for s in stays[offset : offset + limit]
        ],
    }


@router.get(
    "/guests/{guest_id}/bills",
    response=BillPage,
    summary="A guest's bills with their dishes, newest first",
)
def guest_bills(
    request: HttpRequest,
    guest_id: int,
    since: date | None = None,
    until: date | None = None,
    status: str = "",
    outlet_id: int | None = None,
    dish: Annotated[str, Field(max_length=50)] = "",
    limit: PageLimit = 50,
    offset: PageOffset = 0,
) -> dict[str, Any]:
    guest = _guest(request, guest_id)
    bills = bills_of(guest, _filters(since, until, status, outlet_id, dish))
    money = request.user.has_perm("history.view_spend")
    return {
        "count": bills.count(),
        "items": [
            {
                "id": b.pk,
                "opened_at": b.opened_at,
                "outlet": b.outlet.name,
                "table": b.table,
                "covers": b.covers,
                "status": b.status,
                "status_label": b.get_status_display(),
                "total": b.total if money else None,
                "lines": [
                    {
                        "dish": line.dish.name,
                        "quantity": line.quantity,
                        "rating": line.rating,
                        "rating_note": line.rating_note,
                    }
                    for line in b.lines.all()
                ],
            }
            for b in bills[offset : offset + limit]
        ],
    }
