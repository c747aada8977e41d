"""Reading csv and xlsx files into rows of cells as the user sees them."""

import io
from datetime import date, datetime

import openpyxl
import pytest

from dossier.imports import readers
from dossier.imports.readers import (
    Formula,
    UnreadableFile,
    UnreadableReason,
    read_table,
)
from tests.imports.conftest import xlsx_bytes


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gb18030", "gb18030")],
)
def test_csv_encoding_is_detected(encoding: str, expected: str) -> None:
    # given a name that GBK cannot encode
    data = "姓名,单位\n刘䶮,南汉商行\n".encode(encoding)

    # when
    table = read_table(data, name="guests.csv")

    # then
    assert table.encoding == expected
    assert table.header == ["姓名", "单位"]
    assert [list(row.cells) for row in table] == [["刘䶮", "南汉商行"]]


def test_gbk_cannot_hold_the_rare_character() -> None:
    with pytest.raises(UnicodeEncodeError):
        "䶮".encode("gbk")


@pytest.mark.parametrize("delimiter", [",", "\t", ";"])
def test_csv_delimiter_is_sniffed(delimiter: str) -> None:
    data = delimiter.join(["姓名", "手机", "单位"]) + "\n"
    data += delimiter.join(["张三", "13812345678", "华为"]) + "\n"

    table = read_table(data.encode(), name="guests.csv")

    assert table.delimiter == delimiter
    assert list(table.rows[0].cells) == ["张三", "13812345678", "华为"]


def test_quoted_line_breaks_keep_the_row_numbers() -> None:
    # given a note spanning three physical lines in row 2
    data = '姓名,备注\r\n张三,"喜欢靠窗\r\n不吃香菜\r\n要加床"\r\n李四,无\r\n'.encode()

    table = read_table(data, name="guests.csv")

    assert [(row.number, row.cells[0]) for row in table] == [(2, "张三"), (5, "李四")]
    assert table.rows[0].cells[1] == "喜欢靠窗\r\n不吃香菜\r\n要加床"


def test_blank_rows_are_skipped_but_counted() -> None:
    data = "姓名\n\n张三\n,\n李四\n".encode()

    table = read_table(data, name="guests.csv")

    assert [(row.number, row.cells[0]) for row in table] == [(3, "张三"), (5, "李四")]


def test_merged_cells_carry_the_top_left_value() -> None:
    # given a company merged over three guests
    data = xlsx_bytes(
        [
            ["姓名", "单位"],
            ["张三", "华为"],
            ["李四", None],
            ["王五", None],
            ["赵六", "腾讯"],
        ],
        merges=["B2:B4"],
    )

    table = read_table(data, name="guests.xlsx")

    assert [(row.number, *row.cells) for row in table] == [
        (2, "张三", "华为"),
        (3, "李四", "华为"),
        (4, "王五", "华为"),
        (5, "赵六", "腾讯"),
    ]
    assert table.merged_ranges == 1


def test_xlsx_date_cells_read_as_dates() -> None:
    data = xlsx_bytes(
        [["生日"], [date(1990, 3, 5)], [datetime(1991, 4, 6, 8, 30)], [45000]],
        formats={"A2": "yyyy年m月d日", "A3": "mm/dd/yyyy hh:mm"},
    )

    table = read_table(data, name="dates.xlsx")

    assert [row.cells[0] for row in table] == [
        date(1990, 3, 5),
        datetime(1991, 4, 6, 8, 30),
        45000.0,
    ]


@pytest.mark.parametrize(
    ("data", "reason", "message"),
    [
        (b"", UnreadableReason.EMPTY, "无法读取文件“x.csv”：文件是空的"),
        (b"  \n\n", UnreadableReason.EMPTY, "无法读取文件“x.csv”：文件是空的"),
        (
            b"%PDF-1.7 ...",
            UnreadableReason.WRONG_TYPE,
            "无法读取文件“x.csv”：这是PDF 文档，请上传 csv 或 xlsx 表格",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le"),
            UnreadableReason.ENCRYPTED,
            "无法读取文件“x.csv”：工作簿设有打开密码，请在 Excel 中取消密码后另存",
        ),
        (
            b"PK\x03\x04broken",
            UnreadableReason.BROKEN,
            "无法读取文件“x.csv”：不是有效的 Excel 工作簿，请在 Excel 中打开后另存为 xlsx",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000,
            UnreadableReason.BROKEN,
            "无法读取文件“x.csv”：不是有效的 Excel 工作簿，请在 Excel 中打开后另存为 xlsx",
        ),
        (
            "\ufeff姓名,手机\n\n".encode(),
            UnreadableReason.EMPTY,
            "无法读取文件“x.csv”：表格只有表头，没有数据行",
        ),
        (
            xlsx_bytes([["姓名", "手机"]]),
            UnreadableReason.EMPTY,
            "无法读取文件“x.csv”：表格只有表头，没有数据行",
        ),
        (b"\x00\x01\x02", UnreadableReason.WRONG_TYPE, None),
    ],
)
def test_unreadable_files_say_why(
    data: bytes, reason: UnreadableReason, message: str | None
) -> None:
    with pytest.raises(UnreadableFile) as caught:
        read_table(data, name="x.csv")

    assert caught.value.reason == reason
    assert caught.value.message.startswith("无法读取文件“x.csv”：")
    if message is not None:
        assert caught.value.message == message


def test_formula_cells_without_a_value_are_marked_where_they_are() -> None:
    # given an empty styled cell before a formula, and a formula with a value
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["姓名", "单位", "备注"])
    sheet.append(["张三", None, '=A2&"x"'])
    sheet["B2"].number_format = "@"
    buffer = io.BytesIO()
    workbook.save(buffer)

    # when
    table = read_table(buffer.getvalue(), name="guests.xlsx")

    # then only the formula cell is marked, with its formula
    cells = table.rows[0].cells
    assert [type(cell).__name__ for cell in cells] == ["str", "str", "Formula"]
    formula = cells[2]
    assert isinstance(formula, Formula)
    assert (formula, formula.formula) == ("", 'A2&"x"')


@pytest.mark.parametrize("piece", [7, 64, 1 << 20])
def test_formula_cells_are_found_however_the_sheet_is_cut(
    piece: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given formulas without values in many rows, the sheet's XML read in pieces
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["姓名", "单位", "备注"])
    for n in range(2, 40):
        sheet.append([f"客人{n}", f'=A{n}&"公司"', "常客" if n % 3 else f"=B{n}"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    monkeypatch.setattr(readers, "_XML_PIECE", piece)

    # when
    table = read_table(buffer.getvalue(), name="guests.xlsx")

    # then every formula cell is marked with its own formula, and no other cell
    marked = {
        (row.number, column, cell.formula)
        for row in table
        for column, cell in enumerate(row.cells)
        if isinstance(cell, Formula)
    }
    assert marked == {(n, 1, f'A{n}&"公司"') for n in range(2, 40)} | {
        (n, 2, f"B{n}") for n in range(3, 40, 3)
    }
