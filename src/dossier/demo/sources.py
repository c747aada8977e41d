"""The shipped data the demo is built from: bookings, surnames, given names, regions.

Every reader returns plain values and caches nothing across calls except the region
table, which never changes. See ``data/SOURCES.md`` for where each file comes from.
"""

import csv
import functools
import gzip
import importlib.resources
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
)  # fmt: skip
FIRST_BIRTH_YEAR, LAST_BIRTH_YEAR = 1950, 2003
TABLE_FIRST_YEAR = 1981
# Misspellings in the surname table (of 欧阳, 令狐, 夏侯) that staff would take for typos.
SURNAME_TYPOS = frozenset({"殴阳", "冷狐", "夏候"})


@dataclass(frozen=True)
class Booking:
    """One row of the hotel booking demand data set, typed; dates not yet shifted."""

    index: int
    hotel: str
    arrival: date
    nights: int
    adults: int
    children: int
    meal: str
    country: str
    segment: str
    channel: str
    repeated: bool
    room_type: str
    company: str
    customer_type: str
    adr: Decimal
    parking: int
    requests: int
    status: str
    status_date: date


def _count(value: str) -> int:
    """Counts are whole numbers; the data writes an unknown count as ``NA``."""
    return int(value) if value.isdigit() else 0


def _booking(index: int, row: dict[str, str]) -> Booking:
    month = MONTHS.index(row["arrival_date_month"]) + 1
    return Booking(
        index=index,
        hotel=row["hotel"],
        arrival=date(
            int(row["arrival_date_year"]), month, int(row["arrival_date_day_of_month"])
        ),
        nights=_count(row["stays_in_weekend_nights"])
        + _count(row["stays_in_week_nights"]),
        adults=_count(row["adults"]),
        children=_count(row["children"]) + _count(row["babies"]),
        meal=row["meal"],
        country=row["country"],
        segment=row["market_segment"],
        channel=row["distribution_channel"],
        repeated=row["is_repeated_guest"] == "1"
        or _count(row["previous_bookings_not_canceled"]) > 0,
        room_type=row["assigned_room_type"],
        company="" if row["company"] == "NULL" else row["company"],
        customer_type=row["customer_type"],
        adr=Decimal(row["adr"]),
        parking=_count(row["required_car_parking_spaces"]),
        requests=_count(row["total_of_special_requests"]),
        status=row["reservation_status"],
        status_date=date.fromisoformat(row["reservation_status_date"]),
    )


def _read_gzip(name: str) -> str:
    with gzip.open(DATA / name, "rt", encoding="utf-8", newline="") as handle:
        return handle.read()


def bookings_read(limit: int | None = None) -> list[Booking]:
    """All 119,390 bookings, or ``limit`` of them spread evenly over the file.

    The file lists the Resort Hotel, then the City Hotel, each by arrival date, so an
    even stride keeps both hotels and the whole two years in a small sample.
    """
    rows = list(csv.DictReader(io.StringIO(_read_gzip("hotel_bookings.csv.gz"))))
    picked: range | list[int] = range(len(rows))
    if limit is not None and limit < len(rows):
        picked = sorted({position * len(rows) // limit for position in range(limit)})
    return [_booking(index, rows[index]) for index in picked]


def surnames_read() -> tuple[list[str], list[int]]:
    """Surnames and their cumulative frequencies, most frequent first.

    The table gives each surname's bearers in units of ten thousand, with at most one
    decimal; the weights here are tenths of that unit, so they stay whole numbers.
    """
    names: list[str] = []
    cumulative: list[int] = []
    total = 0
    for row in csv.DictReader(io.StringIO(_read_gzip("surnames.csv.gz"))):
        if row["surname"] in SURNAME_TYPOS:
            continue
        total += int(Decimal(row["tf"]) * 10)
        names.append(row["surname"])
        cumulative.append(total)
    return names, cumulative


def given_names_read() -> list[str]:
    return _read_gzip("given_names.txt.gz").split()


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    residence: str


def _region_rows() -> list[dict[str, str]]:
    source = importlib.resources.files("dossier.zh").joinpath(
        "data", "areacodes_history_1981_2024.csv"
    )
    return list(csv.DictReader(io.StringIO(source.read_text(encoding="utf-8-sig"))))


@functools.cache
def regions_by_year() -> dict[int, tuple[Region, ...]]:
    """County-level codes in use in each birth year (1981's for earlier births).

    The code history starts in 1981; someone born before then holds a code that was in
    use in 1981 at the latest, so those years use the 1981 codes. A region's
    ``residence`` is today's name of its province and prefecture, where the
    prefecture's code is still in use, else of its province.
    """
    rows = _region_rows()
    current = {
        row["代码"]: row["名称"]
        for row in rows
        if row["级别"] in ("省级", "地级") and row["状态"] == "在用"
    }
    periods: list[tuple[Region, int, int]] = []
    for row in rows:
        code = row["代码"]
        if row["级别"] != "县级" or code.endswith("00"):
            continue
        province = current.get(code[:2] + "0000", row["一级行政区"])
        residence = province + current.get(code[:4] + "00", "")
        last = int(row["变更/弃用时间"]) if row["变更/弃用时间"] else LAST_BIRTH_YEAR
        name = _joined(row["一级行政区"], row["二级行政区"], row["名称"])
        periods.append((Region(code, name, residence), int(row["启用时间"]), last))
    table: dict[int, tuple[Region, ...]] = {}
    for year in range(FIRST_BIRTH_YEAR, LAST_BIRTH_YEAR + 1):
        seen = max(year, TABLE_FIRST_YEAR)
        table[year] = tuple(
            region for region, first, last in periods if first <= seen <= last
        )
    return table


def _joined(province: str, prefecture: str, name: str) -> str:
    parts = [province]
    if prefecture not in ("", "直辖", province):
        parts.append(prefecture)
    return "".join(parts) + name
