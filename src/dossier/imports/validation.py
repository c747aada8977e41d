"""One table row checked and turned into what the archive stores, or its errors.

Every error says where it is: the row number in the file, the column's heading, the
value as the user sees it and, in Chinese, what is wrong with it.
"""

import functools
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from dossier.guests.bulk import phone_parse as phone_parse
from dossier.guests.errors import GuestError
from dossier.guests.models import DocumentType, Gender, GuestClass
from dossier.guests.services import (
    GuestInput,
    IdentityInput,
    document_index,
    identity_agreement,
    parse_identity,
)
from dossier.imports.cells import (
    CellError,
    cell_birth_date,
    cell_card,
    cell_id_number,
    cell_phone,
    cell_text,
    is_blank,
)
from dossier.imports.readers import Cell, Formula, Row
from dossier.zh.names import name_symbols
from dossier.zh.phones import InvalidPhone

_PHONE_SPLIT = re.compile(r"[,;，；、]| / ")
_GENDERS = {
    "男": Gender.MALE, "m": Gender.MALE, "male": Gender.MALE, "先生": Gender.MALE,
    "女": Gender.FEMALE, "f": Gender.FEMALE, "female": Gender.FEMALE,
    "女士": Gender.FEMALE, "小姐": Gender.FEMALE,
}  # fmt: skip
_DOC_TYPES = {
    "身份证": DocumentType.RESIDENT_ID, "居民身份证": DocumentType.RESIDENT_ID,
    "二代身份证": DocumentType.RESIDENT_ID, "护照": DocumentType.PASSPORT,
    "passport": DocumentType.PASSPORT, "港澳通行证": DocumentType.HK_MACAU_PERMIT,
    "回乡证": DocumentType.HK_MACAU_PERMIT, "台胞证": DocumentType.TAIWAN_PERMIT,
    "台湾通行证": DocumentType.TAIWAN_PERMIT, "居住证": DocumentType.HMT_RESIDENCE,
    "港澳台居民居住证": DocumentType.HMT_RESIDENCE,
    "永久居留证": DocumentType.FOREIGN_RESIDENCE,
    "外国人永久居留身份证": DocumentType.FOREIGN_RESIDENCE,
    "其他": DocumentType.OTHER,
    **{str(value): DocumentType(value) for value in DocumentType.values},
    **{str(label): DocumentType(value) for value, label in DocumentType.choices},
}  # fmt: skip
_MAX_LENGTH = {"full_name": 100, "surname": 40, "employer": 200, "title": 100,
               "residence": 200, "vip_level": 20, "card_number": 40,
               # stays and bills
               "external_ref": 64, "room": 16, "room_type": 40, "payment_method": 60,
               "segment": 60, "channel": 60, "companions": 200, "outlet": 100,
               "table": 20, "dish": 100, "category": 60}  # fmt: skip
_TEXT_FIELDS = ("employer", "title", "residence", "vip_level")
# What a spreadsheet would take as the start of a formula.
_FORMULA_MARKS = ("=", "+", "-", "@")

T = TypeVar("T")


@dataclass(frozen=True)
class Column:
    position: int
    heading: str
    field: str


@dataclass(slots=True)
class RowError:
    row: int
    column: str
    value: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
        }


@dataclass(slots=True)
class GuestRow:
    """A valid row's guest: what to store and the keys that find an existing one."""

    row: int
    data: GuestInput
    documents: list[tuple[str, str]] = field(default_factory=list)
    cards: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    hobbies: str = ""
    headings: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return str(self.data.fields.get("full_name", ""))

    def heading(self, code: str) -> str:
        """The file's heading of a field, as errors name the column."""
        return self.headings.get(code, code)


def columns_of(keys: Sequence[str], mapping: Mapping[str, str]) -> list[Column]:
    return [
        Column(position, key, mapping[key])
        for position, key in enumerate(keys)
        if mapping.get(key)
    ]


