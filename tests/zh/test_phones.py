"""Phone numbers: normalisation to E.164, masking and lookup routing."""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dossier.zh.phones import (
    InvalidPhone,
    Phone,
    looks_like_phone,
    mask_e164,
    mask_phone,
    normalize_phone,
    phone_tail,
)

ERROR_CODES = {"empty", "characters", "ambiguous", "unparseable", "invalid"}


@pytest.mark.parametrize(
    "raw",
    [
        "13800004444",
        "138-0000-4444",
        "138 0000 4444",
        "138.0000.4444",
        "(138) 0000 4444",
        "+86 13800004444",
        "+86-138-0000-4444",
        "0086 138 0000 4444",
        "86 13800004444",
        "8613800004444",
        "1795113800004444",
        "１３８００００４４４４",
        "＋８６ １３８ ００００ ４４４４",
    ],
)
def test_mainland_mobile_forms_normalise_to_e164(raw: str) -> None:
    # when
    phone = normalize_phone(raw)

    # then
    assert phone == Phone(
        e164="+8613800004444", region="CN", is_mobile=True, national="13800004444"
    )


@pytest.mark.parametrize(
    "raw", ["16612345678", "19912345678", "19212345678", "17712345678", "14712345678"]
)
def test_newer_mobile_ranges_are_valid(raw: str) -> None:
    phone = normalize_phone(raw)

    assert (phone.e164, phone.is_mobile) == ("+86" + raw, True)


def test_hong_kong_number_stays_in_hong_kong() -> None:
    # when
    phone = normalize_phone("+852 6123 4567")

    # then
    assert phone == Phone(
        e164="+85261234567", region="HK", is_mobile=True, national="61234567"
    )


def test_default_region_reads_local_numbers() -> None:
    assert normalize_phone("6123 4567", default_region="HK").e164 == "+85261234567"


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("010-12345678", "+861012345678"),
        ("021 6123 4567", "+862161234567"),
        ("(010) 1234-5678", "+861012345678"),
        ("+86 21 6123 4567", "+862161234567"),
    ],
)
def test_landlines_with_area_code_are_valid(raw: str, e164: str) -> None:
    phone = normalize_phone(raw)

    assert (phone.e164, phone.region, phone.is_mobile) == (e164, "CN", False)


@pytest.mark.parametrize(
    ("raw", "code", "message"),
    [
        ("12345678", "ambiguous", "号码 12345678 缺少区号，请写成 010-12345678 的形式"),
        (
            "6123 4567",
            "ambiguous",
            "号码 61234567 缺少区号，请写成 010-12345678 的形式",
        ),
        ("1380000444", "invalid", "号码 1380000444 不是有效的电话号码"),
        ("138000044445", "invalid", "号码 138000044445 不是有效的电话号码"),
        ("", "empty", "号码为空"),
        (" - ", "empty", "号码为空"),
        (
            "138abc",
            "characters",
            "号码只能包含数字、开头的 + 号和分隔符（空格、-、括号）",
        ),
        (
            "1+38",
            "characters",
            "号码只能包含数字、开头的 + 号和分隔符（空格、-、括号）",
        ),
        ("0086", "unparseable", "无法识别号码 +86"),
    ],
)
def test_bad_numbers_are_rejected(raw: str, code: str, message: str) -> None:
    with pytest.raises(InvalidPhone) as caught:
        normalize_phone(raw)

    assert (caught.value.code, caught.value.message) == (code, message)


@pytest.mark.parametrize(
    ("e164", "n", "tail"),
    [("+8613800004444", 4, "4444"), ("+85261234567", 6, "234567"), ("+86", 4, "86")],
)
def test_phone_tail(e164: str, n: int, tail: str) -> None:
    assert phone_tail(e164, n) == tail


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("+8613800004444", "138****4444"),
        ("138-0000-4444", "138****4444"),
        ("+85261234567", "+852****4567"),
        ("010-12345678", "010****5678"),
        ("0571-8888 7777", "0571****7777"),
        ("12345678", "****5678"),
        ("abc", "****"),
    ],
)
def test_mask_phone(raw: str, masked: str) -> None:
    assert mask_phone(raw) == masked


