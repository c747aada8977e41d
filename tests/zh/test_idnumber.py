"""Resident identity numbers: parsing, conversion, masking and generation."""

from __future__ import annotations

import datetime
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dossier.zh.idnumber import (
    Gender,
    IdNumber,
    InvalidIdNumber,
    id_checksum,
    make_id_number,
    mask_id_number,
    parse_id_number,
)

TODAY = datetime.date(2025, 6, 1)
ERROR_CODES = {"length", "characters", "checksum", "birth_date", "region", "future"}
REGIONS = ["110105", "310101", "440305", "110103", "650102", "810000", "820000"]

birth_dates = st.dates(min_value=datetime.date(1900, 1, 1), max_value=TODAY)
valid_numbers = st.builds(
    make_id_number,
    st.sampled_from(["110105", "310101", "440305", "510107", "810000", "830000"]),
    birth_dates,
    st.integers(min_value=0, max_value=499),
    st.sampled_from(["M", "F"]),
)


def test_parse_returns_every_field() -> None:
    # given
    raw = "11010519491231002X"

    # when
    parsed = parse_id_number(raw, today=TODAY)

    # then
    assert parsed == IdNumber(
        number="11010519491231002X",
        birth_date=datetime.date(1949, 12, 31),
        gender="F",
        region_code="110105",
        region_name="北京市朝阳区",
        converted_from_15=False,
    )


@pytest.mark.parametrize(
    "raw",
    [
        "11010519491231002x",
        " 110105 19491231 002X ",
        "１１０１０５１９４９１２３１００２Ｘ",
        "110105\u300019491231002x",
    ],
)
def test_parse_normalises_case_spaces_and_width(raw: str) -> None:
    # when
    parsed = parse_id_number(raw, today=TODAY)

    # then
    assert parsed.number == "11010519491231002X"


@pytest.mark.parametrize(
    ("first17", "expected"),
    [
        ("11010519491231002", "X"),
        ("44030519900101123", "X"),
        ("00000000000000000", "1"),
    ],
)
def test_id_checksum(first17: str, expected: str) -> None:
    assert id_checksum(first17) == expected


@given(st.from_regex(r"[0-9]{17}", fullmatch=True))
def test_id_checksum_is_iso_7064_mod_11_2(first17: str) -> None:
    # given the check character as the standard defines it: digit i weighted by
    # 2^(17-i) mod 11, the sum's remainder mapped through 1 0 X 9 8 … 2
    total = sum(int(d) * pow(2, 17 - i, 11) for i, d in enumerate(first17))

    # then
    assert id_checksum(first17) == "10X98765432"[total % 11]


@pytest.mark.parametrize("first17", ["", "1101051949123100", "1101051949123100A"])
def test_id_checksum_rejects_malformed_input(first17: str) -> None:
    with pytest.raises(ValueError, match="17 ASCII digits"):
        id_checksum(first17)


def test_abolished_region_is_valid_for_birth_before_abolition() -> None:
    # given: 110103 崇文区 was abolished in 2010
    number = make_id_number("110103", datetime.date(1985, 4, 1), 12, "M")

    # when
    parsed = parse_id_number(number, today=TODAY)

    # then
    assert (parsed.region_code, parsed.region_name) == ("110103", "北京市崇文区")


def test_abolished_region_is_invalid_for_birth_after_abolition() -> None:
    # given
    number = make_id_number("110103", datetime.date(2012, 4, 1), 12, "M")

    # when
    with pytest.raises(InvalidIdNumber) as caught:
        parse_id_number(number, today=TODAY)

    # then
    assert caught.value.code == "region"
    assert (
        caught.value.message == "地区码 110103 已于 2010 年停用，与出生年份 2012 不符"
    )


def test_code_created_after_birth_is_accepted() -> None:
    # given: 110118 密云区 dates from 2015; older residents were re-numbered into it
    number = make_id_number("110118", datetime.date(1960, 1, 1), 3, "F")

    # then
    assert parse_id_number(number, today=TODAY).region_name == "北京市密云区"


