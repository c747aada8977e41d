"""Preparing and writing each kind of import: guests, stays and bills.

``prepare_*`` reads every row, checks it and plans the writes without writing
anything; ``write`` carries out a plan inside the caller's transaction.
"""

import itertools
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from dossier.core.collector import fewer_collections
from dossier.core.models import Property
from dossier.guests.bulk import guests_bulk_create, guests_bulk_update
from dossier.guests.models import Guest, GuestPreference, MemberCard, PreferenceItem
from dossier.guests.services import Actor, preference_set
from dossier.history.models import BillStatus, StayStatus
from dossier.history.services import (
    BillInput,
    BillLineInput,
    StayInput,
    bills_bulk_record,
    bills_existing,
    stays_bulk_record,
    stays_existing,
)
from dossier.imports.cells import (
    cell_date,
    cell_datetime,
    cell_decimal,
    cell_int,
    cell_money,
)
from dossier.imports.matching import (
    GuestPlan,
    Planner,
    Target,
    Written,
    changes_set,
    current_load,
    known_load,
)
from dossier.imports.progress import Ticker
from dossier.imports.readers import Table
from dossier.imports.report import Report
from dossier.imports.validation import (
    Column,
    GuestRow,
    RowError,
    RowReader,
    guest_row,
)
from dossier.search.keys import GuestKeySource, PreferenceKeySource

logger = logging.getLogger(__name__)

HOBBIES_ITEM = "hobbies"
STAY_STATUSES = {
    "已离店": StayStatus.CHECKED_OUT, "离店": StayStatus.CHECKED_OUT,
    "退房": StayStatus.CHECKED_OUT, "checked out": StayStatus.CHECKED_OUT,
    "check-out": StayStatus.CHECKED_OUT, "在住": StayStatus.IN_HOUSE,
    "入住": StayStatus.IN_HOUSE, "in house": StayStatus.IN_HOUSE,
    "预订": StayStatus.RESERVED, "预定": StayStatus.RESERVED,
    "reserved": StayStatus.RESERVED, "取消": StayStatus.CANCELLED,
    "已取消": StayStatus.CANCELLED, "cancelled": StayStatus.CANCELLED,
    "canceled": StayStatus.CANCELLED, "未到": StayStatus.NO_SHOW,
    "no show": StayStatus.NO_SHOW, "no-show": StayStatus.NO_SHOW,
    **{str(v): StayStatus(v) for v in StayStatus.values},
}  # fmt: skip
BILL_STATUSES = {
    "1": BillStatus.SETTLED, "已结账": BillStatus.SETTLED, "已结": BillStatus.SETTLED,
    "结账": BillStatus.SETTLED, "paid": BillStatus.SETTLED,
    "0": BillStatus.OPEN, "未结账": BillStatus.OPEN, "未结": BillStatus.OPEN,
    "2": BillStatus.CANCELLED, "取消": BillStatus.CANCELLED,
    "已取消": BillStatus.CANCELLED, "作废": BillStatus.CANCELLED,
    "canceled": BillStatus.CANCELLED,
    **{str(v): BillStatus(v) for v in BillStatus.values},
}  # fmt: skip
DEFAULT_OUTLET = "restaurant"
# A guest file is committed this many rows at a time, each part checked, matched and
# written before the next is read, so that memory does not grow with the file.
PART_ROWS = 10_000
# A guest file of more rows is previewed a part at a time, as it would be committed
# (each row's guest, kept to the end of an in-memory preview, takes some 3 KB).
PREVIEW_IN_MEMORY_ROWS = 50_000


@dataclass
class Prepared:
    """A checked file and the writes it needs; nothing written yet."""

    report: Report
    plan: GuestPlan = field(default_factory=GuestPlan)
    stays: list[tuple[Target, dict[str, Any], Decimal | None]] = field(
        default_factory=list
    )
    bills: list[tuple[Target, BillInput]] = field(default_factory=list)


@dataclass
class Context:
    prop: Property
    table: Table
    columns: list[Column]
    report: Report
    ticker: Ticker
    lines: Table | None = None
    lines_columns: list[Column] = field(default_factory=list)


