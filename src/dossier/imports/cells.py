"""Turning one cell into the value a field needs, or a :class:`CellError` saying why not.

A number cell in an identity or phone column is refused, never converted: Excel keeps
15 significant digits, so an 18-digit ID stored as a number has already lost its last
digits, and a phone shown as ``1.38E+10`` is no longer the number the guest gave. The
one exception is a whole number of eleven digits starting with 1: a mainland mobile,
exact in a number cell.
"""

import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import TypeGuard
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _

from dossier.core.money import MONEY_MAX, to_money
from dossier.imports.readers import Cell

_MISSING = frozenset({"", "na", "n/a", "null", "none", "nan", "-", "—", "无"})
_SCIENTIFIC = re.compile(r"[+-]?\d+(\.\d+)?[eE][+-]?\d+")
_TRAILING_ZERO = re.compile(r"\d+\.0+")
_DATE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[ T]+(\d{1,2})[:：](\d{1,2})(?:[:：](\d{1,2})(?:\.\d+)?)?)?"
)
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_MOBILE = re.compile(r"1\d{10}")
_EXCEL_EPOCH = date(1899, 12, 30)
# Excel's 1900 system counts a 29 February 1900 that never was: serial 60.
_EXCEL_FAKE_LEAP_DAY = 60
_EXCEL_LAST_SERIAL = 2_958_465
_MONEY_MARKS = str.maketrans("", "", "¥￥元,， ")


class CellError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def is_blank(cell: Cell) -> bool:
    return isinstance(cell, str) and not cell.strip()


def _missing(cell: Cell) -> bool:
    return isinstance(cell, str) and cell.strip().casefold() in _MISSING


def _is_number(cell: Cell) -> TypeGuard[int | float]:
    return isinstance(cell, int | float) and not isinstance(cell, bool)


def cell_text(cell: Cell) -> str:
    """The text the user sees in the cell."""
    if isinstance(cell, str):
        return cell.strip()
    if isinstance(cell, bool):
        return "是" if cell else "否"
    if isinstance(cell, float):
        # Excel shows at most 15 significant digits; show what the user saw.
        shown = float(f"{cell:.15g}")
        return str(int(shown)) if shown.is_integer() else f"{shown:.15g}"
    if isinstance(cell, datetime):
        return cell.strftime("%Y-%m-%d %H:%M") if cell.time() else f"{cell:%Y-%m-%d}"
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell)


def cell_id_number(cell: Cell, label: str = "身份证号") -> str:
    """An identity number: text only, never a number cell."""
    text = _code(cell)
    if text is None:
        raise CellError(
            f"{label}被 Excel 存成了数字，末几位已丢失，请把该列设为文本后重新导出"
        )
    return text


def cell_phone(cell: Cell, label: str = "电话") -> str:
    """A phone number: text, or a number cell holding a whole mainland mobile.

    Eleven digits are exact in Excel, and a mainland mobile starts with 1, so a
    number cell of that shape is the number as typed; any other number cell (a
    landline that lost its leading 0, a fraction, an exponent) is refused.
    """
    if (
        _is_number(cell)
        and float(cell).is_integer()
        and _MOBILE.fullmatch(str(int(cell)))
    ):
        return str(int(cell))
    text = _code(cell)
    if text is None:
        raise CellError(
            f"{label}被 Excel 存成了数字（显示为 1.38E+10 一类），号码可能已改变，"
            "请把该列设为文本后重新导出"
        )
    return text


def cell_card(cell: Cell) -> str:
    """A card number; a whole number cell is taken as its digits while still exact."""
    if _is_number(cell) and float(cell).is_integer() and abs(cell) < 10**15:
        return str(int(cell))
    text = _code(cell)
    if text is None:
        raise CellError(
            "卡号被 Excel 存成了数字，末几位已丢失，请把该列设为文本后重新导出"
        )
    return text


def _code(cell: Cell) -> str | None:
    """The text of a code cell; ``None`` for a number cell, or text showing a number
    as Excel writes one it has rounded (1.38E+10, 13800004444.0)."""
    if isinstance(cell, str):
        text = cell.strip()
    elif _is_number(cell):
        return None
    else:
        text = cell_text(cell)
    # Both shapes need a point or an exponent: most codes skip the patterns.
    if ("." in text or "e" in text or "E" in text) and (
        _SCIENTIFIC.fullmatch(text) or _TRAILING_ZERO.fullmatch(text)
    ):
        return None
    return text


def cell_date(cell: Cell) -> date | None:
    """A date cell, an Excel serial number or a written date (2024-03-05, 2024年3月5日)."""
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if _is_number(cell):
        return _from_number(float(cell))
    if _missing(cell):
        return None
    text = cell_text(cell)
    found = _DATE.fullmatch(text) or _COMPACT_DATE.fullmatch(text)
    if found is None:
        raise CellError(f"无法识别的日期：{text}（请写成 2024-03-05）")
    return _date(text, *found.groups()[:3])