@pytest.mark.parametrize(
    ("region", "name"),
    [
        ("810000", "香港特别行政区"),
        ("820000", "澳门特别行政区"),
        ("830000", "台湾地区"),
        ("110000", "北京市"),
        ("130100", "河北省石家庄市"),
    ],
)
def test_permit_province_and_prefecture_codes_are_valid(region: str, name: str) -> None:
    # given
    number = make_id_number(region, datetime.date(1990, 5, 6), 0, "F")

    # when
    parsed = parse_id_number(number, today=TODAY)

    # then
    assert parsed.region_name == name


def test_unknown_region_is_rejected() -> None:
    number = make_id_number("999999", datetime.date(1990, 5, 6), 0, "F")

    with pytest.raises(InvalidIdNumber) as caught:
        parse_id_number(number, today=TODAY)

    assert (caught.value.code, caught.value.message) == (
        "region",
        "地区码 999999 不存在",
    )


@pytest.mark.parametrize(
    "birth",
    [
        datetime.date(1996, 2, 29),
        datetime.date(2000, 2, 29),
        datetime.date(1990, 10, 1),
        datetime.date(1990, 11, 30),
        datetime.date(1990, 12, 31),
        datetime.date(1900, 1, 1),
        TODAY,
    ],
)
def test_real_birth_dates_are_valid(birth: datetime.date) -> None:
    number = make_id_number("310101", birth, 1, "M")

    assert parse_id_number(number, today=TODAY).birth_date == birth


@pytest.mark.parametrize(
    ("date_digits", "code"),
    [
        ("19970229", "birth_date"),
        ("19000229", "birth_date"),
        ("19901301", "birth_date"),
        ("19900001", "birth_date"),
        ("19900431", "birth_date"),
        ("18991231", "birth_date"),
        ("20250602", "future"),
    ],
)
def test_impossible_birth_dates_are_rejected(date_digits: str, code: str) -> None:
    # given: a correct checksum, so only the date is wrong
    first17 = f"310101{date_digits}123"
    number = first17 + id_checksum(first17)

    # when
    with pytest.raises(InvalidIdNumber) as caught:
        parse_id_number(number, today=TODAY)

    # then
    assert caught.value.code == code


@pytest.mark.parametrize(
    ("raw", "code", "message"),
    [
        ("", "length", "号码长度应为 18 位（或旧版 15 位），实为 0 位"),
        ("   ", "length", "号码长度应为 18 位（或旧版 15 位），实为 0 位"),
        (
            "1101051949123100",
            "length",
            "号码长度应为 18 位（或旧版 15 位），实为 16 位",
        ),
        (
            "11010519491231002X1",
            "length",
            "号码长度应为 18 位（或旧版 15 位），实为 19 位",
        ),
        ("1101051949123100X2", "characters", "号码只能由数字组成，仅最后一位可以是 X"),
        ("X10105194912310021", "characters", "号码只能由数字组成，仅最后一位可以是 X"),
        ("11010519491231002A", "characters", "号码只能由数字组成，仅最后一位可以是 X"),
        ("11010549123100X", "characters", "15 位旧版号码只能由数字组成"),
        ("110105194912310025", "checksum", "校验码错误：应为 X，实为 5"),
        ("٣١٠١٠١١٩٩٠٠١٠١١٢٣٤", "characters", "号码只能由数字组成，仅最后一位可以是 X"),
    ],
)
def test_malformed_numbers_are_rejected(raw: str, code: str, message: str) -> None:
    with pytest.raises(InvalidIdNumber) as caught:
        parse_id_number(raw, today=TODAY)

    assert (caught.value.code, caught.value.message) == (code, message)
    assert str(caught.value) == message


def test_fifteen_digit_number_is_converted() -> None:
    # given: a 1980s number, born 1949-12-31, last digit 1 (odd: male)
    raw = "110105491231001"

    # when
    parsed = parse_id_number(raw, today=TODAY)

    # then
    assert parsed.number == "110105194912310011"
    assert parsed.converted_from_15
    assert (parsed.birth_date, parsed.gender) == (datetime.date(1949, 12, 31), "M")


