"""Special dates to this year's date: 29 February, lunar leap months, day 30."""

from datetime import UTC, date, datetime, timedelta

import pytest

from dossier.core.models import Property
from dossier.guests.dates import (
    next_occurrence,
    property_day,
    reminders_due,
    special_date_problem,
)
from dossier.guests.models import CalendarKind, SpecialDate, SpecialDateKind


def birthday(
    month: int,
    day: int,
    *,
    year: int | None = None,
    lunar: bool = False,
    leap: bool = False,
    label: str = "",
) -> SpecialDate:
    return SpecialDate(
        kind=SpecialDateKind.BIRTHDAY,
        label=label,
        calendar=CalendarKind.LUNAR if lunar else CalendarKind.SOLAR,
        year=year,
        month=month,
        day=day,
        is_leap_month=leap,
    )


def daily_runs(
    specials: list[SpecialDate], first: date, last: date
) -> dict[str, list[date]]:
    """The days each special date is reminded on, one run a day from first to last."""
    reminded: dict[str, list[date]] = {s.label: [] for s in specials}
    day = first
    while day <= last:
        for special in reminders_due(specials, day):
            reminded[special.label].append(day)
        day += timedelta(days=1)
    return reminded


LEAP_DAY_GUESTS = [
    birthday(2, 29, year=1996, label="1996-02-29"),
    birthday(2, 28, year=1990, label="1990-02-28"),
    birthday(3, 1, year=1985, label="1985-03-01"),
]


def test_29_february_is_reminded_on_28_february_in_a_common_year() -> None:
    # given three guests born around the end of February
    # when the daily job runs every day from 26 February to 2 March 2027
    reminded = daily_runs(LEAP_DAY_GUESTS, date(2027, 2, 26), date(2027, 3, 2))

    # then each is reminded exactly once, the first two on 28 February
    assert reminded == {
        "1996-02-29": [date(2027, 2, 28)],
        "1990-02-28": [date(2027, 2, 28)],
        "1985-03-01": [date(2027, 3, 1)],
    }


def test_29_february_is_reminded_on_the_day_in_a_leap_year() -> None:
    reminded = daily_runs(LEAP_DAY_GUESTS, date(2028, 2, 26), date(2028, 3, 2))

    assert reminded == {
        "1996-02-29": [date(2028, 2, 29)],
        "1990-02-28": [date(2028, 2, 28)],
        "1985-03-01": [date(2028, 3, 1)],
    }


def test_every_special_date_is_reminded_once_a_year_and_no_run_fails() -> None:
    # given solar and lunar dates, including the awkward ones
    specials = [
        birthday(2, 29, label="solar 02-29"),
        birthday(12, 31, label="solar 12-31"),
        birthday(4, 8, lunar=True, leap=True, label="闰四月初八"),
        birthday(12, 30, lunar=True, label="腊月三十"),
        birthday(1, 1, lunar=True, label="正月初一"),
    ]

    # when the job runs every day of 2025 to 2028
    reminded = daily_runs(specials, date(2025, 1, 1), date(2028, 12, 31))

    # then the solar ones come once a solar year, the lunar ones once a lunar year
    assert [d.year for d in reminded["solar 02-29"]] == [2025, 2026, 2027, 2028]
    assert reminded["闰四月初八"] == [
        date(2025, 5, 5),
        date(2026, 5, 24),
        date(2027, 5, 13),
        date(2028, 5, 2),
    ]
    assert reminded["腊月三十"] == [
        date(2025, 1, 28),  # 腊月 of 2024 to 2027 has 29 days: kept on 二十九
        date(2026, 2, 16),
        date(2027, 2, 5),
        date(2028, 1, 25),
    ]
    assert reminders_due(specials, date(2024, 2, 9)) == [specials[3]]  # 30 days
    assert reminded["正月初一"] == [
        date(2025, 1, 29),
        date(2026, 2, 17),
        date(2027, 2, 6),
        date(2028, 1, 26),
    ]


@pytest.mark.parametrize(
    ("special", "today", "expected"),
    [
        (birthday(4, 8, lunar=True, leap=True), date(2020, 5, 1), date(2020, 5, 30)),
        (birthday(4, 8, lunar=True, leap=True), date(2026, 1, 1), date(2026, 5, 24)),
        (birthday(12, 30, lunar=True), date(2025, 1, 1), date(2025, 1, 28)),
        (birthday(2, 29), date(2027, 1, 1), date(2027, 2, 28)),
        (birthday(2, 29), date(2027, 3, 1), date(2028, 2, 29)),
    ],
)
def test_next_occurrence(special: SpecialDate, today: date, expected: date) -> None:
    assert next_occurrence(special, today) == expected


def test_reminders_ahead_of_the_day() -> None:
    # given a rule that reminds three days before
    due = reminders_due(LEAP_DAY_GUESTS, date(2027, 2, 25), days_ahead=3)

    # then the two 28 February birthdays are due on 25 February
    assert [s.label for s in due] == ["1996-02-29", "1990-02-28"]


def test_the_day_is_the_propertys_not_utc() -> None:
    # given 16:30 UTC on 27 February 2027, already 00:30 on the 28th in Shanghai
    at = datetime(2027, 2, 27, 16, 30, tzinfo=UTC)
    shanghai = Property(code="sh", name="上海店", time_zone="Asia/Shanghai")
    london = Property(code="ldn", name="London", time_zone="Europe/London")

    # when each property's day is taken, then the reminders follow it
    assert property_day(shanghai, at) == date(2027, 2, 28)
    assert property_day(london, at) == date(2027, 2, 27)
    assert len(reminders_due(LEAP_DAY_GUESTS, property_day(shanghai, at))) == 2
    assert reminders_due(LEAP_DAY_GUESTS, property_day(london, at)) == []


@pytest.mark.parametrize(
    ("year", "month", "problem"),
    [
        (2023, 2, None),
        (None, 2, None),
        (2024, 2, ("is_leap_month", "这一年的农历没有这个闰月")),
        (2025, 2, ("is_leap_month", "这一年的农历没有这个闰月")),
        (2025, 6, None),
    ],
)
def test_a_leap_lunar_month_of_a_known_year_must_be_one_that_year_had(
    year: int | None, month: int, problem: tuple[str, str] | None
) -> None:
    # given a lunar date in a leap month (2023 had a leap 2nd month, 2025 a leap
    # 6th, 2024 none), when it is checked, then only a leap month the year had passes
    assert (
        special_date_problem(
            calendar_kind=CalendarKind.LUNAR,
            year=year,
            month=month,
            day=15,
            is_leap_month=True,
        )
        == problem
    )
