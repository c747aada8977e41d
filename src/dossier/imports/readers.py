"""Reading a csv or xlsx file into a :class:`Table` of cells as the user sees them.

Only this module knows the libraries: python-calamine reads xlsx (and xls), the
standard ``csv`` module reads text. A csv cell is always ``str``; an xlsx cell is
``str``, ``float`` (a number cell), ``bool``, ``date``, ``datetime``, ``time`` or
``timedelta``, and a formula saved without a value to show is a :class:`Formula`.
Merged cells carry the value of the merge's top-left cell. Every row
keeps its 1-based row number in the file, so that errors can say where they are.
"""

import csv
import enum
import io
import logging
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from html import unescape
from pathlib import Path

import python_calamine

logger = logging.getLogger(__name__)

Cell = str | float | int | bool | date | datetime | time | timedelta


class Formula(str):
    """An xlsx formula cell saved without a value to show (as files written by
    programs rather than by Excel are): the cell reads as empty, ``formula`` says why.
    """

    formula: str

    def __new__(cls, formula: str) -> "Formula":
        cell = super().__new__(cls, "")
        cell.formula = formula
        return cell


_SHEET_REF = re.compile(rb"<sheet\b[^>]*?\br:id=\"([^\"]+)\"")
_RELATION = re.compile(rb"<Relationship\b[^>]*>")
_FORMULA_CELL = re.compile(
    rb"<c\b[^>]*?\br=\"([A-Z]+)([0-9]+)\"[^>/]*>(?:(?!</c>).)*?<f\b[^>]*?(?:/>|>(.*?)</f>)"
    rb"((?:(?!</c>).)*?)</c>",
    re.DOTALL,
)
_VALUE = re.compile(rb"<v>([^<]+)</v>|<t[^>]*>([^<]+)</t>")

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HEADER_ONLY = "表格只有表头，没有数据行"
_ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")
_UTF8_BOM = b"\xef\xbb\xbf"
_DELIMITERS = ",\t;"
_SNIFF_CHARS = 64 * 1024
_XML_PIECE = 1 << 20
_FOREIGN_MAGIC = {
    b"%PDF": "PDF 文档",
    b"\x89PNG": "PNG 图片",
    b"\xff\xd8\xff": "JPEG 图片",
    b"Rar!": "RAR 压缩包",
    b"7z\xbc\xaf": "7z 压缩包",
}


class UnreadableReason(enum.StrEnum):
    WRONG_TYPE = "wrong_type"
    ENCRYPTED = "encrypted"
    EMPTY = "empty"
    ENCODING = "encoding"
    BROKEN = "broken"
    NO_NAME_COLUMN = "no_name_column"


class UnreadableFile(ValueError):
    """The file cannot be read as a table; ``message`` names the file and the fault."""

    def __init__(self, reason: UnreadableReason, name: str, detail: str) -> None:
        message = f"无法读取文件“{name}”：{detail}"
        super().__init__(message)
        self.reason = reason
        self.name = name
        self.message = message


@dataclass(slots=True)
class Row:
    number: int
    cells: Sequence[Cell]


class Table:
    """A header and its data rows; blank rows are skipped, row numbers kept.

    A csv table holds its text rather than its rows (a row as cells takes several
    times the room of its text): ``source`` reads them again on demand, ``count``
    says how many there are. ``rows`` makes the list when first asked for it;
    :meth:`consume` hands each row over once without keeping any.
    """

    def __init__(
        self,
        name: str,
        header: list[str],
        header_row: int,
        rows: list[Row] | None = None,
        *,
        source: Callable[[], Iterator[Row]] | None = None,
        count: int = 0,
    ) -> None:
        self.name, self.header, self.header_row = name, header, header_row
        self._rows: list[Row] | None = rows if rows is not None or source else []
        self._source = source
        self._count = count
        self.encoding = ""
        self.delimiter = ""
        self.merged_ranges = 0

    @property
    def rows(self) -> list[Row]:
        if self._rows is None:
            assert self._source is not None
            self._rows = list(self._source())
            self._source = None
        return self._rows

    def consume(self) -> Iterator[Row]:
        """Every row once, each let go as soon as it is taken; the table is then
        empty."""
        if self._rows is None:
            assert self._source is not None
            source, self._source, self._rows = self._source, None, []
            yield from source()
            return
        pending = self._rows[::-1]
        self._rows.clear()
        while pending:
            yield pending.pop()

    def __iter__(self) -> Iterator[Row]:
        if self._rows is None:
            assert self._source is not None
            return self._source()
        return iter(self._rows)

    def __len__(self) -> int:
        return self._count if self._rows is None else len(self._rows)