def cell_birth_date(cell: Cell) -> date | None:
    """A date of birth: a date without a time of day (an Excel serial with a
    fraction, as 45000.5, is a moment, not a birthday)."""
    if _has_time(cell):
        raise CellError(
            _("单元格带有时间（%(value)s），不是出生日期：请填写日期，如 1985-11-12")
            % {"value": cell_text(cell)}
        )
    return cell_date(cell)


def _has_time(cell: Cell) -> bool:
    if isinstance(cell, datetime):
        return cell.time() != time()
    if _is_number(cell):
        return not float(cell).is_integer()
    found = _DATE.fullmatch(cell_text(cell)) if isinstance(cell, str) else None
    return found is not None and found.group(4) is not None


def cell_datetime(cell: Cell, zone: ZoneInfo) -> datetime | None:
    """A moment in the property's time zone; a bare date means its midnight."""
    if isinstance(cell, datetime):
        moment = cell
    elif isinstance(cell, date):
        moment = datetime.combine(cell, time())
    elif _is_number(cell):
        moment = _serial_moment(float(cell))
    elif _missing(cell):
        return None
    else:
        moment = _parse_moment(cell_text(cell))
    if timezone.is_aware(moment):
        return moment
    return moment.replace(tzinfo=zone)


def _parse_moment(text: str) -> datetime:
    found = _DATE.fullmatch(text)
    if found is None:
        raise CellError(f"无法识别的时间：{text}（请写成 2024-03-05 18:30）")
    year, month, day, hour, minute, second = found.groups()
    day_value = _date(text, year, month, day)
    try:
        clock = time(int(hour or 0), int(minute or 0), int(second or 0))
    except ValueError:
        raise CellError(f"无效的时间：{text}") from None
    return datetime.combine(day_value, clock)


def _date(text: str, year: str, month: str, day: str) -> date:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise CellError(f"不存在的日期：{text}") from None


def _from_number(number: float) -> date:
    whole = int(number)
    if number.is_integer() and 19_000_101 <= whole <= 29_991_231:
        return _date(str(whole), str(whole)[:4], str(whole)[4:6], str(whole)[6:])
    return _serial_moment(number).date()


def _serial_moment(number: float) -> datetime:
    """An Excel serial (1900 date system) as the moment Excel shows for it."""
    if not 1 <= number <= _EXCEL_LAST_SERIAL:
        raise CellError(f"数字 {cell_text(number)} 不是日期")
    days = int(number)
    if days == _EXCEL_FAKE_LEAP_DAY:
        raise CellError("Excel 序号 60 对应 1900-02-29，这一天并不存在")
    if days < _EXCEL_FAKE_LEAP_DAY:
        days += 1
    seconds = round((number - int(number)) * 86_400)
    return datetime.combine(_EXCEL_EPOCH, time()) + timedelta(
        days=days, seconds=seconds
    )


def cell_money(cell: Cell) -> Decimal | None:
    """An amount in yuan, exact to the fen; ¥, 元 and thousands separators allowed."""
    if _missing(cell):
        return None
    if isinstance(cell, bool) or not isinstance(cell, str | int | float):
        raise CellError(f"不是金额：{cell_text(cell)}")
    if isinstance(cell, float):
        rounded = round(cell, 2)
        if abs(cell - rounded) > 1e-6:
            raise CellError(f"金额最多两位小数：{cell_text(cell)}")
        cell = f"{rounded:.2f}"
    try:
        return to_money(str(cell).translate(_MONEY_MARKS))
    except ValueError as error:
        if "out of range" in str(error):
            raise CellError(
                f"金额超出范围（最多 {MONEY_MAX} 元）：{cell_text(cell)}"
            ) from None
        raise CellError(f"不是金额（最多两位小数）：{cell_text(cell)}") from None


def cell_decimal(
    cell: Cell, *, whole_digits: int = 6, decimal_places: int = 2
) -> Decimal | None:
    """A number that fits its column: at most ``whole_digits`` before the point."""
    if _missing(cell):
        return None
    text = cell_text(cell)
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise CellError(f"不是数字：{text}") from None
    if not value.is_finite():
        raise CellError(f"不是数字：{text}")
    if abs(value) >= Decimal(10) ** whole_digits:
        raise CellError(f"数字超出范围（应小于 {10**whole_digits}）：{text}")
    step = Decimal(1).scaleb(-decimal_places)
    if value != value.quantize(step):
        raise CellError(f"最多 {decimal_places} 位小数：{text}")
    return value


def cell_int(cell: Cell, *, maximum: int = 32_767) -> int | None:
    """A whole number from 0 to ``maximum`` (the columns it fills are small)."""
    value = cell_decimal(cell, whole_digits=12, decimal_places=0)
    if value is None:
        return None
    if value < 0 or value > maximum:
        raise CellError(f"应为 0 到 {maximum} 之间的整数：{cell_text(cell)}")
    return int(value)
