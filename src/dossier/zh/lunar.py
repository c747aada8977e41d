"""Lunar dates: their names as staff read them (农历四月初八, 闰四月) and solar dates.

The conversion is lunar-python's; this module is the only place that imports it.
"""

from datetime import date, timedelta
from functools import lru_cache
from typing import NamedTuple

from lunar_python import LunarYear  # type: ignore[import-untyped]

_MONTHS = ["正", "二", "三", "四", "五", "六", "七", "八", "九", "十", "冬", "腊"]
_DIGITS = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]


def lunar_month_label(month: int, is_leap: bool = False) -> str:
    """``4, True`` → ``闰四月``; month 11 is 冬月 and 12 腊月."""
    if not 1 <= month <= 12:
        raise ValueError(f"lunar month out of range: {month}")
    return ("闰" if is_leap else "") + _MONTHS[month - 1] + "月"


def lunar_day_label(day: int) -> str:
    """``8`` → ``初八``, ``20`` → ``二十``, ``30`` → ``三十``."""
    if not 1 <= day <= 30:
        raise ValueError(f"lunar day out of range: {day}")
    if day <= 10:
        return "初" + ("十" if day == 10 else _DIGITS[day])
    if day < 20:
        return "十" + _DIGITS[day - 10]
    if day == 20:
        return "二十"
    if day < 30:
        return "廿" + _DIGITS[day - 20]
    return "三十"


def lunar_date_label(month: int, day: int, is_leap: bool = False) -> str:
    return lunar_month_label(month, is_leap) + lunar_day_label(day)


class LunarMonthSpan(NamedTuple):
    """One lunar month: its year, number, leap flag, first solar day and length."""

    year: int
    month: int
    is_leap: bool
    first: date
    days: int


# lunar-python counts months by Julian day number (noon); date.toordinal() counts days
# from 1 January of year 1: the two differ by this constant.
_JULIAN_DAY_OF_ORDINAL_ZERO = 1_721_425


@lru_cache(maxsize=512)
def _months_around(year: int) -> tuple[LunarMonthSpan, ...]:
    """The lunar months from the 11th of lunar ``year - 1`` to the end of ``year``.

    Together they cover every day of solar ``year``. Built once per year: reading a
    whole ``Lunar`` object for each day costs lunar-python a thousand times more.
    """
    spans = []
    for month in LunarYear.fromYear(year).getMonths():
        first = date.fromordinal(
            month.getFirstJulianDay() - _JULIAN_DAY_OF_ORDINAL_ZERO
        )
        number = month.getMonth()
        spans.append(
            LunarMonthSpan(
                month.getYear(), abs(number), number < 0, first, month.getDayCount()
            )
        )
    return tuple(spans)


def lunar_month_span(
    year: int, month: int, is_leap: bool = False
) -> LunarMonthSpan | None:
    """The lunar month ``month`` (leap or not) of lunar ``year``, if that year has it."""
    for span in _months_around(year):
        if (span.year, span.month, span.is_leap) == (year, month, is_leap):
            return span
    return None


def lunar_to_solar(year: int, month: int, day: int, is_leap: bool = False) -> date:
    """The solar date of a lunar date in lunar ``year``, by the house's rules.

    A leap-month date in a year without that leap month falls on the same day of the
    ordinary month; day 30 of a month that has only 29 days this year falls on day 29
    (lunar-python itself refuses such a day).
    """
    if not 1 <= month <= 12 or not 1 <= day <= 30:
        raise ValueError(f"no lunar date {year}-{month}-{day}")
    span = lunar_month_span(year, month, is_leap) if is_leap else None
    span = span or lunar_month_span(year, month)
    if span is None:
        raise ValueError(f"no lunar month {month} in {year}")
    return span.first + timedelta(days=min(day, span.days) - 1)


def solar_to_lunar(day: date) -> tuple[int, int, int, bool]:
    """``(lunar year, month, day, is leap month)`` of a solar date."""
    for span in _months_around(day.year):
        offset = (day - span.first).days
        if 0 <= offset < span.days:
            return span.year, span.month, offset + 1, span.is_leap
    raise ValueError(f"no lunar date for {day}")  # lunar-python covers years 1–9999