def reject(report: Report, errors: Sequence[RowError], *, file: str = "") -> None:
    for error in errors:
        entry = error.as_dict()
        if file:
            entry["file"] = file
        report.rejected.append(entry)


def hobbies_item() -> PreferenceItem | None:
    return PreferenceItem.objects.filter(code=HOBBIES_ITEM).first()


def plan_finish(prepared: Prepared, prop: Property) -> None:
    """Load what matched guests hold now and count created, updated, unchanged."""
    plan, report = prepared.plan, prepared.report
    item = hobbies_item()
    current = current_load(
        [t.guest_id for t in plan.matched if t.guest_id], item.pk if item else None
    )
    for target in plan.matched:
        changes_set(target, current)
    report.warnings[:0] = plan.warnings
    if plan.refused:
        reject(report, plan.refused)
        report.rejected.sort(key=lambda e: (e.get("file", ""), e["row"]))
    counts = {
        "created": len(plan.created),
        "updated": len(plan.matched),
        "unchanged": sum(t.unchanged for t in plan.matched),
    }
    if report.kind == "guests":
        report.created, report.updated = counts["created"], counts["updated"]
        report.unchanged = counts["unchanged"]
    else:
        report.guests = counts


@dataclass
class Timings:
    """Seconds a streamed commit spent checking rows and writing them."""

    checking: float = 0.0
    writing: float = 0.0


@fewer_collections()
def guests_stream(
    ctx: Context,
    *,
    actor: Actor,
    source_note: str,
    timings: Timings,
    writer: Callable[..., None] | None = None,
    phase: str = "writing",
) -> Written:
    """Check, match and write a guest file ``PART_ROWS`` rows at a time; the caller
    holds the one transaction and rolls it back if rows were rejected.

    Each part is matched against the archive as the earlier parts left it, so a guest
    met again later in the file is found among those just written (see
    :class:`Written`). The report ends as a preview's would: the plan's warnings
    first, rejected rows in row order. ``writer`` writes each part (:func:`write`);
    ``phase`` is what progress calls the work.
    """
    writer = writer or write
    written = Written()
    warnings: list[dict[str, Any]] = []
    refused = False
    item = hobbies_item()
    rows = _guest_rows(ctx, require_name=True, phase=phase)
    while True:
        started = time.monotonic()
        part = [guest for guest, _, _ in itertools.islice(rows, PART_ROWS)]
        if not part:
            break
        planner = Planner(known_load(ctx.prop, part, written), written=written)
        for row in part:
            planner.add(row)
        prepared = Prepared(report=ctx.report, plan=planner.plan)
        _part_finish(prepared, written, item)
        warnings += planner.plan.warnings
        if planner.plan.refused:
            reject(ctx.report, planner.plan.refused)
            refused = True
        checked = time.monotonic()
        writer(prepared, prop=ctx.prop, actor=actor, source_note=source_note)
        written.record(planner.plan.targets)
        timings.checking += checked - started
        timings.writing += time.monotonic() - checked
    report = ctx.report
    report.warnings[:0] = warnings
    if refused:
        report.rejected.sort(key=lambda e: (e.get("file", ""), e["row"]))
    report.created, report.updated = written.created, written.updated
    report.unchanged = written.unchanged
    return written


def _part_finish(
    prepared: Prepared, written: Written, item: PreferenceItem | None
) -> None:
    """What the part's matched guests hold now, and what the part changes in them."""
    plan = prepared.plan
    matched = [t for t in plan.matched if t.guest_id]
    current = current_load([_id(t) for t in matched], item.pk if item else None)
    for target in matched:
        again = written.first_row(_id(target)) is not None
        changes_set(target, current, again=again)


@fewer_collections()
def prepare_guests(ctx: Context) -> Prepared:
    prepared = Prepared(report=ctx.report)
    rows = [guest for guest, _, _ in _guest_rows(ctx, require_name=True)]
    planner = Planner(known_load(ctx.prop, rows))
    for row in rows:
        planner.add(row)
    prepared.plan = planner.plan
    plan_finish(prepared, ctx.prop)
    return prepared


