"""Lunar dates and public holidays, checked day by day against independent tables."""

import csv
from datetime import date, timedelta
from pathlib import Path

import pytest

from dossier.zh.holidays import (
    HolidayDataMissing,
    holiday_name,
    holidays_in,
    is_holiday,
    is_makeup_workday,
    is_workday,
    makeup_workdays_in,
)
from dossier.zh.lunar import lunar_to_solar, solar_to_lunar

CALENDAR = Path(__file__).resolve().parents[3] / "shared" / "data" / "calendar"
needs_tables = pytest.mark.skipif(
    not CALENDAR.is_dir(), reason="shared/data/calendar is not beside the repo"
)

# Where lunar-python and the Hong Kong Observatory tables disagree, 1950–2100: the
# new moon that starts the ninth month of 2057 falls close to midnight in Beijing.
# The observatory starts the month on 28 September, lunar-python on the 29th (and gives
# the eighth month 30 days). Solar date → (the tables' reading, lunar-python's).
KNOWN_DIFFERENCES: dict[date, tuple[tuple[int, int, int, bool], ...]] = {
    date(2057, 9, 28): ((2057, 9, 1, False), (2057, 8, 30, False)),
}


def _rows(name: str) -> list[dict[str, str]]:
    with (CALENDAR / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _known_solar_to_lunar(day: date) -> tuple[int, int, int, bool] | None:
    """lunar-python's reading of a day inside the one month known to differ."""
    if date(2057, 9, 28) <= day <= date(2057, 10, 27):
        if day == date(2057, 9, 28):
            return (2057, 8, 30, False)
        return (2057, 9, (day - date(2057, 9, 29)).days + 1, False)
    return None


@needs_tables
def test_solar_to_lunar_matches_the_observatory_tables_every_day_1950_2100() -> None:
    # given every day from 1950 to 2100 in the observatory's reading
    rows = [
        r for r in _rows("lunar_solar_daily_1901_2100.csv") if r["solar_date"] >= "1950"
    ]

    # when each is converted
    differing = {}
    for row in rows:
        day = date.fromisoformat(row["solar_date"])
        expected = (
            int(row["lunar_year"]),
            int(row["lunar_month"]),
            int(row["lunar_day"]),
            row["is_leap_month"] == "1",
        )
        if solar_to_lunar(day) != expected:
            differing[day] = (expected, solar_to_lunar(day))

    # then they agree but for the thirty days of the 2057 ninth month
    assert len(rows) == 55_152
    first = date(2057, 9, 28)
    assert sorted(differing) == [first + timedelta(days=n) for n in range(30)]
    assert all(got == _known_solar_to_lunar(day) for day, (_, got) in differing.items())
    assert differing[date(2057, 9, 28)] == KNOWN_DIFFERENCES[date(2057, 9, 28)]


@needs_tables
def test_lunar_to_solar_matches_every_first_day_of_month_1950_2100() -> None:
    # given the first solar day of every lunar month of 1950–2100
    rows = [
        r
        for r in _rows("lunar_month_starts_1901_2100.csv")
        if 1950 <= int(r["lunar_year"]) <= 2100
    ]

    # when each lunar first day is converted
    differing = {}
    for row in rows:
        month = (int(row["lunar_year"]), int(row["lunar_month"]), row["is_leap_month"])
        found = lunar_to_solar(month[0], month[1], 1, month[2] == "1").isoformat()
        if found != row["first_solar_date"]:
            differing[month] = (row["first_solar_date"], found)

    # then only the known 2057 ninth month differs, by one day
    assert len(rows) == 1_867
    assert differing == {(2057, 9, "0"): ("2057-09-28", "2057-09-29")}


@pytest.mark.parametrize(
    ("lunar", "solar"),
    [
        ((2020, 4, 8, True), date(2020, 5, 30)),  # 闰四月初八
        ((2026, 4, 8, True), date(2026, 5, 24)),  # no leap month: the ordinary 四月初八
        ((2026, 4, 8, False), date(2026, 5, 24)),
        ((2020, 4, 8, False), date(2020, 4, 30)),
        ((2024, 12, 30, False), date(2025, 1, 28)),  # 2024 腊月 has 29 days: 二十九
        ((2024, 12, 29, False), date(2025, 1, 28)),
        ((2023, 12, 30, False), date(2024, 2, 9)),  # 2023 腊月 has 30 days
        ((2023, 2, 1, True), date(2023, 3, 22)),  # 闰二月初一
    ],
)
def test_lunar_to_solar_by_the_house_rules(
    lunar: tuple[int, int, int, bool], solar: date
) -> None:
    # given a lunar date, when converted, then it falls on the expected solar day
    assert lunar_to_solar(*lunar) == solar


def test_solar_to_lunar_reads_the_leap_month() -> None:
    assert solar_to_lunar(date(2020, 5, 30)) == (2020, 4, 8, True)
    assert solar_to_lunar(date(2025, 1, 29)) == (2025, 1, 1, False)


# ---- public holidays and make-up working days -------------------------------------

_SAME_NAME = {"“五一”": "劳动节", "“五一”国际劳动节": "劳动节", "“十一”": "国庆节"}


def _notice_names(written: str) -> set[str]:
    """The holidays a notice's row names: ``中秋节、国庆节`` names two."""
    return {_SAME_NAME.get(part, part) for part in written.split("、")}


@needs_tables
def test_holidays_match_every_day_of_the_2007_2026_notices() -> None:
    # given every day off and make-up working day of the State Council's notices
    rows = _rows("holidays_cn_2007_2026.csv")

    # when each day is looked up
    wrong: list[tuple[str, str, str | None]] = []
    weekday_rows = []
    for row in rows:
        day = date.fromisoformat(row["date"])
        off = row["type"] == "off"
        name = holiday_name(day)
        if is_holiday(day) != off or is_workday(day) == off:
            wrong.append((row["date"], row["type"], "off/work"))
        elif off and name not in _notice_names(row["holiday"]):
            wrong.append((row["date"], row["holiday"], name))
        elif not off and day.weekday() < 5:
            weekday_rows.append(row["date"])
        elif not off and (name is not None or not is_makeup_workday(day)):
            wrong.append((row["date"], row["type"], "make-up"))

    # then every one agrees; the one "make-up" row on a weekday is the Monday the 2020
    # extension of 春节 named as the day work resumed, an ordinary working day
    assert len(rows) == 678
    assert wrong == []
    assert weekday_rows == ["2020-02-03"]


def test_holidays_in_a_year_and_its_makeup_workdays() -> None:
    # given 2026's notice: 春节 15–23 February, worked on 14 and 28 February
    spring = [(d, n) for d, n in holidays_in(2026) if n == "春节"]

    assert [d for d, _ in spring] == [date(2026, 2, d) for d in range(15, 24)]
    assert makeup_workdays_in(2026) == [
        date(2026, 1, 4),
        date(2026, 2, 14),
        date(2026, 2, 28),
        date(2026, 5, 9),
        date(2026, 9, 20),
        date(2026, 10, 10),
    ]
    assert holiday_name(date(2026, 2, 14)) is None
    assert is_holiday(date(2026, 3, 7))
    assert holiday_name(date(2026, 3, 7)) is None


def test_a_year_without_a_notice_is_refused_not_guessed() -> None:
    with pytest.raises(HolidayDataMissing, match="no holiday notice for 2099"):
        is_holiday(date(2099, 10, 1))