class RowReader:
    """The cells of one row by field, collecting errors as values are parsed."""

    __slots__ = ("_columns", "cells", "errors", "number", "warnings")

    def __init__(self, row: Row, columns: Sequence[Column]) -> None:
        self.number = row.number
        self.errors: list[RowError] = []
        self.warnings: list[RowError] = []
        self._columns = columns
        cells: dict[str, list[tuple[str, Cell]]] = {}
        values = row.cells
        width = len(values)
        for column in columns:
            if column.position >= width:
                continue
            cell = values[column.position]
            if type(cell) is str:
                # Plain text, the usual cell: blank when only white space.
                if not cell or cell.isspace():
                    continue
            elif isinstance(cell, Formula):
                self._formula(column, cell)
            elif is_blank(cell):
                continue
            held = cells.get(column.field)
            if held is None:
                cells[column.field] = [(column.heading, cell)]
            else:
                held.append((column.heading, cell))
        self.cells = cells

    def _formula(self, column: Column, cell: Formula) -> None:
        message = _(
            "单元格是公式（=%(formula)s），文件里没有保存它显示的值：导入只读取"
            "单元格显示的值，请在 Excel 中打开并保存，或把公式改成文字"
        ) % {"formula": cell.formula}
        value = f"={cell.formula}"
        self.errors.append(RowError(self.number, column.heading, value, message))

    def found_errors(self) -> list[RowError]:
        """The row's errors in the order of the file's columns."""
        order = {column.heading: column.position for column in self._columns}
        return sorted(self.errors, key=lambda e: order.get(e.column, -1))

    def warn(self, code: str, value: str, message: str) -> None:
        heading = self.cells[code][0][0] if self.cells.get(code) else code
        self.warnings.append(RowError(self.number, heading, value, message))

    def has(self, code: str) -> bool:
        return code in self.cells

    def error(self, code: str, message: str, cell: Cell = "") -> None:
        heading = self.cells[code][0][0] if self.cells.get(code) else code
        self.errors.append(RowError(self.number, heading, cell_text(cell), message))

    def text(self, code: str) -> str:
        cells = self.cells.get(code)
        if not cells:
            return ""
        if len(cells) == 1:
            cell = cells[0][1]
            value = cell.strip() if type(cell) is str else cell_text(cell)
        else:
            parts = [cell_text(cell) for _heading, cell in cells]
            value = "\n".join(part for part in parts if part)
        limit = _MAX_LENGTH.get(code)
        if limit and len(value) > limit:
            self.error(code, f"过长：最多 {limit} 个字，实为 {len(value)} 个字", value)
            return ""
        return value

    def parse(self, code: str, parser: Callable[[Cell], T | None]) -> T | None:
        for heading, cell in self.cells.get(code, [])[:1]:
            try:
                return parser(cell)
            except CellError as error:
                self.errors.append(
                    RowError(self.number, heading, cell_text(cell), error.message)
                )
        return None


def guest_row(reader: RowReader, *, require_name: bool) -> GuestRow | None:
    """The guest a row describes; ``None`` when it has errors (kept on ``reader``)."""
    fields: dict[str, Any] = {}
    name = reader.text("full_name")
    if name:
        fields["full_name"] = name
        if symbols := name_symbols(name):
            message = _("姓名中有表情或符号“%(symbols)s”，请只写姓名的文字")
            reader.error("full_name", message % {"symbols": symbols}, name)
        if name.startswith(_FORMULA_MARKS):
            message = _(
                "姓名以 %(mark)s 开头，像是表格公式而不是姓名：请核对"
                "（导出时会按文字写出）"
            )
            reader.warn("full_name", name, message % {"mark": name[0]})
    elif require_name and not reader.has("full_name"):
        reader.errors.append(RowError(reader.number, "姓名", "", "姓名不能为空"))
    for code in _TEXT_FIELDS:
        if value := reader.text(code):
            fields[code] = value
    _gender(reader, fields)
    _birth_date(reader, fields)
    _email(reader, fields)
    _guest_class(reader, fields)
    notes = _notes(reader)
    if notes:
        fields["notes"] = notes
    found = GuestRow(row=reader.number, data=GuestInput(fields=fields))
    found.headings = {code: cells[0][0] for code, cells in reader.cells.items()}
    surname = reader.text("surname")
    found.data.surname = surname or None
    phones_read(reader, found)
    _document(reader, found)
    if card := reader.parse("card_number", cell_card):
        found.cards.append(card)
    found.hobbies = reader.text("hobbies")
    return None if reader.errors else found


