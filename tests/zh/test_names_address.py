"""Forms of address as staff type them, and the readings of a surname alone."""

import pytest

from dossier.zh.names import Address, address_parse, surname_readings


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("王先生", Address("王", "先生", "M")),
        ("王 先生", Address("王", "先生", "M")),
        ("王女士", Address("王", "女士", "F")),
        ("陈小姐", Address("陈", "小姐", "F")),
        ("李总", Address("李", "总", "")),
        ("张经理", Address("张", "经理", "")),
        ("欧阳女士", Address("欧阳", "女士", "F")),
        ("歐陽先生", Address("歐陽", "先生", "M")),
        ("Mr Wang", Address("wang", "mr", "M")),
        ("mr. wang", Address("wang", "mr", "M")),
        ("Mr.Wang", Address("wang", "mr", "M")),
        ("Ms Li", Address("li", "ms", "F")),
        ("Mrs Müller", Address("muller", "mrs", "F")),
        ("Dr Chen", Address("chen", "dr", "")),
    ],
)
def test_a_surname_with_a_form_of_address(text, expected):
    assert address_parse(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "王芳",
        "先生",
        "王",
        "王小先生",
        "欧阳娜娜",
        "Mr",
        "Mr Wang Wei",
        "Wang",
        "mr 123",
    ],
)
def test_anything_else_is_no_form_of_address(text):
    assert address_parse(text) is None


@pytest.mark.parametrize(
    ("surname", "readings"),
    [
        ("王", [("wang",)]),
        ("翟", [("zhai",), ("di",)]),
        ("单", [("shan",)]),
        ("欧阳", [("ou", "yang")]),
        ("尉迟", [("yu", "chi")]),
        ("陳", [("chen",)]),
        ("", []),
    ],
)
def test_surname_readings(surname, readings):
    assert surname_readings(surname) == readings
