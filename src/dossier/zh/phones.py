"""Telephone numbers as guests write them, normalised to E.164 with ``phonenumbers``.

Mainland habits handled here: ``+86``, ``0086`` or a bare ``86`` before a mobile number,
IP-dialling prefixes such as ``17951`` before a mobile number, full-width digits, and
landlines written with their area code (``010-12345678``). A bare 7- or 8-digit number
is refused as ambiguous rather than guessed to be a mainland landline.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

import phonenumbers

_SEPARATORS = re.compile(r"[\s\-.()\u2010-\u2015\u2212/]")
_PLAIN = re.compile(r"\+?[0-9]+")
_CN_MOBILE = re.compile(r"1[0-9]{10}")
_IP_PREFIXES = ("17951", "17911", "17909", "12593")
_MOBILE_TYPES = frozenset(
    {
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    }
)


class PhoneError(StrEnum):
    """Why a phone number was rejected; the value is the stable error code."""

    EMPTY = "empty"
    CHARACTERS = "characters"
    AMBIGUOUS = "ambiguous"
    UNPARSEABLE = "unparseable"
    INVALID = "invalid"


class InvalidPhone(ValueError):
    """A phone number that cannot be dialled.

    ``code`` is a :class:`PhoneError` (a ``str``) and ``message`` explains the fault in
    Simplified Chinese.
    """

    def __init__(self, code: PhoneError, message: str) -> None:
        super().__init__(message)
        self.code: str = code
        self.message = message


@dataclass(frozen=True)
class Phone:
    """A valid phone number: E.164 form, ISO region, line kind, national digits."""

    e164: str
    region: str
    is_mobile: bool
    national: str


def normalize_phone(raw: str, *, default_region: str = "CN") -> Phone:
    """Validate ``raw`` and return it in E.164 form.

    Numbers without a country prefix are read in ``default_region``. For the mainland
    a bare 7- or 8-digit number raises code ``"ambiguous"``: landlines need their area
    code.
    ``normalize_phone(p.e164)`` returns ``p`` again. Raises :class:`InvalidPhone` and
    nothing else, whatever the input.
    """
    if default_region == "CN" and _is_plain_mobile(raw):
        return _mainland_mobile(raw)
    compact = _compact(raw)
    dialled = _strip_mainland_prefixes(compact)
    if default_region == "CN" and _is_bare_local(dialled):
        raise InvalidPhone(
            PhoneError.AMBIGUOUS, f"号码 {dialled} 缺少区号，请写成 010-12345678 的形式"
        )

    mobile = _mainland_mobile_digits(dialled, default_region)
    if mobile is not None:
        return _mainland_mobile(mobile)
    try:
        parsed = phonenumbers.parse(dialled, default_region)
    except phonenumbers.NumberParseException:
        raise InvalidPhone(PhoneError.UNPARSEABLE, f"无法识别号码 {dialled}") from None
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidPhone(PhoneError.INVALID, f"号码 {dialled} 不是有效的电话号码")

    return Phone(
        e164=phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164),
        region=phonenumbers.region_code_for_number(parsed) or "",
        is_mobile=phonenumbers.number_type(parsed) in _MOBILE_TYPES,
        national=phonenumbers.national_significant_number(parsed),
    )


def _is_plain_mobile(raw: str) -> bool:
    """Eleven ASCII digits starting with 1, as most numbers in a file are written:
    nothing to fold, strip or dial away, so the steps before the mobile check would
    leave them as they are."""
    return len(raw) == 11 and raw[0] == "1" and raw.isascii() and raw.isdigit()


def _mainland_mobile_digits(dialled: str, default_region: str) -> str | None:
    """The 11 digits of what looks like a mainland mobile, else ``None``."""
    digits = dialled[3:] if dialled.startswith("+86") else dialled
    if dialled[0] != "+" and default_region != "CN":
        return None
    return digits if _CN_MOBILE.fullmatch(digits) else None


def _mainland_mobile(digits: str) -> Phone:
    """A mainland mobile, validated once per number block.

    Mainland mobile numbering is decided by the first seven digits (the block); the
    rest is the subscriber number. Parsing with phonenumbers costs ~100 µs, so its
    verdict on a block is cached and an import of a million numbers parses each
    block once.
    """
    valid, is_mobile = _mobile_block(digits[:7])
    if not valid:
        raise InvalidPhone(PhoneError.INVALID, f"号码 {digits} 不是有效的电话号码")
    return Phone(e164="+86" + digits, region="CN", is_mobile=is_mobile, national=digits)


@functools.lru_cache(maxsize=65_536)
def _mobile_block(block: str) -> tuple[bool, bool]:
    try:
        parsed = phonenumbers.parse(block + "0000", "CN")
    except phonenumbers.NumberParseException:
        return False, False
    valid = phonenumbers.is_valid_number(parsed)
    return valid, valid and phonenumbers.number_type(parsed) in _MOBILE_TYPES


@functools.lru_cache(maxsize=65_536)
def is_mobile_number(e164: str) -> bool:
    """Whether a stored number (E.164) is a mobile; ``False`` for one that is not a
    valid number."""
    try:
        return normalize_phone(e164).is_mobile
    except InvalidPhone:
        return False


def phone_tail(e164: str, n: int = 4) -> str:
    """Return the last ``n`` digits of a number (fewer if it has fewer digits)."""
    return _digits(e164)[-n:] if n > 0 else ""


def mask_phone(e164_or_raw: str) -> str:
    """Hide the middle of a number for display and logs.

    A mainland mobile shows its first three and last four digits (``138****4444``), a
    mainland landline its area code and last four (``021****4567``); other valid numbers show the country code and last four (``+852****4567``); text
    that is not a valid number shows only its last four digits.
    """
    try:
        phone = normalize_phone(e164_or_raw)
    except InvalidPhone:
        digits = _digits(e164_or_raw)
        return "*" * (len(digits) - 4) + digits[-4:] if len(digits) > 4 else "****"
    if phone.region == "CN" and phone.is_mobile:
        return f"{phone.national[:3]}****{phone.national[-4:]}"
    if phone.region == "CN":
        area = phone.national[: _area_code_length(phone.e164)]
        return f"0{area}****{phone.national[-4:]}"
    country = phone.e164[1 : len(phone.e164) - len(phone.national)]
    return f"+{country}****{phone.national[-4:]}"


@functools.lru_cache(maxsize=4096)
def _area_code_length(e164: str) -> int:
    return phonenumbers.length_of_geographical_area_code(phonenumbers.parse(e164))


def mask_e164(e164: str) -> str:
    """:func:`mask_phone` of a number stored as :func:`normalize_phone` gave it,
    without parsing it again: an export masks a hundred thousand of them."""
    digits = e164[1:]
    if not e164.startswith("+") or not digits.isdigit():
        return mask_phone(e164)
    if digits.startswith("86") and _CN_MOBILE.fullmatch(digits[2:]):
        valid, is_mobile = _mobile_block(digits[2:9])
        if valid and is_mobile:
            return f"{digits[2:5]}****{digits[-4:]}"
    if digits.startswith("86"):
        # A mainland landline shows its area code, which takes the number's rules.
        return mask_phone(e164)
    # Country calling codes are prefix-free, one to three digits long.
    for size in (1, 2, 3):
        if int(digits[:size]) in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
            return f"+{digits[:size]}****{digits[-4:]}"
    return mask_phone(e164)


def looks_like_phone(text: str) -> bool:
    """Cheaply tell whether a search key is worth treating as a whole phone number.

    True for 7-13 digits (separators allowed), for anything starting with ``+`` or
    ``00`` up to 17 digits, and for an IP-dialling prefix before a mainland mobile.
    Last-four-digit searches and 15/18-digit identity numbers are left to other routes.
    """
    compact = _SEPARATORS.sub("", unicodedata.normalize("NFKC", text))
    if not _PLAIN.fullmatch(compact):
        return False
    digits = compact.lstrip("+")
    if compact.startswith(("+", "00")):
        return 7 <= len(digits) <= 17
    if len(digits) == 16 and digits.startswith(_IP_PREFIXES):
        return _CN_MOBILE.fullmatch(digits[5:]) is not None
    return 7 <= len(digits) <= 13


def _digits(text: str) -> str:
    """The ASCII digits of ``text``, in order."""
    return "".join(ch for ch in text if ch in "0123456789")


def _compact(raw: str) -> str:
    """NFKC-normalise and drop separators; refuse empty input and stray characters."""
    compact = _SEPARATORS.sub("", unicodedata.normalize("NFKC", raw))
    if not compact:
        raise InvalidPhone(PhoneError.EMPTY, "号码为空")
    if not _PLAIN.fullmatch(compact):
        raise InvalidPhone(
            PhoneError.CHARACTERS,
            "号码只能包含数字、开头的 + 号和分隔符（空格、-、括号）",
        )
    return compact


def _strip_mainland_prefixes(compact: str) -> str:
    """Turn ``0086``, or ``86`` or an IP-dialling prefix before a mobile, to ``+86``."""
    if compact.startswith("0086"):
        return "+86" + compact[4:]
    if compact.startswith("86") and _CN_MOBILE.fullmatch(compact[2:]):
        return "+" + compact
    if compact.startswith(_IP_PREFIXES) and _CN_MOBILE.fullmatch(compact[5:]):
        return "+86" + compact[5:]
    return compact


def _is_bare_local(dialled: str) -> bool:
    """A 7- or 8-digit number with neither country prefix nor area code."""
    return 7 <= len(dialled) <= 8 and dialled[0] not in "+0"
