"""Public holidays of mainland China and the make-up working days (调休) around them.

The days come from the State Council's yearly notices as kept by the ``chinesecalendar``
package; this module is the only place that imports it. A notice is published late in
the year before, so a year without one is refused (``HolidayDataMissing``) rather than
guessed: a guessed 调休 would put a campaign on a day the guests are at work.
"""

from datetime import date, timedelta

import chinese_calendar  # type: ignore[import-untyped]

# The package's English holiday names, in the words of the notices.
_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


# The longest run of days off in any notice is nine (春节 2026); a weekend is two.
_LONGEST_RUN = 10


class HolidayDataMissing(LookupError):
    """No holiday notice is known for the year asked about."""


def known_years() -> range:
    """The years whose notices the installed data holds, e.g. ``range(2004, 2027)``."""
    years = {day.year for day in chinese_calendar.holidays} | {
        day.year for day in chinese_calendar.workdays
    }
    return range(min(years), max(years) + 1)


def _detail(day: date) -> tuple[bool, str | None]:
    """``(is a working day, the package's holiday name or None)``."""
    try:
        day_off, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        covered = known_years()
        raise HolidayDataMissing(
            f"no holiday notice for {day.year}; known: {covered.start}–{covered.stop - 1}"
        ) from None
    return not day_off, name


def is_workday(day: date) -> bool:
    """Whether people work on ``day``: Monday to Friday, and make-up Saturdays and
    Sundays, except the days off of a public holiday."""
    return _detail(day)[0]


def is_holiday(day: date) -> bool:
    """Whether ``day`` is a day off: a weekend not made up, or a public holiday's."""
    return not is_workday(day)


def is_makeup_workday(day: date) -> bool:
    """Whether ``day`` is a Saturday or Sunday worked to bridge a holiday (调休上班)."""
    return day.weekday() >= 5 and is_workday(day)


def holiday_name(day: date) -> str | None:
    """The public holiday ``day`` is a day off of (``春节``), else ``None``.

    A Saturday or Sunday inside a holiday's run of days off belongs to it, as the notice
    counts it (端午节 4–6 June 2011 takes in Sunday the 5th). A make-up working day
    has no holiday name: it is a working day.
    """
    is_work, name = _detail(day)
    if is_work:
        return None
    if name is None:
        name = _name_of_run(day)
    return None if name is None else _NAMES.get(name, name)


def _name_of_run(day: date) -> str | None:
    """The name of the nearest named day in the run of days off around ``day``."""
    found: list[tuple[int, str]] = []
    for step in (-1, 1):
        for distance in range(1, _LONGEST_RUN):
            is_work, name = _detail(day + timedelta(days=step * distance))
            if is_work:
                break
            if name is not None:
                found.append((distance, name))
                break
    return min(found)[1] if found else None


def holidays_in(year: int) -> list[tuple[date, str]]:
    """Every day off of a public holiday in ``year``, weekends inside it included."""
    day, end = date(year, 1, 1), date(year, 12, 31)
    found: list[tuple[date, str]] = []
    while day <= end:
        name = holiday_name(day)
        if name is not None:
            found.append((day, name))
        day += timedelta(days=1)
    return found


def makeup_workdays_in(year: int) -> list[date]:
    """The Saturdays and Sundays worked in ``year`` to bridge its holidays."""
    day, end = date(year, 1, 1), date(year, 12, 31)
    found: list[date] = []
    while day <= end:
        if is_makeup_workday(day):
            found.append(day)
        day += timedelta(days=1)
    return found
