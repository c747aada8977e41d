"""Every list and analysis leaves the system through here, as xlsx or csv.

A table is headings with a kind per column and rows of plain values. Text that a
spreadsheet would run as a formula (starting with ``=``, ``+``, ``-`` or ``@``) is kept
as text: in csv behind an apostrophe, in xlsx as an explicit string cell. Control
characters that would break a file (vertical tab, bell …) become spaces. Identity numbers
and phones are text columns, so no spreadsheet turns them into numbers; money is exact
yuan; dates are dates. The caller passes only what the user may see on screen, and
:func:`export_response` records the export in the audit log.
"""

import csv
import enum
import io
import re
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any
from urllib.parse import quote

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.http import FileResponse, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet.worksheet import Worksheet

from dossier.core.audit import AuditAction, audit

FORMULA_STARTS = ("=", "+", "-", "@")
# C0 controls but tab and newline, DEL and the C1 controls: no spreadsheet keeps them.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
CSV_BOM = "\ufeff"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
SHEET_TITLE_MAX = 31
# An export up to this size is sent in one piece; a larger one streams from disk.
SPOOL_BYTES = 4 * 1024 * 1024


class ExportFormat(enum.StrEnum):
    XLSX = "xlsx"
    CSV = "csv"


class Kind(enum.StrEnum):
    """How a column is written: text stays text whatever it looks like."""

    TEXT = "text"
    INTEGER = "integer"
    MONEY = "money"
    DECIMAL = "decimal"
    PERCENT = "percent"
    DATE = "date"
    DATETIME = "datetime"


@dataclass(frozen=True)
class Column:
    heading: str
    kind: Kind = Kind.TEXT


@dataclass
class Table:
    """Headings and rows; ``title`` names the sheet and the file."""

    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]] = field(default_factory=list)


class ExportError(ValueError):
    """A value does not fit its column; the message names the row and the column."""


def text_clean(value: str) -> str:
    """``value`` with line ends made ``\\n`` and other control characters spaces."""
    return _CONTROL.sub(" ", value.replace("\r\n", "\n").replace("\r", "\n"))


def _text(value: Any) -> str:
    if value is None:
        return ""
    return text_clean(str(value))


def _is_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def _check(value: Any, column: Column, row: int) -> Any:
    """The value as its column's kind wants it, or :class:`ExportError`."""
    if value is None or value == "":
        return None
    kind = column.kind
    ok = {
        Kind.INTEGER: isinstance(value, int) and not isinstance(value, bool),
        Kind.MONEY: isinstance(value, (Decimal, int)) and not isinstance(value, bool),
        Kind.PERCENT: isinstance(value, Decimal),
        Kind.DECIMAL: isinstance(value, (Decimal, int)) and not isinstance(value, bool),
        Kind.DATE: isinstance(value, date) and not isinstance(value, datetime),
        Kind.DATETIME: isinstance(value, datetime),
    }.get(kind, True)
    if not ok:
        raise ExportError(
            _("第 %(row)s 行“%(heading)s”列应为%(kind_names)s，而不是 %(value)s")
            % {
                "row": row,
                "heading": column.heading,
                "kind_names": _KIND_NAMES[kind],
                "value": f"{value!r}",
            }
        )
    if kind == Kind.MONEY:
        return Decimal(value).quantize(Decimal("0.01"))
    return value


_KIND_NAMES = {
    Kind.TEXT: gettext_lazy("文字"),
    Kind.INTEGER: gettext_lazy("整数"),
    Kind.MONEY: gettext_lazy("金额（Decimal 元）"),
    Kind.PERCENT: gettext_lazy("百分比（Decimal）"),
    Kind.DECIMAL: gettext_lazy("数值（Decimal）"),
    Kind.DATE: gettext_lazy("日期"),
    Kind.DATETIME: gettext_lazy("日期时间"),
}


def _csv_cell(value: Any, column: Column) -> str:
    if value is None:
        return ""
    if column.kind == Kind.TEXT:
        text = _text(value)
        return "'" + text if _is_formula(text) else text
    if column.kind == Kind.PERCENT:
        return f"{value:.2f}%"
    if column.kind == Kind.DATETIME:
        return str(value.strftime("%Y-%m-%d %H:%M"))
    return str(value.isoformat() if isinstance(value, date) else value)


def csv_write(table: Table, out: IO[bytes]) -> int:
    """Write the table to ``out`` as csv in UTF-8 with a BOM, which Excel on Chinese
    Windows opens; rows are read one at a time. Returns the number of rows."""
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=False)
    text.write(CSV_BOM)
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow([_csv_cell(c.heading, Column(c.heading)) for c in table.columns])
    count = 0
    for number, row in enumerate(table.rows, start=2):
        values = _row(row, table.columns, number)
        writer.writerow(
            [_csv_cell(v, c) for v, c in zip(values, table.columns, strict=True)]
        )
        count += 1
    text.flush()
    text.detach()
    return count


def table_csv(table: Table) -> bytes:
    """The table as csv bytes (see :func:`csv_write`)."""
    out = io.BytesIO()
    csv_write(table, out)
    return out.getvalue()