Checked = tuple[GuestRow, RowReader, Any]
Assigned = tuple[Target, RowReader, Any]


def _guest_rows(
    ctx: Context,
    *,
    require_name: bool,
    extra: Callable[[RowReader], Any] | None = None,
    phase: str = "checking",
) -> Iterator[Checked]:
    """Every valid row's guest, its reader and what ``extra`` made of the rest."""
    ctx.ticker.start(phase, len(ctx.table))
    # Each row is let go once checked: at a million rows the cells as read and the
    # guests made of them would not fit in memory side by side.
    for done, row in enumerate(ctx.table.consume(), start=1):
        reader = RowReader(row, ctx.columns)
        guest = guest_row(reader, require_name=require_name)
        value = extra(reader) if extra is not None else None
        ctx.report.warnings += [warning.as_dict() for warning in reader.warnings]
        if guest is None or reader.errors:
            reject(ctx.report, reader.found_errors())
        else:
            yield guest, reader, value
        ctx.ticker.tick(done)


def _assign(ctx: Context, rows: list[Checked]) -> tuple[Planner, list[Assigned]]:
    """The guest of each history row: matched, or new when the row names one."""
    known = known_load(ctx.prop, [guest for guest, _, _ in rows])
    planner = Planner(known, warn_repeats=False)
    assigned: list[Assigned] = []
    for guest, reader, value in rows:
        target = planner.add(guest, can_create=bool(guest.name))
        if target is None and planner.plan.is_refused(guest.row):
            continue
        if target is None:
            message = "找不到对应的客人，且没有姓名，无法新建档案"
            reject(ctx.report, [RowError(guest.row, "姓名", "", message)])
            continue
        assigned.append((target, reader, value))
    return planner, assigned


@fewer_collections()
def prepare_stays(ctx: Context) -> Prepared:
    prepared = Prepared(report=ctx.report)
    rows = list(
        _guest_rows(ctx, require_name=False, extra=lambda reader: _stay_values(reader))
    )
    planner, assigned = _assign(ctx, rows)
    seen: dict[Any, int] = {}
    for target, reader, (values, revenue) in assigned:
        key = values.get("external_ref") or (
            target.guest_id or id(target),
            values["arrival"],
            values.get("room", ""),
        )
        if key in seen:
            ref = str(values.get("external_ref", ""))
            message = (
                f"与第 {seen[key]} 行是同一次住店（单号或客人、到店日期、房号相同）"
            )
            reject(ctx.report, [RowError(reader.number, "单号", ref, message)])
            continue
        seen[key] = reader.number
        prepared.stays.append((target, values, revenue))
    prepared.plan = planner.plan
    plan_finish(prepared, ctx.prop)
    existing = stays_existing(
        property=ctx.prop,
        items=[_stay_input(t, v, r, -1) for t, v, r in prepared.stays],
    )
    ctx.report.updated = sum(pk is not None for pk in existing)
    ctx.report.created = len(existing) - ctx.report.updated
    return prepared


def _stay_values(reader: RowReader) -> tuple[dict[str, Any], Decimal | None]:
    for code, label in (("arrival", "到店日期"), ("departure", "离店日期")):
        if not reader.has(code):
            reader.errors.append(RowError(reader.number, label, "", f"{label}不能为空"))
    values: dict[str, Any] = {
        "arrival": reader.parse("arrival", cell_date),
        "departure": reader.parse("departure", cell_date),
    }
    for code in ("external_ref", "room", "room_type", "payment_method", "segment",
                 "channel", "companions", "special_requests"):  # fmt: skip
        if text := reader.text(code):
            values[code] = text
    for code in ("nights", "adults", "children"):
        if (number := reader.parse(code, cell_int)) is not None:
            values[code] = number
    if (rate := reader.parse("rate", cell_money)) is not None:
        values["rate"] = rate
    status = reader.text("status")
    if status:
        if status.casefold() not in STAY_STATUSES:
            reader.error(
                "status",
                "无法识别的状态（应为 已离店、在住、预订、已取消、未到）",
                status,
            )
        else:
            values["status"] = STAY_STATUSES[status.casefold()]
    arrival, departure = values["arrival"], values["departure"]
    if arrival and departure and departure < arrival:
        reader.error("departure", "离店日期早于到店日期", departure.isoformat())
    revenue = reader.parse("revenue", cell_money)
    for code, amount in (("rate", values.get("rate")), ("revenue", revenue)):
        if amount is not None and amount < 0:
            reader.error(code, "金额不能为负数", reader.cells[code][0][1])
    return values, revenue


