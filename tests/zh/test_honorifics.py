"""Forms of address shown on the profile card."""

from __future__ import annotations

import pytest

from dossier.zh.honorifics import HonorificGender, LatinStyle, honorific, short_title
from dossier.zh.names import split_name


def _address(
    full_name: str,
    gender: HonorificGender,
    *,
    surname: str | None = None,
    latin_style: LatinStyle = "zh",
) -> str:
    """Split the name as the profile does, then ask for the honorific."""
    parts = split_name(full_name, surname=surname)
    return honorific(
        surname=parts.surname,
        given_name=parts.given_name,
        gender=gender,
        is_han=parts.is_han,
        latin_style=latin_style,
    )


def test_compound_surname_female() -> None:
    assert _address("欧阳娜娜", "F") == "欧阳女士"


def test_compound_surname_male() -> None:
    assert _address("司马光明", "M") == "司马先生"


def test_explicit_single_surname_beats_compound() -> None:
    assert _address("欧阳丽", "F", surname="欧") == "欧女士"


def test_name_without_surname_uses_first_part() -> None:
    # when
    result = _address("阿依古丽·买买提", "F")

    # then
    assert result != "阿女士"
    assert result == "阿依古丽女士"


def test_title_is_preferred_when_asked() -> None:
    result = honorific(
        surname="张",
        given_name="伟",
        gender="M",
        is_han=True,
        title="总经理",
        prefer_title=True,
    )

    assert result == "张总"


@pytest.mark.parametrize(
    ("latin_style", "expected"), [("en", "Ms Martin"), ("zh", "Martin 女士")]
)
def test_latin_name(latin_style: LatinStyle, expected: str) -> None:
    assert _address("Élodie Martin", "F", latin_style=latin_style) == expected


@pytest.mark.parametrize(
    ("full_name", "gender", "expected"),
    [
        ("张伟", "M", "张先生"),
        ("王芳", "F", "王女士"),
        ("王芳", "", "王芳"),
        ("阿依古丽·买买提", "", "阿依古丽·买买提"),
        ("买买提·艾力", "M", "买买提先生"),
        ("John Smith", "M", "Smith 先生"),
        ("John Smith", "", "John Smith"),
    ],
)
def test_gender_decides_the_suffix(
    full_name: str, gender: HonorificGender, expected: str
) -> None:
    assert _address(full_name, gender) == expected


def test_english_style_male() -> None:
    assert _address("John Smith", "M", latin_style="en") == "Mr Smith"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("总经理", "张总"),
        ("副总经理", "张总"),
        ("总裁", "张总"),
        ("市场总监", "张总"),
        ("董事长", "张总"),
        ("经理", "张经理"),
        ("销售部经理", "张经理"),
        ("办公室主任", "张主任"),
        ("处长", "张处长"),
        ("副局长", "张局长"),
        ("教授", "张教授"),
        ("博士", "张博士"),
        ("主治医生", "张医生"),
        ("老师", "张老师"),
        ("律师", "张律师"),
        ("高级工程师", "张工"),
        ("教练", "张教练"),
    ],
)
def test_titles_take_customary_short_form(title: str, expected: str) -> None:
    result = honorific(
        surname="张",
        given_name="伟",
        gender="M",
        is_han=True,
        title=title,
        prefer_title=True,
    )

    assert result == expected


def test_title_is_ignored_unless_preferred() -> None:
    result = honorific(
        surname="李", given_name="娜", gender="F", is_han=True, title="经理"
    )

    assert result == "李女士"


def test_title_needs_a_surname() -> None:
    result = honorific(
        surname="",
        given_name="阿依古丽·买买提",
        gender="F",
        is_han=False,
        title="经理",
        prefer_title=True,
    )

    assert result == "阿依古丽女士"


@pytest.mark.parametrize(
    ("latin_style", "expected"), [("zh", "Martin 总"), ("en", "Ms Martin")]
)
def test_title_with_latin_surname(latin_style: LatinStyle, expected: str) -> None:
    result = honorific(
        surname="Martin",
        given_name="Élodie",
        gender="F",
        is_han=False,
        title="总经理",
        prefer_title=True,
        latin_style=latin_style,
    )

    assert result == expected


def test_override_wins_over_everything() -> None:
    result = honorific(
        surname="张",
        given_name="伟",
        gender="M",
        is_han=True,
        title="总经理",
        prefer_title=True,
        override=" 伟哥 ",
    )

    assert result == "伟哥"


def test_blank_override_is_ignored() -> None:
    result = honorific(
        surname="张", given_name="伟", gender="M", is_han=True, override="  "
    )

    assert result == "张先生"


@pytest.mark.parametrize(
    ("title", "short"), [("常务副总经理", "总"), ("首席执行官", "总"), ("助理", "助理")]
)
def test_short_title(title: str, short: str) -> None:
    assert short_title(title) == short
