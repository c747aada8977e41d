"""Line breaking in the archive's PDFs: kinsoku, whole numbers, fitted columns."""

import pytest

from dossier.records.pdftext import fit_widths, units, wrap


def _width(text: str) -> float:
    """Every character 10 units wide, as a monospaced CJK font would be."""
    return 10.0 * len(text)


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        # a line never starts with 、: the mark stays with the character before it
        (
            "销毁：会议发言草稿、重复的复印件",
            100,
            ["销毁：会议发言草稿、", "重复的复印件"],
        ),
        # nor with ）or ；
        (
            "部分销毁（清册第1号）；保留正本",
            120,
            ["部分销毁（清册第1号）；", "保留正本"],
        ),
        # an opening bracket does not end a line
        ("保留：会议纪要（正本）", 80, ["保留：会议纪要", "（正本）"]),
        # a number or a code is never split, and a space does not start a line
        ("2015 年党务工作简报", 60, ["2015 年", "党务工作简报"]),
        ("档号 01-A011-02 已销毁", 100, ["档号", "01-A011-02", "已销毁"]),
        # a word wider than the column is cut rather than overflowing
        ("ABCDEFGHIJKL", 50, ["ABCDE", "FGHIJ", "KL"]),
        ("", 50, [""]),
    ],
)
def test_wrap_keeps_the_kinsoku_rule(text: str, width: float, lines: list[str]) -> None:
    assert wrap(text, width, _width) == lines


def test_no_wrapped_line_starts_with_closing_punctuation() -> None:
    text = "销毁：会议发言草稿、重复的复印件、签到表，保留：会议纪要正本。" * 3

    for width in range(30, 200, 10):
        lines = wrap(text, width, _width)
        assert [line for line in lines[1:] if line[0] in "、，。；：）"] == []
        assert "".join(lines) == text


def test_punctuation_is_glued_to_its_neighbour() -> None:
    assert units("草稿、（正本）") == ["草", "稿、", "（正", "本）"]


def test_fixed_columns_fit_their_text_and_long_ones_share_the_rest() -> None:
    columns = [["文件日期", "2015-03-09"], ["题名", "x"], ["保管期限", "永久"]]

    widths = fit_widths(columns, 300, _width, flexible={1: 1}, padding=12, cap=200)

    assert widths == [100 + 13, 300 - 113 - 53, 40 + 13]