def _row(row: Sequence[Any], columns: Sequence[Column], number: int) -> list[Any]:
    if len(row) != len(columns):
        raise ExportError(
            _("第 %(number)s 行有 %(count)s 个值，表头有 %(count2)s 列")
            % {"number": number, "count": len(row), "count2": len(columns)}
        )
    return [_check(v, c, number) for v, c in zip(row, columns, strict=True)]


_FORMATS = {
    Kind.INTEGER: "0",
    Kind.MONEY: "#,##0.00",
    Kind.PERCENT: '0.00"%"',
    Kind.DECIMAL: "0.00",
    Kind.DATE: "yyyy-mm-dd",
    Kind.DATETIME: "yyyy-mm-dd hh:mm",
}


def _xlsx_cell(sheet: Worksheet, value: Any, column: Column) -> WriteOnlyCell:
    if column.kind == Kind.TEXT:
        cell = WriteOnlyCell(sheet, value=None)
        if value is not None:
            # Set after the value: openpyxl would otherwise mark "=…" as a formula.
            cell._value = _text(value)
            cell.data_type = "s"
        return cell
    if column.kind == Kind.DATETIME and value is not None and value.tzinfo:
        value = value.replace(tzinfo=None)
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = _FORMATS[column.kind]
    return cell


def _xlsx_column(sheet: Worksheet, column: Column) -> Callable[[Any], Any]:
    """What a column's values are written as: one cell, styled once, that each row
    fills in turn (openpyxl writes a row as soon as it is appended)."""
    cell = WriteOnlyCell(sheet, value=None)
    if column.kind == Kind.TEXT:

        def text(value: Any) -> Any:
            if value is None:
                return None
            # Set directly: openpyxl would otherwise mark "=…" as a formula.
            cell._value = _text(value)
            cell.data_type = "s"
            return cell

        return text
    cell.number_format = _FORMATS[column.kind]
    naive = column.kind == Kind.DATETIME

    def formatted(value: Any) -> Any:
        if value is None:
            return None
        cell.value = value.replace(tzinfo=None) if naive and value.tzinfo else value
        return cell

    return formatted


def xlsx_write(table: Table, out: IO[bytes]) -> int:
    """Write the table to ``out`` as one xlsx sheet; text cells are strings whatever
    they start with. openpyxl's write-only mode keeps the sheet on disk, so rows are
    read one at a time. Returns the number of rows."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_sheet_title(table.title))
    sheet.append(
        [_xlsx_cell(sheet, c.heading, Column(c.heading)) for c in table.columns]
    )
    writers = [_xlsx_column(sheet, c) for c in table.columns]
    count = 0
    try:
        for number, row in enumerate(table.rows, start=2):
            values = _row(row, table.columns, number)
            sheet.append([w(v) for w, v in zip(writers, values, strict=True)])
            count += 1
    except BaseException:
        # Ends the sheet's temporary file, which is then thrown away.
        sheet.close()
        raise
    book.save(out)
    return count


def table_xlsx(table: Table) -> bytes:
    """The table as xlsx bytes (see :func:`xlsx_write`)."""
    out = io.BytesIO()
    xlsx_write(table, out)
    return out.getvalue()


def _sheet_title(title: str) -> str:
    cleaned = re.sub(r"[\[\]:*?/\\]", " ", text_clean(title)).strip()
    return (cleaned or "Sheet")[:SHEET_TITLE_MAX]


def export_format(value: str) -> ExportFormat | None:
    """The format a request names (``xlsx`` or ``csv``), or ``None``."""
    try:
        return ExportFormat(value.strip().lower())
    except ValueError:
        return None


def export_response(
    *,
    table: Table,
    fmt: ExportFormat,
    actor: User | AnonymousUser | None,
    what: str,
    **detail: Any,
) -> HttpResponse | FileResponse:
    """A download of ``table``, audited as an export of ``what`` by ``actor``.

    The rows are read once, one at a time, into a temporary file that stays in
    memory up to :data:`SPOOL_BYTES` and moves to disk beyond; a file that large is
    then streamed. A value that does not fit its column fails before anything is
    sent or audited.
    """
    # Not a with-block: a large file is closed by the response once it is sent.
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
    try:
        write = xlsx_write if fmt == ExportFormat.XLSX else csv_write
        rows = write(table, spool)
        with transaction.atomic():
            audit(
                actor=actor,
                action=AuditAction.EXPORT,
                object_type=what,
                format=str(fmt),
                rows=rows,
                **detail,
            )
    except BaseException:
        spool.close()
        raise
    content_type = XLSX_TYPE if fmt == ExportFormat.XLSX else CSV_TYPE
    size = spool.seek(0, io.SEEK_END)
    spool.seek(0)
    response: HttpResponse | FileResponse
    if size > SPOOL_BYTES:
        response = FileResponse(spool, content_type=content_type)
        response["Content-Length"] = str(size)
    else:
        response = HttpResponse(spool.read(), content_type=content_type)
        spool.close()
    filename = f"{_sheet_title(table.title)}.{fmt}"
    response["Content-Disposition"] = (
        f"attachment; filename=\"export.{fmt}\"; filename*=UTF-8''{quote(filename)}"
    )
    return response
