"""When a special date next falls, by the house's rules, in solar terms."""

import calendar
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext_noop

from dossier.core.models import Property
from dossier.guests.models import CalendarKind, SpecialDate
from dossier.zh.lunar import lunar_month_span, lunar_to_solar, solar_to_lunar


def solar_in_year(special: SpecialDate, year: int) -> date:
    """The solar date ``special`` falls on in solar ``year`` (29 Feb → 28 Feb)."""
    day = special.day
    if special.month == 2 and day == 29 and not calendar.isleap(year):
        day = 28
    return date(
        year, special.month, min(day, calendar.monthrange(year, special.month)[1])
    )


def next_occurrence(special: SpecialDate, today: date) -> date:
    """The first day on or after ``today`` on which ``special`` is celebrated."""
    if special.calendar == CalendarKind.SOLAR:
        this_year = solar_in_year(special, today.year)
        return (
            this_year if this_year >= today else solar_in_year(special, today.year + 1)
        )
    lunar_year = solar_to_lunar(today)[0]
    for year in (lunar_year - 1, lunar_year, lunar_year + 1):
        found = lunar_to_solar(year, special.month, special.day, special.is_leap_month)
        if found >= today:
            return found
    raise ValueError("no lunar occurrence within two years")


def upcoming(
    specials: list[SpecialDate], today: date, days: int = 30
) -> list[tuple[date, SpecialDate]]:
    """The special dates that fall within ``days`` from ``today``, soonest first."""
    horizon = today + timedelta(days=days)
    found = [(next_occurrence(s, today), s) for s in specials]
    return sorted(((d, s) for d, s in found if d <= horizon), key=lambda pair: pair[0])


def reminders_due(
    specials: Iterable[SpecialDate], day: date, *, days_ahead: int = 0
) -> list[SpecialDate]:
    """The special dates celebrated ``days_ahead`` days after ``day``.

    A daily run on each day of a year gives every special date exactly once: 29
    February on 28 February in a common year, a lunar date once per lunar year.
    """
    target = day + timedelta(days=days_ahead)
    return [s for s in specials if next_occurrence(s, target) == target]


def property_day(prop: Property, at: datetime | None = None) -> date:
    """The date at the property at instant ``at`` (now by default), not the UTC date."""
    return (at or timezone.now()).astimezone(prop.zone).date()


def special_date_problem(
    *, calendar_kind: str, year: int | None, month: int, day: int, is_leap_month: bool
) -> tuple[str, str] | None:
    """``(field, message)`` of what is wrong with a special date, or ``None``; the
    message is to be translated where it is shown."""
    if year is not None and not 1900 <= year <= 2100:
        return "year", gettext_noop("年份应在 1900 到 2100 之间")
    if not 1 <= month <= 12:
        return "month", gettext_noop("月份应在 1 到 12 之间")
    if calendar_kind == CalendarKind.LUNAR:
        if not 1 <= day <= 30:
            return "day", gettext_noop("农历日期应在初一到三十之间")
        # A day 30 that a month lacks in some year is kept on day 29 (house rule);
        # a leap month of a known year must be one that year had.
        if is_leap_month and year and lunar_month_span(year, month, True) is None:
            return "is_leap_month", gettext_noop("这一年的农历没有这个闰月")
        return None
    if is_leap_month:
        return "is_leap_month", gettext_noop("只有农历日期才有闰月")
    try:
        # 2000 is a leap year, so 29 February is allowed when the year is unknown.
        date(year or 2000, month, day)
    except ValueError:
        return "day", gettext_noop("该月没有这一天")
    return None
