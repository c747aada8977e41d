"""A restaurant's POS export: a file of bills and, beside it, a file of their lines.

The customer of a bill is the POS's customer number (``emp_id``); it becomes the
guest's member card, and every phone the customer gave is kept on one profile.
Where the export disagrees with itself (lines that do not add up to the payable
amount, a bill without lines) the preview says so as a warning naming the bill.
"""

from collections import defaultdict
from decimal import Decimal

from dossier.core.collector import fewer_collections
from dossier.guests.services import GuestInput
from dossier.history.services import (
    BillInput,
    BillLineInput,
    dish_name_clean,
    line_amount,
)
from dossier.imports.cells import cell_card, cell_datetime, cell_decimal, cell_money
from dossier.imports.kinds import (
    Context,
    Prepared,
    bill_of,
    bills_count,
    plan_finish,
    reject,
)
from dossier.imports.matching import Planner, known_load
from dossier.imports.report import warning
from dossier.imports.validation import GuestRow, RowError, RowReader, phones_read


@fewer_collections()
def prepare_restaurant(ctx: Context) -> Prepared:
    prepared = Prepared(report=ctx.report)
    bills = _bills(ctx)
    lines, first_rows = _lines(ctx)
    planner = Planner(
        known_load(ctx.prop, [g for g, _, _ in bills]), warn_repeats=False
    )
    for guest, bill, _ in bills:
        bill.lines = lines.pop(bill.external_ref, [])
        target = planner.add(guest)
        if target is None:
            continue
        prepared.bills.append((target, bill))
    _orphans(ctx, lines, first_rows)
    _checks(ctx, bills)
    prepared.plan = planner.plan
    plan_finish(prepared, ctx.prop)
    bills_count(prepared, ctx.prop)
    ctx.report.counts["dishes"] = len(
        {
            dish_name_clean(line.dish)
            for _, bill in prepared.bills
            for line in bill.lines
        }
    )
    ctx.report.counts["bills"] = len(prepared.bills)
    return prepared


def _bills(ctx: Context) -> list[tuple[GuestRow, BillInput, RowReader]]:
    found: list[tuple[GuestRow, BillInput, RowReader]] = []
    seen: dict[str, int] = {}
    ctx.ticker.start("checking", len(ctx.table))
    for done, row in enumerate(ctx.table, start=1):
        ctx.ticker.tick(done)
        reader = RowReader(row, ctx.columns)
        customer = reader.parse("customer", cell_card)
        if not customer and not reader.errors:
            column = _heading(reader, "customer", "顾客编号")
            reader.errors.append(RowError(row.number, column, "", "缺少顾客编号"))
        guest = GuestRow(
            row=row.number,
            data=GuestInput(fields={"full_name": f"顾客{customer}"}),
            cards=[customer] if customer else [],
        )
        phones_read(reader, guest)
        bill = bill_of(reader, ctx.prop)
        if bill is not None and bill.external_ref in seen:
            message = f"单号与第 {seen[bill.external_ref]} 行重复"
            reader.errors.append(
                RowError(row.number, "单号", bill.external_ref, message)
            )
        if reader.errors or bill is None:
            reject(ctx.report, reader.found_errors(), file=ctx.table.name)
            continue
        seen[bill.external_ref] = row.number
        outlet = reader.text("outlet")
        bill.outlet_code = f"pos-{outlet}"[:32] if outlet else "pos"
        bill.outlet_name = f"餐厅 {outlet}"[:100] if outlet else "餐厅"
        found.append((guest, bill, reader))
    return found


def _lines(
    ctx: Context,
) -> tuple[dict[str, list[BillLineInput]], dict[str, tuple[int, str]]]:
    """The lines of each bill, and the first row of each bill's lines with the
    heading of its bill number there."""
    assert ctx.lines is not None
    lines: dict[str, list[BillLineInput]] = defaultdict(list)
    first_rows: dict[str, tuple[int, str]] = {}
    ctx.ticker.start("checking", len(ctx.lines))
    for done, row in enumerate(ctx.lines, start=1):
        ctx.ticker.tick(done)
        reader = RowReader(row, ctx.lines_columns)
        ref = reader.text("external_ref")
        quantity = reader.parse("quantity", cell_decimal)
        price = reader.parse("unit_price", cell_money)
        dish = dish_name_clean(reader.text("dish"))
        for label, value in (("单号", ref), ("菜名", dish), ("单价", price)):
            if value in (None, "") and not reader.errors:
                reader.errors.append(
                    RowError(row.number, label, "", f"{label}不能为空")
                )
        if reader.errors or price is None:
            reject(ctx.report, reader.found_errors(), file=ctx.lines.name)
            continue
        first_rows.setdefault(ref, (row.number, _heading(reader, "external_ref")))
        lines[ref].append(
            BillLineInput(
                dish=dish,
                quantity=quantity if quantity is not None else Decimal(1),
                unit_price=price,
                cost=reader.parse("cost", cell_money),
                ordered_at=reader.parse(
                    "ordered_at", lambda c: cell_datetime(c, ctx.prop.zone)
                ),
            )
        )
    return lines, first_rows


def _orphans(
    ctx: Context,
    lines: dict[str, list[BillLineInput]],
    first_rows: dict[str, tuple[int, str]],
) -> None:
    """A warning at the first line of each bill number the bills file lacks."""
    assert ctx.lines is not None
    for ref, orphans in lines.items():
        row, heading = first_rows[ref]
        found = warning(
            row,
            heading,
            ref,
            f"明细中的单号 {ref} 在账单文件中不存在，其 {len(orphans)} 条明细未导入",
        )
        found["file"] = ctx.lines.name
        ctx.report.warnings.append(found)


def _checks(ctx: Context, bills: list[tuple[GuestRow, BillInput, RowReader]]) -> None:
    """Warn where a bill's lines and its payable amount disagree."""
    for _, bill, reader in bills:
        heading = _heading(reader, "payable")
        if not bill.lines:
            message = f"账单 {bill.external_ref} 没有明细"
            ctx.report.warnings.append(warning(reader.number, heading, "", message))
            continue
        total = sum((line_amount(line) for line in bill.lines), Decimal("0.00"))
        if bill.payable is not None and total != bill.payable:
            message = (
                f"账单 {bill.external_ref} 的明细合计 {total} 元，"
                f"与应付金额 {bill.payable} 元不符"
            )
            ctx.report.warnings.append(
                warning(reader.number, heading, str(bill.payable), message)
            )


def _heading(reader: RowReader, code: str, missing: str = "") -> str:
    """The file's heading of the column of ``code``, else ``missing`` or the code."""
    cells = reader.cells.get(code)
    return cells[0][0] if cells else missing or code
