"""``dossier import``: the JSON report, exit codes, and commit only when it is safe."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dossier.guests.models import Guest
from tests.imports.conftest import ID_LI, ID_ZHANG, csv_bytes

pytestmark = pytest.mark.django_db

GOOD = [
    ["姓名", "手机", "身份证号"],
    ["张伟", "13812345678", ID_ZHANG],
    ["李娜", "13912345678", ID_LI],
]
BAD = [*GOOD, ["王强", "1.38E+10", ""]]


def _file(tmp_path: Path, rows: list[list[str]], name: str = "guests.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(csv_bytes(rows))
    return path


def test_dry_run_json_prints_the_report(tmp_path: Path) -> None:
    out = StringIO()

    call_command(
        "import", str(_file(tmp_path, GOOD)), "--dry-run", "--json", stdout=out
    )

    report = json.loads(out.getvalue())
    assert (report["created"], report["updated"], report["rejected"]) == (2, 0, [])
    assert Guest.objects.count() == 0


def test_dry_run_with_rejected_rows_exits_1(tmp_path: Path) -> None:
    out = StringIO()

    with pytest.raises(CommandError) as caught:
        call_command(
            "import", str(_file(tmp_path, BAD)), "--dry-run", "--json", stdout=out
        )

    assert caught.value.returncode == 1
    report = json.loads(out.getvalue())
    assert report["rejected"] == [
        {
            "row": 4,
            "column": "手机",
            "value": "1.38E+10",
            "message": "手机被 Excel 存成了数字（显示为 1.38E+10 一类），号码可能已改变，请把该列设为文本后重新导出",
        }
    ]


def test_commit_without_yes_writes_nothing_when_rows_are_rejected(
    tmp_path: Path,
) -> None:
    with pytest.raises(CommandError) as caught:
        call_command("import", str(_file(tmp_path, BAD)), stdout=StringIO())

    assert caught.value.returncode == 1
    assert Guest.objects.count() == 0


def test_commit_with_yes_writes_the_good_rows(tmp_path: Path) -> None:
    out = StringIO()

    with pytest.raises(CommandError) as caught:
        call_command("import", str(_file(tmp_path, BAD)), "--yes", "--json", stdout=out)

    assert caught.value.returncode == 1
    report = json.loads(out.getvalue())
    assert (report["committed"], report["created"], report["rejected_rows"]) == (
        True,
        2,
        1,
    )
    assert Guest.objects.count() == 2


def test_commit_then_reimport_updates(tmp_path: Path) -> None:
    path = _file(tmp_path, GOOD)
    call_command("import", str(path), stdout=StringIO())
    out = StringIO()

    call_command("import", str(path), "--json", stdout=out)

    report = json.loads(out.getvalue())
    assert (report["created"], report["updated"]) == (0, 2)
    assert Guest.objects.count() == 2


def test_map_option_names_the_column(tmp_path: Path) -> None:
    path = _file(tmp_path, [["客人", "手机"], ["张伟", "13812345678"]])
    out = StringIO()

    call_command(
        "import",
        str(path),
        "--dry-run",
        "--json",
        "--map",
        "客人=full_name",
        stdout=out,
    )

    assert json.loads(out.getvalue())["created"] == 1


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "empty.csv", "无法读取文件“empty.csv”：文件是空的"),
        (b"%PDF-1.4", "scan.xlsx", "无法读取文件“scan.xlsx”：这是PDF 文档，请上传 csv 或 xlsx 表格"),
        ("手机,单位\n13812345678,华为\n".encode(), "nameless.csv", "无法读取文件“nameless.csv”：找不到姓名列（请检查表头）"),
    ],
)  # fmt: skip
def test_unreadable_file_exits_2_with_a_message(
    tmp_path: Path, content: bytes, name: str, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)

    with pytest.raises(CommandError) as caught:
        call_command("import", str(path), "--dry-run", stdout=StringIO())

    assert (caught.value.returncode, str(caught.value)) == (2, message)


def test_missing_file_exits_2(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as caught:
        call_command("import", str(tmp_path / "nope.csv"), stdout=StringIO())

    assert caught.value.returncode == 2


@pytest.mark.parametrize(
    ("content", "name", "extra", "code", "message"),
    [
        (b"%PDF-1.4", "bad.xlsx", [], "unreadable",
         "无法读取文件“bad.xlsx”：这是PDF 文档，请上传 csv 或 xlsx 表格"),
        (None, "nope.csv", [], "not_found", "找不到文件“{path}”"),
        (csv_bytes(GOOD), "guests.csv", ["--map", "no-equals-sign"], "bad_mapping",
         None),
    ],
)  # fmt: skip
def test_with_json_every_failure_is_one_json_object_on_stdout(
    tmp_path: Path,
    content: bytes | None,
    name: str,
    extra: list[str],
    code: str,
    message: str | None,
) -> None:
    # given a file that cannot be imported
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    out = StringIO()

    # when
    with pytest.raises(CommandError) as caught:
        call_command("import", str(path), "--dry-run", "--json", *extra, stdout=out)

    # then stdout holds one JSON object with the code and the message, exit 2
    body = json.loads(out.getvalue())
    assert caught.value.returncode == 2
    assert body["code"] == code
    assert body["message"] == str(caught.value)
    if message is not None:
        assert body["message"] == message.format(path=path)


def test_with_json_a_dry_run_says_previewed(tmp_path: Path) -> None:
    out = StringIO()

    call_command("import", str(_file(tmp_path, GOOD)), "--dry-run", "--json",
                 stdout=out)  # fmt: skip

    body = json.loads(out.getvalue())
    assert (body["code"], body["message"]) == ("previewed", "预览完成，未写入任何数据")
