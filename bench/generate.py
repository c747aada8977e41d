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
    codes = regions()
    for n in range(count):
        surname = rng.choices(names, weights)[0]
        given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        gender = rng.choice("MF")
        birth = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 55))
        number = make_id_number(rng.choice(codes), birth, n % 500, gender)  # type: ignore[arg-type]
        mobile = rng.choice(MOBILE_PREFIXES) + f"{n:08d}"
        data = GuestInput(
            fields={"full_name": surname + given},
            phones=[mobile],
            documents=[IdentityInput(number)],
        )
        yield data, mobile, number
