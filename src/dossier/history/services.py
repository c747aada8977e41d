"""Recording stays and bills, from imports, the PMS/POS API and forms.

Both are idempotent on the source system's reference: pushing the same stay twice
updates it. A bill's spend line is kept in step with the bill; cancelled bills carry
no spend.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction

from dossier.core.models import Property
from dossier.guests.models import Guest
from dossier.history.models import (
    Bill,
    BillLine,
    BillStatus,
    Dish,
    Outlet,
    OutletKind,
    SpendLine,
    Stay,
    StayStatus,
)


def dish_name_clean(name: str) -> str:
    """One dish, one name: line breaks and runs of spaces inside a name are dropped."""
    return " ".join(name.replace("\r", " ").replace("\n", " ").split()).replace(" ", "")


def outlet_get(prop: Property, code: str, *, name: str = "", kind: str = "") -> Outlet:
    outlet, _ = Outlet.objects.get_or_create(
        property=prop,
        code=code,
        defaults={"name": name or code, "kind": kind or OutletKind.OTHER},
    )
    return outlet


def dish_get(prop: Property, name: str, *, category: str = "") -> Dish:
    dish, _ = Dish.objects.get_or_create(
        property=prop, name=dish_name_clean(name), defaults={"category": category}
    )
    return dish


@transaction.atomic
def stay_record(
    *,
    property: Property,
    guest: Guest,
    values: dict[str, Any],
    revenue: Decimal | None = None,
) -> Stay:
    """Create or update a stay (by ``external_ref``), with its room revenue."""
    ref = str(values.get("external_ref") or "")
    stay = (
        Stay.objects.filter(property=property, external_ref=ref).first()
        if ref
        else None
    )
    stay = stay or Stay(property=property)
    stay.guest = guest
    for name, value in values.items():
        setattr(stay, name, value)
    if not stay.nights and stay.arrival and stay.departure:
        stay.nights = (stay.departure - stay.arrival).days
    stay.save()
    SpendLine.objects.filter(stay=stay).delete()
    counts = stay.status not in (StayStatus.CANCELLED, StayStatus.NO_SHOW)
    if revenue is not None and counts and revenue:
        SpendLine.objects.create(
            property=property,
            guest=guest,
            outlet=outlet_get(property, "rooms", name="客房", kind=OutletKind.ROOMS),
            stay=stay,
            date=stay.departure,
            description=f"房费 {stay.room_type}".strip(),
            revenue=revenue,
        )
    return stay


@dataclass
class BillLineInput:
    dish: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal | None = None
    cost: Decimal | None = None
    category: str = ""
    ordered_at: datetime | None = None
    rating: str = ""


@dataclass
class BillInput:
    external_ref: str
    outlet_code: str
    opened_at: datetime
    status: str = BillStatus.SETTLED
    closed_at: datetime | None = None
    table: str = ""
    covers: int = 1
    payable: Decimal | None = None
    phone_used: str = ""
    outlet_name: str = ""
    lines: list[BillLineInput] = field(default_factory=list)


@transaction.atomic
def bill_record(*, property: Property, guest: Guest, data: BillInput) -> Bill:
    """Create or replace a bill and its lines; returns the bill."""
    outlet = outlet_get(
        property, data.outlet_code, name=data.outlet_name, kind=OutletKind.FOOD_BEVERAGE
    )
    bill = Bill.objects.filter(
        property=property, external_ref=data.external_ref
    ).first()
    bill = bill or Bill(property=property, external_ref=data.external_ref)
    total = sum((line_amount(line) for line in data.lines), Decimal("0.00"))
    bill.guest, bill.outlet, bill.table, bill.covers = (
        guest,
        outlet,
        data.table,
        data.covers,
    )
    bill.opened_at, bill.closed_at, bill.status = (
        data.opened_at,
        data.closed_at,
        data.status,
    )
    bill.total = total
    bill.payable = data.payable if data.payable is not None else total
    bill.phone_used = data.phone_used
    bill.save()
    bill.lines.all().delete()
    BillLine.objects.bulk_create(
        BillLine(
            bill=bill,
            dish=dish_get(property, line.dish, category=line.category),
            quantity=line.quantity,
            unit_price=line.unit_price,
            amount=line_amount(line),
            cost=line.cost,
            ordered_at=line.ordered_at,
            rating=line.rating,
        )
        for line in data.lines
    )
    bill_spend_sync(bill)
    return bill


def line_amount(line: BillLineInput) -> Decimal:
    if line.amount is not None:
        return line.amount
    return (line.unit_price * line.quantity).quantize(Decimal("0.01"))


def bill_spend_sync(bill: Bill) -> None:
    """The bill's spend line: its payable and cost, or none when cancelled."""
    SpendLine.objects.filter(bill=bill).delete()
    if bill.status == BillStatus.CANCELLED:
        return
    cost = sum(
        (line.cost or Decimal("0.00") for line in bill.lines.all()), Decimal("0.00")
    )
    SpendLine.objects.create(
        property=bill.property,
        guest=bill.guest,
        outlet=bill.outlet,
        bill=bill,
        date=bill.opened_at.date()
        if isinstance(bill.opened_at, datetime)
        else date.today(),
        description=f"{bill.outlet.name} {bill.table}".strip(),
        revenue=bill.payable,
        cost=cost,
    )