def _stay_input(
    target: Target, values: dict[str, Any], revenue: Decimal | None, missing: int
) -> StayInput:
    return StayInput(
        guest_id=target.guest_id or missing, values=values, revenue=revenue
    )


@fewer_collections()
def prepare_bills(ctx: Context) -> Prepared:
    prepared = Prepared(report=ctx.report)
    rows = list(
        _guest_rows(
            ctx,
            require_name=False,
            extra=lambda reader: (
                bill_of(reader, ctx.prop),
                _line_of(reader) if reader.has("dish") else None,
            ),
        )
    )
    planner, assigned = _assign(ctx, rows)
    bills: dict[str, tuple[Target, BillInput, int]] = {}
    for target, reader, (bill, line) in assigned:
        held = bills.setdefault(bill.external_ref, (target, bill, reader.number))
        if line is not None:
            held[1].lines.append(line)
        elif held[2] != reader.number:
            message = f"单号与第 {held[2]} 行重复"
            error = RowError(reader.number, "单号", bill.external_ref, message)
            reject(ctx.report, [error])
    prepared.bills = [(target, bill) for target, bill, _ in bills.values()]
    prepared.plan = planner.plan
    plan_finish(prepared, ctx.prop)
    bills_count(prepared, ctx.prop)
    return prepared


def bills_count(prepared: Prepared, prop: Property) -> None:
    refs = [bill.external_ref for _, bill in prepared.bills]
    prepared.report.updated = len(bills_existing(property=prop, refs=refs))
    prepared.report.created = len(refs) - prepared.report.updated
    prepared.report.counts["lines"] = sum(len(b.lines) for _, b in prepared.bills)


def bill_of(reader: RowReader, prop: Property) -> BillInput | None:
    ref = reader.text("external_ref")
    if not ref:
        reader.errors.append(
            RowError(reader.number, "单号", "", "缺少单号，无法判断账单是否已导入过")
        )
    opened = reader.parse("opened_at", lambda c: cell_datetime(c, prop.zone))
    if opened is None and not reader.errors:
        reader.errors.append(
            RowError(reader.number, "消费时间", "", "消费时间不能为空")
        )
    status = bill_status(reader)
    if reader.errors or opened is None:
        return None
    outlet = reader.text("outlet") or DEFAULT_OUTLET
    return BillInput(
        external_ref=ref,
        outlet_code=outlet_code(outlet),
        outlet_name=outlet if outlet != DEFAULT_OUTLET else "餐厅",
        opened_at=opened,
        closed_at=reader.parse("closed_at", lambda c: cell_datetime(c, prop.zone)),
        status=status,
        table=reader.text("table"),
        covers=reader.parse("covers", cell_int) or 1,
        payable=reader.parse("payable", cell_money),
        phone_used=(reader.text("mobile") or reader.text("phone"))[:20],
    )


def outlet_code(name: str) -> str:
    from django.utils.text import slugify

    return (slugify(name) or f"outlet-{abs(hash(name)) % 10**8}")[:32]


def bill_status(reader: RowReader) -> str:
    text = reader.text("status")
    if not text:
        return BillStatus.SETTLED
    status = BILL_STATUSES.get(text.casefold())
    if status is None:
        reader.error(
            "status", "无法识别的账单状态（应为 已结账、未结账、已取消）", text
        )
        return BillStatus.SETTLED
    return status


