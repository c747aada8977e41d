"""Recording stays and bills, from imports, the PMS/POS API and forms.

Both are idempotent on the source system's reference: pushing the same stay twice
updates it. A bill's spend line is kept in step with the bill; cancelled bills carry
no spend.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NoReturn

from django.db import transaction
from django.utils.translation import gettext as _

from dossier.core.models import Property
from dossier.guests.errors import GuestError, GuestErrorCode
from dossier.guests.models import Guest
from dossier.history.models import (
    Bill,
    BillLine,
    BillStatus,
    Dish,
    DishRating,
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


# A stay longer than this is a typing error, not a guest.
LONGEST_STAY_NIGHTS = 1000


def _refuse(field: str, message: str) -> NoReturn:
    raise GuestError(GuestErrorCode.INVALID_VALUE, message, field=field)


def _stay_check(values: dict[str, Any], revenue: Decimal | None) -> None:
    """Refuse a stay no hotel could have, naming the field, before anything is written."""
    arrival, departure = values.get("arrival"), values.get("departure")
    if isinstance(arrival, date) and isinstance(departure, date):
        if departure < arrival:
            _refuse(
                "departure",
                _("离店日期 %(departure)s 早于到店日期 %(arrival)s")
                % {"departure": departure.isoformat(), "arrival": arrival.isoformat()},
            )
        if (departure - arrival).days > LONGEST_STAY_NIGHTS:
            _refuse(
                "departure",
                _("住店 %(nights)s 晚超过上限 %(limit)s 晚，请检查日期")
                % {"nights": (departure - arrival).days, "limit": LONGEST_STAY_NIGHTS},
            )
    status = values.get("status")
    if status is not None and status not in StayStatus.values:
        _refuse(
            "status",
            _("住店状态“%(status)s”无效，应为：%(choices)s")
            % {"status": status, "choices": "、".join(StayStatus.values)},
        )
    rate = values.get("rate")
    for name, amount in (("rate", rate), ("revenue", revenue)):
        if amount is not None and amount < 0:
            _refuse(name, _("金额不能为负数：%(amount)s") % {"amount": amount})


def _bill_check(data: "BillInput") -> None:
    if data.closed_at is not None and data.closed_at < data.opened_at:
        _refuse("closed_at", _("结账时间早于开台时间"))
    if data.status not in BillStatus.values:
        _refuse(
            "status",
            _("账单状态“%(status)s”无效，应为：%(choices)s")
            % {"status": data.status, "choices": "、".join(BillStatus.values)},
        )
    for line in data.lines:
        if line.rating not in DishRating.values:
            _refuse(
                "rating",
                _("菜品评价“%(rating)s”无效，应为：%(choices)s")
                % {
                    "rating": line.rating,
                    "choices": "、".join(filter(None, DishRating.values)),
                },
            )


@transaction.atomic
def stay_record(
    *,
    property: Property,
    guest: Guest,
    values: dict[str, Any],
    revenue: Decimal | None = None,
) -> Stay:
    """Create or update a stay (by ``external_ref``), with its room revenue."""
    _stay_check(values, revenue)
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
    _bill_check(data)
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


# Many stays and bills at once, for imports: a few queries per batch, not per row.

BULK_BATCH = 1000


@dataclass
class StayInput:
    """One stay of an import row; without a reference it is matched by guest,
    arrival and room, so importing the same file twice changes nothing."""

    guest_id: int
    values: dict[str, Any]
    revenue: Decimal | None = None

    def natural_key(self) -> tuple[int, Any, str]:
        return (
            self.guest_id,
            self.values.get("arrival"),
            str(self.values.get("room", "")),
        )


def stays_existing(
    *, property: Property, items: Sequence[StayInput]
) -> list[int | None]:
    """The id of the stay each input would update, or ``None`` for a new one."""
    refs = [str(item.values.get("external_ref") or "") for item in items]
    by_ref: dict[str, int] = {}
    wanted = sorted({ref for ref in refs if ref})
    for start in range(0, len(wanted), BULK_BATCH):
        by_ref.update(
            Stay.objects.filter(
                property=property, external_ref__in=wanted[start : start + BULK_BATCH]
            ).values_list("external_ref", "id")
        )
    by_key: dict[tuple[int, Any, str], int] = {}
    guests = sorted({i.guest_id for i, ref in zip(items, refs, strict=True) if not ref})
    for start in range(0, len(guests), BULK_BATCH):
        for pk, guest_id, arrival, room in Stay.objects.filter(
            property=property, guest_id__in=guests[start : start + BULK_BATCH]
        ).values_list("id", "guest_id", "arrival", "room"):
            by_key.setdefault((guest_id, arrival, room), pk)
    return [
        by_ref.get(ref) if ref else by_key.get(item.natural_key())
        for item, ref in zip(items, refs, strict=True)
    ]


@transaction.atomic
def stays_bulk_record(
    *, property: Property, items: Sequence[StayInput]
) -> tuple[int, int]:
    """Create or update the stays with their room revenue; returns (created, updated)."""
    existing_ids = stays_existing(property=property, items=items)
    current = Stay.objects.in_bulk([pk for pk in existing_ids if pk is not None])
    fresh: list[Stay] = []
    changed: list[Stay] = []
    names: set[str] = {"guest", "nights"}
    for item, pk in zip(items, existing_ids, strict=True):
        stay = current[pk] if pk is not None else Stay(property=property)
        stay.guest_id = item.guest_id
        for name, value in item.values.items():
            setattr(stay, name, value)
        names.update(item.values)
        stay.nights = item.values.get("nights") or (stay.departure - stay.arrival).days
        (changed if pk is not None else fresh).append(stay)
    Stay.objects.bulk_create(fresh, batch_size=BULK_BATCH)
    Stay.objects.bulk_update(changed, sorted(names), batch_size=BULK_BATCH)
    stays = fresh + changed
    SpendLine.objects.filter(stay__in=[s.pk for s in changed]).delete()
    rooms = outlet_get(property, "rooms", name="客房", kind=OutletKind.ROOMS)
    SpendLine.objects.bulk_create(
        (
            SpendLine(
                property=property,
                guest_id=stay.guest_id,
                outlet=rooms,
                stay=stay,
                date=stay.departure,
                description=f"房费 {stay.room_type}".strip(),
                revenue=revenue,
            )
            for stay, item in zip(stays, _in_order(items, existing_ids), strict=True)
            if (revenue := _stay_revenue(stay, item))
            and stay.status not in (StayStatus.CANCELLED, StayStatus.NO_SHOW)
        ),
        batch_size=BULK_BATCH,
    )
    return len(fresh), len(changed)


def _in_order(items: Sequence[StayInput], ids: Sequence[int | None]) -> list[StayInput]:
    """The inputs in the order of ``fresh + changed`` above."""
    pairs = list(zip(items, ids, strict=True))
    return [i for i, pk in pairs if pk is None] + [
        i for i, pk in pairs if pk is not None
    ]


def _stay_revenue(stay: Stay, item: StayInput) -> Decimal | None:
    if item.revenue is not None:
        return item.revenue
    rate: Decimal | None = stay.rate
    if rate is not None and stay.nights:
        return (rate * stay.nights).quantize(Decimal("0.01"))
    return None


def bills_existing(*, property: Property, refs: Iterable[str]) -> set[str]:
    wanted = sorted(set(refs))
    found: set[str] = set()
    for start in range(0, len(wanted), BULK_BATCH):
        found.update(
            Bill.objects.filter(
                property=property, external_ref__in=wanted[start : start + BULK_BATCH]
            ).values_list("external_ref", flat=True)
        )
    return found


def dishes_get(prop: Property, lines: Iterable[BillLineInput]) -> dict[str, int]:
    """Dish ids by cleaned name, creating the dishes not seen before."""
    wanted: dict[str, str] = {}
    for line in lines:
        wanted.setdefault(dish_name_clean(line.dish), line.category)
    names = sorted(wanted)
    ids: dict[str, int] = {}
    for start in range(0, len(names), BULK_BATCH):
        ids.update(
            Dish.objects.filter(
                property=prop, name__in=names[start : start + BULK_BATCH]
            ).values_list("name", "id")
        )
    missing = [
        Dish(property=prop, name=n, category=wanted[n]) for n in names if n not in ids
    ]
    Dish.objects.bulk_create(missing, batch_size=BULK_BATCH)
    ids.update({dish.name: dish.pk for dish in missing})
    return ids


@transaction.atomic
def bills_bulk_record(
    *, property: Property, items: Sequence[tuple[int, BillInput]]
) -> tuple[int, int]:
    """Create or replace bills (by reference) with lines and spend; (created, updated)."""
    outlets = {
        code: outlet_get(property, code, name=name, kind=OutletKind.FOOD_BEVERAGE)
        for code, name in {(d.outlet_code, d.outlet_name) for _, d in items}
    }
    dishes = dishes_get(property, (line for _, data in items for line in data.lines))
    current = {
        bill.external_ref: bill
        for bill in _bills_by_ref(property, [data.external_ref for _, data in items])
    }
    fresh: list[Bill] = []
    changed: list[Bill] = []
    for guest_id, data in items:
        bill = current.get(data.external_ref) or Bill(
            property=property, external_ref=data.external_ref
        )
        _bill_fill(bill, guest_id, data, outlets[data.outlet_code])
        (changed if bill.pk else fresh).append(bill)
    Bill.objects.bulk_create(fresh, batch_size=BULK_BATCH)
    Bill.objects.bulk_update(changed, _BILL_FIELDS, batch_size=BULK_BATCH)
    old = [bill.pk for bill in changed]
    BillLine.objects.filter(bill__in=old).delete()
    SpendLine.objects.filter(bill__in=old).delete()
    bills = {bill.external_ref: bill for bill in fresh + changed}
    BillLine.objects.bulk_create(
        (
            BillLine(
                bill=bills[data.external_ref],
                dish_id=dishes[dish_name_clean(line.dish)],
                quantity=line.quantity,
                unit_price=line.unit_price,
                amount=line_amount(line),
                cost=line.cost,
                ordered_at=line.ordered_at,
                rating=line.rating,
            )
            for _, data in items
            for line in data.lines
        ),
        batch_size=BULK_BATCH,
    )
    SpendLine.objects.bulk_create(
        (_bill_spend(property, bills[d.external_ref], d) for _, d in items
         if d.status != BillStatus.CANCELLED),
        batch_size=BULK_BATCH,
    )  # fmt: skip
    return len(fresh), len(changed)


_BILL_FIELDS = ["guest", "outlet", "table", "covers", "opened_at", "closed_at",
                "status", "total", "payable", "phone_used"]  # fmt: skip


def _bills_by_ref(prop: Property, refs: Sequence[str]) -> list[Bill]:
    wanted = sorted(set(refs))
    found: list[Bill] = []
    for start in range(0, len(wanted), BULK_BATCH):
        found += Bill.objects.filter(
            property=prop, external_ref__in=wanted[start : start + BULK_BATCH]
        )
    return found


def _bill_fill(bill: Bill, guest_id: int, data: BillInput, outlet: Outlet) -> None:
    total = sum((line_amount(line) for line in data.lines), Decimal("0.00"))
    bill.guest_id, bill.outlet, bill.table = guest_id, outlet, data.table
    bill.covers, bill.status = data.covers, data.status
    bill.opened_at, bill.closed_at = data.opened_at, data.closed_at
    bill.total = total
    bill.payable = data.payable if data.payable is not None else total
    bill.phone_used = data.phone_used


def _bill_spend(prop: Property, bill: Bill, data: BillInput) -> SpendLine:
    cost = sum((line.cost or Decimal("0.00") for line in data.lines), Decimal("0.00"))
    return SpendLine(
        property=prop,
        guest_id=bill.guest_id,
        outlet=bill.outlet,
        bill=bill,
        date=bill.opened_at.astimezone(prop.zone).date(),
        description=f"{bill.outlet.name} {bill.table}".strip(),
        revenue=bill.payable,
        cost=cost,
    )