@pytest.mark.parametrize(
    "raw",
    ["+8613800004444", "+85261234567", "010-12345678", "+14155550123",
     "+442079460958", "+390612345678", "+97142345678", "+8617012345678",
     "+8614512345678", "+6591234567", "+886912345678", "+85366123456",
     "+862161234567", "+861062345678"],
)  # fmt: skip
def test_mask_e164_masks_a_stored_number_as_mask_phone_does(raw: str) -> None:
    # given a number as it is stored
    e164 = normalize_phone(raw).e164

    # then
    assert mask_e164(e164) == mask_phone(e164)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("13800004444", True),
        ("138-0000-4444", True),
        ("+852 6123 4567", True),
        ("0086 138 0000 4444", True),
        ("1795113800004444", True),
        ("010-12345678", True),
        ("4444", False),
        ("110105194912310011", False),
        ("110105491231001", False),
        ("张三", False),
        ("", False),
    ],
)
def test_looks_like_phone(text: str, expected: bool) -> None:
    assert looks_like_phone(text) is expected


def _outcome(raw: str) -> Phone | InvalidPhone:
    """The normalised phone, or the rejection; any other exception escapes the test."""
    try:
        return normalize_phone(raw)
    except InvalidPhone as error:
        return error


@given(raw=st.text())
def test_arbitrary_text_raises_only_invalid_phone(raw: str) -> None:
    outcome = _outcome(raw)

    if isinstance(outcome, InvalidPhone):
        assert outcome.code in ERROR_CODES
        assert outcome.message
    else:
        assert outcome.e164.startswith("+")


@given(raw=st.text(alphabet="+0123456789 -()", max_size=20))
def test_phone_like_text_raises_only_invalid_phone(raw: str) -> None:
    outcome = _outcome(raw)

    assert isinstance(outcome, Phone | InvalidPhone)


@given(
    raw=st.one_of(
        st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
        st.from_regex(r"0[1-9][0-9]{8,10}", fullmatch=True),
        st.from_regex(r"\+[1-9][0-9]{6,13}", fullmatch=True),
    )
)
def test_normalize_is_idempotent_on_e164(raw: str) -> None:
    # given
    first = _outcome(raw)

    # then
    if isinstance(first, Phone):
        assert normalize_phone(first.e164) == first


@given(raw=st.text())
def test_mask_phone_never_raises(raw: str) -> None:
    assert isinstance(mask_phone(raw), str)


@settings(max_examples=3000, deadline=None)
@given(st.from_regex(r"1[0-9]{10}", fullmatch=True))
def test_the_mobile_fast_path_agrees_with_phonenumbers(digits: str) -> None:
    # given any 11 digits starting with 1, judged by phonenumbers itself
    try:
        parsed = phonenumbers.parse(digits, "CN")
        valid = phonenumbers.is_valid_number(parsed)
    except phonenumbers.NumberParseException:
        valid = False

    # when Dossier normalises them (through its per-block cache)
    try:
        phone = normalize_phone(digits)
    except InvalidPhone:
        phone = None

    # then it says what phonenumbers says
    assert (phone is not None) == valid
    if phone is not None:
        assert phone.e164 == phonenumbers.format_number(
            parsed, phonenumbers.PhoneNumberFormat.E164
        )
        assert phone.is_mobile == (
            phonenumbers.number_type(parsed)
            in (
                phonenumbers.PhoneNumberType.MOBILE,
                phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
            )
        )


@settings(max_examples=2000, deadline=None)
@given(st.from_regex(r"1[0-9]{10}", fullmatch=True))
def test_a_plain_mobile_reads_as_the_same_number_written_otherwise(
    digits: str,
) -> None:
    # given eleven plain digits (read the short way) and the same number with +86,
    # spaces and full-width digits (read through folding and prefixes)
    written = f"+86 {digits[:3].translate(_FULL_WIDTH)} {digits[3:7]} {digits[7:]}"

    # then both give the same phone, or the same refusal
    assert _reading(digits) == _reading(written)


_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _reading(raw: str) -> Phone | tuple[str, str]:
    outcome = _outcome(raw)
    if isinstance(outcome, InvalidPhone):
        return outcome.code, outcome.message
    return outcome