@pytest.mark.parametrize(
    ("order", "gender"), [("001", "M"), ("002", "F"), ("999", "M")]
)
def test_gender_follows_order_code_parity(order: str, gender: str) -> None:
    first17 = f"44030519900101{order}"

    parsed = parse_id_number(first17 + id_checksum(first17), today=TODAY)

    assert parsed.gender == gender


def test_default_today_rejects_future_births() -> None:
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    number = make_id_number("310101", tomorrow, 1, "M")

    with pytest.raises(InvalidIdNumber) as caught:
        parse_id_number(number)

    assert caught.value.code == "future"


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("110105194912310414", "110105********0414"),
        ("11010519491231002X", "110105********002X"),
        ("110105491231001", "11***********01"),
        ("G1234567", "G1****67"),
        ("12345", "12*45"),
        ("1234", "****"),
        ("", ""),
    ],
)
def test_mask_id_number(number: str, masked: str) -> None:
    assert mask_id_number(number) == masked


@pytest.mark.parametrize(
    ("sequence", "gender", "order"),
    [(0, "F", "000"), (0, "M", "001"), (499, "F", "998"), (499, "M", "999")],
)
def test_make_id_number_order_code(sequence: int, gender: Gender, order: str) -> None:
    number = make_id_number("440305", datetime.date(1990, 1, 2), sequence, gender)

    assert number[:17] == f"44030519900102{order}"
    assert number[17] == id_checksum(number[:17])


@pytest.mark.parametrize(
    ("region", "sequence"),
    [("44030", 1), ("4403051", 1), ("440305", -1), ("440305", 500)],
)
def test_make_id_number_rejects_bad_arguments(region: str, sequence: int) -> None:
    with pytest.raises(ValueError, match="must be"):
        make_id_number(region, datetime.date(1990, 1, 2), sequence, "M")


@given(
    region=st.sampled_from(REGIONS),
    birth=st.dates(
        min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2009, 12, 31)
    ),
    order=st.integers(min_value=0, max_value=999),
)
def test_any_valid_first17_with_checksum_parses(
    region: str, birth: datetime.date, order: int
) -> None:
    first17 = f"{region}{birth:%Y%m%d}{order:03d}"

    parsed = parse_id_number(first17 + id_checksum(first17), today=TODAY)

    assert parsed.number == first17 + id_checksum(first17)
    assert parsed.birth_date == birth
    assert parsed.gender == ("M" if order % 2 else "F")


@given(
    number=valid_numbers,
    position=st.integers(min_value=0, max_value=17),
    replacement=st.characters(
        codec="ascii", exclude_characters=" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"
    ),
)
def test_any_single_character_change_is_rejected(
    number: str, position: int, replacement: str
) -> None:
    # given
    if replacement.upper() == number[position]:
        replacement = "0" if number[position] != "0" else "1"
    mutated = number[:position] + replacement + number[position + 1 :]

    # then
    with pytest.raises(InvalidIdNumber):
        parse_id_number(mutated, today=TODAY)


def _outcome(raw: str) -> IdNumber | InvalidIdNumber:
    """The parsed number, or the rejection; any other exception escapes the test."""
    try:
        return parse_id_number(raw, today=TODAY)
    except InvalidIdNumber as error:
        return error


@given(raw=st.text())
def test_arbitrary_text_raises_only_invalid_id_number(raw: str) -> None:
    outcome = _outcome(raw)

    if isinstance(outcome, InvalidIdNumber):
        assert outcome.code in ERROR_CODES
        assert outcome.message
    else:
        assert len(outcome.number) == 18


@given(
    number=st.builds(
        make_id_number,
        st.sampled_from(REGIONS[:5]),
        st.dates(
            min_value=datetime.date(1900, 1, 1), max_value=datetime.date(1999, 12, 31)
        ),
        st.integers(min_value=0, max_value=499),
        st.sampled_from(["M", "F"]),
    )
)
def test_fifteen_to_eighteen_roundtrip(number: str) -> None:
    # given: the old form drops the century and the check character
    old = number[:6] + number[8:17]

    # when
    parsed = parse_id_number(old, today=TODAY)

    # then
    assert parsed.number == number
    assert parsed.converted_from_15
    assert parsed == replace(
        parse_id_number(number, today=TODAY), converted_from_15=True
    )
