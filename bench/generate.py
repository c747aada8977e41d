"""Deterministic guests: real surname frequencies, real region codes, valid IDs, mobiles."""

import csv
import random
from collections.abc import Iterator
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from dossier.guests.services import GuestInput, IdentityInput
from dossier.zh.idnumber import make_id_number

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
REGION_TABLE = (
    Path(__file__).resolve().parents[1]
    / "src"
    / "dossier"
    / "zh"
    / "data"
    / "areacodes_history_1981_2024.csv"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红梅晓雯嘉欣思远佳琪德润文博立"
MOBILE_PREFIXES = ["138", "139", "136", "150", "158", "186", "188", "166", "177", "199"]


@cache
def surnames() -> tuple[list[str], list[float]]:
    path = SHARED / "chinese_names" / "wainshine_chinese_family_names_1k.csv"
    if not path.exists():
        return ["王", "李", "张", "刘", "陈"], [10, 10, 9, 7, 6]
    with path.open(encoding="utf-8-sig") as handle:
        rows = [(r["surname"], float(r["tf"])) for r in csv.DictReader(handle)]
    return [s for s, _ in rows], [w for _, w in rows]


BIRTH_FIRST = date(1950, 1, 1)
BIRTH_DAYS = 365 * 55
# An odd multiplier that shares no factor with the number of (region, birth, order)
# triples: it spreads consecutive guests over them without two ever meeting.
_SPREAD = 2_654_435_761


def id_number_of(index: int, gender: str) -> str:
    """The resident ID number of guest ``index``: a different number for every
    index, so that the archive and the files to import never hold one twice (two
    holders of one number under other names are refused, as they should be)."""
    codes = regions()
    space = 500 * BIRTH_DAYS * len(codes)
    spread = index * _SPREAD % space
    sequence, rest = spread % 500, spread // 500
    birth = BIRTH_FIRST + timedelta(days=rest % BIRTH_DAYS)
    code = codes[rest // BIRTH_DAYS]
    return make_id_number(code, birth, sequence, gender)  # type: ignore[arg-type]


@cache
def regions() -> list[str]:
    with REGION_TABLE.open(encoding="utf-8-sig") as handle:
        return [
            row["代码"]
            for row in csv.DictReader(handle)
            if row["状态"] == "在用" and not row["代码"].endswith("00")
        ]


def guest_inputs(count: int, seed: int = 7) -> Iterator[tuple[GuestInput, str, str]]:
    """``(input, mobile, id_number)`` for ``count`` guests, the same for the same seed."""
    rng = random.Random(seed)
    names, weights = surnames()
    for n in range(count):
        surname = rng.choices(names, weights)[0]
        given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        gender = rng.choice("MF")
        number = id_number_of(n, gender)
        mobile = rng.choice(MOBILE_PREFIXES) + f"{n:08d}"
        fields = {"full_name": surname + given}
        if note := note_of(rng):
            fields["notes"] = note
        data = GuestInput(
            fields=fields,
            phones=[mobile],
            documents=[IdentityInput(number)],
        )
        yield data, mobile, number


NOTES = [
    "喜欢靠窗的房间", "对花生过敏", "不吃辣", "常点龙井茶", "需要低枕头", "商务出差为主",
    "喜欢安静的楼层", "早餐要豆浆", "带小孩入住", "偏爱红酒", "生日前要送花", "",
    "", "", "", "", "", "", "", "",
]  # fmt: skip
NOTE_WORDS = ["靠窗", "花生", "龙井", "枕头", "红酒", "豆浆"]
IMPORT_HEADER = ["姓名", "性别", "手机", "身份证号", "工作单位", "备注"]
COMPANIES = ["华为技术有限公司", "中国银行", "阿里巴巴", "", "", "", "国家电网", ""]


def note_of(rng: random.Random) -> str:
    return rng.choice(NOTES)


def guest_rows(
    count: int, *, seed: int = 11, offset: int = 50_000_000
) -> Iterator[list[str]]:
    """Rows of a guest table to import: ``IMPORT_HEADER``, new guests whose mobiles
    start after ``offset`` so that they do not meet the archive's."""
    rng = random.Random(seed)
    names, weights = surnames()
    for n in range(count):
        surname = rng.choices(names, weights)[0]
        given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        gender = rng.choice("MF")
        number = id_number_of(offset + n, gender)
        mobile = rng.choice(MOBILE_PREFIXES) + f"{offset + n:08d}"
        yield [
            surname + given,
            "男" if gender == "M" else "女",
            mobile,
            number,
            rng.choice(COMPANIES),
            note_of(rng),
        ]


def write_csv(path: Path, rows: Iterator[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(IMPORT_HEADER)
        writer.writerows(rows)


def write_xlsx(path: Path, rows: Iterator[list[str]]) -> None:
    """Written in openpyxl's write-only mode: rows stream to the file."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("客人")
    sheet.append(IMPORT_HEADER)
    for row in rows:
        sheet.append(row)
    workbook.save(path)


def spend_rows(
    guest_ids: list[int], per_guest: int, *, property_id: int, outlet_ids: list[int]
) -> Iterator[tuple[object, ...]]:
    """Spend lines, ``per_guest`` each, as plain rows in database form (fen)."""
    rng = random.Random(5)
    start = date(2020, 1, 1)
    for guest_id in guest_ids:
        for _ in range(per_guest):
            day = start + timedelta(days=rng.randrange(2000))
            revenue = rng.randrange(1_000, 500_000)
            yield (
                property_id,
                guest_id,
                rng.choice(outlet_ids),
                day,
                "消费",
                revenue,
                revenue * rng.randrange(20, 60) // 100,
            )