def read_table(data: bytes, *, name: str) -> Table:
    """Read ``data`` (the file's bytes) as a table; ``name`` is the file's name.

    Raises :class:`UnreadableFile` for anything that is not a readable, non-empty
    table: a wrong file type, an encrypted workbook, undecodable text.
    """
    if not data.strip():
        raise UnreadableFile(UnreadableReason.EMPTY, name, "文件是空的")
    for magic, kind in _FOREIGN_MAGIC.items():
        if data.startswith(magic):
            raise UnreadableFile(
                UnreadableReason.WRONG_TYPE,
                name,
                f"这是{kind}，请上传 csv 或 xlsx 表格",
            )
    if data.startswith(_OLE_MAGIC) and _ENCRYPTED_MARK in data:
        raise UnreadableFile(
            UnreadableReason.ENCRYPTED,
            name,
            "工作簿设有打开密码，请在 Excel 中取消密码后另存",
        )
    if data.startswith((_ZIP_MAGIC, _OLE_MAGIC)):
        return _read_workbook(data, name)
    return _read_csv(data, name)


def read_path(path: Path) -> Table:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UnreadableFile(
            UnreadableReason.BROKEN, path.name, error.strerror or str(error)
        ) from None
    return read_table(data, name=path.name)


def _decode(data: bytes, name: str) -> tuple[str, str]:
    """The text and its encoding: UTF-8 (with or without BOM), else GB18030."""
    if b"\x00" in data[:_SNIFF_CHARS]:
        raise UnreadableFile(
            UnreadableReason.WRONG_TYPE, name, "不是文本表格，请上传 csv 或 xlsx 表格"
        )
    if data.startswith(_UTF8_BOM):
        encodings: tuple[str, ...] = ("utf-8-sig",)
        data = data[len(_UTF8_BOM) :]
    else:
        # GB18030 is a superset of GBK and GB2312 and, unlike GBK, covers 䶮.
        encodings = ("utf-8", "gb18030")
    for encoding in encodings:
        try:
            return data.decode(encoding.removesuffix("-sig")), encoding
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(
        UnreadableReason.ENCODING, name, "文字编码无法识别（应为 UTF-8 或 GB18030/GBK）"
    )


def _delimiter(sample: str) -> str:
    try:
        return csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        first = sample.split("\n", 1)[0]
        return max(_DELIMITERS, key=first.count)


# A line with its ending, as a file opened with newline="" gives it (\r\n, \r, \n).
_LINE = re.compile(r"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+")


def _records(text: str, delimiter: str, name: str) -> Iterator[tuple[int, list[str]]]:
    """Each non-blank record and the number of its last line."""
    lines = (match.group() for match in _LINE.finditer(text))
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                yield reader.line_num, cells
    except csv.Error as error:
        raise UnreadableFile(
            UnreadableReason.BROKEN, name, f"第 {reader.line_num} 行格式有误：{error}"
        ) from None


def _read_csv(data: bytes, name: str) -> Table:
    """The table of a csv file, read once through to check it and count its rows;
    its rows are read again from the text when they are wanted."""
    text, encoding = _decode(data, name)
    delimiter = _delimiter(text[:_SNIFF_CHARS])
    header: list[str] | None = None
    header_row = count = 0
    for line, cells in _records(text, delimiter, name):
        if header is None:
            header, header_row = [c.strip() for c in cells], line
        else:
            count += 1

    def source() -> Iterator[Row]:
        records = _records(text, delimiter, name)
        next(records)
        for line, cells in records:
            # line_num counts physical lines; a quoted field with line breaks spans
            # several, so the record's own number is that of its first line.
            yield Row(_first_line(line, cells), cells)

    if header is None:
        raise UnreadableFile(UnreadableReason.EMPTY, name, "表格里没有任何内容")
    if count == 0:
        raise UnreadableFile(UnreadableReason.EMPTY, name, HEADER_ONLY)
    table = Table(name, header, header_row, source=source, count=count)
    table.encoding, table.delimiter = encoding, delimiter
    return table


def _first_line(last_line: int, cells: Sequence[str]) -> int:
    breaks = sum(cell.count("\n") for cell in cells)
    return last_line - breaks


Span = tuple[tuple[int, int], tuple[int, int]]


