"""Cells to values: dates, Excel serials, money, and codes never taken from numbers."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from dossier.imports.cells import (
    CellError,
    cell_card,
    cell_date,
    cell_datetime,
    cell_id_number,
    cell_money,
    cell_phone,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
ID_LOST = "身份证号被 Excel 存成了数字，末几位已丢失，请把该列设为文本后重新导出"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (1.0, date(1900, 1, 1)),
        (59.0, date(1900, 2, 28)),
        (61.0, date(1900, 3, 1)),
        (45000.0, date(2023, 3, 15)),
        (45000.75, date(2023, 3, 15)),
        (19900305.0, date(1990, 3, 5)),
        (date(1990, 3, 5), date(1990, 3, 5)),
        (datetime(1990, 3, 5, 12, 0), date(1990, 3, 5)),
        ("1990-03-05", date(1990, 3, 5)),
        ("1990/3/5", date(1990, 3, 5)),
        ("1990.3.5", date(1990, 3, 5)),
        ("1990年3月5日", date(1990, 3, 5)),
        ("19900305", date(1990, 3, 5)),
        ("NA", None),
    ],
)
def test_dates_read_as_shown(cell: object, expected: date | None) -> None:
    assert cell_date(cell) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        (60.0, "Excel 序号 60 对应 1900-02-29，这一天并不存在"),
        ("1990-02-30", "不存在的日期：1990-02-30"),
        ("3/5/1990", "无法识别的日期：3/5/1990（请写成 2024-03-05）"),
    ],
)
def test_impossible_dates_are_refused(cell: object, message: str) -> None:
    with pytest.raises(CellError) as caught:
        cell_date(cell)  # type: ignore[arg-type]

    assert caught.value.message == message


def test_written_moment_is_in_the_property_zone() -> None:
    assert cell_datetime("2016/8/6 19:06", SHANGHAI) == datetime(
        2016, 8, 6, 19, 6, tzinfo=SHANGHAI
    )


@pytest.mark.parametrize(
    "cell",
    [1.1010519800102014e17, 110105198001020144, "1.10105E+17", "110105198001020150.0"],
)
def test_id_number_stored_as_number_is_refused(cell: object) -> None:
    with pytest.raises(CellError) as caught:
        cell_id_number(cell)  # type: ignore[arg-type]

    assert caught.value.message == ID_LOST


@pytest.mark.parametrize(
    "cell", [2161234567.0, 13812345678.5, 1.38e15, "1.38E+10", "13812345678.0"]
)
def test_phone_stored_as_number_is_refused(cell: object) -> None:
    with pytest.raises(CellError) as caught:
        cell_phone(cell, "手机")  # type: ignore[arg-type]

    assert caught.value.message.startswith("手机被 Excel 存成了数字")


@pytest.mark.parametrize("cell", [13812345678.0, 13812345678])
def test_a_whole_eleven_digit_mobile_number_cell_is_taken_as_is(cell: object) -> None:
    assert cell_phone(cell, "手机") == "13812345678"  # type: ignore[arg-type]


def test_text_codes_are_taken_as_they_are() -> None:
    assert cell_id_number(" 11010519800102015x ") == "11010519800102015x"
    assert cell_phone("138-1234-5678") == "138-1234-5678"
    assert cell_card(1196.0) == "1196"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("112", Decimal("112.00")),
        ("¥1,280.50", Decimal("1280.50")),
        ("88元", Decimal("88.00")),
        (0.1 + 0.2, Decimal("0.30")),
        (112.0, Decimal("112.00")),
        ("NA", None),
    ],
)
def test_money_is_exact(cell: object, expected: Decimal | None) -> None:
    assert cell_money(cell) == expected  # type: ignore[arg-type]


def test_money_with_three_decimals_is_refused() -> None:
    with pytest.raises(CellError) as caught:
        cell_money("12.345")

    assert caught.value.message == "不是金额（最多两位小数）：12.345"
