"""Resident identity numbers (居民身份证号码) of the People's Republic of China.

An 18-character number reads: 6-digit region code, 8-digit birth date (YYYYMMDD),
3-digit order code (odd for men, even for women) and a check character computed with
ISO 7064 MOD 11-2. Numbers issued before 1999 have 15 digits: a 2-digit year and no
check character. Residence permits for residents of Hong Kong, Macau and Taiwan use the
same layout with region codes 810000, 820000 and 830000.
"""

from __future__ import annotations

import csv
import datetime
import functools
import importlib.resources
import io
import operator
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

Gender = Literal["M", "F"]

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ZERO_WEIGHT = ord("0") * sum(_WEIGHTS)
_CHECK_CHARS = "10X98765432"
_DIGITS_18 = re.compile(r"[0-9]{17}[0-9X]")
_DIGITS_15 = re.compile(r"[0-9]{15}")
_DIGITS_17 = re.compile(r"[0-9]{17}")
_REGION = re.compile(r"[0-9]{6}")
_EARLIEST_BIRTH_YEAR = 1900
_AREA_TABLE = "areacodes_history_1981_2024.csv"
_PERMIT_REGIONS = {
    "810000": "香港特别行政区",
    "820000": "澳门特别行政区",
    "830000": "台湾地区",
}


class IdNumberError(StrEnum):
    """Why an identity number was rejected; the value is the stable error code."""

    LENGTH = "length"
    CHARACTERS = "characters"
    CHECKSUM = "checksum"
    BIRTH_DATE = "birth_date"
    FUTURE = "future"
    REGION = "region"


class InvalidIdNumber(ValueError):
    """An identity number that cannot belong to anyone.

    ``code`` is an :class:`IdNumberError` (a ``str``) and ``message`` explains the fault
    in Simplified Chinese, ready to show to front-desk staff.
    """

    def __init__(self, code: IdNumberError, message: str) -> None:
        super().__init__(message)
        self.code: str = code
        self.message = message


@dataclass(frozen=True)
class IdNumber:
    """A validated identity number, always in its 18-character form."""

    number: str
    birth_date: datetime.date
    gender: Gender
    region_code: str
    region_name: str
    converted_from_15: bool


@dataclass(frozen=True)
class _RegionPeriod:
    """One period during which a region code was in use under one name."""

    name: str
    first_year: int
    last_year: int | None


def id_checksum(first17: str) -> str:
    """Return the check character ("0"-"9" or "X") for the first 17 digits.

    Raises ``ValueError`` unless ``first17`` is exactly 17 ASCII digits.
    """
    if not _DIGITS_17.fullmatch(first17):
        raise ValueError("first17 must be exactly 17 ASCII digits")
    return _checksum(first17)


def _checksum(first17: str) -> str:
    """:func:`id_checksum` of 17 digits already checked to be ASCII digits."""
    # The digits' code points less that of "0", weighted: each digit times its weight.
    total = sum(map(operator.mul, first17.encode("ascii"), _WEIGHTS)) - _ZERO_WEIGHT
    return _CHECK_CHARS[total % 11]


def parse_id_number(raw: str, *, today: datetime.date | None = None) -> IdNumber:
    """Validate ``raw`` and return the number in its 18-character form.

    Full-width characters are normalised (NFKC), white space is removed and a lower-case
    check character "x" is accepted. 15-digit numbers are converted to 18 digits. The
    birth date must be a real date between 1900-01-01 and ``today`` (default: the
    system date; pass the property's local date). The region code must appear in the
    1981-2024 code history and must not have been abolished before the birth year.

    Raises :class:`InvalidIdNumber` and nothing else, whatever the input.
    """
    number = _normalise(raw)
    converted = len(number) == 15
    if converted:
        number = _upgrade_15(number)
    else:
        _check_18(number)

    birth = _birth_date(number[6:14], today or datetime.date.today())
    region_name = _region_name(number[:6], birth.year)
    gender: Gender = "M" if int(number[16]) % 2 else "F"
    return IdNumber(
        number=number,
        birth_date=birth,
        gender=gender,
        region_code=number[:6],
        region_name=region_name,
        converted_from_15=converted,
    )


def mask_id_number(number: str) -> str:
    """Hide the middle of an identity number for display and logs.

    18 characters keep the region code and the last four: ``110105********0414``.
    Other lengths keep the first two and last two characters when longer than four,
    otherwise every character is masked.
    """
    compact = "".join(number.split())
    if len(compact) == 18:
        return compact[:6] + "*" * 8 + compact[-4:]
    if len(compact) > 4:
        return compact[:2] + "*" * (len(compact) - 4) + compact[-2:]
    return "*" * len(compact)