def _line_of(reader: RowReader) -> BillLineInput | None:
    quantity = reader.parse("quantity", cell_decimal)
    price = reader.parse("unit_price", cell_money)
    amount = reader.parse("amount", cell_money)
    if price is None and amount is None:
        reader.error("unit_price", "菜品缺少单价或金额")
        return None
    quantity = quantity if quantity is not None else Decimal(1)
    if price is None and amount is not None:
        price = (amount / quantity).quantize(Decimal("0.01")) if quantity else amount
    assert price is not None
    return BillLineInput(
        dish=reader.text("dish"),
        quantity=quantity,
        unit_price=price,
        amount=amount,
        cost=reader.parse("cost", cell_money),
        category=reader.text("category"),
    )


def write(
    prepared: Prepared,
    *,
    prop: Property,
    actor: Actor,
    source_note: str,
    ticker: Ticker | None = None,
) -> None:
    """Carry out the plan; the caller holds the transaction."""
    plan = prepared.plan
    created = plan.created
    if ticker is not None:
        ticker.start("writing", len(plan.targets))
    item = hobbies_item()
    ids = guests_bulk_create(
        actor=actor,
        property=prop,
        inputs=[t.data for t in created],
        source="import",
        note=source_note,
        found_by=[_found_by(t, item) for t in created],
    )
    for target, guest_id in zip(created, ids, strict=True):
        target.guest_id = guest_id
    _extras_create(created)
    if ticker is not None:
        ticker.tick(len(created))
    _updates(plan.matched, actor, ticker, offset=len(created))
    if prepared.stays:
        stays_bulk_record(
            property=prop,
            items=[_stay_input(t, v, r, 0) for t, v, r in prepared.stays],
        )
    if prepared.bills:
        bills_bulk_record(
            property=prop,
            items=[(_id(t), bill) for t, bill in prepared.bills],
        )


def _found_by(target: Target, item: PreferenceItem | None) -> GuestKeySource | None:
    """What a new guest is found by beyond its own row: its cards and hobbies, as
    :func:`_extras_create` writes them."""
    if not (target.cards or target.hobbies):
        return None
    more = GuestKeySource("", "", "", False, cards=list(target.cards))
    hobbies = _hobbies_text(target)
    if item is not None and hobbies:
        more.texts.append(hobbies)
        more.preferences.append(PreferenceKeySource(item.code, item.name, hobbies))
    return more


def _hobbies_text(target: Target) -> str:
    return "；".join(target.hobbies)[:300]


def _id(target: Target) -> int:
    assert target.guest_id is not None, "written guests have ids"
    return target.guest_id


def _extras_create(created: Sequence[Target]) -> None:
    """Cards and hobbies of new guests, which ``guests_bulk_create`` does not take."""
    MemberCard.objects.bulk_create(
        (MemberCard(guest_id=_id(t), number=n) for t in created for n in t.cards),
        batch_size=1000,
    )
    item = hobbies_item()
    if item is None:
        return
    GuestPreference.objects.bulk_create(
        (
            GuestPreference(guest_id=_id(t), item=item, value_text=_hobbies_text(t))
            for t in created
            if t.hobbies
        ),
        batch_size=1000,
    )


def _updates(
    matched: Sequence[Target], actor: Actor, ticker: Ticker | None, *, offset: int
) -> None:
    """Matched guests: field changes, phones and documents in bulk; then cards and
    hobbies, which few rows carry."""
    changing = [t for t in matched if not t.unchanged and t.guest_id is not None]
    MemberCard.objects.bulk_create(
        (MemberCard(guest_id=_id(t), number=n) for t in changing for n in t.new_cards),
        batch_size=1000,
    )
    # After the cards, so that the batch's re-index finds them too.
    guests_bulk_update(
        actor=actor,
        items=[(_id(t), t.changes) for t in changing if t.changes is not None],
        source="import",
    )
    if ticker is not None:
        ticker.tick(offset + len(matched))
    item = hobbies_item()
    hobbies = [t for t in changing if t.new_hobbies]
    if item is None or not hobbies:
        return
    guests = Guest.objects.in_bulk([_id(t) for t in hobbies])
    for target in hobbies:
        preference_set(
            actor=actor,
            guest=guests[_id(target)],
            item=item,
            value=target.new_hobbies[:300],
            source="import",
        )
