"""When to send a campaign: the public holidays ahead and what the chosen day is.

Holidays and make-up working days come from :mod:`dossier.zh.holidays` (the State
Council's notices); a year without a published notice is said so, never guessed.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils.translation import gettext as _

from dossier.zh.holidays import (
    HolidayDataMissing,
    holiday_name,
    is_makeup_workday,
    known_years,
)

AHEAD_DAYS = 120


@dataclass(frozen=True)
class HolidayRun:
    name: str
    first: date
    days: int


@dataclass
class Timing:
    """The holidays in the coming ``AHEAD_DAYS`` and a note on the send date."""

    holidays: list[HolidayRun] = field(default_factory=list)
    send_note: str = ""
    missing: str = ""


def _day_note(day: date) -> str:
    name = holiday_name(day)
    if name is not None:
        return _("%(day)s 是%(name)s假期中的一天") % {"day": day, "name": name}
    if is_makeup_workday(day):
        return _("%(day)s 是调休上班日") % {"day": day}
    if day.weekday() >= 5:
        return _("%(day)s 是周末") % {"day": day}
    return _("%(day)s 是工作日") % {"day": day}


def campaign_timing(*, today: date, send_on: date | None) -> Timing:
    """The holiday runs starting in the coming days, and what ``send_on`` is."""
    timing = Timing()
    last_known = known_years().stop - 1
    day, end = today, today + timedelta(days=AHEAD_DAYS)
    current: HolidayRun | None = None
    while day <= min(end, date(last_known, 12, 31)):
        name = holiday_name(day)
        if name is not None and current is not None and current.name == name:
            current = HolidayRun(current.name, current.first, current.days + 1)
            timing.holidays[-1] = current
        elif name is not None:
            current = HolidayRun(name, day, 1)
            timing.holidays.append(current)
        else:
            current = None
        day += timedelta(days=1)
    if end.year > last_known:
        timing.missing = _("%(year)s 年的放假安排尚未公布") % {"year": last_known + 1}
    if send_on is not None:
        try:
            timing.send_note = _day_note(send_on)
        except HolidayDataMissing:
            timing.send_note = _("%(year)s 年的放假安排尚未公布") % {
                "year": send_on.year
            }
    return timing