def make_id_number(
    region_code: str, birth: datetime.date, sequence: int, gender: Gender
) -> str:
    """Build a valid 18-digit number for demo data and benchmarks.

    ``sequence`` (0-499) picks the order code with the parity of ``gender``. The region
    code is not looked up; pass one from the code table if the result must parse.
    Raises ``ValueError`` on a malformed region code or a sequence out of range.
    """
    if not _REGION.fullmatch(region_code):
        raise ValueError("region_code must be 6 ASCII digits")
    if not 0 <= sequence <= 499:
        raise ValueError("sequence must be between 0 and 499")
    order = sequence * 2 + (1 if gender == "M" else 0)
    first17 = f"{region_code}{birth:%Y%m%d}{order:03d}"
    return first17 + id_checksum(first17)


def _normalise(raw: str) -> str:
    """NFKC-normalise, drop every white-space character and upper-case."""
    return "".join(unicodedata.normalize("NFKC", raw).split()).upper()


def _check_18(number: str) -> None:
    """Reject anything that is not 17 digits plus a correct check character."""
    if len(number) != 18:
        raise InvalidIdNumber(
            IdNumberError.LENGTH,
            f"号码长度应为 18 位（或旧版 15 位），实为 {len(number)} 位",
        )
    if not _DIGITS_18.fullmatch(number):
        raise InvalidIdNumber(
            IdNumberError.CHARACTERS, "号码只能由数字组成，仅最后一位可以是 X"
        )
    expected = _checksum(number[:17])
    if number[17] != expected:
        raise InvalidIdNumber(
            IdNumberError.CHECKSUM, f"校验码错误：应为 {expected}，实为 {number[17]}"
        )


def _upgrade_15(number: str) -> str:
    """Convert a 15-digit number (19xx births) to its 18-digit form."""
    if not _DIGITS_15.fullmatch(number):
        raise InvalidIdNumber(IdNumberError.CHARACTERS, "15 位旧版号码只能由数字组成")
    first17 = number[:6] + "19" + number[6:]
    return first17 + id_checksum(first17)


def _birth_date(digits: str, today: datetime.date) -> datetime.date:
    """Parse YYYYMMDD and check it lies between 1900-01-01 and ``today``."""
    try:
        birth = datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        raise InvalidIdNumber(
            IdNumberError.BIRTH_DATE, f"出生日期 {digits} 不是有效日期"
        ) from None
    if birth.year < _EARLIEST_BIRTH_YEAR:
        raise InvalidIdNumber(
            IdNumberError.BIRTH_DATE, f"出生日期 {digits} 早于 1900 年"
        )
    if birth > today:
        raise InvalidIdNumber(IdNumberError.FUTURE, f"出生日期 {digits} 晚于今天")
    return birth


def _region_name(code: str, birth_year: int) -> str:
    """Return the region's name, or raise if no record admits this birth year.

    A code counts if it was ever in use, including codes later abolished (弃用) or
    changed (变更), provided it was still in use in the birth year. The first year of
    use is not checked: numbers are issued years after birth and re-issued after
    moves, so an older person can hold a code created after their birth.
    """
    if code in _PERMIT_REGIONS:
        return _PERMIT_REGIONS[code]
    periods = _area_codes().get(code)
    if periods is None:
        raise InvalidIdNumber(IdNumberError.REGION, f"地区码 {code} 不存在")
    if len(periods) == 1 and periods[0].last_year is None:
        # One period, still in use: it admits every birth year (most codes in use).
        return periods[0].name
    alive = [p for p in periods if p.last_year is None or birth_year <= p.last_year]
    if not alive:
        last = max(p.last_year or 0 for p in periods)
        raise InvalidIdNumber(
            IdNumberError.REGION,
            f"地区码 {code} 已于 {last} 年停用，与出生年份 {birth_year} 不符",
        )
    covering = [p for p in alive if p.first_year <= birth_year]
    return (covering or alive)[0].name


@functools.cache
def _area_codes() -> dict[str, tuple[_RegionPeriod, ...]]:
    """Load the code history once: code -> its periods of use, oldest first."""
    source = importlib.resources.files("dossier.zh").joinpath("data", _AREA_TABLE)
    index: dict[str, list[_RegionPeriod]] = {}
    text = source.read_text(encoding="utf-8-sig")
    for row in csv.DictReader(io.StringIO(text)):
        period = _RegionPeriod(
            name=_full_name(row["一级行政区"], row["二级行政区"], row["名称"]),
            first_year=int(row["启用时间"]),
            last_year=int(row["变更/弃用时间"]) if row["变更/弃用时间"] else None,
        )
        index.setdefault(row["代码"], []).append(period)
    return {
        code: tuple(sorted(periods, key=lambda p: p.first_year))
        for code, periods in index.items()
    }


def _full_name(province: str, prefecture: str, name: str) -> str:
    """Join province, prefecture and name without repeating a level (北京市东城区)."""
    parts = [province]
    if prefecture not in ("", "直辖", province):
        parts.append(prefecture)
    if name not in parts:
        parts.append(name)
    return "".join(parts)