@functools.lru_cache(maxsize=1024)
def _folded(text: str) -> str:
    # A file writes its genders and classes a few ways, each thousands of times.
    return unicodedata.normalize("NFKC", text).casefold()


def _gender(reader: RowReader, fields: dict[str, Any]) -> None:
    for _heading, cell in reader.cells.get("gender", [])[:1]:
        text = _folded(cell_text(cell))
        if text in _GENDERS:
            fields["gender"] = _GENDERS[text]
        elif text not in ("未知", "unknown", "u"):
            reader.error("gender", "性别应为“男”或“女”", cell)


def _birth_date(reader: RowReader, fields: dict[str, Any]) -> None:
    birth = reader.parse("birth_date", cell_birth_date)
    if birth is None:
        return
    if not date(1900, 1, 1) <= birth <= timezone.localdate():
        reader.error("birth_date", "出生日期应在 1900 年至今天之间", birth.isoformat())
        return
    fields["birth_date"] = birth


def _email(reader: RowReader, fields: dict[str, Any]) -> None:
    email = reader.text("email")
    if not email:
        return
    try:
        validate_email(email)
    except ValidationError:
        reader.error("email", "电子邮件地址格式不正确", email)
        return
    fields["email"] = email


def _guest_class(reader: RowReader, fields: dict[str, Any]) -> None:
    raw = reader.text("guest_class")
    if not raw:
        return
    letter = unicodedata.normalize("NFKC", raw).upper().replace("类", "").strip()
    if letter not in GuestClass.values:
        reader.error("guest_class", "客户类别应为 A、B 或 C", raw)
        return
    fields["guest_class"] = letter


def _notes(reader: RowReader) -> str:
    parts = [reader.text("notes")]
    for heading, cell in reader.cells.get("consumption", []):
        parts.append(f"{heading}：{cell_text(cell)}")
    return "\n".join(part for part in parts if part)


def phones_read(reader: RowReader, found: GuestRow) -> None:
    for code in ("mobile", "phone"):
        for heading, cell in reader.cells.get(code, []):
            try:
                text = cell_phone(cell, heading)
            except CellError as error:
                reader.errors.append(
                    RowError(reader.number, heading, cell_text(cell), error.message)
                )
                continue
            # Digits alone hold no separator: one number, as most cells are.
            parts = [text] if text.isdigit() else _PHONE_SPLIT.split(text)
            for raw in filter(None, (p.strip() for p in parts)):
                try:
                    phone = phone_parse(raw)
                except InvalidPhone as error:
                    reader.errors.append(
                        RowError(reader.number, heading, raw, error.message)
                    )
                    continue
                if phone.e164 not in found.phones:
                    found.phones.append(phone.e164)
                    found.data.phones.append(raw)


def _document(reader: RowReader, found: GuestRow) -> None:
    number = reader.parse("id_number", cell_id_number)
    if not number:
        return
    doc_type = DocumentType.RESIDENT_ID
    type_text = reader.text("id_type")
    if type_text:
        folded = unicodedata.normalize("NFKC", type_text).casefold()
        if folded not in _DOC_TYPES:
            reader.error("id_type", "无法识别的证件类型", type_text)
            return
        doc_type = _DOC_TYPES[folded]
    document = IdentityInput(number=number, doc_type=doc_type)
    try:
        canonical, _birth, _gender = parse_identity(document)
    except GuestError as error:
        reader.error("id_number", error.message, number)
        return
    try:
        identity_agreement(
            birth=found.data.fields.get("birth_date"),
            gender=found.data.fields.get("gender", ""),
            documents=[document],
        )
    except GuestError as error:
        reader.error(error.field, error.message, cell_text(_first(reader, error.field)))
        return
    found.data.documents.append(IdentityInput(number=canonical, doc_type=doc_type))
    found.documents.append((doc_type, document_index(doc_type, canonical)))


def _first(reader: RowReader, code: str) -> Cell:
    cells = reader.cells.get(code)
    return cells[0][1] if cells else ""