def _read_workbook(data: bytes, name: str) -> Table:
    """The table of the first sheet, read once through to check it and count its
    rows; its rows are made again from the loaded sheet when they are wanted, rather
    than all held as Python values."""
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
        merged: list[Span] = sheet.merged_cell_ranges or []
    except python_calamine.PasswordError:
        raise UnreadableFile(
            UnreadableReason.ENCRYPTED, name, "工作簿设有密码，请取消密码后另存"
        ) from None
    except python_calamine.CalamineError as error:
        logger.info("workbook %s unreadable: %s", name, error)
        raise UnreadableFile(
            UnreadableReason.BROKEN,
            name,
            "不是有效的 Excel 工作簿，请在 Excel 中打开后另存为 xlsx",
        ) from None
    formulas = _formulas_unshown(data)

    def records() -> Iterator[tuple[int, list[Cell]]]:
        for index, cells in _sheet_rows(sheet, formulas, merged, name):
            if any(_filled(cell) for cell in cells):
                yield index, cells

    header: list[str] | None = None
    header_row = count = 0
    for index, cells in records():
        if header is None:
            header, header_row = [_heading(cell) for cell in cells], index + 1
        else:
            count += 1

    def source() -> Iterator[Row]:
        found = records()
        next(found)
        for index, cells in found:
            yield Row(index + 1, cells)

    if header is None:
        raise UnreadableFile(UnreadableReason.EMPTY, name, "表格里没有任何内容")
    if count == 0:
        raise UnreadableFile(UnreadableReason.EMPTY, name, HEADER_ONLY)
    table = Table(name, header, header_row, source=source, count=count)
    table.merged_ranges = len(merged)
    return table


def _sheet_rows(
    sheet: python_calamine.CalamineSheet,
    formulas: dict[tuple[int, int], str],
    merged: Sequence[Span],
    name: str,
) -> Iterator[tuple[int, list[Cell]]]:
    """Every row of the sheet from the first (index from 0) and from column A, its
    formula cells without a value marked and its merged cells filled."""
    pad: list[Cell] = [""] * sheet.start[1] if sheet.start else []
    marks: dict[int, list[tuple[int, str]]] = {}
    for (row, column), formula in formulas.items():
        marks.setdefault(row, []).append((column, formula))
    starting: dict[int, list[Span]] = {}
    for span in merged:
        starting.setdefault(span[0][0], []).append(span)
    filling: list[tuple[Span, Cell]] = []
    try:
        for index, found in enumerate(sheet.iter_rows()):
            cells: list[Cell] = [*pad, *found] if pad else list(found)
            for column, formula in marks.get(index, ()):
                if column < len(cells) and cells[column] == "":
                    cells[column] = Formula(formula)
            for span in starting.get(index, ()):
                if span[0][1] < len(cells):
                    filling.append((span, cells[span[0][1]]))
            if filling:
                filling = [
                    (span, value) for span, value in filling if span[1][0] >= index
                ]
                for ((_top, left), (_bottom, right)), value in filling:
                    for column in range(left, min(right, len(cells) - 1) + 1):
                        cells[column] = value
            yield index, cells
    except python_calamine.CalamineError as error:
        raise UnreadableFile(
            UnreadableReason.BROKEN, name, f"不是有效的 xlsx 工作簿（{error}）"
        ) from None


def _formulas_unshown(data: bytes) -> dict[tuple[int, int], str]:
    """``(row, column)`` (from 0) → formula of each formula cell of the first sheet
    that holds no value; empty for anything but a readable xlsx.

    The sheet's XML is read a piece at a time, each piece ending after a cell
    (``</c>``), which no formula cell spans: the XML of a large sheet is several
    times the size of the file, and is never held whole.
    """
    found: dict[tuple[int, int], str] = {}
    try:
        with (
            zipfile.ZipFile(io.BytesIO(data)) as archive,
            archive.open(_first_sheet(archive)) as sheet,
        ):
            carry = b""
            while piece := sheet.read(_XML_PIECE):
                carry += piece
                end = carry.rfind(b"</c>")
                if end < 0:
                    continue
                _formula_cells(carry[: end + 4], found)
                carry = carry[end + 4 :]
            _formula_cells(carry, found)
    except (zipfile.BadZipFile, KeyError, OSError):
        return {}
    return found


def _formula_cells(xml: bytes, found: dict[tuple[int, int], str]) -> None:
    """Add the formula cells without a value in ``xml`` (whole cells) to ``found``."""
    if b"<f" not in xml:
        return
    for match in _FORMULA_CELL.finditer(xml):
        letters, number, formula, rest = match.groups()
        if _VALUE.search(rest or b""):
            continue
        column = 0
        for letter in letters.decode():
            column = column * 26 + ord(letter) - ord("A") + 1
        text = unescape((formula or b"").decode("utf-8", "replace"))
        found[(int(number) - 1, column - 1)] = text


def _first_sheet(archive: zipfile.ZipFile) -> str:
    relation = _SHEET_REF.search(archive.read("xl/workbook.xml"))
    rels = archive.read("xl/_rels/workbook.xml.rels")
    for tag in _RELATION.findall(rels):
        if relation and f'Id="{relation.group(1).decode()}"'.encode() in tag:
            target = re.search(rb'Target="([^"]+)"', tag)
            if target:
                path = target.group(1).decode()
                return path.lstrip("/") if path.startswith("/") else f"xl/{path}"
    return "xl/worksheets/sheet1.xml"


def _filled(cell: Cell) -> bool:
    return not (isinstance(cell, str) and not cell.strip())


def _heading(cell: Cell) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()
