"""The export module: formulas stay text, controls are replaced, money is exact."""

import csv
import io
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from openpyxl import load_workbook

from dossier.core.exports import (
    Column,
    ExportError,
    ExportFormat,
    Kind,
    Table,
    export_response,
    table_csv,
    table_xlsx,
    text_clean,
)
from dossier.core.models import AuditEvent

COLUMNS = [
    Column("姓名"),
    Column("证件号码"),
    Column("手机"),
    Column("消费", Kind.MONEY),
    Column("次数", Kind.INTEGER),
    Column("日期", Kind.DATE),
    Column("备注"),
]
ROW = [
    '=HYPERLINK("http://x")',
    "110105198503140021",
    "+8613800138000",
    Decimal("1234567.89"),
    3,
    date(2026, 3, 1),
    "喜欢靠窗\x0b座位\x07",
]


def _csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_csv_has_bom_and_quotes_formulas_as_text() -> None:
    # given a row whose name starts with "=" and a note with control characters
    data = table_csv(Table("客人", COLUMNS, [ROW]))

    # then
    assert data.startswith("\ufeff".encode())
    rows = _csv_rows(data)
    assert rows[0] == ["姓名", "证件号码", "手机", "消费", "次数", "日期", "备注"]
    assert rows[1] == [
        '\'=HYPERLINK("http://x")',
        "110105198503140021",
        "'+8613800138000",
        "1234567.89",
        "3",
        "2026-03-01",
        "喜欢靠窗 座位 ",
    ]


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_xlsx_stores_formula_like_text_as_string(start: str) -> None:
    # given
    data = table_xlsx(Table("客人", [Column("备注")], [[f"{start}1+2"]]))

    # when
    sheet = load_workbook(io.BytesIO(data)).active
    cell = sheet["A2"]

    # then
    assert cell.value == f"{start}1+2"
    assert cell.data_type == "s"


def test_xlsx_keeps_ids_text_money_exact_and_dates_dates() -> None:
    data = table_xlsx(Table("客人", COLUMNS, [ROW]))

    sheet = load_workbook(io.BytesIO(data)).active
    values = [c.value for c in sheet[2]]

    assert values[1] == "110105198503140021"
    assert sheet["B2"].data_type == "s"
    assert values[2] == "+8613800138000"
    assert Decimal(str(values[3])) == Decimal("1234567.89")
    assert sheet["D2"].number_format == "#,##0.00"
    assert values[4] == 3
    assert values[5] == datetime(2026, 3, 1)
    assert sheet["F2"].is_date
    assert values[6] == "喜欢靠窗 座位 "


def test_control_characters_are_replaced_and_line_ends_kept() -> None:
    assert text_clean("a\x00b\x0bc\x1fd\x7fe\r\nf\tg") == "a b c d e\nf\tg"


def test_value_of_wrong_kind_is_refused_with_row_and_column() -> None:
    table = Table("客人", [Column("消费", Kind.MONEY)], [[Decimal("1.00")], [1.5]])

    with pytest.raises(ExportError) as caught:
        table_csv(table)

    assert str(caught.value) == "第 3 行“消费”列应为金额（Decimal 元），而不是 1.5"


def test_row_with_missing_cells_is_refused() -> None:
    with pytest.raises(ExportError, match="第 2 行有 1 个值，表头有 2 列"):
        table_xlsx(Table("x", [Column("a"), Column("b")], [["only"]]))


@pytest.mark.django_db
def test_export_response_is_audited_with_rows_and_format() -> None:
    # given
    user = User.objects.create_user("exporter")

    # when
    response = export_response(
        table=Table("客人名单", COLUMNS, [ROW, ROW]),
        fmt=ExportFormat.CSV,
        actor=user,
        what="guests.list",
        query="王",
    )

    # then
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        "filename*=UTF-8''%E5%AE%A2%E4%BA%BA%E5%90%8D%E5%8D%95.csv"
        in (response["Content-Disposition"])
    )
    event = AuditEvent.objects.get()
    assert (event.actor, event.action, event.object_type) == (
        user,
        "export",
        "guests.list",
    )
    assert event.detail == {"format": "csv", "rows": 2, "query": "王"}


def _rows_once(count: int) -> Iterator[list[object]]:
    """Rows that can be read only once, as a queryset's iterator gives them."""
    for number in range(count):
        yield [f"客人{number}", "110105198503140021", "+8613800138000",
               Decimal("12.30"), number, date(2026, 3, 1), "=1+1"]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", [ExportFormat.CSV, ExportFormat.XLSX])
def test_a_large_export_streams_from_disk_with_every_row_and_is_audited(
    monkeypatch: pytest.MonkeyPatch, fmt: ExportFormat
) -> None:
    # given a file larger than what is kept in memory
    monkeypatch.setattr("dossier.core.exports.SPOOL_BYTES", 1024)
    user = User.objects.create_user("exporter")

    # when
    response = export_response(
        table=Table("客人名单", COLUMNS, _rows_once(3000)),
        fmt=fmt,
        actor=user,
        what="guests.list",
    )

    # then
    assert response.streaming
    body = b"".join(response.streaming_content)  # type: ignore[union-attr]
    assert int(response["Content-Length"]) == len(body)
    if fmt == ExportFormat.CSV:
        rows = _csv_rows(body)
        assert body.startswith(b"\xef\xbb\xbf")
        assert len(rows) == 3001
        assert rows[3000] == ["客人2999", "110105198503140021", "'+8613800138000",
                              "12.30", "2999", "2026-03-01", "'=1+1"]  # fmt: skip
    else:
        sheet = load_workbook(io.BytesIO(body)).active
        assert sheet is not None
        assert sheet.max_row == 3001
        assert sheet.cell(3001, 1).value == "客人2999"
        assert sheet.cell(3001, 7).value == "=1+1"
        assert sheet.cell(3001, 7).data_type == "s"
    assert AuditEvent.objects.get().detail == {"format": str(fmt), "rows": 3000}


@pytest.mark.django_db
def test_an_export_with_a_bad_value_is_neither_sent_nor_audited() -> None:
    # given
    rows = [[Decimal("1.00")], [1.5]]

    # when
    with pytest.raises(ExportError):
        export_response(
            table=Table("x", [Column("消费", Kind.MONEY)], iter(rows)),
            fmt=ExportFormat.XLSX,
            actor=None,
            what="guests.list",
        )

    # then
    assert AuditEvent.objects.count() == 0
