"""Lunar dates: their names as staff read them (农历四月初八, 闰四月) and solar dates.

The conversion is lunar-python's; this module is the only place that imports it.
"""

from datetime import date

from lunar_python import Lunar, LunarYear, Solar  # type: ignore[import-untyped]

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


def lunar_to_solar(year: int, month: int, day: int, is_leap: bool = False) -> date:
    """The solar date of a lunar date in lunar ``year``, by the house's rules.

    A leap-month date in a year without that leap month falls on the same day of the
    ordinary month; day 30 of a month that has only 29 days this year falls on day 29.
    """
    lunar_year = LunarYear.fromYear(year)
    lunar_month = lunar_year.getMonth(-month if is_leap else month)
    if lunar_month is None:
        is_leap = False
        lunar_month = lunar_year.getMonth(month)
    if lunar_month is None:
        raise ValueError(f"no lunar month {month} in {year}")
    day = min(day, lunar_month.getDayCount())
    solar = Lunar.fromYmd(year, -month if is_leap else month, day).getSolar()
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


def solar_to_lunar(day: date) -> tuple[int, int, int, bool]:
    """``(lunar year, month, day, is leap month)`` of a solar date."""
    lunar = Solar.fromYmd(day.year, day.month, day.day).getLunar()
    month = lunar.getMonth()
    return lunar.getYear(), abs(month), lunar.getDay(), month < 0
