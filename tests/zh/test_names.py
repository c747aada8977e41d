"""Names: surname splitting and pinyin readings."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dossier.zh.names import (
    COMPOUND_SURNAMES,
    MAX_READINGS,
    NameParts,
    name_initials,
    name_pinyin,
    name_readings,
    pinyin_sort_key,
    split_name,
)


@pytest.mark.parametrize(
    ("full_name", "parts"),
    [
        ("张三", NameParts("张", "三", is_han=True)),
        ("王晓明", NameParts("王", "晓明", is_han=True)),
        ("欧阳娜娜", NameParts("欧阳", "娜娜", is_han=True)),
        ("歐陽娜娜", NameParts("歐陽", "娜娜", is_han=True)),
        ("司马光明", NameParts("司马", "光明", is_han=True)),
        ("诸葛亮", NameParts("诸葛", "亮", is_han=True)),
        ("爱新觉罗溥仪", NameParts("爱新觉罗", "溥仪", is_han=True)),
        ("钟离", NameParts("钟", "离", is_han=True)),
        ("欧阳 娜娜", NameParts("欧阳", "娜娜", is_han=True)),
        ("欧 阳丽", NameParts("欧", "阳丽", is_han=True)),
        ("  王  芳 ", NameParts("王", "芳", is_han=True)),
        ("阿依古丽·买买提", NameParts("", "阿依古丽·买买提", is_han=False)),
        ("约翰・史密斯", NameParts("", "约翰・史密斯", is_han=False)),
        ("Élodie Martin", NameParts("Martin", "Élodie", is_han=False)),
        ("Martin, Élodie", NameParts("Martin", "Élodie", is_han=False)),
        ("Anne Marie  Dupont", NameParts("Dupont", "Anne Marie", is_han=False)),
        ("Madonna", NameParts("Madonna", "", is_han=False)),
        ("", NameParts("", "", is_han=False)),
    ],
)
def test_split_name(full_name: str, parts: NameParts) -> None:
    assert split_name(full_name) == parts


@pytest.mark.parametrize(
    ("full_name", "surname", "parts"),
    [
        ("欧阳丽", "欧", NameParts("欧", "阳丽", is_han=True)),
        ("司马光", "司", NameParts("司", "马光", is_han=True)),
        ("张三", "张", NameParts("张", "三", is_han=True)),
        ("Élodie Martin", "Martin", NameParts("Martin", "Élodie", is_han=False)),
        ("Martin Élodie", "Martin", NameParts("Martin", "Élodie", is_han=False)),
        ("欧阳娜娜", "李", NameParts("欧阳", "娜娜", is_han=True)),
    ],
)
def test_explicit_surname_wins_when_name_contains_it(
    full_name: str, surname: str, parts: NameParts
) -> None:
    assert split_name(full_name, surname=surname) == parts


def test_compound_surnames_cover_the_common_ones() -> None:
    expected = {
        "欧阳",
        "司马",
        "诸葛",
        "上官",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "万俟",
    }

    assert expected <= COMPOUND_SURNAMES


@pytest.mark.parametrize(
    ("surname", "given_name", "primary"),
    [
        ("朱", "单明", ["zhu", "dan", "ming"]),
        ("单", "晓雯", ["shan", "xiao", "wen"]),
        ("單", "曉雯", ["shan", "xiao", "wen"]),
        ("曾", "国藩", ["zeng", "guo", "fan"]),
        ("区", "志强", ["ou", "zhi", "qiang"]),
        ("仇", "英", ["qiu", "ying"]),
        ("朴", "槿惠", ["piao", "jin", "hui"]),
        ("解", "缙", ["xie", "jin"]),
        ("查", "良镛", ["zha", "liang", "yong"]),
        ("翟", "志刚", ["zhai", "zhi", "gang"]),
        ("缪", "斯", ["miao", "si"]),
        ("尉迟", "恭", ["yu", "chi", "gong"]),
        ("万俟", "卨", ["mo", "qi", "xie"]),
        ("长孙", "无忌", ["zhang", "sun", "wu", "ji"]),
        ("欧阳", "娜娜", ["ou", "yang", "na", "na"]),
        ("吕", "布", ["lv", "bu"]),
        ("Martin", "Élodie", ["martin", "elodie"]),
        ("", "阿依古丽·买买提", ["a", "yi", "gu", "li", "mai", "mai", "ti"]),
    ],
)
def test_primary_reading_reads_surname_as_surname(
    surname: str, given_name: str, primary: list[str]
) -> None:
    assert name_readings(surname, given_name)[0] == primary


def test_readings_offer_every_heteronym_of_the_given_name() -> None:
    # when
    readings = name_readings("朱", "单明")

    # then
    assert readings == [
        ["zhu", "dan", "ming"],
        ["zhu", "chan", "ming"],
        ["zhu", "shan", "ming"],
        ["zhu", "dan", "meng"],
        ["zhu", "chan", "meng"],
        ["zhu", "shan", "meng"],
    ]


def test_surnames_with_two_readings_offer_both() -> None:
    assert name_readings("乐", "嘉") == [["yue", "jia"], ["le", "jia"]]


def test_readings_are_capped() -> None:
    # given: 7 characters, several with many readings
    readings = name_readings("", "阿依古丽·买买提")

    # then
    assert len(readings) == MAX_READINGS
    assert len({tuple(reading) for reading in readings}) == MAX_READINGS


@pytest.mark.parametrize(
    ("surname", "given_name", "pinyin", "initials"),
    [
        ("单", "晓雯", "shan xiao wen", "sxw"),
        ("欧阳", "娜娜", "ou yang na na", "oynn"),
        ("吕", "乐", "lv le", "ll"),
        ("Martin", "Élodie", "martin elodie", "me"),
        ("", "", "", ""),
    ],
)
def test_name_pinyin_and_initials(
    surname: str, given_name: str, pinyin: str, initials: str
) -> None:
    assert name_pinyin(surname, given_name) == pinyin
    assert name_initials(surname, given_name) == initials


def test_sort_key_files_shan_under_s() -> None:
    # given
    names = [("单", "晓雯"), ("安", "然"), ("张", "伟"), ("丁", "一"), ("孙", "丽")]

    # when
    ordered = sorted(names, key=lambda name: pinyin_sort_key(*name))

    # then
    assert ordered == [
        ("安", "然"),
        ("丁", "一"),
        ("单", "晓雯"),
        ("孙", "丽"),
        ("张", "伟"),
    ]
    assert pinyin_sort_key("单", "晓雯") == "shanxiaowen 单晓雯"


def test_sort_key_breaks_ties_by_name() -> None:
    assert pinyin_sort_key("张", "伟") < pinyin_sort_key("章", "伟")


@given(st.text(max_size=12), st.text(max_size=12))
def test_readings_are_bounded_lists_of_syllables(surname: str, given_name: str) -> None:
    readings = name_readings(surname, given_name)

    assert len(readings) <= MAX_READINGS
    assert all(syllable for reading in readings for syllable in reading)


@given(st.text(max_size=20))
def test_split_name_keeps_every_letter(full_name: str) -> None:
    parts = split_name(full_name)

    kept = (parts.surname + parts.given_name).replace(" ", "").replace(",", "")
    assert sorted(kept) == sorted("".join(full_name.split()).replace(",", ""))


@given(
    st.text("乐重长单曾翟覃行朴歐陽王李 ·Éa-", max_size=4),
    st.text("乐重长单曾翟覃行朴歐陽王李 ·Éa-", max_size=6),
)
def test_pinyin_is_the_first_reading(surname: str, given_name: str) -> None:
    # when
    first = name_readings(surname, given_name)[0]

    # then
    assert name_pinyin(surname, given_name) == " ".join(first)
    assert pinyin_sort_key(surname, given_name) == (
        "".join(first) + " " + surname + given_name
    )
