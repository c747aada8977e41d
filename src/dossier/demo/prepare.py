"""Rebuild the compressed files of ``dossier/demo/data`` from the shared sources.

Run once by a maintainer, not by ``dossier demo``:
``python -m dossier.demo.prepare /path/to/shared/data``. The output is byte-for-byte
reproducible (gzip without a time stamp, a seeded sample), so a rebuild shows no diff.
What each file keeps and drops is written down in ``data/SOURCES.md``.
"""

import csv
import gzip
import io
import random
import sys
from pathlib import Path

from opencc import OpenCC
from pypinyin import lazy_pinyin

DATA = Path(__file__).resolve().parent / "data"

BOOKING_COLUMNS = (
    "hotel", "is_canceled", "arrival_date_year", "arrival_date_month",
    "arrival_date_day_of_month", "stays_in_weekend_nights", "stays_in_week_nights",
    "adults", "children", "babies", "meal", "country", "market_segment",
    "distribution_channel", "is_repeated_guest", "previous_bookings_not_canceled",
    "reserved_room_type", "assigned_room_type", "company", "customer_type", "adr",
    "required_car_parking_spaces", "total_of_special_requests", "reservation_status",
    "reservation_status_date",
)  # fmt: skip

GIVEN_NAME_SAMPLE = 20_000
GIVEN_NAME_SEED = 20201213
ANCIENT_HEADER_LINES = 3
# Characters that mark a title, a kinship term or a religious name, not a given name.
NOT_GIVEN = set("氏某王公帝后侯僧佛禅师尊仙君娘姑妃主夫奴婢皇儿妾嫂妹姐")


def _write_gzip(name: str, text: str) -> None:
    with (
        (DATA / name).open("wb") as raw,
        gzip.GzipFile(
            filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0
        ) as out,
    ):
        out.write(text.encode("utf-8"))


def bookings_prepare(source: Path) -> int:
    """Every row of hotel_bookings.csv, with the columns the demo reads."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(BOOKING_COLUMNS)
    count = 0
    with source.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            writer.writerow([row[column] for column in BOOKING_COLUMNS])
            count += 1
    _write_gzip("hotel_bookings.csv.gz", buffer.getvalue())
    return count


def surnames_prepare(source: Path) -> int:
    """The surname frequency table, unchanged."""
    text = source.read_text(encoding="utf-8")
    _write_gzip("surnames.csv.gz", text)
    return len(text.splitlines()) - 1


def _is_plain_given(given: str) -> bool:
    return (
        1 <= len(given) <= 2
        and all("\u4e00" <= char <= "\u9fff" for char in given)
        and not set(given) & NOT_GIVEN
        and all(
            _encodable(char) and lazy_pinyin(char, errors="ignore") for char in given
        )
    )


def _encodable(char: str) -> bool:
    """In GB 2312, a proxy for characters a modern name may use."""
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def given_names_prepare(ancient: Path, surnames: Path) -> int:
    """A seeded sample of the given names of the ancient-names corpus, simplified."""
    family = {
        row["surname"]
        for row in csv.DictReader(io.StringIO(surnames.read_text(encoding="utf-8")))
    }
    convert = OpenCC("t2s").convert
    lines = ancient.read_text(encoding="utf-8-sig").splitlines()[ANCIENT_HEADER_LINES:]
    found: set[str] = set()
    for line in lines:
        name = convert(line.strip())
        for size in (2, 1):
            if name[:size] in family:
                if _is_plain_given(name[size:]):
                    found.add(name[size:])
                break
    sample = random.Random(GIVEN_NAME_SEED).sample(sorted(found), GIVEN_NAME_SAMPLE)
    _write_gzip("given_names.txt.gz", "".join(f"{given}\n" for given in sorted(sample)))
    return len(found)


def main(argv: list[str]) -> None:
    shared = Path(argv[1])
    names = shared / "chinese_names"
    surnames = names / "wainshine_chinese_family_names_1k.csv"
    print(
        "bookings", bookings_prepare(shared / "hotel_booking_demand/hotel_bookings.csv")
    )
    print("surnames", surnames_prepare(surnames))
    print(
        "given-name candidates",
        given_names_prepare(names / "wainshine_ancient_names_25w.txt", surnames),
    )


if __name__ == "__main__":
    main(sys.argv)
